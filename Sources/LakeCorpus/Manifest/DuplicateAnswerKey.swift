import LakeCore
import LakeParsers

/// An export's `duplicate_of` links scored against a corpus's planted duplicates (docs/SPEC.md
/// 9.1): a planted pair is found when the record at `second` links to the record at `first`
/// with the method of its kind (`content_hash` for exact pairs, `minhash` for near ones); a
/// link that is no planted pair of its kind is a false positive.
public final class DuplicateAnswerKey {
    /// `exact` or `near`.
    public static let kinds = [("exact", "content_hash"), ("near", "minhash")]

    private var planted: [String: Set<String>] = [:]
    /// Record id by `file NUL entry NUL index`, and each record's links (method, target).
    private var ids: [String: String] = [:]
    private var links: [(source: String, method: String, target: String)] = []

    public init(manifest: JSONValue) {
        for d in manifest["duplicates"]?.arrayValue ?? [] {
            guard let kind = d["kind"]?.stringValue, case .number(let first)? = d["first"], case .number(let second)? = d["second"]
            else { continue }
            let file = d["file"]?.stringValue ?? "", entry = d["entry"]?.stringValue ?? ""
            planted[kind, default: []].insert(PIIAnswerKey.key(file, entry, second) + "\u{1}" + PIIAnswerKey.key(file, entry, first))
        }
    }

    public func add(recordLine line: [UInt8]) throws {
        let record = try JSONReader.parse(line, limits: JSONLimits(maxDepth: 64, maxDocumentBytes: 1 << 30))
        guard let source = record["source"], case .number(let index)? = source["index"], let id = record["id"]?.stringValue else { return }
        let key = PIIAnswerKey.key(source["input"]?.stringValue ?? "", source["path"]?.stringValue ?? "", index)
        ids[id] = key
        for r in record["relationships"]?.arrayValue ?? [] where r["type"]?.stringValue == "duplicate_of" {
            links.append((key, r["method"]?.stringValue ?? "", r["target"]?.stringValue ?? ""))
        }
    }

    /// Counts per kind, in `kinds` order (the type is `exact_duplicate` or `near_duplicate`).
    public var results: [PIIAnswerKey.Result] {
        Self.kinds.map { kind, method in
            var r = PIIAnswerKey.Result(type: kind + "_duplicate")
            let wanted = planted[kind] ?? []
            var found = Set<String>()
            for l in links where l.method == method {
                let pair = l.source + "\u{1}" + (ids[l.target] ?? "?")
                if wanted.contains(pair) { found.insert(pair) } else { r.falsePositives += 1 }
            }
            r.truePositives = found.count
            r.falseNegatives = wanted.count - found.count
            return r
        }
    }
}
