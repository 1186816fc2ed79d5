import Foundation
import LakeCore

/// Where the duplicate stage's search for unhashed text records starts (docs/SPEC.md 5.11):
/// every record at or below this rowid has its `record_texts` row (or is of no text kind), so
/// a job only looks above it. Without it, finding the records of a 10 GB lake's last job took
/// minutes of `NOT EXISTS` look-ups, one per text record in the lake (3.5 minutes to find none
/// on a resume). SQLite gives a new row the largest rowid plus one, so only a deletion can
/// bring new rows below the mark: the trigger `records_deleted_text_mark` (schema 20) lowers
/// it to the largest rowid left whenever a deletion takes that below it, and `VACUUM` (which
/// may number rows anew) forgets it.
extension Lake {
    static let textMarkKey = "texts_hashed_through"
    /// Before a `VACUUM`, which may number rows anew (SQLite documents it for tables without an
    /// `INTEGER PRIMARY KEY`): the next job then looks at every text record once again. Safe
    /// on a catalog from before schema 20, which has `settings` (schema 15) and no mark.
    static let forgetTextMarkSQL = "DELETE FROM settings WHERE key = '\(textMarkKey)';"

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
