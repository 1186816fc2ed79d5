import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// A load stores its rows without `records_id` (`Lake+BulkIndexes`; schema 37): a file read a
/// second time, or one the lake held rows of when the load began, builds it at once, different
/// files never do, the load's end drops it, and rows sharing an id all the same are repaired
/// when it is built.
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
        // The content-hash index is built, the id index dropped.
        #expect(try lake.buildRecordIndexes() == Lake.deferredRecordIndexes.count)
        #expect(try !Self.hasIDIndex(lake))
        #expect(try Self.exported(lake) == Self.reference(dir + "/reference", rows))
    }

    @Test func differentFilesNeverBuildTheIDIndex() throws {
        let dir = TestPaths.scratch("first-load-files")
        defer { TestPaths.remove(dir) }
        let twitter = try Self.rows("twitter-small/export.ndjson")
        let takeout = try Self.rows("generated/google-takeout-seed1-64KB.ndjson")
        let lake = try Self.firstLoad(dir + "/lake")
        for rows in [twitter, takeout] { try Self.load(lake, rows) }
        #expect(try !Self.hasIDIndex(lake))
        #expect(try lake.recordCount() == twitter.count + takeout.count)
        #expect(try lake.buildRecordIndexes() == Lake.deferredRecordIndexes.count)
        #expect(try !Self.hasIDIndex(lake))
        #expect(try Self.exported(lake) == Self.reference(dir + "/reference", twitter + takeout))
        // The next load finds the lake's files claimed: one of them again builds the index,
        // which skips its known ids.
        try Self.load(lake, twitter)
        #expect(try Self.hasIDIndex(lake))
        #expect(try lake.recordCount() == twitter.count + takeout.count)
        #expect(try lake.buildRecordIndexes() == 0)
        #expect(try !Self.hasIDIndex(lake))
    }

    /// A lake opened again (a new job) claims the files it holds rows of: a new file adds its
    /// rows without the id index, a file it holds adds nothing.
    @Test func aNewLoadBuildsTheIDIndexOnlyForAFileTheLakeHolds() throws {
        let dir = TestPaths.scratch("load-known-files")
        defer { TestPaths.remove(dir) }
        let twitter = try Self.rows("twitter-small/export.ndjson")
        let takeout = try Self.rows("generated/google-takeout-seed1-64KB.ndjson")
        try Self.load(try Self.firstLoad(dir + "/lake"), twitter)
        let lake = try Lake(directory: dir + "/lake", create: false)
        try lake.buildRecordIndexes()
        try Self.load(lake, takeout)
        #expect(try !Self.hasIDIndex(lake))
        #expect(try lake.recordCount() == twitter.count + takeout.count)
        let again = try Lake(directory: dir + "/lake", create: false)
        try Self.load(again, Array(twitter.reversed()))
        #expect(try Self.hasIDIndex(again))
        #expect(try again.recordCount() == twitter.count + takeout.count)
        try again.buildRecordIndexes()
        #expect(try Self.exported(again) == Self.reference(dir + "/reference", twitter + takeout))
    }

    @Test func rowsSharingAnIdWhenTheIndexIsBuiltKeepTheFirstStored() throws {
        let dir = TestPaths.scratch("first-load-repair")
        defer { TestPaths.remove(dir) }
        let rows = try Self.rows("twitter-small/export.ndjson")
        let lake = try Self.firstLoad(dir + "/lake")
        // Each file's rows and then copies of them with later indexes but the same ids (no
        // path of datapunk makes those): one inserter stores both...
        var twice: [RecordRow] = []
        var paths: [String] = []
        for r in rows where !paths.contains(r.source.path) { paths.append(r.source.path) }
        for path in paths {
            let file = rows.filter { $0.source.path == path }
            twice +=
                file
                + file.map { r in
                    var copy = r
                    copy.columns.index += 1_000_000
                    return copy
                }
        }
        try Self.load(lake, twice)
        #expect(try !Self.hasIDIndex(lake))
        #expect(try lake.recordCount() == 2 * rows.count)
        // ...and the index the file's next reading builds keeps the first of each.
        try Self.load(lake, rows)
        #expect(try Self.hasIDIndex(lake))
        #expect(try lake.recordCount() == rows.count)
        var copies: Int64 = -1
        try lake.database.prepare("SELECT count(*) FROM records WHERE idx >= 1000000").forEachRow { copies = $0.int(0) }
        #expect(copies == 0)
        #expect(try Self.exported(lake) == Self.reference(dir + "/reference", rows))
    }
}
