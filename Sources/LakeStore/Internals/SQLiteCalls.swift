import CSQLite
import Foundation

// The only file that calls libsqlite3. Docs: https://www.sqlite.org/c3ref/intro.html

/// SQLite's process-wide settings, made once before its first connection: no allocation
/// statistics (`sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0)`, through the shim; a global mutex
/// per allocation otherwise).
private let configured: Void = { _ = datapunk_sqlite3_memstatus_off() }()

/// The corresponding C function is `sqlite3_open_v2` (read-write, create, no mutex: one connection per thread).
func c_sqlite3_open(_ path: String, _ db: inout OpaquePointer?) -> Int32 {
    configured
    return sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
}
/// The corresponding C function is `sqlite3_open_v2`, read-only and `immutable` (a lake whose
/// folder or file cannot be written: no WAL or lock files are made).
func c_sqlite3_open_readonly(_ path: String, _ db: inout OpaquePointer?) -> Int32 {
    var uri = "file:"
    for u in path.utf8 {
        let c = Character(Unicode.Scalar(u))
        if c.isASCII && (c.isLetter || c.isNumber || "/-._~".contains(c)) { uri.append(c) } else { uri += String(format: "%%%02X", u) }
    }
    configured
    return sqlite3_open_v2(uri + "?mode=ro&immutable=1", &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil)
}
/// The corresponding C function is `sqlite3_close_v2`.
func c_sqlite3_close(_ db: OpaquePointer) { _ = sqlite3_close_v2(db) }
/// The corresponding C function is `sqlite3_busy_timeout`.
func c_sqlite3_busy_timeout(_ db: OpaquePointer, _ ms: Int32) { _ = sqlite3_busy_timeout(db, ms) }
/// The corresponding C function is `sqlite3_exec` (no callback).
func c_sqlite3_exec(_ db: OpaquePointer, _ sql: String) -> Int32 { sqlite3_exec(db, sql, nil, nil, nil) }
/// The corresponding C function is `sqlite3_errmsg`.
func c_sqlite3_errmsg(_ db: OpaquePointer) -> String { String(cString: sqlite3_errmsg(db)) }
/// The corresponding C function is `sqlite3_extended_errcode`.
func c_sqlite3_extended_errcode(_ db: OpaquePointer) -> Int32 { sqlite3_extended_errcode(db) }
/// The corresponding C function is `sqlite3_prepare_v2`.
func c_sqlite3_prepare(_ db: OpaquePointer, _ sql: String, _ stmt: inout OpaquePointer?) -> Int32 {
    sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
}
/// The corresponding C function is `sqlite3_finalize`.
func c_sqlite3_finalize(_ stmt: OpaquePointer) { _ = sqlite3_finalize(stmt) }
/// The corresponding C function is `sqlite3_reset`.
func c_sqlite3_reset(_ stmt: OpaquePointer) { _ = sqlite3_reset(stmt) }
/// The corresponding C function is `sqlite3_clear_bindings`.
func c_sqlite3_clear_bindings(_ stmt: OpaquePointer) { _ = sqlite3_clear_bindings(stmt) }
/// The corresponding C function is `sqlite3_step`.
func c_sqlite3_step(_ stmt: OpaquePointer) -> Int32 { sqlite3_step(stmt) }
/// The corresponding C function is `sqlite3_bind_null`.
func c_sqlite3_bind_null(_ stmt: OpaquePointer, _ i: Int32) -> Int32 { sqlite3_bind_null(stmt, i) }
/// The corresponding C function is `sqlite3_bind_int64`.
func c_sqlite3_bind_int64(_ stmt: OpaquePointer, _ i: Int32, _ v: Int64) -> Int32 { sqlite3_bind_int64(stmt, i, v) }
/// The corresponding C function is `sqlite3_bind_double`.
func c_sqlite3_bind_double(_ stmt: OpaquePointer, _ i: Int32, _ v: Double) -> Int32 { sqlite3_bind_double(stmt, i, v) }
/// The corresponding C function is `sqlite3_bind_text` with SQLITE_TRANSIENT (through the shim),
/// read where the string's UTF-8 lies (a copy's `withUTF8` cost a retain and a release per
/// call); a string with no contiguous UTF-8 (bridged) is copied first.
func c_sqlite3_bind_text(_ stmt: OpaquePointer, _ i: Int32, _ v: String) -> Int32 {
    if let code = v.utf8.withContiguousStorageIfAvailable({ c_sqlite3_bind_text_bytes(stmt, i, UnsafeRawBufferPointer($0)) }) {
        return code
    }
    var s = v
    return s.withUTF8 { c_sqlite3_bind_text_bytes(stmt, i, UnsafeRawBufferPointer($0)) }
}
/// The corresponding C function is `sqlite3_bind_text` with SQLITE_TRANSIENT, from UTF-8 bytes.
func c_sqlite3_bind_text_bytes(_ stmt: OpaquePointer, _ i: Int32, _ v: [UInt8]) -> Int32 {
    v.withUnsafeBytes { c_sqlite3_bind_text_bytes(stmt, i, $0) }
}
/// `sqlite3_bind_text` with SQLITE_TRANSIENT of UTF-8 bytes that need not be an array.
func c_sqlite3_bind_text_bytes(_ stmt: OpaquePointer, _ i: Int32, _ v: UnsafeRawBufferPointer) -> Int32 {
    datapunk_sqlite3_bind_text_transient(
        stmt, i, (v.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self), Int32(v.count))
}
/// The corresponding C function is `sqlite3_bind_blob` with SQLITE_TRANSIENT (through the shim).
func c_sqlite3_bind_blob(_ stmt: OpaquePointer, _ i: Int32, _ v: [UInt8]) -> Int32 {
    v.withUnsafeBytes { datapunk_sqlite3_bind_blob_transient(stmt, i, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count)) }
}
/// `sqlite3_bind_blob` with SQLITE_TRANSIENT of bytes that need not be an array.
func c_sqlite3_bind_blob(_ stmt: OpaquePointer, _ i: Int32, _ v: UnsafeRawBufferPointer) -> Int32 {
    datapunk_sqlite3_bind_blob_transient(stmt, i, v.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(v.count))
}
/// `sqlite3_bind_text` with SQLITE_STATIC: `v` must stay until the parameter is bound again or cleared.
func c_sqlite3_bind_text_static(_ stmt: OpaquePointer, _ i: Int32, _ v: UnsafeRawPointer, _ count: Int) -> Int32 {
    datapunk_sqlite3_bind_text_static(stmt, i, v.assumingMemoryBound(to: CChar.self), Int32(count))
}
/// `sqlite3_bind_blob` with SQLITE_STATIC: `v` must stay until the parameter is bound again or cleared.
func c_sqlite3_bind_blob_static(_ stmt: OpaquePointer, _ i: Int32, _ v: UnsafeRawPointer, _ count: Int) -> Int32 {
    datapunk_sqlite3_bind_blob_static(stmt, i, v, Int32(count))
}
/// The corresponding C function is `sqlite3_column_type`.
func c_sqlite3_column_type(_ stmt: OpaquePointer, _ i: Int32) -> Int32 { sqlite3_column_type(stmt, i) }
/// The corresponding C function is `sqlite3_column_int64`.
func c_sqlite3_column_int64(_ stmt: OpaquePointer, _ i: Int32) -> Int64 { sqlite3_column_int64(stmt, i) }
/// The corresponding C function is `sqlite3_column_double`.
func c_sqlite3_column_double(_ stmt: OpaquePointer, _ i: Int32) -> Double { sqlite3_column_double(stmt, i) }
/// The corresponding C functions are `sqlite3_column_blob` and `sqlite3_column_bytes`.
func c_sqlite3_column_bytes(_ stmt: OpaquePointer, _ i: Int32) -> [UInt8] {
    let n = Int(sqlite3_column_bytes(stmt, i))
    guard n > 0, let p = sqlite3_column_blob(stmt, i) else { return [] }
    return Array(UnsafeRawBufferPointer(start: p, count: n))
}
/// The corresponding C functions are `sqlite3_column_type`, `sqlite3_column_blob` and
/// `sqlite3_column_bytes`: a blob of 16 bytes as two big-endian words, read in place.
func c_sqlite3_column_words(_ stmt: OpaquePointer, _ i: Int32) -> (high: UInt64, low: UInt64)? {
    guard sqlite3_column_type(stmt, i) == SQLITE_BLOB, let p = sqlite3_column_blob(stmt, i), sqlite3_column_bytes(stmt, i) == 16 else {
        return nil
    }
    return (UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)), UInt64(bigEndian: (p + 8).loadUnaligned(as: UInt64.self)))
}
/// The corresponding C function is `sqlite3_column_count`.
func c_sqlite3_column_count(_ stmt: OpaquePointer) -> Int32 { sqlite3_column_count(stmt) }
/// The corresponding C function is `sqlite3_changes`.
func c_sqlite3_changes(_ db: OpaquePointer) -> Int32 { sqlite3_changes(db) }
/// The corresponding C function is `sqlite3_last_insert_rowid`.
func c_sqlite3_last_insert_rowid(_ db: OpaquePointer) -> Int64 { sqlite3_last_insert_rowid(db) }

let c_SQLITE_OK: Int32 = SQLITE_OK
let c_SQLITE_ROW: Int32 = SQLITE_ROW
let c_SQLITE_DONE: Int32 = SQLITE_DONE
let c_SQLITE_NULL: Int32 = SQLITE_NULL
let c_SQLITE_INTEGER: Int32 = SQLITE_INTEGER
let c_SQLITE_FLOAT: Int32 = SQLITE_FLOAT
let c_SQLITE_TEXT: Int32 = SQLITE_TEXT
