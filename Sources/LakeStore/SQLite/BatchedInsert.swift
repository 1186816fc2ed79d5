/// Rows inserted `rowsPerStatement` at a time by one statement of that many rows (`INSERT …
/// VALUES (?, ?), (?, ?), …`), the last few one by one: SQLite runs one statement per batch
/// instead of one per row, and its steps, resets and the caller's calls across the C boundary
/// are shared out. The rows go in in the order they were added, so `OR REPLACE` and `OR IGNORE`
/// decide as they would row by row.
///
/// ```swift
/// var insert = try BatchedInsert<(Int64, Int64)>(db, "INSERT INTO t(a, b)", columns: 2) { row, base, s in
///     try s.bind(base + 1, integer: row.0)
///     try s.bind(base + 2, integer: row.1)
/// }
/// for row in rows { try insert.add(row) }
/// try insert.finish()
/// ```
struct BatchedInsert<Row> {
    static var rowsPerStatement: Int { 64 }

    private let many: SQLiteStatement
    private let one: SQLiteStatement
    private let columns: Int32
    /// Binds a row's values after the first `base` parameters of a statement.
    private let bind: (Row, Int32, SQLiteStatement) throws -> Void
    private var pending: [Row] = []

    /// `head`: the statement up to `VALUES` (`INSERT OR REPLACE INTO t(a, b)`); each row has
    /// `columns` parameters.
    init(_ db: SQLiteDatabase, _ head: String, columns: Int, bind: @escaping (Row, Int32, SQLiteStatement) throws -> Void) throws {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        many = try db.prepare(head + " VALUES " + Array(repeating: row, count: Self.rowsPerStatement).joined(separator: ", "))
        one = try db.prepare(head + " VALUES " + row)
        self.columns = Int32(columns)
        self.bind = bind
        pending.reserveCapacity(Self.rowsPerStatement)
    }

    /// Adds a row; a full batch is inserted.
    mutating func add(_ row: Row) throws {
        pending.append(row)
        guard pending.count == Self.rowsPerStatement else { return }
        for (k, r) in pending.enumerated() { try bind(r, Int32(k) * columns, many) }
        pending.removeAll(keepingCapacity: true)
        try many.execute()
    }

    /// Inserts the rows that wait, one by one.
    mutating func finish() throws {
        defer { pending.removeAll(keepingCapacity: true) }
        for r in pending {
            try bind(r, 0, one)
            try one.execute()
        }
    }
}
