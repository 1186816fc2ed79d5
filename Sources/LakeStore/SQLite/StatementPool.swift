import Foundation

/// Compiled statements that keep their bound bytes, lent to one user at a time and kept for the
/// next: the record inserter's single-row and multi-row `INSERT`s, which an ingest compiled
/// again for every file (a statement of 32 rows binds 512 parameters; compiling the statements
/// of a file of a few records cost more than inserting them). Two inserters open at once each
/// take their own. Thread-safe: inserters are made on one thread and released on another.
final class StatementPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [String: [SQLiteStatement]] = [:]

    /// A statement of `sql` no one else holds: an idle one, reset, or a new one compiled on
    /// `database`, keeping its bound bytes (`SQLiteStatement.keepBoundBytes`).
    func take(_ sql: String, from database: SQLiteDatabase) throws -> SQLiteStatement {
        lock.lock()
        let statement = idle[sql]?.popLast()
        lock.unlock()
        if let statement {
            statement.reset()
            return statement
        }
        let made = try database.prepare(sql)
        made.keepBoundBytes()
        return made
    }

    /// Gives statements back, reset, for the next `take` of their SQL.
    func give(_ statements: [SQLiteStatement]) {
        for s in statements { s.reset() }
        lock.lock()
        defer { lock.unlock() }
        for s in statements { idle[s.sql, default: []].append(s) }
    }

    /// How many statements wait in the pool.
    var idleCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return idle.values.reduce(0) { $0 + $1.count }
    }
}
