import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

@Suite struct SQLiteDatabaseTests {
    /// `body` with a new database in a scratch folder holding the table `schema` creates.
    static func scratchTable(_ schema: String, _ body: (SQLiteDatabase) throws -> Void) throws {
        let dir = TestPaths.scratch("sqlite")
        defer { TestPaths.remove(dir) }
        let db = try SQLiteDatabase(path: dir + "/a.sqlite")
        try db.execute(schema)
        try body(db)
    }

    @Test func roundTripsEveryType() throws {
        let dir = TestPaths.scratch("sqlite")
        defer { TestPaths.remove(dir) }
        do {
            let db = try SQLiteDatabase(path: dir + "/a.sqlite")
            try db.execute("CREATE TABLE t(a, b, c, d, e)")
            try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)").run([
                .null, .integer(-9_223_372_036_854_775_808), .real(1.5), .text("é\u{0}x"), .blob([0, 255, 1]),
            ])
        }
        // Reopen: the data is in the file, not only in memory.
        let db = try SQLiteDatabase(path: dir + "/a.sqlite")
        var row: [SQLiteValue] = []
        try db.prepare("SELECT a, b, c, d, e FROM t").forEachRow { s in row = (0..<5).map { s.value($0) } }
        #expect(row == [.null, .integer(-9_223_372_036_854_775_808), .real(1.5), .text("é\u{0}x"), .blob([0, 255, 1])])
    }

    /// A cached statement is compiled once per connection, runs again with other values, is
    /// recompiled by SQLite after a schema change, and keeps no connection alive: the
    /// connection closes when the last reference to it goes, its WAL checkpointed and removed.
    @Test func cachedStatementsAreCompiledOnceAndCloseWithTheConnection() throws {
        let dir = TestPaths.scratch("sqlite-cached")
        defer { TestPaths.remove(dir) }
        weak var closed: SQLiteDatabase?
        do {
            let db = try SQLiteDatabase(path: dir + "/a.sqlite")
            closed = db
            try db.execute("PRAGMA journal_mode=WAL; CREATE TABLE t(a INTEGER)")
            let insert = "INSERT INTO t(a) VALUES (?)"
            #expect(try db.cached(insert).handle == db.cached(insert).handle)
            for v in 1...3 {
                try db.inTransaction {
                    try db.cached(insert).run([.integer(Int64(v))])
                    return .commit
                }
            }
            try db.execute("ALTER TABLE t ADD COLUMN b DEFAULT 7")
            try db.cached(insert).run([.integer(4)])
            var rows: [[Int64]] = []
            try db.cached("SELECT a, b FROM t ORDER BY a").forEachRow { rows.append([$0.int(0), $0.int(1)]) }
            #expect(rows == [[1, 7], [2, 7], [3, 7], [4, 7]])
            #expect(FileManager.default.fileExists(atPath: dir + "/a.sqlite-wal"))
        }
        #expect(closed == nil)
        // The last connection closed cleanly: SQLite checkpointed the WAL and removed it.
        #expect(!FileManager.default.fileExists(atPath: dir + "/a.sqlite-wal"))
    }

    /// `bind(_:text:)` stores a string's UTF-8 as TEXT (inline and heap strings, NUL and
    /// non-ASCII included) and nil as NULL, as binding its bytes does.
    @Test func stringsBindAsTheirBytes() throws {
        try Self.scratchTable("CREATE TABLE t(n INTEGER, a, b)") { db in
            let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?)")
            let texts: [String?] = [nil, "", "+00:00", "é\u{0}x", String(repeating: "caf\u{E9} ", count: 40), "e\u{301}😀"]
            for (n, text) in texts.enumerated() {
                insert.reset()
                try insert.bind(1, integer: Int64(n))
                try insert.bind(2, text: text)
                try insert.bind(3, utf8: text.map { Array($0.utf8) })
                try insert.execute()
            }
            var rows: [(SQLiteValue, SQLiteValue)] = []
            try db.prepare("SELECT a, b FROM t ORDER BY n").forEachRow { rows.append(($0.value(0), $0.value(1))) }
            #expect(rows.map(\.0) == texts.map { $0.map { .text($0) } ?? .null })
            #expect(rows.map(\.0) == rows.map(\.1))
        }
    }

    @Test func transactionRollsBackOnThrowAndOnRequest() throws {
        try Self.scratchTable("CREATE TABLE t(x INTEGER UNIQUE)") { db in
            struct Boom: Error {}
            let insert = try db.prepare("INSERT INTO t VALUES (?)")
            #expect(throws: Boom.self) {
                try db.inTransaction {
                    for i in 0..<100 { try insert.run([.integer(Int64(i))]) }
                    throw Boom()
                }
            }
            try db.inTransaction {
                try insert.run([.integer(1)])
                return .rollback
            }
            // A constraint failure halfway through rolls back the first half too.
            #expect(throws: SQLiteError.self) {
                try db.inTransaction {
                    try insert.run([.integer(7)])
                    try insert.run([.integer(7)])
                    return .commit
                }
            }
            var n: Int64 = -1
            try db.prepare("SELECT count(*) FROM t").forEachRow { n = $0.int(0) }
            #expect(n == 0)
        }
    }

    @Test func errorsCarryCodeAndSQLButNotArguments() throws {
        try Self.scratchTable("CREATE TABLE t(x UNIQUE)") { db in
            let s = try db.prepare("INSERT INTO t VALUES (?)")
            try s.run([.text("secret@example.org")])
            do {
                try s.run([.text("secret@example.org")])
                Issue.record("no error")
            } catch let e as SQLiteError {
                #expect(e.code.primary == .constraint)
                #expect(e.description.contains("INSERT INTO t"))
                #expect(!e.description.contains("secret@example.org"))
            }
        }
    }
}

@Suite struct LakeTests {
    @Test func exportOrdersByInputPathAndIndexBytes() throws {
        let dir = TestPaths.scratch("lake")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        func rec(_ input: String, _ path: String, _ index: Int) -> LakeRecord {
            LakeRecord(
                id: "\(input)|\(path)|\(index)", source: .init(input: input, inputSHA256: "s", path: path, index: index), exportKind: "x",
                recordKind: "y", occurredAt: nil, sourceOffset: nil, user: "u", partition: "undated", shards: [0, 1], category: "c",
                language: nil, languageMethod: nil, data: .object([]), pii: [], entities: [], lineage: [], contentHash: "h")
        }
        try lake.database.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in [
                rec("b.zip", "a", 0), rec("a.zip", "data/tweets.js", 10), rec("a.zip", "data/tweets.js", 2),
                rec("a.zip", "data/tweets-part1.js", 0), rec("a.zip", "Z", 0),
            ] {
                try ins.insert(r)
            }
            return .commit
        }
        var ids: [String] = []
        try lake.export { line in
            let text = String(decoding: line, as: UTF8.self)
            let after = text.components(separatedBy: "\"id\":\"")[1]
            ids.append(String(after.prefix(while: { $0 != "\"" })))
        }
        #expect(ids == ["a.zip|Z|0", "a.zip|data/tweets-part1.js|0", "a.zip|data/tweets.js|2", "a.zip|data/tweets.js|10", "b.zip|a|0"])
    }

    @Test func openingAMissingLakeWithoutCreateIsAUsageError() {
        do {
            _ = try Lake(directory: "/nonexistent/lake", create: false)
            Issue.record("opened")
        } catch let e as LakeError {
            #expect(e.rule == .lakeMissing)
            #expect(e.scope == .usage)
        } catch { Issue.record("\(error)") }
    }
}

@Suite struct LakeHistoryTests {
    @Test func finishedJobsOlderThanThirtyDaysAreForgottenRecordsStay() throws {
        let dir = TestPaths.scratch("history")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        for (job, state) in [
            ("old-done", JobState.completed), ("old-failed", .failed), ("old-running", .running), ("new-done", .completed),
        ] {
            try lake.startJob(job, inputs: .array([]), configuration: .object([]))
            if state != .running { try lake.finishJob(job, state: state, message: nil) }
            try lake.insertError(jobID: job, LakeError(.init("twitter.record"), scope: .entry, message: "x"))
        }
        try lake.database.execute("UPDATE jobs SET updated_at = '2020-01-01T00:00:00.000Z' WHERE job_id LIKE 'old-%'")
        try lake.inTransaction { try lake.recordInserter(jobID: "old-done").insert(RecordRow(line: Array(#"{"id":"r1"}"#.utf8))) }
        #expect(try lake.pruneHistory(olderThanDays: 30) == 2)
        #expect(try lake.jobs().map(\.jobID).sorted() == ["new-done", "old-running"])
        #expect(try lake.errors(jobID: "old-done").isEmpty && lake.errors(jobID: "new-done").count == 1)
        #expect(try lake.recordCount() == 1)
        // Finished 29 days before "now" it stays; 31 days before, it goes.
        try lake.startJob("mid-done", inputs: .array([]), configuration: .object([]))
        try lake.finishJob("mid-done", state: .completed, message: nil)
        try lake.database.execute("UPDATE jobs SET updated_at = '2020-01-01T00:00:00.000Z' WHERE job_id = 'mid-done'")
        let jan1 = 1_577_836_800.0
        #expect(try lake.pruneHistory(olderThanDays: 30, now: Date(timeIntervalSince1970: jan1 + 29 * 86_400)) == 0)
        #expect(try lake.pruneHistory(olderThanDays: 30, now: Date(timeIntervalSince1970: jan1 + 31 * 86_400)) == 1)
    }

    /// The catalog's times (jobs, chunks, audit, quarantine) are written as Foundation's
    /// ISO-8601 formatter with fractional seconds wrote them before `Lake.time` replaced it.
    @Test func timesAreWrittenAsTheISOFormatterWroteThem() throws {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var random = SplitMix64(seed: 31)
        // Whole milliseconds from 1970 to 2100, and the ends of days, years and a leap day.
        var instants = (0..<2_000).map { _ in Double(random.next() % 4_102_444_800_000) / 1000 }
        // And whole microseconds, as `Date()` gives them.
        instants += (0..<2_000).map { _ in Double(random.next() % 4_102_444_800_000_000) / 1_000_000 }
        instants += [0, 951_782_399.999, 951_782_400, 1_704_067_199.999, 4_102_444_799.999]
        for t in instants {
            let date = Date(timeIntervalSince1970: t)
            #expect(Lake.time(date) == f.string(from: date), "\(t)")
        }
        #expect(Lake.now().count == 24 && Lake.now().hasSuffix("Z"))
    }
}

/// A write transaction that finds the lake locked by another connection is tried again.
@Suite struct LakeBusyRetryTests {
    /// A lake with a 1 ms busy timeout and retries without pauses, and a second connection
    /// holding the write lock.
    static func lockedLake(_ dir: String) throws -> (Lake, SQLiteDatabase) {
        let lake = try Lake(directory: dir, create: true)
        lake.database.setBusyTimeout(millis: 1)
        lake.retry = Backoff(retries: 3, baseDelay: 0)
        let other = try SQLiteDatabase(path: lake.catalogPath)
        try other.execute("BEGIN IMMEDIATE")
        return (lake, other)
    }

    @Test func beginIsRetriedUntilTheOtherWriterLetsGo() throws {
        let dir = TestPaths.scratch("busy")
        defer { TestPaths.remove(dir) }
        let (lake, other) = try Self.lockedLake(dir)
        var retries: [Int] = []
        // The other writer commits when the lake reports its second retry.
        lake.onRetry = { attempt, error in
            retries.append(attempt)
            #expect((error as? SQLiteError)?.isTransient == true)
            if attempt == 2 { try? other.execute("COMMIT") }
        }
        try lake.begin()
        try lake.commit()
        #expect(retries == [1, 2])
    }

    @Test func aLockHeldForGoodFailsAfterThreeRetries() throws {
        let dir = TestPaths.scratch("busy-forever")
        defer { TestPaths.remove(dir) }
        let (lake, other) = try Self.lockedLake(dir)
        defer { try? other.execute("ROLLBACK") }
        var attempts = 0
        lake.onRetry = { attempt, _ in attempts = attempt }
        #expect(throws: LakeError.self) { try lake.begin() }
        #expect(attempts == 3)
    }
}
