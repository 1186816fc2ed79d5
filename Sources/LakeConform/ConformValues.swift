import LakeCore
import LakeParsers

/// The two ways a conformance run compares values (docs/SPEC.md 9.2).
public enum ConformMode: String, CaseIterable, Sendable {
    /// Each projected line, in canonical JSON, must be the expected bytes.
    case bytes
    /// As `bytes` after both sides are normalized: key order and number spelling do not count,
    /// and strings that are RFC 3339 times compare as the instant they name.
    case semantic

    /// `value` as this mode compares it.
    public func prepare(_ value: JSONValue) -> JSONValue {
        self == .bytes ? value : ConformValues.semantic(value)
    }
}

/// The normalizations of `semantic` comparison.
public enum ConformValues {
    /// Numbers in one spelling, times as UTC instants with milliseconds; objects are sorted by
    /// the canonical encoder anyway.
    public static func semantic(_ v: JSONValue) -> JSONValue {
        switch v {
        case .number(let n): return .number(number(n))
        case .string(let s): return instant(s).map { .string($0) } ?? v
        case .array(let a): return .array(a.map(semantic))
        case .object(let m): return .object(m.map { .init($0.key, semantic($0.value)) })
        default: return v
        }
    }

    /// A JSON number's value in one spelling: sign, digits without leading or trailing zeros,
    /// and a decimal exponent (`1`, `1.0`, `10e-1` and `0.1e1` all give `1e0`; zero is `0`).
    public static func number(_ n: String) -> String {
        var negative = false, digits: [UInt8] = [], exponent = 0, afterPoint = false
        var s = Substring(n).utf8[...]
        if s.first == UInt8(ascii: "-") {
            negative = true
            s = s.dropFirst()
        }
        var explicit = 0, expNegative = false, inExponent = false, sawExpDigit = false
        for c in s {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9") where inExponent:
                explicit = min(explicit * 10 + Int(c - 48), 1_000_000)
                sawExpDigit = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(c)
                if afterPoint { exponent -= 1 }
            case UInt8(ascii: "."): afterPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-") where inExponent: expNegative = true
            case UInt8(ascii: "+") where inExponent: break
            default: return n
            }
        }
        if inExponent && !sawExpDigit { return n }
        exponent += expNegative ? -explicit : explicit
        while digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        guard !digits.isEmpty else { return "0" }
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        // d1 d2 … dk × 10^exponent  =  d1.d2…dk × 10^(exponent + k − 1)
        let mantissa =
            String(decoding: digits.prefix(1), as: UTF8.self)
            + (digits.count > 1 ? "." + String(decoding: digits.dropFirst(), as: UTF8.self) : "")
        return (negative ? "-" : "") + mantissa + "e" + String(exponent + digits.count - 1)
    }

    /// An RFC 3339 time as section 8's ISO-8601 parser reads it, with `T` (`2024-03-01T10:00:00Z`,
    /// `…T11:00:00.5+01:00`), as the UTC instant with milliseconds (`2024-03-01T10:00:00.000Z`);
    /// nil for any other string.
    public static func instant(_ s: String) -> String? {
        let b = Array(s.utf8)
        guard b.count >= 20, b.count <= 40, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            let t = try? Timestamp.parseISO8601(s)
        else { return nil }
        return Timestamp(millis: t.millis, offsetSeconds: 0).iso8601
    }
}
