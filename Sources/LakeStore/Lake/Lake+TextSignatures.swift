import Foundation
import LakeCore

/// Writing `record_texts` and `text_signatures`, and reading the band buckets back. A text's
/// band keys are one row (`text_signatures`: the text hash, its keys as a blob), not one row per
/// key: on a 256 MB Takeout's first load, 127,359 rows instead of 2,037,744 (migration 21). The
/// near pass wants the keys two or more texts share; `sharedBandMembers` finds them in bounded
/// memory (`SharedBands`).
extension Lake {
    /// Band keys one text may have (`NearDuplicates.bands`); a signature row holds up to this many.
    public static let maxBandKeys = 16

    /// Writes `record_texts` and `text_signatures` rows with statements prepared once. Both wait
    /// in `SortedRuns` (run files in the staging folder past 2.6 MB of text rows or 1.3 MB of
    /// signatures: the hashing runs beside the index build, the stage's memory peak) and go in
    /// key order at `finish()`, all of them: each page of either table is then visited once, in
    /// order, and into an empty table the rows are appended. Into an empty `record_texts` (a
    /// first load), its index `record_texts_hash` is built after the rows, not moved row by row.
    public final class RecordTextWriter {
        static let insertText = "INSERT OR REPLACE INTO record_texts(record, text_hash)"
        static let insertSignature = "INSERT OR IGNORE INTO text_signatures(text_hash, bands)"
        let text: SQLiteStatement
        let verifiedText: SQLiteStatement
        let lake: Lake
        let signatures: SortedRuns<SignatureRow>
        let texts: SortedRuns<TextRow>
        /// Rows of ids not stored as 16 bytes (none from this version's records), in `set` order.
        var otherIDs: [(id: SQLiteValue, row: TextRow)] = []

        /// A `record_texts` row: its record's rowid and text hash, and the 16 bytes of the
        /// record's id as two big-endian words (zero for an id kept in `otherIDs`), to check
        /// the rowid still names that record (`finish(verifying:)`).
        struct TextRow {
            var rowid: Int64
            var high: UInt64
            var low: UInt64
            var hash: UInt64
            var hashed: Bool
        }

        /// A `text_signatures` row: a text hash and its distinct band keys, ascending.
        struct SignatureRow: BitwiseCopyable {
            var hash: UInt64
            var count: Int
            /// `maxBandKeys` of them (a type takes the number as a literal); the first `count` used.
            var keys: InlineArray<16, UInt32>
        }

        init(lake: Lake) throws {
            self.lake = lake
            text = try lake.database.prepare(Self.insertText + " VALUES (?1, ?2)")
            verifiedText = try lake.database.prepare(
                "INSERT OR REPLACE INTO record_texts(record, text_hash) SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM records WHERE rowid = ?1 AND id = ?3)"
            )
            try lake.makeStagingDirectory()
            // In the order of the table's integer key (signed): into an empty table, appended.
            signatures = SortedRuns(path: lake.scratchFiles.textSignatures, runLength: 1 << 14, key: { Lake.signedOrder($0.hash) }) {
                Lake.signedOrder($0.hash) < Lake.signedOrder($1.hash)
            }
            texts = SortedRuns(path: lake.scratchFiles.textRows, runLength: 1 << 16, key: { UInt64(bitPattern: $0.rowid) }) {
                $0.rowid < $1.rowid
            }
        }

        /// Records each record's rowid and id, text hash (nil: not compared) and its text's band
        /// keys (at most `maxBandKeys`; every record of a text has the same; nil: another
        /// record of the text, given to this writer too, gives them); all wait for `finish`.
        /// Nothing here touches the catalog: another thread may call it while the lake's
        /// connection works (`NearDuplicateFinder.TextHashing`).
        public func set(_ rows: [(rowid: Int64, id: String, hash: UInt64?, bands: [UInt32]?)]) throws {
            for r in rows {
                let id = RecordStorage.idWords(r.id)
                let row = TextRow(rowid: r.rowid, high: id?.high ?? 0, low: id?.low ?? 0, hash: r.hash ?? 0, hashed: r.hash != nil)
                if id != nil { try texts.append(row) } else { otherIDs.append((RecordStorage.idValue(r.id), row)) }
                if let h = r.hash, let bands = r.bands { try signatures.append(Self.signature(h, bands)) }
            }
        }

        /// A text's row: its keys without repeats, ascending.
        static func signature(_ hash: UInt64, _ bands: [UInt32]) -> SignatureRow {
            precondition(bands.count <= Lake.maxBandKeys, "a text has at most \(Lake.maxBandKeys) band keys")
            var row = SignatureRow(hash: hash, count: 0, keys: InlineArray(repeating: 0))
            for key in bands.sorted() where row.count == 0 || row.keys[row.count - 1] != key {
                row.keys[row.count] = key
                row.count += 1
            }
            return row
        }

        /// Binds a row (its id, bound by the caller, only when `verifying`) and inserts it.
        private func insert(_ row: TextRow, verifying: Bool) throws {
            let statement = verifying ? verifiedText : text
            try Self.bind(row, at: 0, to: statement)
            try statement.execute()
        }

        /// Binds a row's record and text hash after the first `base` parameters.
        private static func bind(_ row: TextRow, at base: Int32, to statement: SQLiteStatement) throws {
            try statement.bind(base + 1, integer: row.rowid)
            if row.hashed {
                try statement.bind(base + 2, integer: Int64(bitPattern: row.hash))
            } else {
                try statement.bind(base + 2, utf8: nil)
            }
        }

        /// Writes the rows that wait, in key order (a text written before adds nothing), calling
        /// `check` every 65,536 rows (it throws to stop). `verifying`: a row goes in only while
        /// its rowid still names its record (records were removed since they were read, and a
        /// later one may have been given a rowid they had).
        public func finish(_ check: () throws -> Void = {}, verifying: Bool = false) throws {
            var n = 0
            try lake.wrap {
                var empty = false
                try lake.database.prepare("SELECT NOT EXISTS (SELECT 1 FROM record_texts)").forEachRow { empty = $0.int(0) == 1 }
                if empty { try lake.database.execute("DROP INDEX IF EXISTS \(Lake.recordTextsIndex.name)") }
                // Statements of 64 rows (`BatchedInsert`): one SQLite step each, not one per row.
                var rows = try BatchedInsert<TextRow>(lake.database, Self.insertText, columns: 2) { try Self.bind($0, at: $1, to: $2) }
                try texts.forEachSorted { row in
                    n += 1
                    if n % 65_536 == 0 { try check() }
                    guard verifying else { return try rows.add(row) }
                    // Bound one by one: no array of values, nor of the id's bytes, per row.
                    try verifiedText.bind(3, idWords: (row.high, row.low))
                    try insert(row, verifying: true)
                }
                try rows.finish()
                for (id, row) in otherIDs {
                    if verifying { try verifiedText.bind(3, id) }
                    try insert(row, verifying: verifying)
                }
                // Sorted in runs of the sorting cache, merged by a second thread (`sortingForIndexes`).
                if empty { try lake.sortingForIndexes { try lake.database.execute(Lake.recordTextsIndex.sql) } }
                var last: UInt64?
                var signed = try BatchedInsert<SignatureRow>(lake.database, Self.insertSignature, columns: 2) { row, base, s in
                    try s.bind(base + 1, integer: Int64(bitPattern: row.hash))
                    try s.bind(base + 2, bigEndianKeys: (0..<row.count).lazy.map { row.keys[$0] })
                }
                try signatures.forEachSorted { row in
                    n += 1
                    if n % 65_536 == 0 { try check() }
                    // The records of one text come together: its row is written once.
                    guard row.hash != last else { return }
                    last = row.hash
                    try signed.add(row)
                }
                try signed.finish()
            }
        }
    }

    public func recordTextWriter() throws -> RecordTextWriter { try wrap { try RecordTextWriter(lake: self) } }

    /// Removes the signatures of texts no `record_texts` row has any more (a record's row goes
    /// with it: `records_deleted_text`).
    static let forgetUnusedSignaturesSQL =
        "DELETE FROM text_signatures WHERE text_hash NOT IN (SELECT text_hash FROM record_texts WHERE text_hash IS NOT NULL);"

    /// Removes the signatures of texts no `record_texts` row has any more.
    public func forgetUnusedSignatures() throws { try wrap { try database.execute(Self.forgetUnusedSignaturesSQL) } }

    /// A 64-bit integer's order as SQLite's signed integers, as an unsigned key.
    public static func signedOrder(_ x: UInt64) -> UInt64 { x ^ (1 << 63) }

    /// A sort key for a band key (4 bytes, below 2^32) and a text together: the band, then the
    /// text's top 32 bits as a signed integer. It agrees with the order by band, then text (both
    /// signed), so only members of one band whose texts share their top 32 bits tie on it; with
    /// the band alone, every member of a shared bucket tied and was compared whole.
    public static func bandTextKey(band: UInt64, text: UInt64) -> UInt64 {
        assert(band >> 32 == 0, "a band key has 4 bytes")
        return band << 32 | signedOrder(text) >> 32
    }

    /// The band keys of a `text_signatures.bands` blob (4 bytes each, big-endian; from schema
    /// 26); nil when its length is not a whole number of keys or too many (a damaged row).
    public static func bandKeys(ofSignature blob: [UInt8]) -> [UInt32]? {
        guard blob.count % 4 == 0, blob.count / 4 <= maxBandKeys else { return nil }
        return blob.withUnsafeBytes { raw in
            (0..<blob.count / 4).map { UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
        }
    }

    /// Calls `body` with every `text_signatures` row: a text hash and its band keys, in text
    /// order (as signed integers: the table's key). A blob that is not whole 4-byte keys is an
    /// error naming the row.
    public func forEachTextSignature(_ body: (UInt64, [UInt32]) throws -> Void) throws {
        try wrap {
            try database.prepare("SELECT text_hash, bands FROM text_signatures ORDER BY text_hash").forEachRow {
                let text = UInt64(bitPattern: $0.int(0))
                guard let keys = Self.bandKeys(ofSignature: $0.bytes(1)) else {
                    throw LakeError(
                        .lakeStorage, scope: .input, input: catalogPath,
                        message: "text_signatures row \(Int64(bitPattern: text)): its bands are not whole 4-byte keys")
                }
                try body(text, keys)
            }
        }
    }

    /// Members of one band partition sorted in memory at most (32 MiB; `SharedBands`).
    public static let sharedBandsMemoryLimit = 1 << 22

    /// Calls `body` with every member of every band bucket that two or more texts share: the
    /// text's hash and the band key, in text order, then band order (both as signed integers).
    /// The members wait in the staging folder (`SharedBands`); `body` may query the lake
    /// meanwhile (nothing is written during the pass). `memoryLimit`: members of one partition
    /// sorted in memory at most (smaller for a test). `stop` is called every 65,536 texts read
    /// and between partitions: it throws to stop (a job paused).
    public func sharedBandMembers(
        memoryLimit: Int = sharedBandsMemoryLimit, stop: () throws -> Void = {}, _ body: (UInt64, UInt64) throws -> Void
    ) throws {
        try makeStagingDirectory()
        let bands = SharedBands(files: scratchFiles, memoryLimit: memoryLimit)
        try forEachTextSignature {
            try bands.add(text: $0, bands: $1)
            if bands.texts % 65_536 == 0 { try stop() }
        }
        try bands.forEachShared(stop: stop, body)
    }
}
