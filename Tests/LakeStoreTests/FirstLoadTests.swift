import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// A first load stores its rows without `records_id` (`Lake+BulkIndexes`): a file read a second
/// time builds it at once, different files keep it waiting, and rows sharing an id all the same
/// are repaired when it is built.
@Suite struct FirstLoadTests {
    /// The rows of a golden export, in its order.
    static func rows(_ golden: String) throws -> [RecordRow] {
        let text = try String(contentsOfFile: TestPaths.golden + "/" + golden, encoding: .utf8)
        return try text.split(separator: "\n").map { try RecordRow(line: Array($0.utf8)) }
    }

    static func hasIDIndex(_ lake: Lake) throws -> Bool { try LakeSchemaTests.recordIndexes(lake)["records_id"] != nil }

    static func exported(_ lake: Lake) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        return lines
    }

    /// An empty lake at `dir` whose first load has begun.
    static func firstLoad(_ dir: String) throws -> Lake {
        let lake = try Lake(directory: dir, create: true)
        #expect(try lake.deferRecordIndexesIfEmpty())
        #expect(try !hasIDIndex(lake))
        return lake
    }

    /// `rows` stored by one inserter (one entry), in one transaction.
    static func load(_ lake: Lake, _ rows: [RecordRow]) throws {
        try lake.inTransaction {
            let inserter = try lake.recordInserter(jobID: "j")
            for r in rows { try inserter.insert(r) }
        }
    }

    /// The export of `rows` stored once each, with every index in place all along.
    static func reference(_ dir: String, _ rows: [RecordRow]) throws -> [[UInt8]] {
        let lake = try Lake(directory: dir, create: true)
        try load(lake, rows)
        return try exported(lake)
    }

    @Test func aFileReadASecondTimeBuildsTheIDIndexAndAddsNothing() throws {
        let dir = TestPaths.scratch("first-load-twice")
        defer { TestPaths.remove(dir) }
        let rows = try Self.rows("twitter-small/export.ndjson")
        let lake = try Self.firstLoad(dir + "/lake")
        try lake.inTransaction {
            let first = try lake.recordInserter(jobID: "j")
            for r in rows { try first.insert(r) }
            #expect(try !Self.hasIDIndex(lake))
            // The same file through another inserter (another entry): its first row builds the index.
            let second = try lake.recordInserter(jobID: "j")
            for r in rows { try second.insert(r) }
            #expect(try Self.hasIDIndex(lake))
        }
        #expect(try lake.recordCount() == rows.count)
        // Only the content-hash index was left to build.
        #expect(try lake.buildRecordIndexes() == Lake.deferredRecordIndexes.count - 1)
        #expect(try Self.exported(lake) == Self.reference(dir + "/reference", rows))
    }

    @Test func differentFilesKeepTheIDIndexWaitingUntilTheLoadEnds() throws {
        let dir = TestPaths.scratch("first-load-files")
        defer { TestPaths.remove(dir) }
        let twitter = try Self.rows("twitter-small/export.ndjson")
        let takeout = try Self.rows("generated/google-takeout-seed1-64KB.ndjson")
        let lake = try Self.firstLoad(dir + "/lake")
        for rows in [twitter, takeout] { try Self.load(lake, rows) }
        #expect(try !Self.hasIDIndex(lake))
        #expect(try lake.recordCount() == twitter.count + takeout.count)
        #expect(try lake.buildRecordIndexes() == Lake.deferredRecordIndexes.count)
        #expect(try Self.hasIDIndex(lake))
        #expect(try Self.exported(lake) == Self.reference(dir + "/reference", twitter + takeout))
        // Built, the index skips a known id again, whichever inserter brings it.
        try Self.load(lake, twitter)
        #expect(try lake.recordCount() == twitter.count + takeout.count)
    }

    @Test func rowsSharingAnIdWhenTheIndexIsBuiltKeepTheFirstStored() throws {
        let dir = TestPaths.scratch("first-load-repair")
        defer { TestPaths.remove(dir) }
        let rows = try Self.rows("twitter-small/export.ndjson")
        let lake = try Self.firstLoad(dir + "/lake")
        // One inserter given a file twice (no path of datapunk does): both copies are stored...
        try Self.load(lake, rows + rows)
        #expect(try lake.recordCount() == 2 * rows.count)
        // ...and the index build keeps the first of each, so the lake opens for every writer.
        #expect(try lake.buildRecordIndexes() == Lake.deferredRecordIndexes.count)
        #expect(try Self.hasIDIndex(lake))
        #expect(try lake.recordCount() == rows.count)
        var last: Int64 = 0
        try lake.database.prepare("SELECT max(rowid) FROM records").forEachRow { last = $0.int(0) }
        #expect(last == Int64(rows.count))
        #expect(try Self.exported(lake) == Self.reference(dir + "/reference", rows))
    }
}
