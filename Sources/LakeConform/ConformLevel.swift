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
    /// Plus who and when (`category`, `user`, `occurred_at`, `source_offset`) and the shape of
    /// `data`: every key at every depth (so snake_case and the omission of empty values), with
    /// each scalar replaced by its JSON type's plain value.
    case shape
    /// Plus every standardized field.
    case normalize
    /// Plus entities, relationships, language, PII and the data class.
    case enrich
    /// The whole canonical record.
    case full
    /// Only the refusal lines: hostile inputs refused with the right rule.
    case refusals

    /// The record levels, from the smallest.
    public static let recordLevels: [ConformLevel] = [.parse, .shape, .normalize, .enrich, .full]

    static let parseKeys: Set<String> = ["export_kind", "record_kind", "source"]
    static let shapeKeys = parseKeys.union(["category", "data", "occurred_at", "source_offset", "user"])
    static let normalizeKeys = shapeKeys
    static let enrichKeys = normalizeKeys.union(["data_class", "entities", "language", "pii", "relationships"])
    static let positionKeys: Set<String> = ["index", "input", "path"]

    /// The members a record keeps at this level (nil: all of them).
    public var recordKeys: Set<String>? {
        switch self {
        case .parse: Self.parseKeys
        case .shape: Self.shapeKeys
        case .normalize: Self.normalizeKeys
        case .enrich: Self.enrichKeys
        case .full: nil
        case .refusals: []
        }
    }

    /// `value` with every scalar replaced by its JSON type's plain value: `""`, `0`, `false` or
    /// `null`; objects and arrays keep their members and elements. Applied twice it gives the
    /// same, like every projection, so an expected file already projected compares as is.
    static func typeShape(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.map { .init($0.key, typeShape($0.value)) })
        case .array(let elements): .array(elements.map(typeShape))
        case .string: .string("")
        case .number: .number("0")
        case .bool: .bool(false)
        case .null: .null
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
                if m.key == "data", self == .shape { return .init("data", Self.typeShape(m.value)) }
                return m
            })
    }
}
