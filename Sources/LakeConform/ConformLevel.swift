import LakeCore

/// How much of the canonical record a conformance run compares (docs/SPEC.md 9.2). Each level
/// is a projection applied to both sides, expected and candidate, before they are compared.
///
/// ```swift
/// ConformLevel.parse.project(record)  // {"export_kind", "record_kind", "source": {"index", "input", "path"}}
/// ```
public enum ConformLevel: String, CaseIterable, Sendable {
    /// The records and their source positions.
    case parse
    /// Plus every standardized field.
    case normalize
    /// Plus entities, relationships, language, PII and the data class.
    case enrich
    /// The whole canonical record.
    case full
    /// Only the refusal lines: hostile inputs refused with the right rule.
    case refusals

    /// The record levels, from the smallest.
    public static let recordLevels: [ConformLevel] = [.parse, .normalize, .enrich, .full]

    static let parseKeys: Set<String> = ["export_kind", "record_kind", "source"]
    static let normalizeKeys = parseKeys.union(["category", "data", "occurred_at", "source_offset", "user"])
    static let enrichKeys = normalizeKeys.union(["data_class", "entities", "language", "pii", "relationships"])
    static let positionKeys: Set<String> = ["index", "input", "path"]

    /// The members a record keeps at this level (nil: all of them).
    public var recordKeys: Set<String>? {
        switch self {
        case .parse: Self.parseKeys
        case .normalize: Self.normalizeKeys
        case .enrich: Self.enrichKeys
        case .full: nil
        case .refusals: []
        }
    }

    /// A line as this level sees it: a record projected to its keys (`source` to its position
    /// below `full`), a refusal line kept only at `refusals` and reduced to input, entry and
    /// rule; nil for a line the level ignores.
    public func project(_ line: JSONValue) -> JSONValue? {
        guard case .object(let members) = line else { return line }
        if let refused = line["refused"] {
            guard self == .refusals, case .object(let r) = refused else { return nil }
            let kept = r.filter { ["entry", "input", "rule"].contains($0.key) }
            return .object([.init("refused", .object(kept))])
        }
        guard self != .refusals else { return nil }
        guard let keys = recordKeys else { return line }
        return .object(
            members.compactMap { m in
                guard keys.contains(m.key) else { return nil }
                if m.key == "source", case .object(let s) = m.value {
                    return .init("source", .object(s.filter { Self.positionKeys.contains($0.key) }))
                }
                return m
            })
    }
}
