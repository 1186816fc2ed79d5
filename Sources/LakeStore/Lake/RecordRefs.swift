import Foundation
import LakeCore

/// The references of `records` rows into `record_sources`, `record_kinds` and `record_owners`:
/// looked up in memory (each table is read whole the first time), a missing value inserted
/// once. Values inserted inside a transaction that is rolled back are forgotten with it, so a
/// reference never points at a row that was not committed.
final class RecordRefs {
    /// Keys are the values' UTF-8 bytes: String's == and hash follow canonical equivalence, so
    /// two spellings of one name (NFC and NFD paths) would share a row.
    typealias Key = ByteKey
    static func key(_ s: RecordRow.Source, jobID: String) -> Key { Key(strings: jobID, s.input, s.inputSHA256, s.path) }
    static func key(_ k: RecordRow.Kind) -> Key {
        Key(strings: k.exportKind, k.recordKind, k.category, k.dataClass).appending(k.lineage)
    }
    /// A kind's key ends with the member names its rows store `data` without, or with an
    /// absent part when they store it whole.
    private static func key(base: Key, names: [UInt8]?) -> Key { base.appending(names) }
    static func key(_ o: RecordRow.Owner) -> Key { Key(strings: o.user, shardsText(o.shards)) }

    private var sources: [Key: Int64] = [:]
    private var kinds: [Key: Int64] = [:]
    /// How many sets of member names each kind (its key without names) has (`CompactData`).
    private var shapes: [Key: Int] = [:]
    /// How many of them hold a fixed member (`CompactData.Rule.fixed`).
    private var fixedShapes: [Key: Int] = [:]
    private var owners: [Key: Int64] = [:]
    /// `stored_lists` (schema 39, `StoredLists`): each value stored once, by its bytes, and its
    /// ref as the decimal text a row stores (a look-up allocates nothing).
    private var lists: [ByteKey: [UInt8]] = [:]
    private var loaded = false
    /// Whether the catalog has `record_kinds.keys` (schema 29): a migration before it stores
    /// every `data` whole.
    private let shaping: Bool
    /// How to forget each value inserted since the last commit, should it roll back.
    private var forget: [(RecordRefs) -> Void] = []

    /// Whether the catalog has `stored_lists` (schema 39): a migration before it stores every
    /// annotation in its row.
    private let listing: Bool

    init(shaping: Bool = true, listing: Bool = true) {
        self.shaping = shaping
        self.listing = listing
    }

    /// The shards of an owner as stored: `"8,2"` (primary first).
    static func shardsText(_ shards: [Int]) -> String { shards.map(String.init).joined(separator: ",") }
    static func shards(_ text: String) -> [Int] { text.split(separator: ",").compactMap { Int($0) } }

    private func load(_ db: SQLiteDatabase) throws {
        guard !loaded else { return }
        try db.prepare("SELECT ref, job_id, input, input_sha256, path FROM record_sources").forEachRow {
            let s = RecordRow.Source(input: $0.text(2) ?? "", inputSHA256: $0.text(3) ?? "", path: $0.text(4) ?? "")
            sources[Self.key(s, jobID: $0.text(1) ?? "")] = $0.int(0)
        }
        try db.prepare(
            "SELECT ref, export_kind, record_kind, category, data_class, lineage, \(shaping ? "keys" : "NULL") FROM record_kinds"
        )
        .forEachRow {
            let k = RecordRow.Kind(
                exportKind: $0.text(1) ?? "", recordKind: $0.text(2) ?? "", category: $0.text(3) ?? "", dataClass: $0.text(4),
                lineage: $0.bytes(5))
            let keys = $0.optionalBytes(6)
            let base = Self.key(k)
            kinds[Self.key(base: base, names: keys)] = $0.int(0)
            if let keys {
                shapes[base, default: 0] += 1
                if CompactData.hasFixed(keys) { fixedShapes[base, default: 0] += 1 }
            }
        }
        try db.prepare("SELECT ref, user, shards FROM record_owners").forEachRow {
            owners[Self.key(RecordRow.Owner(user: $0.text(1) ?? "", shards: Self.shards($0.text(2) ?? "")))] = $0.int(0)
        }
        if listing {
            try db.prepare("SELECT ref, value FROM stored_lists").forEachRow {
                lists[ByteKey($0.bytes(1))] = Array(String($0.int(0)).utf8)
            }
        }
        loaded = true
    }

    // The last value of each kind and its ref: consecutive records mostly share them, and a
    // comparison of bytes costs less than building a key.
    // The last source and owner and their refs (nil: none yet), compared where they are
    // stored: `if let l = lastSource` copied them, a retain and a release of each string per row.
    private var lastSource = (jobID: "", source: RecordRow.Source(input: "", inputSHA256: "", path: ""))
    private var lastSourceRef: Int64?
    /// The last few kinds asked for, with the names asked for and what they gave: a file's
    /// records alternate between a few sets of names.
    private var recentKinds: [RecentKind] = []
    /// Objects: reading a tuple's fields out of the array copied the whole tuple (a retain of
    /// each of its strings) for each one compared.
    private final class RecentKind {
        let kind: RecordRow.Kind
        let keys: [UInt8]?
        let ref: Int64
        let shaped: Bool
        init(_ kind: RecordRow.Kind, _ keys: [UInt8]?, _ ref: Int64, _ shaped: Bool) {
            (self.kind, self.keys, self.ref, self.shaped) = (kind, keys, ref, shaped)
        }
    }
    private var nextRecentKind = 0
    private var lastOwner = RecordRow.Owner(user: "", shards: [])
    private var lastOwnerRef: Int64?

    func source(_ s: RecordRow.Source, jobID: String, _ db: SQLiteDatabase) throws -> Int64 {
        if let ref = lastSourceRef, SameBytes.same(lastSource.jobID, jobID), lastSource.source.sameBytes(s) { return ref }
        let ref = try sourceRef(s, jobID: jobID, db)
        (lastSource, lastSourceRef) = ((jobID, s), ref)
        return ref
    }

    /// The ref of kind `k` whose rows store `data` without the member names `keys`, and
    /// whether they do: a kind with `CompactData.maxShapesPerKind` sets of names already gets
    /// no other (its rows store `data` whole: the ref of null names), nor one with a fixed
    /// member when it has `maxFixedShapesPerKind` of those, unless `always` (a row whose
    /// `data` is stored without them already).
    func kind(_ k: RecordRow.Kind, keys: [UInt8]?, always: Bool = false, _ db: SQLiteDatabase) throws -> (ref: Int64, shaped: Bool) {
        for r in recentKinds where r.kind.sameBytes(k) && SameBytes.same(r.keys, keys) && (r.shaped || !always) {
            return (r.ref, r.shaped)
        }
        // The kind's key is made once: the look-up, the limit and the insert share it.
        let base = Self.key(k)
        var stored = shaping ? keys : nil
        var key = Self.key(base: base, names: stored)
        if let names = stored, !always {
            try load(db)
            if kinds[key] == nil
                && (shapes[base, default: 0] >= CompactData.maxShapesPerKind
                    || (fixedShapes[base, default: 0] >= CompactData.maxFixedShapesPerKind && CompactData.hasFixed(names)))
            {
                stored = nil
                key = Self.key(base: base, names: nil)
            }
        }
        let ref = try kindRef(k, key: key, base: base, keys: stored, db)
        let recent = RecentKind(k, keys, ref, stored != nil)
        if recentKinds.count < 8 {
            recentKinds.append(recent)
        } else {
            recentKinds[nextRecentKind] = recent
            nextRecentKind = (nextRecentKind + 1) % recentKinds.count
        }
        return (ref, stored != nil)
    }

    func owner(_ o: RecordRow.Owner, _ db: SQLiteDatabase) throws -> Int64 {
        if let ref = lastOwnerRef, lastOwner.sameBytes(o) { return ref }
        let ref = try ownerRef(o, db)
        (lastOwner, lastOwnerRef) = (o, ref)
        return ref
    }

    private func sourceRef(_ s: RecordRow.Source, jobID: String, _ db: SQLiteDatabase) throws -> Int64 {
        try resolve(Self.key(s, jobID: jobID), in: \.sources, db) {
            try db.cached("INSERT INTO record_sources(job_id, input, input_sha256, path) VALUES (?, ?, ?, ?)").run([
                .text(jobID), .text(s.input), .text(s.inputSHA256), .text(s.path),
            ])
        }
    }

    private static let insertKind =
        "INSERT INTO record_kinds(export_kind, record_kind, category, data_class, lineage) VALUES (?, ?, ?, ?, ?)"
    private static let insertShapedKind =
        "INSERT INTO record_kinds(export_kind, record_kind, category, data_class, lineage, keys) VALUES (?, ?, ?, ?, ?, ?)"

    /// `base`: `key(k)`; `key`: `key(base:names: keys)`.
    private func kindRef(_ k: RecordRow.Kind, key: Key, base: Key, keys: [UInt8]?, _ db: SQLiteDatabase) throws -> Int64 {
        try resolve(key, in: \.kinds, db) {
            var values: [SQLiteValue] = [
                .text(k.exportKind), .text(k.recordKind), .text(k.category), k.dataClass.map { .text($0) } ?? .null,
                .text(String(decoding: k.lineage, as: UTF8.self)),
            ]
            if let keys { values.append(.text(String(decoding: keys, as: UTF8.self))) }
            // Cached: a lake has a kind row per set of names (a statement prepared each time cost
            // about 500 allocations a row).
            try db.cached(keys == nil ? Self.insertKind : Self.insertShapedKind).run(values)
            guard let keys else { return }
            shapes[base, default: 0] += 1
            forget.append { $0.shapes[base, default: 1] -= 1 }
            if CompactData.hasFixed(keys) {
                fixedShapes[base, default: 0] += 1
                forget.append { $0.fixedShapes[base, default: 1] -= 1 }
            }
        }
    }

    /// What a row stores for `stored`, a compact annotation: the decimal ref of its
    /// `stored_lists` row (inserted when new) when `listable`, else `stored` itself.
    func listed(_ stored: [UInt8], listable: Bool, _ db: SQLiteDatabase) throws -> [UInt8] {
        guard listing, listable else { return stored }
        try load(db)
        let key = ByteKey(stored)
        if let ref = lists[key] { return ref }
        try db.cached("INSERT INTO stored_lists(value) VALUES (?)").run([.text(String(decoding: stored, as: UTF8.self))])
        let ref = Array(String(db.lastInsertRowID).utf8)
        lists[key] = ref
        forget.append { $0.lists[key] = nil }
        return ref
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
        lastSourceRef = nil
        recentKinds = []
        lastOwnerRef = nil
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
        shapes = [:]
        fixedShapes = [:]
        owners = [:]
        lists = [:]
        forget.removeAll()
        loaded = false
        cachedValues = nil
        forgetLast()
    }
}
