import LakeCore

/// The values behind the catalog's references (`record_sources`, `record_kinds`,
/// `record_owners`) and their encoded fragments, each read the first time a record needs it.
/// `RecordRefs` holds one and drops it when rows it may have read are rolled back or removed.
final class MainValues {
    private let statements: [SQLiteStatement]
    private var sources: [Int64: (jobID: String, source: RecordRow.Source, fragments: RecordLine.SourceFragments)] = [:]
    private var kinds: [Int64: (kind: RecordRow.Kind, fragments: RecordLine.KindFragments, keys: [UInt8]?)] = [:]
    private var owners: [Int64: (owner: RecordRow.Owner, fragments: RecordLine.OwnerFragments)] = [:]
    /// `stored_lists` rows read (`StoredLists`), and the statement, prepared at the first ref
    /// (a lake before schema 39, opened read-only, has no such table and no ref).
    private var lists: [Int64: [UInt8]] = [:]
    private var list: SQLiteStatement?
    private let db: SQLiteDatabase

    init(_ db: SQLiteDatabase) throws {
        self.db = db
        statements = [
            try db.prepare("SELECT job_id, input, input_sha256, path FROM record_sources WHERE ref = ?"),
            try db.prepare("SELECT export_kind, record_kind, category, data_class, lineage, keys FROM record_kinds WHERE ref = ?"),
            try db.prepare("SELECT user, shards FROM record_owners WHERE ref = ?"),
        ]
    }

    static func missing(_ s: RecordStorage.Stored, lake: String?) -> LakeError {
        LakeError(
            .lakeCorrupt, scope: .input, input: lake,
            message: "record \(s.columns.id) refers to a source, kind or owner the catalog does not hold: the catalog was damaged")
    }

    /// Reads the three values `s` refers to (nil for one the catalog does not hold).
    private func load(_ s: RecordStorage.Stored) throws {
        if sources[s.source] == nil {
            try statements[0].forEachRow([.integer(s.source)]) {
                let source = RecordRow.Source(input: $0.text(1) ?? "", inputSHA256: $0.text(2) ?? "", path: $0.text(3) ?? "")
                sources[s.source] = ($0.text(0) ?? "", source, .init(source))
            }
        }
        try loadKind(s.kind)
        if owners[s.owner] == nil {
            try statements[2].forEachRow([.integer(s.owner)]) {
                let owner = RecordRow.Owner(user: $0.text(0) ?? "", shards: RecordRefs.shards($0.text(1) ?? ""))
                owners[s.owner] = (owner, .init(owner))
            }
        }
    }

    private func loadKind(_ ref: Int64) throws {
        guard kinds[ref] == nil else { return }
        try statements[1].forEachRow([.integer(ref)]) {
            let kind = RecordRow.Kind(
                exportKind: $0.text(0) ?? "", recordKind: $0.text(1) ?? "", category: $0.text(2) ?? "", dataClass: $0.text(3),
                lineage: $0.bytes(4))
            kinds[ref] = (kind, .init(kind), $0.optionalBytes(5))
        }
    }

    /// The member names the rows of kind `ref` store their `data` without (`CompactData`);
    /// nil for rows that store it whole, or a kind the catalog does not hold.
    func keys(ofKind ref: Int64) throws -> [UInt8]? {
        try loadKind(ref)
        return kinds[ref]?.keys
    }

    /// The row `r` holds from column `at` (`RecordStorage.selectColumns`), made canonical: its
    /// `data` with its names again, its annotations expanded.
    func stored(_ r: SQLiteStatement, at k: Int = 0) throws -> RecordStorage.Stored {
        var s = RecordStorage.Stored(raw: r, at: k)
        // A ref the catalog does not hold stays as it is: the line it makes fails its checksum.
        if let e = s.columns.entities, let ref = StoredLists.reference(e) { s.columns.entities = try listed(ref) ?? e }
        if let l = s.columns.language, let ref = StoredLists.reference(l) { s.columns.language = try listed(ref) ?? l }
        s.canonicalize(keys: try keys(ofKind: s.kind))
        return s
    }

    /// The value `stored_lists` row `ref` holds, nil when none.
    private func listed(_ ref: Int64) throws -> [UInt8]? {
        if let value = lists[ref] { return value }
        if list == nil { list = try db.prepare("SELECT value FROM stored_lists WHERE ref = ?") }
        try list?.forEachRow([.integer(ref)]) { lists[ref] = $0.bytes(0) }
        return lists[ref]
    }

    /// The record with the values it refers to (`s` as `stored` gives it).
    /// - Throws: `lake.corrupt` when a reference points nowhere.
    func record(_ s: RecordStorage.Stored, lake: String? = nil) throws -> CursorRecord {
        try load(s)
        guard let source = sources[s.source], let kind = kinds[s.kind], let owner = owners[s.owner] else {
            throw Self.missing(s, lake: lake)
        }
        var r = CursorRecord(stored: s, jobID: source.jobID, source: source.source, kind: kind.kind, owner: owner.owner)
        r.fragments = (kind.fragments, owner.fragments, source.fragments)
        return r
    }

    /// The canonical line of a stored row (`s` as `stored` gives it).
    /// - Throws: `lake.corrupt` when a reference points nowhere.
    func line(_ s: RecordStorage.Stored, lake: String) throws -> [UInt8] {
        if let line = s.line { return line }
        try load(s)
        guard let source = sources[s.source], let kind = kinds[s.kind], let owner = owners[s.owner] else {
            throw Self.missing(s, lake: lake)
        }
        return RecordLine.assemble(s.columns, kind: kind.fragments, owner: owner.fragments, source: source.fragments)
    }
}
