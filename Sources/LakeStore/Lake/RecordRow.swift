import LakeCore
import LakeParsers

/// A record as the catalog stores it (docs/SPEC.md 7.4, "Compact records"): what repeats across
/// records is stored once, by reference — the source file (`record_sources`), the kind with its
/// category, data class and lineage (`record_kinds`), and the user with their shards
/// (`record_owners`) — and each row keeps only what varies: its id (16 bytes), index, time
/// (milliseconds), content hash (8 bytes), `data` as canonical JSON text (from schema 29 its
/// values, the member names in its kind's row: `CompactData`), and language,
/// entities, PII findings, relationships and source offset when they are not the empty value.
///
/// `RecordLine.assemble` rebuilds the canonical line byte for byte; a line that does not fit the
/// template (a record written by an older datapunk, without `data_class`) keeps its whole line
/// in `line` instead, so every line the lake ever took reads back as it was.
public struct RecordRow: Sendable {
    /// The file a record came from: one `record_sources` row per job and file.
    public struct Source: Sendable {
        public var input: String
        public var inputSHA256: String
        public var path: String
    }

    /// What a record is and what was done to it: one `record_kinds` row per distinct value.
    public struct Kind: Sendable {
        public var exportKind: String
        public var recordKind: String
        public var category: String
        public var dataClass: String?
        /// The canonical JSON of the lineage array.
        public var lineage: [UInt8]
    }

    /// Whose record it is and where it is sharded: one `record_owners` row per distinct value.
    public struct Owner: Sendable {
        public var user: String
        /// Primary first, then replicas.
        public var shards: [Int]
    }

    /// What varies from record to record.
    public struct Columns: Sendable {
        public var id: String
        public var index: Int
        public var occurredAt: String?
        public var contentHash: String
        /// Canonical JSON of `data`.
        public var data: [UInt8]
        /// Canonical JSON of `language`; nil for null.
        public var language: [UInt8]?
        /// Canonical JSON of the arrays; nil for `[]`.
        public var entities: [UInt8]?
        public var pii: [UInt8]?
        public var relationships: [UInt8]?
        public var sourceOffset: String?
    }

    /// A change to them drops `storedForms` (made from the columns as they were).
    public var columns: Columns { didSet { storedForms = nil } }
    public var source: Source
    public var kind: Kind
    public var owner: Owner
    /// XXH64 of the canonical line.
    public var checksum: UInt64
    /// The whole canonical line, for a record the template does not rebuild; nil otherwise.
    public var line: [UInt8]?
    /// The annotations as `records` stores them, made by the worker that made the row (nil:
    /// made from `columns` when the row is stored).
    var storedForms: CompactAnnotations.StoredForms?

    /// Makes the stored annotations now, as the mapping worker that makes a row does (a row
    /// read back from its line has none; the inserter would make them as it stores the row).
    public mutating func makeStoredForms() { storedForms = CompactAnnotations.StoredForms(columns) }
}

// The initializers are in an extension so the row keeps its implicit memberwise initializer.
extension RecordRow {
    /// The stored form of `record` (its canonical line is rebuilt from it, not encoded twice).
    /// `cache` as below.
    public init(_ record: borrowing LakeRecord, cache: LineCache? = nil) {
        self = Self.stored(record, encodedData: CanonicalJSON.encode(record.data), decoded: true, cache: cache)
    }

    /// The stored form of a record whose `data` a mapper wrote as canonical bytes
    /// (`DirectRecord`): `record.data` is not read, `data` is.
    /// `cache` keeps the encoded kind, owner and source between the records one worker stores.
    public init(_ record: borrowing LakeRecord, data: [UInt8], cache: LineCache? = nil) {
        self = Self.stored(record, encodedData: data, decoded: false, cache: cache)
    }

    /// The stored form of a record a tape mapper wrote (`DirectRecord`), its strings and
    /// arrays moved out of `record`, not copied: `record` keeps only what
    /// `ChunkMetrics.Validation.Seen` reads (its PII findings and data class). A record whose
    /// line the template does not rebuild is copied, as by `init(_:data:cache:)`.
    public init(taking record: inout LakeRecord, data: [UInt8], cache: LineCache) {
        guard RecordLine.isPartition(record.partition, of: record.occurredAt), !record.shards.isEmpty else {
            self = Self.stored(record, encodedData: data, decoded: false, cache: cache)
            return
        }
        #if DEBUG
            let expected = Self.line(record, data: data)
        #endif
        // What is encoded from the record is made before its parts move out.
        let lineage = cache.lineageJSON(record)
        let (language, entities, pii, relationships) = Self.annotations(record)
        let source = Source(
            input: take(&record.source.input), inputSHA256: take(&record.source.inputSHA256), path: take(&record.source.path))
        let kind = Kind(
            exportKind: take(&record.exportKind), recordKind: take(&record.recordKind), category: take(&record.category),
            dataClass: record.dataClass, lineage: lineage)
        let owner = Owner(user: take(&record.user), shards: take(&record.shards))
        let columns = Columns(
            id: take(&record.id), index: record.source.index, occurredAt: take(&record.occurredAt), contentHash: take(&record.contentHash),
            data: data, language: language, entities: entities, pii: pii, relationships: relationships,
            sourceOffset: take(&record.sourceOffset))
        #if DEBUG
            let row = Self.made(source, kind, owner, columns, line: nil, cache: cache)
            assert(RecordLine.assemble(row, cache: cache) == expected, "the template rebuilt another line for \(row.columns.id)")
            self = row
        #else
            self = Self.made(source, kind, owner, columns, line: nil, cache: cache)
        #endif
    }

    /// `decoded`: `record.data` is the value of `encodedData` (else it is read back when the
    /// whole line is needed).
    private static func stored(_ record: borrowing LakeRecord, encodedData: [UInt8], decoded: Bool, cache: LineCache?) -> RecordRow {
        let (language, entities, pii, relationships) = annotations(record)
        let source = Source(input: record.source.input, inputSHA256: record.source.inputSHA256, path: record.source.path)
        let kind = Kind(
            exportKind: record.exportKind, recordKind: record.recordKind, category: record.category, dataClass: record.dataClass,
            lineage: cache?.lineageJSON(record) ?? record.lineageJSON)
        let owner = Owner(user: record.user, shards: record.shards)
        let columns = Columns(
            id: record.id, index: record.source.index, occurredAt: record.occurredAt, contentHash: record.contentHash,
            data: encodedData, language: language, entities: entities, pii: pii, relationships: relationships,
            sourceOffset: record.sourceOffset)
        // The canonical line of the record with its data read back from the bytes.
        func whole() -> [UInt8] { decoded ? record.canonicalLine() : Self.line(record, data: encodedData) }
        var line: [UInt8]?
        if !RecordLine.isPartition(record.partition, of: record.occurredAt) || record.shards.isEmpty {
            line = whole()
        }
        #if DEBUG
            let row = made(source, kind, owner, columns, line: line, cache: cache)
            assert(line != nil || RecordLine.assemble(row, cache: cache) == whole(), "the template rebuilt another line for \(record.id)")
            return row
        #else
            return made(source, kind, owner, columns, line: line, cache: cache)
        #endif
    }

    /// The record's canonical line with `data` (its canonical bytes) read back as its data.
    private static func line(_ record: borrowing LakeRecord, data: [UInt8]) -> [UInt8] {
        var r = copy record
        r.data = (try? JSONReader.parse(data, limits: .canonicalLines)) ?? record.data
        return r.canonicalLine()
    }

    /// The record's language, entities, PII findings and relationships as canonical JSON (nil
    /// for null and `[]`).
    private static func annotations(_ record: borrowing LakeRecord) -> ([UInt8]?, [UInt8]?, [UInt8]?, [UInt8]?) {
        (
            record.languageJSON, record.entities.isEmpty ? nil : record.entitiesJSON,
            record.pii.isEmpty ? nil : CanonicalJSON.encode(.array(record.pii)),
            record.relationships.isEmpty ? nil : record.relationshipsJSON
        )
    }

    /// The row of these parts, with its checksum and stored annotations. Made by the implicit
    /// memberwise initializer, the parts consumed: an explicit initializer (Swift 6.3, -O)
    /// built the row twice and copied it, each column retained and released again, and so did
    /// a row changed after it was made (the stored forms are made first).
    private static func made(
        _ source: consuming Source, _ kind: consuming Kind, _ owner: consuming Owner, _ columns: consuming Columns, line: [UInt8]?,
        cache: LineCache?
    ) -> RecordRow {
        var checksum: UInt64 = 0
        if let line {
            checksum = XXH64.hash(line)
        } else if let cache {
            checksum = cache.checksum(columns, kind: kind, owner: owner, source: source)
        } else {
            checksum = XXH64.hash(
                RecordLine.assemble(columns, kind: .init(copy kind), owner: .init(copy owner), source: .init(copy source)))
        }
        let storedForms = CompactAnnotations.StoredForms(columns, cache: cache)
        return RecordRow(
            columns: columns, source: source, kind: kind, owner: owner, checksum: checksum, line: line, storedForms: storedForms)
    }

    /// The stored form of a canonical line read back (a record whose relationships changed, or
    /// one migrated from an older catalog). The line is kept whole when the template does not
    /// give it back byte for byte.
    /// - Throws: `LakeError` when `line` is not a JSON object.
    public init(line bytes: [UInt8]) throws {
        let value = try JSONReader.parse(bytes, limits: .canonicalLines)
        func text(_ key: String) -> String? { value[key]?.stringValue }
        func encoded(_ key: String) -> [UInt8]? {
            guard let v = value[key], v != .null else { return nil }
            if let a = v.arrayValue, a.isEmpty { return nil }
            return CanonicalJSON.encode(v)
        }
        let src = value["source"]
        source = Source(
            input: src?["input"]?.stringValue ?? "", inputSHA256: src?["input_sha256"]?.stringValue ?? "",
            path: src?["path"]?.stringValue ?? "")
        kind = Kind(
            exportKind: text("export_kind") ?? "", recordKind: text("record_kind") ?? "", category: text("category") ?? "",
            dataClass: text("data_class"), lineage: CanonicalJSON.encode(value["lineage"] ?? .array([])))
        let shard = value["shard"]
        owner = Owner(
            user: text("user") ?? "",
            shards: ([shard?["primary"]] + (shard?["replicas"]?.arrayValue ?? []).map { Optional($0) }).compactMap {
                RecordLine.number($0).map(Int.init)
            })
        columns = Columns(
            id: text("id") ?? "", index: Int(RecordLine.number(src?["index"]) ?? 0), occurredAt: text("occurred_at"),
            contentHash: text("content_hash") ?? "", data: CanonicalJSON.encode(value["data"] ?? .null), language: encoded("language"),
            entities: encoded("entities"), pii: encoded("pii"), relationships: encoded("relationships"),
            sourceOffset: text("source_offset"))
        checksum = XXH64.hash(bytes)
        line = nil
        if RecordLine.assemble(self) != bytes { line = bytes }
    }

    /// The same record with other shards: its line and checksum follow (a line kept whole is
    /// read, given the new `shard` member and written again).
    func withShards(_ shards: [Int]) throws -> RecordRow {
        var row = self
        row.owner.shards = shards
        if let whole = line {
            let value = try JSONReader.parse(whole, limits: .canonicalLines)
            let shard = JSONValue.object([
                .init("primary", .number(String(shards.first ?? 0))),
                .init("replicas", .array(shards.dropFirst().map { .number(String($0)) })),
            ])
            return try RecordRow(line: CanonicalJSON.encode(value.setting("shard", shard)))
        }
        row.checksum = XXH64.hash(RecordLine.assemble(row))
        return row
    }

    /// The canonical line.
    public var canonicalLine: [UInt8] { line ?? RecordLine.assemble(self) }
}

/// `value`, leaving the empty value in its place (a move: no retain, no release).
@inline(__always) private func take<T: RangeReplaceableCollection>(_ value: inout T) -> T {
    var out = T()
    swap(&out, &value)
    return out
}

@inline(__always) private func take(_ value: inout String?) -> String? {
    var out: String?
    swap(&out, &value)
    return out
}
