import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// Stored entries scanned on another thread while the walk reads on (`ArchiveWalk+Completions`):
/// a job leaves the catalog it leaves when every entry is scanned on the reading thread, row
/// for row and in the same order, whatever follows a deferred entry (a refused one, a
/// directory, a link, a parsed file, a nested archive, the next input) and whether it is
/// stored or quarantined. Only a record error, committed with its chunk, may come before the
/// rows of entries still queued.
@Suite struct QueuedCompletionTests {
    static let eicar = Array(("X5O!P%@AP[4\\PZX54(P^)7CC)" + "7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").utf8)

    /// Bytes that start like a JPEG (libmagic says so) and go on as `seed` says.
    static func photo(_ seed: UInt8, _ count: Int = 70_000) -> [UInt8] {
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    /// An export whose stored entries are followed by every kind of entry the walk knows, and
    /// a second input that starts with a stored entry.
    static func inputs(_ dir: String) throws -> [String] {
        let inner = dir + "/inner.zip"
        let n = try ArchiveWriter(path: inner, format: .zip)
        try n.addFile("x.jpg", contents: photo(1))
        // Quarantined, the nested archive's last entry: recorded before the archive's own row.
        try n.addFile("y.txt", contents: eicar)
        try n.close()
        let zip = dir + "/export.zip"
        let w = try ArchiveWriter(path: zip, format: .zip)
        try w.addFile("Takeout/Google Photos/IMG_0001.jpg", contents: photo(2))
        try w.addFile(
            "Takeout/Google Photos/IMG_0001.jpg.json",
            contents: Array(#"{"title":"IMG_0001.jpg","photoTakenTime":{"timestamp":"1590000000"}}"#.utf8))
        try w.addFile("Takeout/eicar.txt", contents: eicar)
        // Parsed by name, so scanned on the walk's thread: quarantined behind the queued entries.
        try w.addFile("Takeout/evil.json", contents: eicar)
        try w.addFile("../escape.jpg", contents: photo(3))
        try w.addFile("Takeout/b.png", contents: [0x89] + Array("PNG\r\n\u{1A}\n".utf8) + photo(4, 500))
        try w.addDirectory("Takeout/empty/")
        try w.addFile("Takeout/c.jpg", contents: TestPaths.read("/bin/true"))
        try w.addFile("Takeout/inner.zip", fromFile: inner)
        try w.addFile("Takeout/d.mp4", contents: photo(5, 3_000))
        try w.addSymlink("Takeout/link.jpg", target: "d.mp4")
        try w.addFile("Takeout/notes.json", contents: Array(#"[{"text":"hello"}]"#.utf8))
        try w.addFile("Takeout/e.jpg", contents: photo(6))
        try w.close()
        let second = dir + "/second.zip"
        let s = try ArchiveWriter(path: second, format: .zip)
        try s.addFile("Takeout/f.jpg", contents: photo(7))
        try s.addFile("Takeout/g.jpg", contents: eicar)
        // A record that fails: its error row commits with its chunk, before g.jpg's is written.
        try s.addFile(
            "Takeout/Location History/Records.json",
            contents: Array(
                #"{"locations":[{"timestampMs":"soon","latitudeE7":1,"longitudeE7":2},{"timestampMs":"1590000000000","latitudeE7":1,"longitudeE7":2}]}"#
                    .utf8))
        try s.close()
        return [zip, second]
    }

    /// The catalog's rows a job leaves, in row order (the quarantine's time left out), and its
    /// error rows.
    static func catalog(_ dir: String) throws -> (rows: [String], errors: [String]) {
        let lake = try Lake(directory: dir, create: false)
        var out: [String] = []
        for sql in [
            "SELECT * FROM files ORDER BY rowid", "SELECT * FROM findings ORDER BY rowid",
            "SELECT sha256, job_id, input, entry_index, path, size, xxh64, engine, rules FROM quarantine ORDER BY rowid",
        ] {
            out.append(sql)
            out += try SignatureUpgradeTests.rows(lake, sql)
        }
        return (out, try SignatureUpgradeTests.rows(lake, "SELECT * FROM errors ORDER BY rowid"))
    }

    static func ingest(_ inputs: [String], into dir: String, beside: Bool) throws -> IngestSummary {
        var options = IngestOptions()
        options.lakeDirectory = dir
        options.run.scansBesideReading = beside
        return try IngestJob(options: options).run(inputs: inputs)
    }

    @Test func theCatalogIsTheOneScanningOnTheReadingThreadGives() throws {
        let dir = TestPaths.scratch("deferred-scan")
        defer { TestPaths.remove(dir) }
        let inputs = try Self.inputs(dir)
        let summaries = try [true, false].map { try Self.ingest(inputs, into: dir + "/lake-\($0)", beside: $0) }
        let beside = try Self.catalog(dir + "/lake-true"), reading = try Self.catalog(dir + "/lake-false")
        #expect(beside.rows == reading.rows)
        // The same errors; the failed record's, committed with its chunk, before g.jpg's.
        #expect(beside.errors.sorted() == reading.errors.sorted())
        let order = { (errors: [String]) in
            errors.filter { $0.contains("g.jpg") || $0.contains("Records.json") }.map { $0.contains("g.jpg") }
        }
        #expect(reading.errors.count == 7 && order(reading.errors) == [true, false] && order(beside.errors) == [false, true])
        // What the comparison covers: each kind of row is there.
        #expect(summaries[0].inputs.map(\.quarantinedFiles) == [4, 1])
        #expect(beside.rows.contains { $0.contains("Takeout/inner.zip/y.txt") && $0.contains("quarantined") })
        #expect(beside.rows.contains { $0.contains("Takeout/e.jpg") && $0.contains(" stored ") })
        #expect(beside.rows.contains { $0.contains("escape.jpg") && $0.contains("rejected") })
        #expect(try SignatureUpgradeTests.export(dir + "/lake-true") == SignatureUpgradeTests.export(dir + "/lake-false"))
    }
}
