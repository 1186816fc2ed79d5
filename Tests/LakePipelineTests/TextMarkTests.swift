import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// The text mark (`Lake.textsHashedThrough`): a job looks for unhashed text records above it
/// only, and no deletion or `VACUUM` can leave a new record below it unhashed.
@Suite struct TextMarkTests {
    /// Tweets `ids` (distinct texts) added to the lake in one transaction.
    static func add(_ lake: Lake, _ ids: ClosedRange<Int>) throws {
        let golden = try String(contentsOfFile: TestPaths.golden + "/twitter-small/export.ndjson", encoding: .utf8)
        let line = try #require(golden.split(separator: "\n").first { $0.contains(#""record_kind":"tweet""#) })
        let tweet = try JSONValueReader.parse(Array(line.utf8))
        try lake.inTransaction {
            let inserter = try lake.recordInserter(jobID: "j1")
            for i in ids {
                let text = "tweet number \(i) says something long enough to be compared"
                let record = tweet.setting("data", try #require(tweet["data"]).setting("full_text", .string(text)))
                    .setting("id", .string(String(format: "%032x", i)))
                    .setting("source", try #require(tweet["source"]).setting("index", .number(String(i))))
                try inserter.insert(try RecordRow(line: CanonicalJSON.encode(record)))
            }
        }
    }

    static func hash(_ lake: Lake) throws -> Int {
        var n = 0
        try lake.inTransaction { n = try NearDuplicateFinder(lake: lake).hashNewRecords() }
        return n
    }

    @Test func newRecordsAreHashedWhateverWasDeletedBefore() throws {
        let dir = TestPaths.scratch("text-mark")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        try Self.add(lake, 1...40)
        #expect(try lake.textsHashedThrough() == 0)
        #expect(try Self.hash(lake) == 40)
        #expect(try lake.textsHashedThrough() == 40 && lake.lastRecordRowid() == 40)
        // Only what is above the mark is looked at: a row taken away below it is not found again.
        try lake.database.execute("DELETE FROM record_texts WHERE record_id = (SELECT id FROM records WHERE rowid = 7)")
        try Self.add(lake, 41...50)
        #expect(try Self.hash(lake) == 10)
        // The newest records deleted: the next ones take their rowids, below the old mark.
        try lake.database.execute("DELETE FROM records WHERE rowid > 30")
        #expect(try lake.textsHashedThrough() == 30)
        try Self.add(lake, 51...60)
        #expect(try lake.lastRecordRowid() == 40)
        #expect(try Self.hash(lake) == 10)
        // A record deleted in the middle leaves the mark where it is.
        try lake.database.execute("DELETE FROM records WHERE rowid = 12")
        #expect(try lake.textsHashedThrough() == 40)
        // `VACUUM` may number rows anew: the mark goes, and every text record is looked at.
        try lake.compact()
        #expect(try lake.textsHashedThrough() == 0)
        #expect(try Self.hash(lake) == 1)  // the one taken away above, found again
    }
}
