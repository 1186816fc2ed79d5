import LakeCore

/// Content validation of one mapped record, between mapping and loading (docs/SPEC.md 5.10):
/// PII findings for every string of `data`, and the record's data class. Runs on the mapping
/// workers; the result depends on the record alone.
///
/// ```swift
/// var record = ...  // from a mapper
/// ContentValidator().validate(&record)
/// record.pii  // [{"type":"EMAIL_ADDRESS","field":"/text","start":5,"end":21,"score":0.98}]
/// ```
public struct ContentValidator: Sendable {
    public let scanner: PIIScanner

    public init(scanner: PIIScanner = PIIScanner()) { self.scanner = scanner }

    /// Sets `pii`, `dataClass`, and the lineage step `validate.pii` when anything was found.
    public func validate(_ record: inout LakeRecord) { apply(findings(in: record.data), to: &record) }

    /// What `validate` sets, from the findings of the record's data.
    func apply(_ findings: [Finding], to record: inout LakeRecord) {
        record.pii = findings.map(\.jsonValue)
        if !record.pii.isEmpty { record.lineage.append(.init("validate.pii", version: PIIScanner.version)) }
        record.dataClass = Self.dataClass(of: record)
    }

    /// One finding: a span of one string of `data`, at its JSON pointer.
    public struct Finding: Sendable, Equatable {
        public var field: String
        public var span: PIIScanner.Span

        public var jsonValue: JSONValue {
            .object([
                .init("type", .string(span.type)), .init("field", .string(field)), .init("start", .number(String(span.start))),
                .init("end", .number(String(span.end))), .init("score", .number(Self.hundredths(span.score))),
            ])
        }

        /// 85 as `0.85`, 100 as `1.00`.
        static func hundredths(_ n: Int) -> String {
            let c = min(100, max(0, n))
            return "\(c / 100).\(c % 100 < 10 ? "0" : "")\(c % 100)"
        }
    }

    /// Every finding in `data`'s strings, in document order (object members as stored, array
    /// elements in order), each string's findings by position.
    public func findings(in data: JSONValue) -> [Finding] {
        var out: [Finding] = []
        // The path as tokens; the pointer text is made only for a string with a finding.
        var path: [String] = []
        func walk(_ v: JSONValue, _ name: String) {
            switch v {
            case .string(let s):
                let spans = scanner.scan(s, field: name)
                guard !spans.isEmpty else { return }
                let pointer = path.map { "/" + $0 }.joined()
                for span in spans { out.append(Finding(field: pointer, span: span)) }
            case .array(let items):
                for (i, item) in items.enumerated() {
                    path.append(String(i))
                    walk(item, name)
                    path.removeLast()
                }
            case .object(let members):
                for m in members {
                    path.append(JSONPointer.escape(m.key))
                    walk(m.value, m.key)
                    path.removeLast()
                }
            default: break
            }
        }
        walk(data, "")
        return out
    }

    /// The data class (docs/SPEC.md 5.10): `personal` when the record has a PII finding, text a
    /// person wrote (a language), or an entity naming a person, address, phone or place;
    /// else `analytics` when it is a timed event; else `system`.
    static let personalEntities: Set<String> = ["person", "email", "phone", "place"]

    public static func dataClass(of r: LakeRecord) -> String {
        if !r.pii.isEmpty || r.language != nil || r.entities.contains(where: { personalEntities.contains($0.kind) }) {
            return "personal"
        }
        return r.occurredAt != nil ? "analytics" : "system"
    }
}
