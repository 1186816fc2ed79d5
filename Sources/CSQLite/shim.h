#ifndef DATAPUNK_CSQLITE_SHIM_H
#define DATAPUNK_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a cast macro (`(sqlite3_destructor_type)-1`) that Swift
/// cannot import; binding text with it makes SQLite copy the bytes at once.
static inline int datapunk_sqlite3_bind_text_transient(sqlite3_stmt *stmt, int index, const char *text, int length) {
    return sqlite3_bind_text(stmt, index, text, length, SQLITE_TRANSIENT);
}

/// Same as above for blobs.
static inline int datapunk_sqlite3_bind_blob_transient(sqlite3_stmt *stmt, int index, const void *bytes, int length) {
    return sqlite3_bind_blob(stmt, index, bytes, length, SQLITE_TRANSIENT);
}
/// SQLITE_STATIC is a cast macro too: SQLite reads the bytes where they are, until the
/// parameter is bound again or cleared (`SQLiteBoundBytes` keeps them).
static inline int datapunk_sqlite3_bind_text_static(sqlite3_stmt *stmt, int index, const char *text, int length) {
    return sqlite3_bind_text(stmt, index, text, length, SQLITE_STATIC);
}

/// Same as above for blobs.
static inline int datapunk_sqlite3_bind_blob_static(sqlite3_stmt *stmt, int index, const void *bytes, int length) {
    return sqlite3_bind_blob(stmt, index, bytes, length, SQLITE_STATIC);
}

/// sqlite3_config is variadic, which Swift cannot call. Turns off SQLite's allocation
/// statistics (SQLITE_CONFIG_MEMSTATUS), whose global mutex every allocation takes; datapunk
/// never reads them. Only valid before SQLite initializes: SQLITE_MISUSE after.
static inline int datapunk_sqlite3_memstatus_off(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
