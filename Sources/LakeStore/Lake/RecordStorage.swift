import LakeCore

/// How a `RecordRow` goes into `records` and comes back: the column list, the value forms
/// (an id of 32 hex digits as 16 bytes, a content hash of 16 hex digits as an integer, a
/// canonical time as milliseconds; anything else as its text), and the fragments of the
/// referenced rows, read once per export.
enum RecordStorage {
    /// The insert of one row; `insertSQL(rows:)` of several in one statement.
    static let insertSQL = insertSQL(rows: 1)

    /// An insert of `rows` rows, each with the 15 parameters `bind(_:at:…)` binds. One
    /// statement for many rows is run, reset and has its cursors opened once for all of them
    /// (a row at a time, each reset freed the statement's registers and cursors, and each run
    /// allocated them again: about 14 allocations a row).
    static func insertSQL(rows: Int) -> String {
        """
        INSERT OR IGNORE INTO records(id, source, idx, kind, owner, occurred_at, content_hash, data, language, entities, pii,
          relationships, source_offset, checksum, line)
        VALUES \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", "))
        """
    }

    /// The parameters of a row in `insertSQL`.
    static let parametersPerRow: Int32 = 15

    /// The columns `Stored` reads, in its order (prefix them with `r.` by naming the table `r`).
    static let selectColumns =
        "r.id, r.idx, r.occurred_at, r.content_hash, r.data, r.language, r.entities, r.pii, r.relationships, r.source_offset, r.checksum, r.line, r.source, r.kind, r.owner"
    /// How many columns `selectColumns` names: a column selected after them has this index.
    static let selectColumnCount = selectColumns.split(separator: ",").count

    /// Whether a record id is in `archived_ids`: an archived record is never inserted hot again
    /// (it lives in its partition file until `restore` takes it out of `archived_ids`).
    static let archivedSQL = "SELECT 1 FROM archived_ids WHERE id = ?"

    /// Whether the lake has archived any record (an inserter made while it has none need not
    /// ask per record: only `archive`, under the writer lock, adds to `archived_ids`).
    static func anyArchived(_ db: SQLiteDatabase) throws -> Bool {
        var any = false
        try db.cached("SELECT 1 FROM archived_ids LIMIT 1").forEachRow { _ in any = true }
        return any
    }

    /// Inserts `row` with `statement` (prepared from `insertSQL`), its references resolved (and
    /// inserted when new), unless `archived` (prepared from `archivedSQL`; nil when the lake
    /// has no archived records) finds its id.
    static func insert(
        _ held: Lake.HeldRow, jobID: String, refs: RecordRefs, _ db: SQLiteDatabase, with statement: SQLiteStatement,
        archived: SQLiteStatement?
    ) throws {
        if let archived {
            var found = false
            try archived.forEachRow([idValue(held.row.columns.id)]) { _ in found = true }
            if found { return }
        }
        statement.reset()
        try bind(held, at: 0, jobID: jobID, refs: refs, db, to: statement)
        try statement.execute()
    }

    /// Binds `row`'s values to `statement`'s parameters after the first `base` (a multiple of
    /// `parametersPerRow`), its references resolved (and inserted when new). Parameters are
    /// bound one by one: no array of values per record.
    static func bind(
        _ held: Lake.HeldRow, at base: Int32, jobID: String, refs: RecordRefs, _ db: SQLiteDatabase, to statement: SQLiteStatement
    ) throws {
        if let words = idWords(held.row.columns.id) {
            try statement.bind(base + 1, idWords: words)
        } else {
            try statement.bind(base + 1, text: held.row.columns.id)
        }
        try statement.bind(base + 2, integer: try refs.source(held.row.source, jobID: jobID, db))
        try statement.bind(base + 3, integer: Int64(held.row.columns.index))
        try statement.bind(base + 5, integer: try refs.owner(held.row.owner, db))
        if let t = held.row.columns.occurredAt {
            if let ms = StoredTime.millis(t) { try statement.bind(base + 6, integer: ms) } else { try statement.bind(base + 6, text: t) }
        } else {
            try statement.bind(base + 6, utf8: nil)
        }
        if let h = hashWord(held.row.columns.contentHash) {
            try statement.bind(base + 7, integer: Int64(bitPattern: h))
        } else {
            try statement.bind(base + 7, text: held.row.columns.contentHash)
        }
        // Not `storedForms ?? StoredForms(columns)`: the autoclosure copied the columns (ten
        // retains and releases per row on the committer's thread); nor `if let forms`, which
        // copied the forms.
        if held.row.storedForms != nil {
            try bind(held.row.storedForms!, held, at: base, refs: refs, db, to: statement)
        } else {
            try bind(CompactAnnotations.StoredForms(held.row.columns), held, at: base, refs: refs, db, to: statement)
        }
        // Minutes as their digits: bound as an integer, the column's text affinity made SQLite
        // convert it, allocating for the text, as it stored each row.
        let offset = StoredOffset.value(held.row.columns.sourceOffset)
        if case .integer(let minutes) = offset {
            try statement.bind(base + 13, digitsOf: minutes)
        } else {
            try statement.bind(base + 13, offset)
        }
        try statement.bind(base + 14, integer: checksumValue(held.row.checksum))
        try statement.bind(base + 15, blob: held.row.line)
    }

    /// The kind (with the names `data` is stored without, when its kind may have more) and
    /// `data`, then the annotations.
    private static func bind(
        _ forms: borrowing CompactAnnotations.StoredForms, _ held: Lake.HeldRow, at base: Int32, refs: RecordRefs,
        _ db: SQLiteDatabase, to statement: SQLiteStatement
    ) throws {
        // The forms' shape is read in place (a copy of it cost a retain of each array per row).
        var kind = try refs.kind(held.row.kind, keys: forms.data?.keys, db)
        if !kind.shaped, let keys = forms.data?.keys, CompactData.hasFixed(keys) {
            // The kind has all the fixed values it may: this row stores its own.
            let c = held.row.columns
            let own = CompactData.shape(
                c.data, millis: c.occurredAt.flatMap { StoredTime.millis($0) }, offset: StoredOffset.minutes(c.sourceOffset),
                fixing: false)
            kind = try refs.kind(held.row.kind, keys: own?.keys, db)
            try statement.bind(base + 8, utf8: kind.shaped ? own?.data ?? c.data : c.data)
        } else if kind.shaped, forms.data != nil {
            try statement.bind(base + 8, utf8: forms.data?.data)
        } else {
            try statement.bind(base + 8, utf8: held.row.columns.data)
        }
        try statement.bind(base + 4, integer: kind.ref)
        // Languages and entity lists that records share are stored once (`StoredLists`).
        if let language = forms.language {
            try statement.bind(base + 9, utf8: try refs.listed(language, listable: StoredLists.listableLanguage(language), db))
        } else {
            try statement.bind(base + 9, utf8: nil)
        }
        if let entities = forms.entities {
            try statement.bind(base + 10, utf8: try refs.listed(entities, listable: StoredLists.listableEntities(entities), db))
        } else {
            try statement.bind(base + 10, utf8: nil)
        }
        try statement.bind(base + 11, utf8: forms.pii)
        try statement.bind(base + 12, utf8: forms.relationships)
    }

    /// A record's canonical relationships as `records.relationships` stores them (compact and
    /// coded against the record's `data`, or null for none).
    static func relationshipsValue(_ canonical: [UInt8]?, data: [UInt8]) -> SQLiteValue {
        guard let canonical else { return .null }
        return .text(String(decoding: CompactAnnotations.compactRelationships(canonical, data: data), as: UTF8.self))
    }

    /// A record's checksum as `records.checksum` stores it (schema 35): the top 31 bits of the
    /// XXH64 of its canonical line, which SQLite keeps in 4 bytes instead of 8 (3 MB of the 256 MB
    /// Takeout corpus's catalog). A damaged row still passes only once in 2^31.
    static func checksumValue(_ checksum: UInt64) -> Int64 { Int64(checksum >> 33) }

    /// Whether a stored checksum is that of `line`: its top 31 bits, or (a row written before
    /// schema 35) the whole XXH64.
    static func checksumMatches(_ stored: UInt64, _ line: [UInt8]) -> Bool {
        let hash = XXH64.hash(line)
        return stored == hash >> 33 || stored == hash
    }

    /// A record id as stored: 32 lowercase hex digits as their 16 bytes, anything else as text.
    static func idValue(_ id: String) -> SQLiteValue {
        guard let words = idWords(id) else { return .text(id) }
        return .blob(idBytes(words.high, words.low))
    }

    /// A content hash as stored: 16 lowercase hex digits as a 64-bit integer, anything else as text.
    static func hashValue(_ hash: String) -> SQLiteValue {
        guard let word = hashWord(hash) else { return .text(hash) }
        return .integer(Int64(bitPattern: word))
    }

    /// A content hash of 16 lowercase hex digits as its 64-bit value, or nil for any other.
    static func hashWord(_ hash: String) -> UInt64? {
        guard hash.utf8.count == 16 else { return nil }
        return hash.withUTF8InPlace { hexWord($0, at: 0) }
    }

    /// A record id of 32 lowercase hex digits as its 16 bytes in two big-endian words (their
    /// order is the id blob's and the text's), or nil for any other id.
    static func idWords(_ id: String) -> (high: UInt64, low: UInt64)? {
        guard id.utf8.count == 32 else { return nil }
        return id.withUTF8InPlace { utf8 in
            guard let high = hexWord(utf8, at: 0), let low = hexWord(utf8, at: 16) else { return nil }
            return (high, low)
        }
    }

    /// The 16 lowercase hex digits at `at` as a 64-bit value (the first digit highest), or
    /// nil when any of them is not one: eight digits at a time, in one word each (SWAR).
    private static func hexWord(_ utf8: UnsafeBufferPointer<UInt8>, at: Int) -> UInt64? {
        let base = UnsafeRawPointer(utf8.baseAddress! + at)
        let high = UInt64(bigEndian: base.loadUnaligned(as: UInt64.self))
        let low = UInt64(bigEndian: (base + 8).loadUnaligned(as: UInt64.self))
        guard let h = nibbles(high), let l = nibbles(low) else { return nil }
        return UInt64(h) << 32 | UInt64(l)
    }

    /// The eight hex digits in `word`'s bytes (the first in the highest byte) as 32 bits, or nil
    /// when a byte is not `0`-`9` or `a`-`f`.
    @inline(__always)
    private static func nibbles(_ word: UInt64) -> UInt32? {
        let highBits: UInt64 = 0x8080_8080_8080_8080
        // Each byte's high bit, after adding 0x80 - lo: set when the byte is at least lo (no
        // byte carries into the next: every byte is below 0x80 by then).
        func atLeast(_ lo: UInt64) -> UInt64 { (word &+ (0x80 &- lo) &* 0x0101_0101_0101_0101) & highBits }
        guard word & highBits == 0 else { return nil }
        let digit = atLeast(0x30) & ~atLeast(0x3A)
        let letter = atLeast(0x61) & ~atLeast(0x67)
        guard digit | letter == highBits else { return nil }
        // A digit's value is its low nibble; a letter's is its low nibble plus 9.
        var v = (word & 0x0F0F_0F0F_0F0F_0F0F) &+ ((letter >> 7) &* 9)
        v = (v | v >> 4) & 0x00FF_00FF_00FF_00FF
        v = (v | v >> 8) & 0x0000_FFFF_0000_FFFF
        return UInt32(truncatingIfNeeded: v | v >> 16)
    }

    /// The 16 bytes of an id given as `idWords`.
    static func idBytes(_ high: UInt64, _ low: UInt64) -> [UInt8] {
        (0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? high : low) >> (56 - 8 * ($0 % 8))) }
    }

    static func idText(_ v: SQLiteValue) -> String {
        switch v {
        case .blob(let b): return Hex.string(b)
        case .text(let t): return t
        default: return ""
        }
    }

    static func hashText(_ v: SQLiteValue) -> String {
        switch v {
        case .integer(let i): return Hex.string(UInt64(bitPattern: i))
        case .text(let t): return t
        default: return ""
        }
    }

    /// One row read with `selectColumns` from column `at`: `MainValues.stored` reads one
    /// canonical (`data` and annotations as the line has them).
    struct Stored {
        var columns: RecordRow.Columns
        var checksum: UInt64
        var line: [UInt8]?
        var source: Int64
        var kind: Int64
        var owner: Int64
        /// The time as stored when it is milliseconds (`StoredTime`): what derived members of
        /// `data` are made from.
        var millis: Int64?
        /// The source offset as stored when it is minutes (`StoredOffset`): the same.
        var offset: Int?

        init(columns: RecordRow.Columns, checksum: UInt64, line: [UInt8]?, source: Int64, kind: Int64, owner: Int64) {
            self.columns = columns
            self.checksum = checksum
            self.line = line
            self.source = source
            self.kind = kind
            self.owner = owner
        }

        /// The columns as stored: `canonicalize` makes them canonical.
        init(raw r: SQLiteStatement, at k: Int = 0) {
            func json(_ i: Int) -> [UInt8]? { r.optionalBytes(k + i) }
            let time: String?
            switch r.value(k + 2) {
            case .integer(let ms):
                time = StoredTime.text(ms)
                millis = ms
            case .text(let t): time = t
            default: time = nil
            }
            columns = RecordRow.Columns(
                id: idText(r.value(k)), index: Int(r.int(k + 1)), occurredAt: time, contentHash: hashText(r.value(k + 3)),
                data: r.bytes(k + 4), language: json(5), entities: json(6), pii: json(7), relationships: json(8),
                sourceOffset: StoredOffset.text(r.value(k + 9)))
            offset = StoredOffset.minutes(stored: r.value(k + 9))
            checksum = UInt64(bitPattern: r.int(k + 10))
            line = json(11)
            source = r.int(k + 12)
            kind = r.int(k + 13)
            owner = r.int(k + 14)
        }

        /// `data` with its member names `keys` again (its kind's, `CompactData`; nil: stored
        /// whole), then the annotations expanded against it. A row whose values and names do
        /// not fit together keeps its stored `data`: the line it makes fails its checksum.
        mutating func canonicalize(keys: [UInt8]?) {
            if let keys, let data = CompactData.expand(columns.data, keys: keys, millis: millis, offset: offset) { columns.data = data }
            CompactAnnotations.StoredForms.canonical(&columns)
        }
    }
}
