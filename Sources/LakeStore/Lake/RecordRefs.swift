import Foundation
import LakeCore

/// The references of `records` rows into `record_sources`, `record_kinds` and `record_owners`:
/// looked up in memory (each table is read whole the first time), a missing value inserted
/// once. Values inserted inside a transaction that is rolled back are forgotten with it, so a
/// reference never points at a row that was not committed.
final class RecordRefs {
    /// Keys are the values' UTF-8 bytes: String's == and hash follow canonical equivalence, so
    /// two spellings of one name (NFC and NFD paths) would share a row.
    typealias Key = [[UInt8]]
    private static func key(_ parts: String?...) -> Key { parts.map { $0.map { Array($0.utf8) } ?? [0xFF] } }
    static func key(_ s: RecordRow.Source, jobID: String) -> Key { key(jobID, s.input, s.inputSHA256, s.path) }
    static func key(_ k: RecordRow.Kind) -> Key {
        key(k.exportKind, k.recordKind, k.category, k.dataClass) + [k.lineage]
    }
    static func key(_ o: RecordRow.Owner) -> Key { key(o.user, shardsText(o.shards)) }

    private var sources: [Key: Int64] = [:]
    private var kinds: [Key: Int64] = [:]
    private var owners: [Key: Int64] = [:]
    private var loaded = false
    /// How to forget each value inserted since the last commit, should it roll back.
    private var forget: [(RecordRefs) -> Void] = []

    /// The shards of an owner as stored: `"8,2"` (primary first).
    static func shardsText(_ shards: [Int]) -> String { shards.map(String.init).joined(separator: ",") }
    static func shards(_ text: String) -> [Int] { text.split(separator: ",").compactMap { Int($0) } }

    private func load(_ db: SQLiteDatabase) throws {
        guard !loaded else { return }
        try db.prepare("SELECT ref, job_id, input, input_sha256, path FROM record_sources").forEachRow {
            let s = RecordRow.Source(input: $0.text(2) ?? "", inputSHA256: $0.text(3) ?? "", path: $0.text(4) ?? "")
            sources[Self.key(s, jobID: $0.text(1) ?? "")] = $0.int(0)
        }
        try db.prepare("SELECT ref, export_kind, record_kind, category, data_class, lineage FROM record_kinds").forEachRow {
            let k = RecordRow.Kind(
                exportKind: $0.text(1) ?? "", recordKind: $0.text(2) ?? "", category: $0.text(3) ?? "", dataClass: $0.text(4),
                lineage: $0.bytes(5))
            kinds[Self.key(k)] = $0.int(0)
        }
        try db.prepare("SELECT ref, user, shards FROM record_owners").forEachRow {
            owners[Self.key(RecordRow.Owner(user: $0.text(1) ?? "", shards: Self.shards($0.text(2) ?? "")))] = $0.int(0)
        }
        loaded = true
    }

    // The last value of each kind and its ref: consecutive records mostly share them, and a
    // comparison of bytes costs less than building a key.
    private var lastSource: (jobID: String, source: RecordRow.Source, ref: Int64)?
    private var lastKind: (kind: RecordRow.Kind, ref: Int64)?
    private var lastOwner: (owner: RecordRow.Owner, ref: Int64)?

    func source(_ s: RecordRow.Source, jobID: String, _ db: SQLiteDatabase) throws -> Int64 {
        if let l = lastSource, SameBytes.same(l.jobID, jobID), l.source.sameBytes(s) { return l.ref }
        let ref = try sourceRef(s, jobID: jobID, db)
        lastSource = (jobID, s, ref)
        return ref
    }

    func kind(_ k: RecordRow.Kind, _ db: SQLiteDatabase) throws -> Int64 {
        if let l = lastKind, l.kind.sameBytes(k) { return l.ref }
        let ref = try kindRef(k, db)
        lastKind = (k, ref)
        return ref
    }

    func owner(_ o: RecordRow.Owner, _ db: SQLiteDatabase) throws -> Int64 {
        if let l = lastOwner, l.owner.sameBytes(o) { return l.ref }
        let ref = try ownerRef(o, db)
        lastOwner = (o, ref)
        return ref
    }

    private func sourceRef(_ s: RecordRow.Source, jobID: String, _ db: SQLiteDatabase) throws -> Int64 {
        try resolve(Self.key(s, jobID: jobID), in: \.sources, db) {
            try db.cached("INSERT INTO record_sources(job_id, input, input_sha256, path) VALUES (?, ?, ?, ?)").run([
                .text(jobID), .text(s.input), .text(s.inputSHA256), .text(s.path),
            ])
        }
    }

    private func kindRef(_ k: RecordRow.Kind, _ db: SQLiteDatabase) throws -> Int64 {
        try resolve(Self.key(k), in: \.kinds, db) {
            try db.prepare("INSERT INTO record_kinds(export_kind, record_kind, category, data_class, lineage) VALUES (?, ?, ?, ?, ?)")
                .run([
                    .text(k.exportKind), .text(k.recordKind), .text(k.category), k.dataClass.map { .text($0) } ?? .null,
                    .text(String(decoding: k.lineage, as: UTF8.self)),
                ])
        }
    }

    private func ownerRef(_ o: RecordRow.Owner, _ db: SQLiteDatabase) throws -> Int64 {
        try resolve(Self.key(o), in: \.owners, db) {
            try db.prepare("INSERT INTO record_owners(user, shards) VALUES (?, ?)").run([.text(o.user), .text(Self.shardsText(o.shards))])
        }
    }

    /// The ref of `key` in `table`, inserted by `insert` when the lake does not hold it yet.
    private func resolve(
        _ key: Key, in table: ReferenceWritableKeyPath<RecordRefs, [Key: Int64]>, _ db: SQLiteDatabase, insert: () throws -> Void
    ) throws -> Int64 {
        try load(db)
        if let ref = self[keyPath: table][key] { return ref }
        try insert()
        let ref = db.lastInsertRowID
        self[keyPath: table][key] = ref
        forget.append { $0[keyPath: table][key] = nil }
        return ref
    }

    private var cachedValues: MainValues?

    /// The values of referenced rows, for rebuilding lines (kept until a rollback or `reset`).
    func values(_ db: SQLiteDatabase) throws -> MainValues {
        if let v = cachedValues { return v }
        let v = try MainValues(db)
        cachedValues = v
        return v
    }

    private func forgetLast() {
        lastSource = nil
        lastKind = nil
        lastOwner = nil
    }

    /// The transaction committed: its values stay.
    func committed() { forget.removeAll() }

    /// The transaction rolled back: its values are forgotten.
    func rolledBack() {
        for f in forget { f(self) }
        forget.removeAll()
        // A rolled-back row's ref may be given to another value next: nothing read may stay.
        cachedValues = nil
        forgetLast()
    }

    /// Forgets everything (after rows were deleted or rewritten outside this cache).
    func reset() {
        sources = [:]
        kinds = [:]
        owners = [:]
        forget.removeAll()
        loaded = false
        cachedValues = nil
        forgetLast()
    }
}
