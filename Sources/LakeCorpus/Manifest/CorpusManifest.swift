import LakeCore

/// The answer key written next to a generated corpus as `manifest.json` (canonical JSON):
/// what was planted, so other implementations (and ours) can be checked against it.
public struct CorpusManifest: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var recordKind: String
        public var records: Int
        public var sha256: String
    }

    public struct Input: Sendable, Equatable {
        public var file: String
        public var exportKind: String
        public var user: String
        public var sha256: String
        public var entries: [Entry]
    }

    public struct PII: Sendable, Equatable {
        public var file: String
        public var entry: String
        public var index: Int
        public var field: String
        public var planted: PlantedPII
    }

    public struct Duplicate: Sendable, Equatable {
        /// `exact` (the same element twice) or `near` (one character changed, its own id).
        public var kind: String
        public var file: String
        public var entry: String
        public var first: Int
        public var second: Int
    }

    public var profile: String
    public var seed: UInt64
    public var scale: String
    public var users: [String]
    public var inputs: [Input]
    public var pii: [PII]
    public var duplicates: [Duplicate]
    /// Inputs (or entries in them) a safe pipeline must refuse, with the rule that must fire.
    public struct Refusal: Sendable, Equatable {
        public var file: String
        /// The entry inside the file, or nil when the whole file is refused.
        public var entry: String?
        public var rule: String
        public var note: String
    }

    public var refused: [Refusal] = []
    /// `entry:field` → the share of that entry's records where the field is null or missing.
    public var nullRates: [String: (nulls: Int, records: Int)]

    public static func == (a: CorpusManifest, b: CorpusManifest) -> Bool { a.jsonBytes == b.jsonBytes }

    public var jsonValue: JSONValue {
        func n(_ v: Int) -> JSONValue { .number(String(v)) }
        return .object([
            .init("generator", .object([.init("name", .string("datapunk corpus")), .init("version", .string(CorpusGenerator.version))])),
            .init("profile", .string(profile)),
            .init("seed", .number(String(seed))),
            .init("scale", .string(scale)),
            .init("users", .array(users.map { .string($0) })),
            .init("inputs", .array(inputs.map { i in
                .object([
                    .init("file", .string(i.file)), .init("export_kind", .string(i.exportKind)), .init("user", .string(i.user)),
                    .init("sha256", .string(i.sha256)),
                    .init("entries", .array(i.entries.map { e in
                        .object([.init("path", .string(e.path)), .init("record_kind", .string(e.recordKind)), .init("records", n(e.records)),
                                 .init("sha256", .string(e.sha256))])
                    })),
                ])
            })),
            .init("pii", .array(pii.map { p in
                .object([
                    .init("file", .string(p.file)), .init("entry", .string(p.entry)), .init("index", n(p.index)), .init("field", .string(p.field)),
                    .init("type", .string(p.planted.type)), .init("value", .string(p.planted.value)), .init("valid", .bool(p.planted.valid)),
                    .init("country", p.planted.country.map { .string($0) } ?? .null),
                ])
            })),
            .init("duplicates", .array(duplicates.map { d in
                .object([.init("kind", .string(d.kind)), .init("file", .string(d.file)), .init("entry", .string(d.entry)),
                         .init("first", n(d.first)), .init("second", n(d.second))])
            })),
            .init("null_rates", .object(nullRates.keys.sorted().map { key in
                let (nulls, records) = nullRates[key]!
                return .init(key, .object([.init("nulls", n(nulls)), .init("records", n(records))]))
            })),
            .init("refused", .array(refused.map { r in
                .object([.init("file", .string(r.file)), .init("entry", r.entry.map { .string($0) } ?? .null),
                         .init("rule", .string(r.rule)), .init("note", .string(r.note))])
            })),
        ])
    }

    public var jsonBytes: [UInt8] { CanonicalJSON.encode(jsonValue) + [0x0A] }
}
