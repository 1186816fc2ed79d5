import Foundation
import LakeCore
import LakeIngest
import LakeValidate
import Testing
import _LakeTestSupport

@testable import LakePipeline

/// Entries read, and scanned, ahead while the entry before is finishing (`ArchiveWalk+ReadAhead`):
/// a job leaves the catalog, errors and export it leaves reading each entry when it comes,
/// whatever follows a parsed entry: another, one quarantined, refused, a folder, a nested
/// archive, a stored file, a file that does not parse, a record that fails, the next input.
@Suite struct ReadAheadTests {
    static func inputs(_ dir: String) throws -> [String] {
        func json(_ text: String) -> [UInt8] { Array(#"[{"text":"\#(text)"},{"text":"\#(text) again"}]"#.utf8) }
        let inner = dir + "/inner.zip"
        let n = try ArchiveWriter(path: inner, format: .zip)
        try n.addFile("x.json", contents: json("inside"))
        try n.close()
        let zip = dir + "/export.zip"
        let w = try ArchiveWriter(path: zip, format: .zip)
        try w.addFile("Takeout/a.json", contents: json("a"))
        try w.addFile("Takeout/b.json", contents: json("b"))
        // Scanned ahead, and quarantined.
        try w.addFile("Takeout/evil.json", contents: QueuedCompletionTests.eicar)
        try w.addFile("Takeout/c.json", contents: json("c"))
        try w.addFile("../escape.json", contents: json("escape"))
        try w.addFile("Takeout/d.json", contents: json("d"))
        try w.addDirectory("Takeout/empty/")
        try w.addFile("Takeout/e.json", contents: json("e"))
        try w.addFile("Takeout/inner.zip", fromFile: inner)
        try w.addFile("Takeout/f.json", contents: json("f"))
        try w.addFile("Takeout/photo.jpg", contents: QueuedCompletionTests.photo(9))
        try w.addFile("Takeout/g.json", contents: json("g"))
        try w.addFile(
            "Takeout/Location History/Records.json",
            contents: Array(
                #"{"locations":[{"timestampMs":"soon","latitudeE7":1,"longitudeE7":2},{"timestampMs":"1590000000000","latitudeE7":1,"longitudeE7":2}]}"#
                    .utf8))
        try w.addFile("Takeout/h.json", contents: Array(#"[{"text":"cut"#.utf8))
        try w.addFile("Takeout/i.json", contents: json("i"))
        // Larger than a scan's window: read ahead in part.
        try w.addFile("Takeout/j.jpg", contents: QueuedCompletionTests.photo(10, SecurityScanner.window + 100_000))
        try w.addFile("Takeout/k.json", contents: json("k"))
        try w.close()
        return [zip] + (try QueuedCompletionTests.inputs(dir + "/queued")).suffix(1)
    }

    @Test func theCatalogIsTheOneReadingEachEntryWhenItComesGives() throws {
        let dir = TestPaths.scratch("read-ahead-job")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/queued", withIntermediateDirectories: true)
        let inputs = try Self.inputs(dir)
        var taken: [Bool: Int] = [:]
        for ahead in [true, false] {
            var options = IngestOptions()
            options.lakeDirectory = dir + "/lake-\(ahead)"
            options.run.readsAhead = ahead
            let job = IngestJob(options: options)
            _ = try job.run(inputs: inputs)
            taken[ahead] = job.scansTakenAhead
        }
        let ahead = try QueuedCompletionTests.catalog(dir + "/lake-true"), plain = try QueuedCompletionTests.catalog(dir + "/lake-false")
        #expect(ahead.rows == plain.rows)
        #expect(ahead.errors == plain.errors)
        #expect(try SignatureUpgradeTests.export(dir + "/lake-true") == SignatureUpgradeTests.export(dir + "/lake-false"))
        // What the comparison covers: the entries after a parsed one that loaded were scanned
        // ahead (b, evil, photo, Records, h, j), and each kind of row is there.
        #expect(taken == [true: 6, false: 0])
        #expect(plain.rows.contains { $0.contains("Takeout/evil.json") && $0.contains("quarantined") })
        #expect(plain.rows.contains { $0.contains("escape.json") && $0.contains("rejected") })
        #expect(plain.rows.contains { $0.contains("Takeout/h.json") && $0.contains("rejected") })
        #expect(plain.rows.contains { $0.contains("Takeout/k.json") && $0.contains("loaded") })
        #expect(plain.errors.contains { $0.contains("Records.json") })
    }
}
