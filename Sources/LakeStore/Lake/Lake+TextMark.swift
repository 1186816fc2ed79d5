import Foundation
import LakeCore

/// Where the duplicate stage's search for unhashed text records starts (docs/SPEC.md 5.11):
/// every record at or below this rowid has its `record_texts` row (or is of no text kind), so
/// a job only looks above it. Without it, finding the records of a 10 GB lake's last job took
/// minutes of `NOT EXISTS` look-ups, one per text record in the lake (3.5 minutes to find none
/// on a resume). SQLite gives a new row the largest rowid plus one, so only a deletion can
/// bring new rows below the mark: the trigger `records_deleted_text_mark` (schema 20) lowers
/// it to the largest rowid left whenever a deletion takes that below it. `VACUUM` may number
/// rows anew: `vacuum` checks.
extension Lake {
    static let textMarkKey = "texts_hashed_through"
    /// Makes the next job look at every text record once again. Safe on a catalog from before
    /// schema 20, which has `settings` (schema 15) and no mark.
    static let forgetTextMarkSQL = "DELETE FROM settings WHERE key = '\(textMarkKey)';"
    /// The records' rowids as a `VACUUM` began (`rowidFingerprint`), until it is settled.
    static let vacuumKey = "vacuum_rowids"

    /// The records' count and rowid sum, as "count sum" (read on `records_kind`, a small part of
    /// the table's pages: an index holds the rowids; SQLite would read the table). `n` distinct
    /// positive rowids sum to n(n+1)/2 only when they are 1...n, so rows numbered anew in rowid
    /// order (as `VACUUM` copies them) keep this only if they kept their rowids.
    static func rowidFingerprint(_ database: SQLiteDatabase) throws -> String {
        var indexed = false
        try database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'records_kind'").forEachRow { _ in indexed = true
        }
        var out = ""
        try database.prepare("SELECT count(*), coalesce(sum(rowid), 0) FROM records \(indexed ? "INDEXED BY records_kind" : "")")
            .forEachRow { out = "\($0.int(0)) \($0.int(1))" }
        return out
    }

    /// `VACUUM`, keeping the text rows (keyed by rowid) and the mark while the records keep their
    /// rowids: SQLite keeps them for a table with an index, which `records` always has, though
    /// it documents that rows of a table without an `INTEGER PRIMARY KEY` may be numbered anew.
    /// The rowids are noted first (committed): a `VACUUM` cut short is settled when the lake
    /// is next opened (`settleVacuum`). `checkpoints`: the log is emptied before and after.
    static func vacuum(_ database: SQLiteDatabase, checkpoints: Bool = false) throws {
        try database.prepare("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)").run([
            .text(vacuumKey), .text(try rowidFingerprint(database)),
        ])
        let checkpoint = checkpoints ? "PRAGMA wal_checkpoint(TRUNCATE);" : ""
        try database.execute("\(checkpoint) VACUUM; \(checkpoint)")
        try settleVacuum(database)
    }

    /// After a `VACUUM` (or on opening a lake whose `VACUUM` was cut short): when the records'
    /// rowids are no longer those noted before it, every text row, signature and the mark go
    /// (the next job hashes every text again). Nothing to do when nothing was noted.
    static func settleVacuum(_ database: SQLiteDatabase) throws {
        var noted: String?
        try database.prepare("SELECT value FROM settings WHERE key = ?").forEachRow([.text(vacuumKey)]) { noted = $0.text(0) }
        guard let noted else { return }
        let renumbered = try rowidFingerprint(database) != noted
        try database.inTransaction {
            if renumbered { try database.execute("DELETE FROM record_texts; DELETE FROM text_signatures; \(forgetTextMarkSQL)") }
            try database.prepare("DELETE FROM settings WHERE key = ?").run([.text(vacuumKey)])
            return .commit
        }
    }

    /// The rowid through which every text record is hashed (0: none known).
    public func textsHashedThrough() throws -> Int64 {
        var mark: Int64 = 0
        try wrap {
            try database.prepare("SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?").forEachRow([.text(Self.textMarkKey)]) {
                mark = $0.int(0)
            }
        }
        return mark
    }

    /// The largest rowid of `records` now (0 when empty).
    public func lastRecordRowid() throws -> Int64 {
        var last: Int64 = 0
        try wrap { try database.prepare("SELECT coalesce(max(rowid), 0) FROM records").forEachRow { last = $0.int(0) } }
        return last
    }

    /// Notes that every text record through `rowid` is hashed (in the hashing's transaction).
    public func setTextsHashedThrough(_ rowid: Int64) throws {
        try wrap {
            try database.prepare("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)").run([
                .text(Self.textMarkKey), .text(String(rowid)),
            ])
        }
    }
}
