import LakeCore

/// The value steps every mapped record's `data` gets (docs/SPEC.md 5.3): every string
/// cleansed (5.2), then empty values omitted.
public enum Standardize {
    /// `value` with every string cleansed and its empty values omitted (an object that empties is `{}`).
    public static func values(_ value: JSONValue) -> JSONValue {
        Flatten.prune(cleanStrings(value)) ?? .object([])
    }

    static func cleanStrings(_ v: JSONValue) -> JSONValue {
        switch v {
        case .string(let s): return .string(TextCleansing.clean(s))
        case .array(let items): return .array(items.map(cleanStrings))
        case .object(let members): return .object(members.map { JSONMember($0.key, cleanStrings($0.value)) })
        default: return v
        }
    }
}
