import Foundation
import LakeCore

/// What one near-duplicate pass (docs/SPEC.md 5.11) keeps on disk instead of in memory: the
/// members of every band bucket two or more texts share, and each such text's first record
/// (export position and sorted shingles). A SQLite file of its own in the lake's staging
/// folder, with no journal: it is scratch, removed when this object goes and, left over by a
/// killed process, when the next pass starts. The pass then holds one bucket window at a time,
/// so its memory does not grow with the lake (a 1 GB Twitter archive has 650,000 texts in shared
/// buckets; holding their shingles took 680 MB).
public final class NearDuplicateScratch {
    /// A text's first record (export order): its place and its text's sorted shingles.
    public struct First: Sendable {
        public var position: Lake.ExportPosition
        public var shingles: [UInt64]

        public init(position: Lake.ExportPosition, shingles: [UInt64]) {
            self.position = position
            self.shingles = shingles
        }
    }

    public let path: String
    let lake: Lake
    let database: SQLiteDatabase
    private var positionStatement: SQLiteStatement?

    public init(lake: Lake) throws {
        self.lake = lake
        let path = lake.scratchFiles.nearDuplicates
        self.path = path
        unlink(path)
        try lake.makeStagingDirectory()
        let database = try lake.wrap { try SQLiteDatabase(path: path) }
        self.database = database
        try lake.wrap {
            try database.execute(
                """
                PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-16384;
                CREATE TABLE members(band_key INTEGER NOT NULL, text_hash INTEGER NOT NULL,
                    PRIMARY KEY(band_key, text_hash)) WITHOUT ROWID;
                CREATE TABLE texts(text_hash INTEGER PRIMARY KEY);
                CREATE TABLE firsts(text_hash INTEGER PRIMARY KEY, input BLOB, input_sha256 BLOB, path BLOB, idx INTEGER,
                    id BLOB, shingles BLOB);
                BEGIN;
                """)
        }
    }

    deinit { unlink(path) }

    /// Copies the shared buckets' members out of the lake (`Lake.textBandBuckets`), and notes
    /// each of their texts once, calling `check` every 65,536 members (it throws to stop).
    /// Returns the number of members.
    @discardableResult
    public func collectBuckets(_ check: () throws -> Void = {}) throws -> Int {
        var count = 0
        try lake.wrap {
            let member = try database.prepare("INSERT INTO members(band_key, text_hash) VALUES (?, ?)")
            let text = try database.prepare("INSERT OR IGNORE INTO texts(text_hash) VALUES (?)")
            try lake.textBandBuckets { key, hashes in
                for hash in hashes {
                    try member.bind(1, integer: Int64(bitPattern: key))
                    try member.bind(2, integer: Int64(bitPattern: hash))
                    try member.execute()
                    try text.bind(1, integer: Int64(bitPattern: hash))
                    try text.execute()
                }
                if count / 65_536 != (count + hashes.count) / 65_536 { try check() }
                count += hashes.count
            }
        }
        return count
    }

    /// Up to `limit` of the noted texts after `cursor` (nil: from the first), in order, and the
    /// cursor to go on from; an empty page after the last.
    public func texts(after cursor: Int64?, limit: Int) throws -> (hashes: [UInt64], next: Int64?) {
        var out: [UInt64] = []
        var last = cursor
        try lake.wrap {
            try database.prepare("SELECT text_hash FROM texts WHERE text_hash > ? ORDER BY text_hash LIMIT ?").forEachRow([
                .integer(cursor ?? .min), .integer(Int64(limit)),
            ]) {
                last = $0.int(0)
                out.append(UInt64(bitPattern: $0.int(0)))
            }
        }
        return (out, last)
    }

    /// Stores the first record of each text (nil: no record has the text any more).
    public func setFirsts(_ rows: [(hash: UInt64, first: First?)]) throws {
        try lake.wrap {
            let insert = try database.prepare(
                "INSERT INTO firsts(text_hash, input, input_sha256, path, idx, id, shingles) VALUES (?, ?, ?, ?, ?, ?, ?)")
            for (hash, first) in rows {
                try insert.bind(1, integer: Int64(bitPattern: hash))
                if let first {
                    let p = first.position
                    try insert.bind(2, blob: p.input)
                    try insert.bind(3, blob: p.inputSHA256)
                    try insert.bind(4, blob: p.path)
                    try insert.bind(5, integer: p.index)
                    try insert.bind(6, blob: p.id)
                    try insert.bind(7, blob: first.shingles.withUnsafeBytes { Array($0) })
                } else {
                    for column in Int32(2)...7 { try insert.bind(column, blob: nil) }
                }
                try insert.execute()
            }
        }
    }

    /// Calls `body` with every member of the shared buckets, in band-key order and within a
    /// bucket in text-hash order (those of `Lake.textBandBuckets`), with its text hash and its
    /// text's first record.
    public func forEachMember(_ body: (_ bandKey: UInt64, _ text: UInt64, _ first: First?) throws -> Void) throws {
        try lake.wrap {
            try database.prepare(
                """
                SELECT m.band_key, m.text_hash, f.idx IS NULL, f.input, f.input_sha256, f.path, f.idx, f.id, f.shingles
                FROM members m JOIN firsts f ON f.text_hash = m.text_hash ORDER BY m.band_key, m.text_hash
                """
            ).forEachRow { row in
                let key = UInt64(bitPattern: row.int(0)), text = UInt64(bitPattern: row.int(1))
                guard row.int(2) == 0 else { return try body(key, text, nil) }
                let bytes = row.bytes(8)
                let shingles = [UInt64](unsafeUninitializedCapacity: bytes.count / 8) { buffer, count in
                    bytes.withUnsafeBytes { raw in
                        for i in 0..<buffer.count { buffer[i] = raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self) }
                    }
                    count = buffer.count
                }
                try body(key, text, First(position: Self.position(row, at: 3), shingles: shingles))
            }
        }
    }

    /// The first record's position of a noted text; nil when no record has it any more.
    public func position(ofText hash: UInt64) throws -> Lake.ExportPosition? {
        var out: Lake.ExportPosition?
        try lake.wrap {
            let statement =
                try positionStatement
                ?? database.prepare("SELECT input, input_sha256, path, idx, id FROM firsts WHERE text_hash = ? AND idx IS NOT NULL")
            positionStatement = statement
            try statement.forEachRow([.integer(Int64(bitPattern: hash))]) { out = Self.position($0, at: 0) }
        }
        return out
    }

    private static func position(_ row: SQLiteStatement, at c: Int) -> Lake.ExportPosition {
        Lake.ExportPosition(
            input: row.bytes(c), inputSHA256: row.bytes(c + 1), path: row.bytes(c + 2), index: row.int(c + 3), id: row.bytes(c + 4))
    }
}
