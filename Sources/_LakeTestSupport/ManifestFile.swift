import LakeCore
import LakeParsers

/// A generated corpus's `manifest.json`, read with the project's JSON reader (not with the
/// generator's types), so the corpus tests check the file other implementations will read.
public struct ManifestFile {
    public struct PII {
        public var file, entry, field, type, value: String
        public var index: Int
        public var valid: Bool
    }

    public struct Duplicate {
        public var kind, file, entry: String
        public var first, second: Int
    }

    public struct Entry {
        public var path, recordKind, sha256: String
        public var records: Int
    }

    public struct Input {
        public var file, exportKind, user, sha256: String
        public var entries: [Entry]
    }

    public var inputs: [Input] = []
    /// `file:entry:field` → nulls and records.
    public var nullRates: [String: (nulls: Int, records: Int)] = [:]
    public var pii: [PII] = []
    public var duplicates: [Duplicate] = []
    public var raw: JSONValue

    public init(path: String) throws {
        raw = try JSONReader.parse(TestPaths.read(path), limits: JSONLimits(maxDepth: 16, maxDocumentBytes: 1 << 30))
        func int(_ v: JSONValue?) -> Int { Int(CanonicalJSON.string(v ?? .null)) ?? -1 }
        for i in raw["inputs"]?.arrayValue ?? [] {
            inputs.append(
                Input(
                    file: i["file"]?.stringValue ?? "", exportKind: i["export_kind"]?.stringValue ?? "", user: i["user"]?.stringValue ?? "",
                    sha256: i["sha256"]?.stringValue ?? "",
                    entries: (i["entries"]?.arrayValue ?? []).map {
                        Entry(
                            path: $0["path"]?.stringValue ?? "", recordKind: $0["record_kind"]?.stringValue ?? "",
                            sha256: $0["sha256"]?.stringValue ?? "",
                            records: int($0["records"]))
                    }))
        }
        for m in raw["null_rates"]?.objectMembers ?? [] { nullRates[m.key] = (int(m.value["nulls"]), int(m.value["records"])) }
        for p in raw["pii"]?.arrayValue ?? [] {
            pii.append(
                PII(
                    file: p["file"]?.stringValue ?? "", entry: p["entry"]?.stringValue ?? "", field: p["field"]?.stringValue ?? "",
                    type: p["type"]?.stringValue ?? "", value: p["value"]?.stringValue ?? "", index: int(p["index"]),
                    valid: p["valid"] == .bool(true)))
        }
        for d in raw["duplicates"]?.arrayValue ?? [] {
            duplicates.append(
                Duplicate(
                    kind: d["kind"]?.stringValue ?? "", file: d["file"]?.stringValue ?? "", entry: d["entry"]?.stringValue ?? "",
                    first: int(d["first"]), second: int(d["second"])))
        }
    }
}
