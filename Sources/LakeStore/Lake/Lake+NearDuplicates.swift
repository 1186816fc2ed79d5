import Foundation
import LakeCore
import LakeParsers

/// The tables behind near-duplicate detection (docs/SPEC.md 5.11): `record_texts` holds, for
/// every record of a text kind, the hash of its normalized text within its kind and user (NULL
/// when the text is too short to compare); `text_signatures` holds each distinct text's MinHash
/// band keys (`Lake+TextSignatures`). Both are filled once per record, so a job only hashes the
/// records it added.
extension Lake {
    /// A record's place in export order (input, input SHA-256, path, index, id).
    public struct ExportPosition: Comparable, Sendable {
        public var input: [UInt8]
        public var inputSHA256: [UInt8]
        public var path: [UInt8]
        public var index: Int64
        public var id: [UInt8]
        /// The record's row in `records`, when read from it (not part of the order).
        public var rowid: Int64?

        public init(input: [UInt8], inputSHA256: [UInt8], path: [UInt8], index: Int64, id: [UInt8], rowid: Int64? = nil) {
            self.input = input
            self.inputSHA256 = inputSHA256
            self.path = path
            self.index = index
            self.id = id
            self.rowid = rowid
        }

        /// A record's place from its `source` members and id, as text.
        public init(input: String, inputSHA256: String, path: String, index: Int, id: String) {
            self.init(
                input: Array(input.utf8), inputSHA256: Array(inputSHA256.utf8), path: Array(path.utf8), index: Int64(index),
                id: Array(id.utf8))
        }

        public static func == (a: Self, b: Self) -> Bool {
            (a.input, a.inputSHA256, a.path, a.index, a.id) == (b.input, b.inputSHA256, b.path, b.index, b.id)
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
        /// Its row in `records`: its text row's key.
        public var rowid: Int64
        public var kind: String
        public var user: String
        /// The record's `data` as its row holds it: `stored.canonical()` makes the canonical
        /// JSON on the thread that needs it (a hashing worker), not the one reading the rows.
        public var stored: StoredData
    }

    /// A stored record's `data` as its row holds it (`records.data`, its kind's member names, its
    /// time and offset, or the whole line when the row keeps one).
    public struct StoredData: Sendable {
        let column: [UInt8]
        let line: [UInt8]?
        let keys: [UInt8]?
        let millis: Int64?
        let offset: Int?

        /// From the row's columns from `i` on: `r.data, r.line, k.keys, r.occurred_at,
        /// r.source_offset`, with `keys` (column `i + 2`) given by the caller, which may hold
        /// them already (every row of one kind ref has the same).
        init(_ row: SQLiteStatement, from i: Int, keys: [UInt8]?) {
            column = row.bytes(i)
            line = row.optionalBytes(i + 1)
            self.keys = keys
            millis = if case .integer(let ms) = row.value(i + 3) { ms } else { nil }
            offset = StoredOffset.minutes(stored: row.value(i + 4))
        }

        /// The record's `data` as stored compact: its values and its kind's member names (both
        /// JSON arrays, `CompactData`); nil when the row keeps the canonical JSON or a line.
        public var compact: (values: [UInt8], keys: [UInt8])? {
            guard line == nil, let keys else { return nil }
            return (column, keys)
        }

        /// The record's `data` as canonical JSON: from its column (with its kind's member names
        /// again and its derived members made from its time and offset: `CompactData`), or for
        /// a line kept whole, read from the line.
        public func canonical() throws -> [UInt8] {
            if let line { return CanonicalJSON.encode(try JSONReader.parse(line, limits: .canonicalLines)["data"] ?? .null) }
            guard let keys else { return column }
            return CompactData.expand(column, keys: keys, millis: millis, offset: offset) ?? column
        }
    }

    /// A stored record's `data` as canonical JSON, from the row's columns from `i` on
    /// (`StoredData`).
    static func data(_ row: SQLiteStatement, from i: Int) throws -> [UInt8] {
        try StoredData(row, from: i, keys: row.optionalBytes(i + 2)).canonical()
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
        var out: [TextRecord] = []
        var c = cursor
        var kindRefs: [Int64] = []
        let mark = try textsHashedThrough()
        try wrap {
            kindRefs = try textKindRefs(kinds)
            let page = try database.prepare(
                """
                SELECT r.rowid, k.record_kind, o.user, r.id, r.data, r.line, k.keys, r.occurred_at, r.source_offset
                FROM records r INDEXED BY records_kind
                JOIN record_kinds k ON k.ref = r.kind JOIN record_owners o ON o.ref = r.owner
                WHERE r.kind = ? AND r.rowid > ? AND NOT EXISTS (SELECT 1 FROM record_texts t WHERE t.record = r.rowid)
                ORDER BY r.rowid LIMIT ?
                """)
            while out.count < limit && c.kind < kindRefs.count {
                let wanted = limit - out.count
                var got = 0
                // One kind ref: one kind and one set of member names for every row.
                var shared: (kind: String, keys: [UInt8]?)?
                try page.forEachRow([.integer(kindRefs[c.kind]), .integer(max(c.rowid, mark)), .integer(Int64(wanted))]) {
                    // The columns a text and its row need, not the whole stored row (its times
                    // and hashes spelled out, its other JSON copied).
                    let kind = shared ?? ($0.text(1) ?? "", $0.optionalBytes(6))
                    shared = kind
                    out.append(
                        TextRecord(
                            id: RecordStorage.idText($0.value(3)), rowid: $0.int(0), kind: kind.kind, user: $0.text(2) ?? "",
                            stored: StoredData($0, from: 4, keys: kind.keys)))
                    c.rowid = $0.int(0)
                    got += 1
                }
                if got < wanted { c = TextCursor(kind: c.kind + 1) }
            }
        }
        return (out, c.kind < kindRefs.count || out.count == limit ? c : nil)
    }

    /// The `record_kinds` refs of `kinds` (those the lake has), ascending.
    func textKindRefs(_ kinds: [String]) throws -> [Int64] {
        var refs: [Int64] = []
        let marks = kinds.map { _ in "?" }.joined(separator: ", ")
        try database.prepare("SELECT ref FROM record_kinds WHERE record_kind IN (\(marks)) ORDER BY ref").forEachRow(
            kinds.map { .text($0) }
        ) { refs.append($0.int(0)) }
        return refs
    }

    /// The first rowid above `after`, through `last`, of a record of `kinds` with no
    /// `record_texts` row, or nil: read on `records_kind` alone (its entries hold the rowids),
    /// no record is read.
    public func firstUnhashedTextRecord(kinds: [String], after: Int64, through last: Int64) throws -> Int64? {
        var first: Int64?
        try wrap {
            let find = try database.prepare(
                """
                SELECT r.rowid FROM records r INDEXED BY records_kind
                WHERE r.kind = ? AND r.rowid > ? AND r.rowid <= ? AND NOT EXISTS (SELECT 1 FROM record_texts t WHERE t.record = r.rowid)
                ORDER BY r.rowid LIMIT 1
                """)
            for kind in try textKindRefs(kinds) {
                try find.forEachRow([.integer(kind), .integer(after), .integer(last)]) { r in first = min(first ?? r.int(0), r.int(0)) }
            }
        }
        return first
    }

    /// Creates the staging folder if missing.
    public func makeStagingDirectory() throws {
        do {
            try FileManager.default.createDirectory(atPath: stagingDirectory, withIntermediateDirectories: true)
        } catch {
            throw LakeError(.lakeStorage, scope: .input, input: directory, message: "cannot create the staging folder: \(error)")
        }
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
                SELECT k.record_kind, r.data, r.line, k.keys, r.occurred_at, r.source_offset
                FROM record_texts t JOIN records r ON r.rowid = t.record
                JOIN record_sources s ON s.ref = r.source
                JOIN record_kinds k ON k.ref = r.kind WHERE t.text_hash = ? LIMIT 1
                """)
            statement = try lake.database.prepare(
                """
                SELECT s.input, s.input_sha256, s.path, k.record_kind, r.idx, r.id, r.data, r.line, k.keys, r.occurred_at, r.source_offset,
                  r.rowid
                FROM record_texts t JOIN records r ON r.rowid = t.record
                JOIN record_sources s ON s.ref = r.source
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
                    // The columns the position and `data` need, as `unhashedTextRecords` reads them.
                    out = (
                        ExportPosition(
                            input: $0.bytes(0), inputSHA256: $0.bytes(1), path: $0.bytes(2), index: $0.int(4),
                            id: Array(RecordStorage.idText($0.value(5)).utf8), rowid: $0.int(11)),
                        $0.text(3) ?? "",
                        try Lake.data($0, from: 6)
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
                    out = (
                        $0.text(0) ?? "",
                        try Lake.data($0, from: 1)
                    )
                }
            }
            return out
        }
    }

    public func firstTextReader() throws -> FirstTextReader { try wrap { try FirstTextReader(lake: self) } }

    /// Calls `body(record, first, rowid)` for every record whose text equals an earlier
    /// record's, with the first record (export order) of that text and the record's row. Only the texts two or more records share
    /// (found on the `record_texts_hash` index) have their records read, by rowid, and sorted by
    /// their place (their source's rank in export order, equal for equal places, then index and
    /// id). Every row is a hot record's: a record's row goes with it (`records_deleted_text`).
    public func identicalTextRecords(_ body: (_ id: String, _ first: String, _ rowid: Int64) throws -> Void) throws {
        try wrap {
            try database.prepare(
                """
                SELECT id, first, rowid FROM (
                  SELECT r.id AS id, first_value(r.id) OVER w AS first, row_number() OVER w AS n, r.rowid AS rowid
                  FROM (SELECT text_hash FROM record_texts WHERE text_hash IS NOT NULL GROUP BY text_hash HAVING count(*) > 1) d
                  JOIN record_texts t ON t.text_hash = d.text_hash
                  JOIN records r ON r.rowid = t.record
                  JOIN (SELECT ref, dense_rank() OVER (ORDER BY input, input_sha256, path) AS rank FROM record_sources) s
                    ON s.ref = r.source
                  WINDOW w AS (PARTITION BY t.text_hash ORDER BY s.rank, r.idx, r.id))
                WHERE n > 1 ORDER BY id
                """
            ).forEachRow { try body(RecordStorage.idText($0.value(0)), RecordStorage.idText($0.value(1)), $0.int(2)) }
        }
    }
}
