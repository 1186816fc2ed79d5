import Foundation
import LakeCore
import LakeParsers

/// The tables behind near-duplicate detection (docs/SPEC.md 5.11): `record_texts` holds, for
/// every record of a text kind, the hash of its normalized text within its kind and user (NULL
/// when the text is too short to compare); `text_bands` holds each distinct text's MinHash band
/// keys. Both are filled once per record, so a job only hashes the records it added.
extension Lake {
    /// A record's place in export order (input, input SHA-256, path, index, id).
    public struct ExportPosition: Comparable, Sendable {
        public var input: [UInt8]
        public var inputSHA256: [UInt8]
        public var path: [UInt8]
        public var index: Int64
        public var id: [UInt8]

        public init(input: [UInt8], inputSHA256: [UInt8], path: [UInt8], index: Int64, id: [UInt8]) {
            self.input = input
            self.inputSHA256 = inputSHA256
            self.path = path
            self.index = index
            self.id = id
        }

        /// A record's place from its `source` members and id, as text.
        public init(input: String, inputSHA256: String, path: String, index: Int, id: String) {
            self.init(
                input: Array(input.utf8), inputSHA256: Array(inputSHA256.utf8), path: Array(path.utf8), index: Int64(index),
                id: Array(id.utf8))
        }

        public static func < (a: Self, b: Self) -> Bool {
            if a.input != b.input { return a.input.lexicographicallyPrecedes(b.input) }
            if a.inputSHA256 != b.inputSHA256 { return a.inputSHA256.lexicographicallyPrecedes(b.inputSHA256) }
            if a.path != b.path { return a.path.lexicographicallyPrecedes(b.path) }
            if a.index != b.index { return a.index < b.index }
            return a.id.lexicographicallyPrecedes(b.id)
        }
    }

    /// A record not yet in `record_texts`.
    public struct TextRecord: Sendable {
        public var id: String
        public var kind: String
        public var user: String
        /// The record's `data` as canonical JSON.
        public var data: [UInt8]
    }

    /// A stored record's `data` as canonical JSON: its column, or for a line kept whole, read
    /// from the line.
    static func data(_ stored: RecordStorage.Stored) throws -> [UInt8] { try data(column: stored.columns.data, line: stored.line) }

    /// `data` from the two columns it may come from (`records.data`, `records.line`).
    static func data(column: [UInt8], line: [UInt8]?) throws -> [UInt8] {
        guard let line else { return column }
        return CanonicalJSON.encode(try JSONReader.parse(line, limits: .canonicalLines)["data"] ?? .null)
    }

    /// Where `unhashedTextRecords` goes on: the kind (the n-th `record_kinds` row of the text
    /// kinds, by ref) and the last rowid read of it.
    public struct TextCursor: Sendable, Equatable {
        var kind = 0
        var rowid: Int64 = 0
        public init() {}
        init(kind: Int) { self.kind = kind }
    }

    /// Up to `limit` records of `kinds` with no `record_texts` row yet, from `cursor` on: kind
    /// by kind, each in rowid order, read through `records_kind` (a range of the index per
    /// kind, not a pass over every record), above `textsHashedThrough()` only. The cursor to go
    /// on from, nil after the last.
    public func unhashedTextRecords(kinds: [String], after cursor: TextCursor, limit: Int) throws -> (
        records: [TextRecord], next: TextCursor?
    ) {
        let marks = kinds.map { _ in "?" }.joined(separator: ", ")
        var out: [TextRecord] = []
        var c = cursor
        var kindRefs: [Int64] = []
        let mark = try textsHashedThrough()
        try wrap {
            try database.prepare("SELECT ref FROM record_kinds WHERE record_kind IN (\(marks)) ORDER BY ref").forEachRow(
                kinds.map { .text($0) }
            ) { kindRefs.append($0.int(0)) }
            let page = try database.prepare(
                """
                SELECT r.rowid, k.record_kind, o.user, \(RecordStorage.selectColumns) FROM records r INDEXED BY records_kind
                JOIN record_kinds k ON k.ref = r.kind JOIN record_owners o ON o.ref = r.owner
                WHERE r.kind = ? AND r.rowid > ? AND NOT EXISTS (SELECT 1 FROM record_texts t WHERE t.record_id = r.id)
                ORDER BY r.rowid LIMIT ?
                """)
            while out.count < limit && c.kind < kindRefs.count {
                let wanted = limit - out.count
                var got = 0
                try page.forEachRow([.integer(kindRefs[c.kind]), .integer(max(c.rowid, mark)), .integer(Int64(wanted))]) {
                    let stored = RecordStorage.Stored($0, at: 3)
                    out.append(
                        TextRecord(id: stored.columns.id, kind: $0.text(1) ?? "", user: $0.text(2) ?? "", data: try Self.data(stored)))
                    c.rowid = $0.int(0)
                    got += 1
                }
                if got < wanted { c = TextCursor(kind: c.kind + 1) }
            }
        }
        return (out, c.kind < kindRefs.count || out.count == limit ? c : nil)
    }

    /// Writes `record_texts` and `text_bands` rows with statements prepared once. Both wait in
    /// `SortedRuns` (run files in the staging folder past 256 Ki rows of either: 4 MB of band
    /// rows, 8 MB of text rows; hashing texts is the stage's memory peak) and go in key order at
    /// `finish()`, all of them: each page of either table
    /// is then visited once, in order, and into an empty table the rows are appended. Into an empty `record_texts` (a first load), its
    /// index `record_texts_hash` is built after the rows, not moved row by row.
    public final class RecordTextWriter {
        let band: SQLiteStatement
        let text: SQLiteStatement
        let lake: Lake
        let bands: SortedRuns<(UInt64, UInt64)>
        let texts: SortedRuns<TextRow>

        /// A `record_texts` row: the 16 bytes of the record's id as two big-endian words (so
        /// their order is the id blob's), and its text hash.
        struct TextRow {
            var high: UInt64
            var low: UInt64
            var hash: UInt64
            var hashed: Bool
        }

        init(lake: Lake) throws {
            self.lake = lake
            band = try lake.database.prepare("INSERT OR IGNORE INTO text_bands(band_key, text_hash) VALUES (?, ?)")
            text = try lake.database.prepare("INSERT OR REPLACE INTO record_texts(record_id, text_hash) VALUES (?, ?)")
            try lake.makeStagingDirectory()
            bands = SortedRuns(path: lake.scratchFiles.textBands, key: { $0.0 }) { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            texts = SortedRuns(path: lake.scratchFiles.textRows, key: { $0.high }) {
                $0.high != $1.high ? $0.high < $1.high : $0.low < $1.low
            }
        }

        /// Records each record's text hash (nil: not compared) and its text's band keys; both
        /// wait for `finish`, but for an id not stored as 16 bytes, written at once.
        public func set(_ rows: [(id: String, hash: UInt64?, bands: [UInt64])]) throws {
            try lake.wrap {
                for r in rows {
                    if let id = RecordStorage.idWords(r.id) {
                        try texts.append(TextRow(high: id.high, low: id.low, hash: r.hash ?? 0, hashed: r.hash != nil))
                    } else {
                        try write(RecordStorage.idValue(r.id), r.hash)
                    }
                    if let h = r.hash { for key in r.bands { try bands.append((key, h)) } }
                }
            }
        }

        private func write(_ id: SQLiteValue, _ hash: UInt64?) throws {
            try text.run([id, hash.map { .integer(Int64(bitPattern: $0)) } ?? .null])
        }

        /// Writes the rows that wait, in key order (a text's band rows seen before add
        /// nothing), calling `check` every 65,536 rows (it throws to stop).
        public func finish(_ check: () throws -> Void = {}) throws {
            var n = 0
            try lake.wrap {
                var empty = false
                try lake.database.prepare("SELECT NOT EXISTS (SELECT 1 FROM record_texts)").forEachRow { empty = $0.int(0) == 1 }
                if empty { try lake.database.execute("DROP INDEX IF EXISTS \(Lake.recordTextsIndex.name)") }
                try texts.forEachSorted { row in
                    n += 1
                    if n % 65_536 == 0 { try check() }
                    // Bound one by one: no array of values, nor of the id's bytes, per row.
                    try text.bind(1, idWords: (row.high, row.low))
                    if row.hashed { try text.bind(2, integer: Int64(bitPattern: row.hash)) } else { try text.bind(2, utf8: nil) }
                    try text.execute()
                }
                if empty { try lake.database.execute(Lake.recordTextsIndex.sql) }
                try bands.forEachSorted { key, hash in
                    n += 1
                    if n % 65_536 == 0 { try check() }
                    // Bound one by one: no array of values per row.
                    try band.bind(1, integer: Int64(bitPattern: key))
                    try band.bind(2, integer: Int64(bitPattern: hash))
                    try band.execute()
                }
            }
        }
    }

    /// Creates the staging folder if missing.
    public func makeStagingDirectory() throws {
        do {
            try FileManager.default.createDirectory(atPath: stagingDirectory, withIntermediateDirectories: true)
        } catch {
            throw LakeError(.lakeStorage, scope: .input, input: directory, message: "cannot create the staging folder: \(error)")
        }
    }

    public func recordTextWriter() throws -> RecordTextWriter { try wrap { try RecordTextWriter(lake: self) } }

    /// Calls `body` with the key and texts of every band key that two or more texts share (a
    /// bucket), in band-key order, each bucket's texts in hash order (both as signed integers).
    /// One bucket is in memory at a time; `body` may query the lake meanwhile (nothing is
    /// written during the pass).
    public func textBandBuckets(_ body: (UInt64, [UInt64]) throws -> Void) throws {
        var bucket: [UInt64] = []
        var key: Int64?
        try wrap {
            try database.prepare("SELECT band_key, text_hash FROM text_bands ORDER BY band_key, text_hash").forEachRow {
                let k = $0.int(0)
                if k != key {
                    if let key, bucket.count > 1 { try body(UInt64(bitPattern: key), bucket) }
                    bucket.removeAll(keepingCapacity: true)
                    key = k
                }
                bucket.append(UInt64(bitPattern: $0.int(1)))
            }
        }
        if let key, bucket.count > 1 { try body(UInt64(bitPattern: key), bucket) }
    }

    /// Finds the first record (export order) of a text, or any record of it, with statements
    /// prepared once (the duplicate stage asks for every text in a shared band).
    public final class FirstTextReader {
        let statement: SQLiteStatement
        let anyStatement: SQLiteStatement
        let lake: Lake

        init(lake: Lake) throws {
            self.lake = lake
            // The joins of `statement`, so that a text has a record for both or for neither.
            anyStatement = try lake.database.prepare(
                """
                SELECT k.record_kind, r.data, r.line
                FROM record_texts t JOIN records r ON r.id = t.record_id JOIN record_sources s ON s.ref = r.source
                JOIN record_kinds k ON k.ref = r.kind WHERE t.text_hash = ? LIMIT 1
                """)
            statement = try lake.database.prepare(
                """
                SELECT s.input, s.input_sha256, s.path, k.record_kind, \(RecordStorage.selectColumns)
                FROM record_texts t JOIN records r ON r.id = t.record_id JOIN record_sources s ON s.ref = r.source
                JOIN record_kinds k ON k.ref = r.kind WHERE t.text_hash = ?
                ORDER BY s.input, s.input_sha256, s.path, r.idx, r.id LIMIT 1
                """)
        }

        /// The first record whose text has `hash`: its position, kind and `data` (canonical
        /// JSON); nil when no record has it any more.
        public func first(withText hash: UInt64) throws -> (position: ExportPosition, kind: String, data: [UInt8])? {
            var out: (ExportPosition, String, [UInt8])?
            try lake.wrap {
                try statement.forEachRow([.integer(Int64(bitPattern: hash))]) {
                    let stored = RecordStorage.Stored($0, at: 4)
                    out = (
                        ExportPosition(
                            input: $0.bytes(0), inputSHA256: $0.bytes(1), path: $0.bytes(2), index: Int64(stored.columns.index),
                            id: Array(stored.columns.id.utf8)),
                        $0.text(3) ?? "", try Lake.data(stored)
                    )
                }
            }
            return out
        }

        /// The kind and `data` of some record whose text has `hash`, with no sorting: every
        /// record of a text has the same normalized text. Nil when no record has it any more.
        public func anyRecord(withText hash: UInt64) throws -> (kind: String, data: [UInt8])? {
            var out: (String, [UInt8])?
            try lake.wrap {
                try anyStatement.forEachRow([.integer(Int64(bitPattern: hash))]) {
                    // Only the two columns `data` needs: no other column is decoded.
                    out = ($0.text(0) ?? "", try Lake.data(column: $0.bytes(1), line: $0.isNull(2) ? nil : $0.bytes(2)))
                }
            }
            return out
        }
    }

    public func firstTextReader() throws -> FirstTextReader { try wrap { try FirstTextReader(lake: self) } }

    /// Calls `body(record, first)` for every record whose text equals an earlier record's, with
    /// the first record (export order) of that text. Only the texts two or more records share
    /// (found on the `record_texts_hash` index) are joined to their records and sorted: 2.5
    /// times faster than ordering every text's records on a 256 MB Takeout's lake.
    public func identicalTextRecords(_ body: (String, String) throws -> Void) throws {
        try wrap {
            try database.prepare(
                """
                SELECT id, first FROM (
                  SELECT r.id AS id, first_value(r.id) OVER w AS first, row_number() OVER w AS n
                  FROM (SELECT text_hash FROM record_texts WHERE text_hash IS NOT NULL GROUP BY text_hash HAVING count(*) > 1) d
                  JOIN record_texts t ON t.text_hash = d.text_hash JOIN records r ON r.id = t.record_id
                  JOIN record_sources s ON s.ref = r.source
                  WINDOW w AS (PARTITION BY t.text_hash ORDER BY s.input, s.input_sha256, s.path, r.idx, r.id))
                WHERE n > 1 ORDER BY id
                """
            ).forEachRow { try body(RecordStorage.idText($0.value(0)), RecordStorage.idText($0.value(1))) }
        }
    }
}
