/// One canonical record: the unit of the lake and of `datapunk export` (docs/SPEC.md, "Records").
///
/// ```swift
/// let line = record.canonicalLine()  // one NDJSON line, without the newline
/// ```
public struct LakeRecord: Sendable, Equatable {
    /// Where a record came from: the input, the path inside it, and its index in that file.
    public struct Source: Sendable, Equatable {
        /// The input's file name (the last path component; for a URL, of the URL's path).
        public var input: String
        public var inputSHA256: String
        /// The entry's path inside the input ("" when the input is the file itself).
        public var path: String
        /// 0-based position of the record in its file.
        public var index: Int
        public init(input: String, inputSHA256: String, path: String, index: Int) {
            self.input = input
            self.inputSHA256 = inputSHA256
            self.path = path
            self.index = index
        }
    }

    /// An entity found in or declared by the record.
    public struct Entity: Sendable, Equatable {
        public var kind: String
        public var value: String
        /// "source" when the export declared it (Twitter's `entities`), else the detector's name.
        public var method: String
        public init(kind: String, value: String, method: String) {
            self.kind = kind
            self.value = value
            self.method = method
        }
    }

    /// One transformation applied to the record, in order.
    /// A link from this record to another thing the export holds (docs/SPEC.md 3): a tweet it
    /// replies to, the thread a message is in, the photo a sidecar describes.
    public struct Relationship: Sendable, Equatable {
        /// `reply_to`, `in_thread`, `describes`, `like_of`, `comment_on`.
        public var type: String
        /// What it points at, as the export names it (a tweet id, a thread path, a file path).
        public var target: String
        /// 1 when the export states the link, less when it is inferred.
        public var confidence: String
        /// `source` (a field of the export), `path` (from file names), `text` (from a sentence).
        public var method: String
        public init(type: String, target: String, confidence: String, method: String) {
            self.type = type
            self.target = target
            self.confidence = confidence
            self.method = method
        }
    }

    public struct LineageStep: Sendable, Equatable {
        public var step: String
        public var version: String
        public init(_ step: String, version: String) {
            self.step = step
            self.version = version
        }
    }

    public var id: String
    public var source: Source
    public var exportKind: String
    public var recordKind: String
    /// UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ`, or nil when the record has no time.
    public var occurredAt: String?
    /// The offset the source wrote the time in (`+00:00`), or nil when it gave none.
    public var sourceOffset: String?
    public var user: String
    /// `YYYY-MM` of occurred_at, or `undated`.
    public var partition: String
    /// Primary shard first, then replicas.
    public var shards: [Int]
    public var category: String
    /// `personal`, `analytics` or `system` (docs/SPEC.md 5.10), set by content validation;
    /// nil before it ran.
    public var dataClass: String?
    /// The language code, or nil when unknown.
    public var language: String?
    /// How `language` was decided ("source" when the export declared it), or nil.
    public var languageMethod: String?
    /// The detector's confidence as a number text with 2 decimals, when `languageMethod` is
    /// `detected`, `fallback` or `undetermined`.
    public var languageConfidence: String?
    public var data: JSONValue
    public var pii: [JSONValue]
    public var entities: [Entity]
    public var relationships: [Relationship] = []
    public var lineage: [LineageStep]
    /// XXH64 of the canonical raw record, 16 hex digits.
    public var contentHash: String

    /// The record as the JSON object of docs/SPEC.md.
    public var jsonValue: JSONValue {
        func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        return .object([
            .init("id", .string(id)),
            .init(
                "source",
                .object([
                    .init("input", .string(source.input)),
                    .init("input_sha256", .string(source.inputSHA256)),
                    .init("path", .string(source.path)),
                    .init("index", .number(String(source.index))),
                ])),
            .init("export_kind", .string(exportKind)),
            .init("record_kind", .string(recordKind)),
            .init("occurred_at", str(occurredAt)),
            .init("source_offset", str(sourceOffset)),
            .init("user", .string(user)),
            .init("partition", .string(partition)),
            .init(
                "shard",
                .object([
                    .init("primary", .number(String(shards.first ?? 0))),
                    .init("replicas", .array(shards.dropFirst().map { .number(String($0)) })),
                ])),
            .init("category", .string(category)),
            .init("data_class", str(dataClass)),
            .init("language", languageValue),
            .init("data", data),
            .init("pii", .array(pii)),
            .init("entities", entitiesValue),
            .init("relationships", relationshipsValue),
            .init("lineage", lineageValue),
            .init("content_hash", .string(contentHash)),
        ])
    }

    /// The `language` member: null, or code, method and (when measured) confidence.
    public var languageValue: JSONValue {
        guard let language else { return .null }
        return .object(
            [.init("code", .string(language)), .init("method", languageMethod.map { .string($0) } ?? .null)]
                + (languageConfidence.map { [JSONMember("confidence", .number($0))] } ?? []))
    }

    public var entitiesValue: JSONValue {
        .array(
            entities.map {
                .object([.init("kind", .string($0.kind)), .init("value", .string($0.value)), .init("method", .string($0.method))])
            })
    }

    public var relationshipsValue: JSONValue {
        .array(
            relationships.map {
                .object([
                    .init("type", .string($0.type)), .init("target", .string($0.target)), .init("confidence", .number($0.confidence)),
                    .init("method", .string($0.method)),
                ])
            })
    }

    public var lineageValue: JSONValue {
        .array(lineage.map { .object([.init("step", .string($0.step)), .init("version", .string($0.version))]) })
    }

    /// The canonical NDJSON line of this record, without the trailing newline.
    public func canonicalLine() -> [UInt8] { CanonicalJSON.encode(jsonValue) }
}

extension LakeRecord {
    public init(
        id: String, source: Source, exportKind: String, recordKind: String, occurredAt: String?,
        sourceOffset: String?, user: String, partition: String, shards: [Int], category: String,
        language: String?, languageMethod: String?, data: JSONValue, pii: [JSONValue], entities: [Entity],
        lineage: [LineageStep], contentHash: String
    ) {
        // The implicit memberwise initializer makes the record: an explicit one that sets each
        // member (Swift 6.3, -O) built it twice and copied it, every string retained and released.
        self.init(
            id: id, source: source, exportKind: exportKind, recordKind: recordKind, occurredAt: occurredAt, sourceOffset: sourceOffset,
            user: user, partition: partition, shards: shards, category: category, dataClass: nil, language: language,
            languageMethod: languageMethod, languageConfidence: nil, data: data, pii: pii, entities: entities, relationships: [],
            lineage: lineage, contentHash: contentHash)
    }
}
