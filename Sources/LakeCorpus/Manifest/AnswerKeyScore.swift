import LakeCore
import LakeParsers

/// An export scored against a corpus's answer key (docs/SPEC.md 9.1): for each PII type, the
/// planted values found (true positives), the planted valid values missed (false negatives),
/// and the findings that are no planted valid value (false positives: an invalid card or SSN
/// found, or a value the generator did not plant).
///
/// ```swift
/// let score = try PIIAnswerKey(manifest: manifestJSON)
/// for line in exportLines { try score.add(recordLine: line) }
/// score.results  // [Result(type: "EMAIL_ADDRESS", truePositives: 41, ...)]
/// ```
public final class PIIAnswerKey {
    /// One type's counts.
    public struct Result: Sendable, Equatable {
        public var type: String
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0
        public var precision: Double { Self.ratio(truePositives, truePositives + falsePositives) }
        public var recall: Double { Self.ratio(truePositives, truePositives + falseNegatives) }
        /// An empty side counts as perfect: nothing planted, nothing found.
        static func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 1 : Double(a) / Double(b) }
    }

    /// The manifest's type names and the findings'.
    public static let types: [(planted: String, found: String)] = [
        ("email", "EMAIL_ADDRESS"), ("phone", "PHONE_NUMBER"), ("credit_card", "CREDIT_CARD"), ("ssn", "US_SSN"), ("iban", "IBAN"),
        ("ip_address", "IP_ADDRESS"),
    ]

    struct Planted {
        var type: String
        var value: String
        var valid: Bool
        var found = false
    }

    /// `file NUL entry NUL index` → what was planted in that record.
    private var planted: [String: [Planted]] = [:]
    private var falsePositives: [String: Set<String>] = [:]

    public init(manifest: JSONValue) {
        let names = Dictionary(uniqueKeysWithValues: Self.types.map { ($0.planted, $0.found) })
        for p in manifest["pii"]?.arrayValue ?? [] {
            guard let type = p["type"]?.stringValue.flatMap({ names[$0] }), let value = p["value"]?.stringValue,
                case .number(let index)? = p["index"]
            else { continue }
            let key = Self.key(p["file"]?.stringValue ?? "", p["entry"]?.stringValue ?? "", index)
            planted[key, default: []].append(Planted(type: type, value: value, valid: p["valid"] == .bool(true)))
        }
    }

    static func key(_ file: String, _ entry: String, _ index: String) -> String { file + "\u{0}" + entry + "\u{0}" + index }

    /// One canonical record line of the export.
    public func add(recordLine line: [UInt8]) throws {
        let record = try JSONReader.parse(line, limits: JSONLimits(maxDepth: 64, maxDocumentBytes: 1 << 30))
        guard let findings = record["pii"]?.arrayValue, !findings.isEmpty, let source = record["source"],
            case .number(let index)? = source["index"]
        else { return }
        let key = Self.key(source["input"]?.stringValue ?? "", source["path"]?.stringValue ?? "", index)
        for f in findings {
            guard let type = f["type"]?.stringValue, Self.types.contains(where: { $0.found == type }),
                let field = f["field"]?.stringValue, let text = Self.string(at: field, in: record["data"] ?? .null),
                case .number(let s)? = f["start"], case .number(let e)? = f["end"], let start = Int(s), let end = Int(e)
            else { continue }
            let scalars = Array(text.unicodeScalars)
            guard start >= 0, start <= end, end <= scalars.count else { continue }
            let value = Self.normalized(String(scalars: scalars[start..<end]), type: type)
            // The same value planted twice in one record (a mail from and to its owner) is found once for both.
            let matching =
                planted[key]?.indices.filter {
                    planted[key]![$0].type == type && Self.normalized(planted[key]![$0].value, type: type) == value
                        && planted[key]![$0].valid
                } ?? []
            if !matching.isEmpty {
                for k in matching { planted[key]![k].found = true }
            } else {
                falsePositives[type, default: []].insert(key + "\u{0}" + value)
            }
        }
    }

    /// Every type's counts, in `types` order.
    public var results: [Result] {
        Self.types.map { t in
            var r = Result(type: t.found)
            for list in planted.values {
                for p in list where p.type == t.found && p.valid {
                    if p.found { r.truePositives += 1 } else { r.falseNegatives += 1 }
                }
            }
            r.falsePositives = falsePositives[t.found]?.count ?? 0
            return r
        }
    }

    /// How values compare: phones by their digits, addresses case-insensitively, IBANs
    /// without spaces.
    static func normalized(_ v: String, type: String) -> String {
        switch type {
        case "PHONE_NUMBER": return String(v.unicodeScalars.filter { $0.value >= 0x30 && $0.value <= 0x39 }.map(Character.init))
        case "EMAIL_ADDRESS", "IP_ADDRESS": return v.lowercased()
        case "IBAN": return v.replacingOccurrences(of: " ", with: "")
        default: return v
        }
    }

    /// The string at a JSON pointer (RFC 6901) in `value`.
    static func string(at pointer: String, in value: JSONValue) -> String? { JSONPointer.resolve(pointer, in: value)?.stringValue }
}
