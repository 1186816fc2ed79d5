import LakeCore
import LakeParsers

/// Parses JSON for test assertions (the project's own reader, whole-buffer path).
public enum JSONValueReader {
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONReader.parse(bytes, limits: JSONLimits(maxDepth: 64))
    }
}

extension JSONValue {
    /// The value with every number written as its `Double` value: equal for JSON that SQLite's
    /// functions rewrote (`0.90` as `0.9`, `1.00` as `1.0`).
    public var numbersAsValues: JSONValue {
        switch self {
        case .number(let n): return .number(Double(n).map { String($0) } ?? n)
        case .array(let a): return .array(a.map(\.numbersAsValues))
        case .object(let members): return .object(members.map { JSONMember($0.key, $0.value.numbersAsValues) })
        default: return self
        }
    }
}
