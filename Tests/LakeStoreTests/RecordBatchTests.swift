import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// Rows inserted by multi-row statements (`Lake.RecordInserter.insertBatch`) make the same
/// table, rowid for rowid and byte for byte, as rows inserted one at a time: for batches around
/// the statement size, with ids repeated inside one statement, with `records_id` waiting in a
/// first load and built half way through a batch; a batch that does not insert what it
/// announced fails.
@Suite struct RecordBatchTests {
    /// Every column of every row, in rowid order.
    static func table(_ lake: Lake) throws -> [String] {
        var out: [String] = []
        try lake.database.prepare(
            """
            SELECT rowid, quote(id), source, idx, kind, owner, quote(occurred_at), quote(content_hash), data, quote(language),
              quote(entities), quote(pii), quote(relationships), quote(source_offset), checksum, quote(line) FROM records ORDER BY rowid
            """
        ).forEachRow { r in out.append((0..<16).map { r.text($0) ?? "NULL" }.joined(separator: "|")) }
        return out
    }

    /// `rows` stored in one transaction, by one inserter, in batches of `batch` rows (nil: one
    /// at a time).
    static func store(_ rows: [RecordRow], in lake: Lake, batch: Int?) throws {
        try lake.inTransaction {
            let inserter = try lake.recordInserter(jobID: "j")
            guard let batch else { return try rows.forEach(inserter.insert) }
            try inserter.insert(rows.map(Lake.HeldRow.init), batch: batch)
        }
    }

    @Test(arguments: [1, 2, 31, 32, 33, 65, 512])
    func batchesMakeTheTableRowsOneAtATimeMake(batch: Int) throws {
        let dir = TestPaths.scratch("record-batch-\(batch)")
        defer { TestPaths.remove(dir) }
        let twitter = try FirstLoadTests.rows("twitter-small/export.ndjson")
        let takeout = try FirstLoadTests.rows("generated/google-takeout-seed1-64KB.ndjson")
        // Ids seen again, inside one statement and across statements: each is ignored.
        let rows = twitter + Array(twitter.prefix(3)) + takeout + Array(takeout.suffix(40)) + Array(twitter.suffix(2))
        let single = try Lake(directory: dir + "/single", create: true)
        try Self.store(rows, in: single, batch: nil)
        let batched = try Lake(directory: dir + "/batched", create: true)
        try Self.store(rows, in: batched, batch: batch)
        let expected = try Self.table(single)
        #expect(expected.count == twitter.count + takeout.count)
        #expect(try Self.table(batched) == expected)
        #expect(try FirstLoadTests.exported(batched) == FirstLoadTests.exported(single))
    }

    /// In a first load, a second inserter given the same file builds `records_id` at its first
    /// row, half way through its batch: the rows bound before it and after it are stored once.
    @Test func aFirstLoadBuildsTheIDIndexInsideABatch() throws {
        let dir = TestPaths.scratch("record-batch-first-load")
        defer { TestPaths.remove(dir) }
        let rows = try FirstLoadTests.rows("twitter-small/export.ndjson")
        let takeout = try FirstLoadTests.rows("generated/google-takeout-seed1-64KB.ndjson")
        let lake = try FirstLoadTests.firstLoad(dir + "/lake")
        try lake.inTransaction {
            let first = try lake.recordInserter(jobID: "j")
            try first.insertBatch(count: rows.count) { for r in rows { try first.insert(r) } }
            #expect(try !FirstLoadTests.hasIDIndex(lake))
            let second = try lake.recordInserter(jobID: "j")
            let mixed = Array(takeout.prefix(20)) + rows + Array(takeout.dropFirst(20))
            try second.insertBatch(count: mixed.count) { for r in mixed { try second.insert(r) } }
            #expect(try FirstLoadTests.hasIDIndex(lake))
        }
        #expect(try lake.recordCount() == rows.count + takeout.count)
        _ = try lake.buildRecordIndexes()
        let reference = try Lake(directory: dir + "/reference", create: true)
        try Self.store(rows + takeout, in: reference, batch: nil)
        #expect(Set(try FirstLoadTests.exported(lake)) == Set(try FirstLoadTests.exported(reference)))
    }

    @Test func aBatchInsertsWhatItAnnounced() throws {
        let dir = TestPaths.scratch("record-batch-count")
        defer { TestPaths.remove(dir) }
        let rows = Array(try FirstLoadTests.rows("twitter-small/export.ndjson").prefix(40))
        let lake = try Lake(directory: dir, create: true)
        try lake.inTransaction {
            let inserter = try lake.recordInserter(jobID: "j")
            #expect(throws: LakeError.self) {
                try inserter.insertBatch(count: rows.count + 1) { for r in rows { try inserter.insert(r) } }
            }
            #expect(throws: LakeError.self) {
                try inserter.insertBatch(count: rows.count - 1) { for r in rows { try inserter.insert(r) } }
            }
        }
    }

    /// Inserters hand their statements on (`StatementPool`). Two open at once each bind their
    /// own: one's batch is half bound when the other binds and runs a whole batch. The
    /// inserters after them take the statements given back. The lake holds what inserting the
    /// same rows one at a time gives.
    @Test func insertersOpenAtOnceOrOneAfterAnotherShareNoStatement() throws {
        let dir = TestPaths.scratch("record-batch-pool")
        defer { TestPaths.remove(dir) }
        let twitter = try FirstLoadTests.rows("twitter-small/export.ndjson")
        let takeout = try FirstLoadTests.rows("generated/google-takeout-seed1-64KB.ndjson")
        let (early, late) = (Array(takeout.prefix(70)), Array(takeout.dropFirst(70)))
        let single = try Lake(directory: dir + "/single", create: true)
        try Self.store(twitter + takeout, in: single, batch: nil)
        let pooled = try Lake(directory: dir + "/pooled", create: true)
        func alone(_ part: [RecordRow]) throws {
            try pooled.inTransaction {
                let inserter = try pooled.recordInserter(jobID: "j")
                try inserter.insertBatch(count: part.count) { for r in part { try inserter.insert(r) } }
            }
        }
        // The pool holds statements of 1, 32 and 8 rows when the two inserters open.
        try alone(Array(late.prefix(40)))
        #expect(pooled.insertStatements.idleCount == 3)
        // Both bind statements of 32 rows: the first has 10 rows bound in the pool's one when the
        // second binds and runs its statements of 32 and 8 rows.
        let (second, rest) = (Array(late.dropFirst(40).prefix(40)), Array(late.dropFirst(80)) + twitter)
        try pooled.inTransaction {
            let first = try pooled.recordInserter(jobID: "j")
            try first.insertBatch(count: early.count) {
                for r in early.prefix(10) { try first.insert(r) }
                let other = try pooled.recordInserter(jobID: "j")
                try other.insertBatch(count: second.count) { for r in second { try other.insert(r) } }
                for r in early.dropFirst(10) { try first.insert(r) }
            }
        }
        let given = pooled.insertStatements.idleCount
        try alone(rest)
        // What the last inserter took came back, with no more made than it needed.
        #expect(pooled.insertStatements.idleCount <= given + 2)
        #expect(try FirstLoadTests.exported(pooled) == FirstLoadTests.exported(single))
        #expect(try Self.table(pooled).count == Self.table(single).count)
    }
}
