import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// `NearDuplicateFinder.TextHashing`: text records hashed on another thread, through a second
/// connection, while the lake's own connection builds indexes and merges, end as hashing them
/// in the stage does: the same `record_texts` and `text_signatures` rows and text mark, the
/// rows of records the merge removed meanwhile gone.
@Suite struct TextHashingTests {
    /// 300 tweets of distinct texts from `b.zip`, and every third again from `c.zip` (seen
    /// again: the merge keeps the first), committed; then the deferred indexes dropped, as a
    /// first load leaves them.
    static func lake(_ dir: String) throws -> Lake {
        let golden = try String(contentsOfFile: TestPaths.golden + "/twitter-small/export.ndjson", encoding: .utf8)
        let line = try #require(golden.split(separator: "\n").first { $0.contains(#""record_kind":"tweet""#) })
        let tweet = try JSONValueReader.parse(Array(line.utf8))
        let lake = try Lake(directory: dir, create: true)
        #expect(try lake.deferRecordIndexesIfEmpty())
        try lake.inTransaction {
            let inserter = try lake.recordInserter(jobID: "j1")
            for (input, step) in [("b.zip", 1), ("c.zip", 3)] {
                for i in stride(from: 0, to: 300, by: step) {
                    let text = "tweet \(i % 150) of the stream, \(i < 150 ? "first" : "second") half, long enough to compare"
                    let record = tweet.setting("data", try #require(tweet["data"]).setting("full_text", .string(text)))
                        .setting("id", .string(String(format: "%@%031x", input == "b.zip" ? "b" : "c", i)))
                        .setting(
                            "source", try #require(tweet["source"]).setting("input", .string(input)).setting("index", .number(String(i))))
                    try inserter.insert(try RecordRow(line: CanonicalJSON.encode(record)))
                }
            }
        }
        return lake
    }

    static func rows(_ lake: Lake) throws -> [String] {
        var out: [String] = []
        try lake.database.prepare("SELECT hex(record_id), text_hash FROM record_texts ORDER BY 1").forEachRow {
            out.append("\($0.text(0) ?? "") \($0.text(1) ?? "null")")
        }
        try lake.database.prepare("SELECT text_hash, hex(bands) FROM text_signatures ORDER BY 1").forEachRow {
            out.append("\($0.int(0)) \($0.text(1) ?? "")")
        }
        out.append("mark \(try lake.textsHashedThrough())")
        return out
    }

    @Test func hashingAlongsideTheIndexesAndTheMergeEndsAsHashingInTheStage() throws {
        let base = TestPaths.scratch("text-hashing")
        defer { TestPaths.remove(base) }
        let inStage = try Self.lake(base + "/a"), alongside = try Self.lake(base + "/b")
        var a = DuplicateLinker.Counts(), b = a
        try inStage.buildRecordIndexes()
        try inStage.inTransaction { a = try DuplicateLinker(lake: inStage).prepare() }

        let linker = DuplicateLinker(lake: alongside)
        let hashing = try linker.finder.startHashing()
        try alongside.buildRecordIndexes()
        try alongside.inTransaction { b = try linker.prepare(hashing: hashing) }
        hashing.cancel()

        #expect(a.merged == 100 && b.merged == 100)
        // The reading thread saw the records the merge removed; the stage never did.
        #expect(a.textsHashed == 300 && b.textsHashed == 400)
        let rows = try Self.rows(inStage)
        #expect(rows.count > 300)
        #expect(try Self.rows(alongside) == rows)
    }

    /// A stage that stops while the other thread reads (paused at its first check) or before
    /// `finish` (`cancel`) leaves no row and no mark.
    @Test func aStopEndsTheReadingThread() throws {
        let base = TestPaths.scratch("text-hashing-stop")
        defer { TestPaths.remove(base) }
        let lake = try Self.lake(base)
        struct Paused: Error {}
        var linker = DuplicateLinker(lake: lake)
        linker.checkStop = { throw Paused() }
        let hashing = try linker.finder.startHashing()
        #expect(throws: Paused.self) { try lake.inTransaction { _ = try hashing.finish(linker.finder, merged: 0) } }
        hashing.cancel()
        let other = try DuplicateLinker(lake: lake).finder.startHashing()
        other.cancel()
        #expect(try Self.rows(lake) == ["mark 0"])
    }
}
