import LakeCore

/// A value bound to or read from a statement.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// What a transaction body asks for.
public enum TransactionCompletion: Sendable { case commit, rollback }

/// One SQLite connection. Not thread-safe: use one per thread.
///
/// ```swift
/// let db = try SQLiteDatabase(path: "lake/catalog.sqlite")
/// try db.inTransaction {
///     try db.prepare("INSERT INTO t(x) VALUES (?)").run([.integer(1)])
///     return .commit
/// }
/// ```
/// See https://www.sqlite.org/c3ref/open.html
public final class SQLiteDatabase {
    /// The `sqlite3 *` this object owns and closes.
    public typealias Handle = OpaquePointer
    let handle: Handle
    public let path: String

    /// Opens (creating if needed) the database at `path`, with a 5 s busy timeout.
    /// - Throws: `SQLiteError`.
    /// With `readOnly`, opens an existing database that cannot be written (immutable: no
    /// journal or lock files are created).
    public init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let rc = readOnly ? c_sqlite3_open_readonly(path, &db) : c_sqlite3_open(path, &db)
        guard rc == c_SQLITE_OK, let db else {
            let message = db.map(c_sqlite3_errmsg) ?? "cannot open"
            if let db { c_sqlite3_close(db) }
            throw SQLiteError(code: .init(rawValue: rc), message: message, sql: nil)
        }
        handle = db
        self.path = path
        c_sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        for statement in cache.values { c_sqlite3_finalize(statement) }
        c_sqlite3_close(handle)
    }

    /// The statements `cached` compiled, by their SQL: finalized with the connection.
    private var cache: [String: OpaquePointer] = [:]

    /// The statement of `sql`, compiled the first time and kept with the connection, for the
    /// statements run once per file or chunk (thousands of times for a Takeout of many files;
    /// compiling each again was about 30,000 compilations for 3,381 files). Use it only through
    /// `run`, `forEachRow` or `execute`, which reset it before and after, and never for the SQL
    /// of a statement whose rows are being read (`forEachRow`'s body).
    public func cached(_ sql: String) throws -> SQLiteStatement {
        if let handle = cache[sql] { return SQLiteStatement(handle: handle, database: self, sql: sql, owned: false) }
        var stmt: OpaquePointer?
        let rc = c_sqlite3_prepare(handle, sql, &stmt)
        guard rc == c_SQLITE_OK, let stmt else { throw error(rc, sql: sql) }
        cache[sql] = stmt
        return SQLiteStatement(handle: stmt, database: self, sql: sql, owned: false)
    }

    /// How long a statement waits for another connection's lock before failing with
    /// `SQLITE_BUSY`. The corresponding C function is `sqlite3_busy_timeout`.
    public func setBusyTimeout(millis: Int) { c_sqlite3_busy_timeout(handle, Int32(millis)) }

    func error(_ rc: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: .init(rawValue: c_sqlite3_extended_errcode(handle)), message: c_sqlite3_errmsg(handle), sql: sql)
    }

    /// Runs one or more statements with no arguments. The corresponding C function is `sqlite3_exec`.
    public func execute(_ sql: String) throws {
        let rc = c_sqlite3_exec(handle, sql)
        if rc != c_SQLITE_OK { throw error(rc, sql: sql) }
    }

    /// Compiles a statement. The corresponding C function is `sqlite3_prepare_v2`.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = c_sqlite3_prepare(handle, sql, &stmt)
        guard rc == c_SQLITE_OK, let stmt else { throw error(rc, sql: sql) }
        return SQLiteStatement(handle: stmt, database: self, sql: sql)
    }

    /// Rows changed by the last statement. The corresponding C function is `sqlite3_changes`.
    public var changes: Int { Int(c_sqlite3_changes(handle)) }

    /// The rowid of the last row inserted. The corresponding C function is `sqlite3_last_insert_rowid`.
    public var lastInsertRowID: Int64 { c_sqlite3_last_insert_rowid(handle) }

    // MARK: - Transactions

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; rolls back when it returns `.rollback`
    /// or throws, so nothing is ever half-committed.
    public func inTransaction(_ body: () throws -> TransactionCompletion) throws {
        try cached("BEGIN IMMEDIATE").execute()
        let completion: TransactionCompletion
        do {
            completion = try body()
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        switch completion {
        case .commit:
            do { try cached("COMMIT").execute() } catch {
                try? execute("ROLLBACK")
                throw error
            }
        case .rollback: try execute("ROLLBACK")
        }
    }
}

/// A compiled statement, owned and finalized by this object.
public final class SQLiteStatement {
    /// The `sqlite3_stmt *` this object owns.
    public typealias Handle = OpaquePointer
    let handle: Handle
    let database: SQLiteDatabase
    public let sql: String

    /// False for a statement the database's cache keeps (`SQLiteDatabase.cached`).
    let owned: Bool
    /// Where the bytes bound to parameters one at a time wait for the statement to run, when
    /// it keeps them (`keeps`, set by `keepBoundBytes`).
    private var kept = SQLiteBoundBytes()
    private var keeps = false

    init(handle: Handle, database: SQLiteDatabase, sql: String, owned: Bool = true) {
        self.handle = handle
        self.database = database
        self.sql = sql
        self.owned = owned
    }

    deinit { if owned { c_sqlite3_finalize(handle) } }

    /// Resets the statement and binds `values` to its parameters, 1-based in order.
    public func bind(_ values: [SQLiteValue]) throws {
        reset()
        c_sqlite3_clear_bindings(handle)
        for (i, v) in values.enumerated() { try bind(Int32(i + 1), v) }
    }

    /// One value to parameter `index` (1-based).
    public func bind(_ index: Int32, _ v: SQLiteValue) throws {
        switch v {
        case .null: try check(c_sqlite3_bind_null(handle, index))
        case .integer(let x): try check(c_sqlite3_bind_int64(handle, index, x))
        case .real(let x): try check(c_sqlite3_bind_double(handle, index, x))
        case .text(let x): try bind(index, text: x)
        case .blob(let x): try bind(index, blob: x)
        }
    }

    // MARK: - Binding one parameter at a time (the record inserter's path: no array of values)

    /// Resets the statement so its parameters can be bound again (`sqlite3_reset`).
    public func reset() {
        c_sqlite3_reset(handle)
        forgetKeptBytes()
    }

    /// From now on, texts and blobs bound one parameter at a time are copied into blocks the
    /// statement keeps until it has run (or is reset), and SQLite reads them there
    /// (`SQLiteBoundBytes`): for statements bound and run once per record.
    public func keepBoundBytes() { keeps = true }

    /// Clears the bindings first when a block is freed: no parameter points at freed memory.
    private func forgetKeptBytes() {
        guard keeps else { return }
        if kept.frees { c_sqlite3_clear_bindings(handle) }
        kept.empty()
    }

    /// `bytes` as TEXT (or a BLOB), kept by the statement or copied by SQLite.
    private func bindBytes(_ index: Int32, _ bytes: UnsafeRawBufferPointer, blob: Bool) throws {
        if keeps {
            let at = kept.copy(bytes)
            try check(
                blob
                    ? c_sqlite3_bind_blob_static(handle, index, at, bytes.count)
                    : c_sqlite3_bind_text_static(handle, index, at, bytes.count))
        } else {
            try check(blob ? c_sqlite3_bind_blob(handle, index, bytes) : c_sqlite3_bind_text_bytes(handle, index, bytes))
        }
    }

    private func check(_ rc: Int32) throws { if rc != c_SQLITE_OK { throw database.error(rc, sql: sql) } }

    public func bind(_ index: Int32, integer v: Int64) throws { try check(c_sqlite3_bind_int64(handle, index, v)) }

    /// UTF-8 bytes as TEXT; nil as NULL.
    public func bind(_ index: Int32, utf8 v: [UInt8]?) throws {
        guard let v else { return try check(c_sqlite3_bind_null(handle, index)) }
        try v.withUnsafeBytes { try bindBytes(index, $0, blob: false) }
    }

    /// A string as TEXT, read where its UTF-8 lies (no byte array made); nil as NULL.
    public func bind(_ index: Int32, text v: String?) throws {
        guard let v else { return try check(c_sqlite3_bind_null(handle, index)) }
        guard keeps else { return try check(c_sqlite3_bind_text(handle, index, v)) }
        if try v.utf8.withContiguousStorageIfAvailable({ try bindBytes(index, UnsafeRawBufferPointer($0), blob: false) }) == nil {
            var s = v
            try s.withUTF8 { try bindBytes(index, UnsafeRawBufferPointer($0), blob: false) }
        }
    }

    /// An integer's decimal digits as TEXT: what a column of text affinity makes of the integer,
    /// without SQLite converting it (and allocating for the text) as it stores the row.
    public func bind(_ index: Int32, digitsOf v: Int64) throws {
        try DecimalText.withDigits(of: v) { try bindBytes(index, $0, blob: false) }
    }

    /// Bytes as a BLOB; nil as NULL.
    public func bind(_ index: Int32, blob v: [UInt8]?) throws {
        guard let v else { return try check(c_sqlite3_bind_null(handle, index)) }
        try v.withUnsafeBytes { try bindBytes(index, $0, blob: true) }
    }

    /// 32-bit keys as a BLOB of their big-endian bytes, in order, with no byte array made.
    public func bind<Keys: Collection<UInt32>>(_ index: Int32, bigEndianKeys keys: Keys) throws {
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: keys.count) { buffer in
            for (i, k) in keys.enumerated() { buffer[i] = k.bigEndian }
            try bindBytes(index, UnsafeRawBufferPointer(buffer), blob: true)
        }
    }

    /// A record id's 16 bytes, given as two big-endian words (`RecordStorage.idWords`), as a
    /// BLOB with no array made for them.
    public func bind(_ index: Int32, idWords w: (high: UInt64, low: UInt64)) throws {
        var words = (w.high.bigEndian, w.low.bigEndian)
        try withUnsafeBytes(of: &words) { try bindBytes(index, $0, blob: true) }
    }

    /// Runs the statement bound so far (no rows expected) and resets it.
    public func execute() throws {
        defer { reset() }
        while try step() {}
    }

    /// Advances to the next row; false when done. The corresponding C function is `sqlite3_step`.
    public func step() throws -> Bool {
        let rc = c_sqlite3_step(handle)
        if rc == c_SQLITE_ROW { return true }
        if rc == c_SQLITE_DONE { return false }
        let e = database.error(rc, sql: sql)
        c_sqlite3_reset(handle)
        throw e
    }

    /// Binds and runs a statement that returns no rows.
    public func run(_ values: [SQLiteValue] = []) throws {
        try bind(values)
        while try step() {}
        c_sqlite3_reset(handle)
    }

    /// Binds, then calls `body` for each row.
    public func forEachRow(_ values: [SQLiteValue] = [], _ body: (SQLiteStatement) throws -> Void) throws {
        try bind(values)
        defer { c_sqlite3_reset(handle) }
        while try step() { try body(self) }
    }

    /// Number of columns a row of this statement has.
    public var columnCount: Int { Int(c_sqlite3_column_count(handle)) }

    /// Column `i` of the current row.
    public func value(_ i: Int) -> SQLiteValue {
        let index = Int32(i)
        switch c_sqlite3_column_type(handle, index) {
        case c_SQLITE_NULL: return .null
        case c_SQLITE_INTEGER: return .integer(c_sqlite3_column_int64(handle, index))
        case c_SQLITE_FLOAT: return .real(c_sqlite3_column_double(handle, index))
        case c_SQLITE_TEXT: return .text(String(decoding: c_sqlite3_column_bytes(handle, index), as: UTF8.self))
        default: return .blob(c_sqlite3_column_bytes(handle, index))
        }
    }

    /// Column `i` as text (nil for NULL).
    public func text(_ i: Int) -> String? {
        switch value(i) {
        case .text(let s): return s
        case .integer(let x): return String(x)
        case .real(let x): return String(x)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        case .null: return nil
        }
    }

    /// Column `i` as an integer (0 for NULL).
    public func int(_ i: Int) -> Int64 { c_sqlite3_column_int64(handle, Int32(i)) }

    /// Column `i` as a floating-point number (0 for NULL).
    public func double(_ i: Int) -> Double { c_sqlite3_column_double(handle, Int32(i)) }

    /// Column `i` as raw bytes.
    public func bytes(_ i: Int) -> [UInt8] { c_sqlite3_column_bytes(handle, Int32(i)) }

    /// Column `i` as raw bytes, nil for NULL (an empty blob stays empty bytes).
    public func optionalBytes(_ i: Int) -> [UInt8]? { isNull(i) ? nil : bytes(i) }

    /// Column `i` as two big-endian words when it is a blob of 16 bytes (a stored record id),
    /// read without a copy; else nil.
    public func words(_ i: Int) -> (high: UInt64, low: UInt64)? { c_sqlite3_column_words(handle, Int32(i)) }

    /// Whether column `i` is NULL (type 5, `SQLITE_NULL`).
    public func isNull(_ i: Int) -> Bool { c_sqlite3_column_type(handle, Int32(i)) == 5 }
}
