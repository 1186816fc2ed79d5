import Foundation
import LakeCore
import LakeValidate
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
        try lake.database.prepare("SELECT hex(r.id), t.text_hash FROM record_texts t LEFT JOIN records r ON r.rowid = t.record ORDER BY 1")
            .forEachRow {
                out.append("\($0.text(0) ?? "no record") \($0.text(1) ?? "null")")
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

    /// Records the merge removes while the other thread reads them, and a record made meanwhile
    /// that is given one of their rowids (as a sighting the merge makes a record again is): no
    /// text row of a removed record stays, the new record gets none of theirs, and the mark
    /// stays below it, so the next job hashes it. The rows then are those hashing every text
    /// again from nothing gives.
    @Test func aRowidGivenAgainMeanwhileGetsNoOldText() throws {
        let dir = TestPaths.scratch("text-hashing-rowid-again")
        defer { TestPaths.remove(dir) }
        let lake = try Self.lake(dir)
        try lake.buildRecordIndexes()
        let linker = DuplicateLinker(lake: lake)
        let hashing = try linker.finder.startHashing()
        var hashed = 0
        var first: [UInt8]?
        try lake.export { if first == nil { first = $0 } }
        var record = try JSONValueReader.parse(try #require(first))
        try lake.inTransaction {
            try lake.database.execute("DELETE FROM records WHERE rowid > 390")
            record = record.setting("id", .string(String(format: "d%031x", 1)))
                .setting("data", try #require(record["data"]).setting("full_text", .string("a new text made while the others were read")))
            try lake.recordInserter(jobID: "j2").insert(try RecordRow(line: CanonicalJSON.encode(record)))
            #expect(try lake.lastRecordRowid() == 391)
            hashed = try hashing.finish(linker.finder, merged: 10)
        }
        hashing.cancel()
        #expect(hashed == 400)
        #expect(try lake.textsHashedThrough() == 390)
        var n = -1
        try lake.inTransaction { n = try NearDuplicateFinder(lake: lake).hashNewRecords() }
        #expect(n == 1)
        let rows = try Self.rows(lake)
        #expect(!rows.contains { $0.hasPrefix("no record") })
        try lake.database.execute("DELETE FROM record_texts; DELETE FROM text_signatures; \(Lake.forgetTextMarkSQL)")
        try lake.inTransaction { n = try NearDuplicateFinder(lake: lake).hashNewRecords() }
        #expect(n == 391)
        #expect(try Self.rows(lake) == rows)
    }

    /// A claim is the first of its value in its slot: a value claimed again is refused, 0 (the
    /// empty slot) never is, and a value pushed out of its slot by another is claimed anew.
    @Test func aTextIsClaimedOnceWhileItHoldsItsSlot() {
        let claims = TextClaims()
        #expect(claims.claim(5) && !claims.claim(5) && !claims.claim(5))
        #expect(claims.claim(0) && claims.claim(0))
        let other = 5 + UInt64(TextClaims.slots)
        #expect(claims.claim(other) && !claims.claim(other))
        #expect(claims.claim(5) && !claims.claim(5))
    }

    /// Of the records of one text in a run (the lake's 100 texts of `c.zip` repeat texts of
    /// `b.zip`), exactly one gives its keys and measure, the same as every record of that text
    /// gives without claims; and the rows written are those of a run without claims.
    @Test func aRepeatedTextIsSignedOnceAndTheRowsAreTheSame() throws {
        let base = TestPaths.scratch("text-hashing-claims")
        defer { TestPaths.remove(base) }
        let claimed = try Self.lake(base + "/a"), unclaimed = try Self.lake(base + "/b")
        let records = try claimed.unhashedTextRecords(kinds: NearDuplicateText.kinds, after: Lake.TextCursor(), limit: 1000).records
        #expect(records.count == 400)
        let claims = TextClaims()
        var signed: [UInt64: Int] = [:]
        for r in records {
            let plain = try NearDuplicateFinder.hashed(r), once = try NearDuplicateFinder.hashed(r, claims: claims)
            let hash = try #require(plain.hash)
            #expect(once.hash == hash && plain.bands != nil && plain.measure != nil)
            guard let bands = once.bands else {
                #expect(once.measure == nil && signed[hash] != nil)
                continue
            }
            signed[hash, default: 0] += 1
            #expect(bands == plain.bands && once.measure?.size == plain.measure?.size)
            #expect(once.measure?.fingerprint == plain.measure?.fingerprint)
        }
        #expect(signed.count == 300 && signed.values.allSatisfy { $0 == 1 })

        for (lake, claims) in [(claimed, TextClaims()), (unclaimed, nil)] {
            let writer = try lake.recordTextWriter()
            #expect(try NearDuplicateFinder.hash(from: lake, into: writer, claims: claims, stop: {}) == 400)
            try lake.inTransaction { try writer.finish() }
        }
        let rows = try Self.rows(unclaimed)
        #expect(rows.count == 400 + 300 + 1)
        #expect(try Self.rows(claimed) == rows)
    }
}
