import Foundation

/// JSON pointers (RFC 6901): how PII findings and schema violations name a place in a record.
///
/// ```swift
/// JSONPointer.escape("a/b")                          // "a~1b"
/// JSONPointer.resolve("/emails/0/value", in: data)  // the value there, or nil
/// ```
public enum JSONPointer {
    /// A reference token: `~` as `~0`, `/` as `~1`.
    public static func escape(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == 0x7E || $0 == 0x2F }) else { return key }
        return key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The pointer's reference tokens, unescaped (`""` gives none).
    public static func tokens(_ pointer: String) -> [String] {
        pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// The value at `pointer` in `value`, or nil when nothing is there.
    public static func resolve(_ pointer: String, in value: JSONValue) -> JSONValue? {
        var v = value
        for token in tokens(pointer) {
            switch v {
            case .object(let members):
                guard let m = members.first(where: { $0.key == token }) else { return nil }
                v = m.value
            case .array(let items):
                guard let i = Int(token), items.indices.contains(i) else { return nil }
                v = items[i]
            default: return nil
            }
        }
        return v
    }
}
