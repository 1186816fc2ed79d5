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

    /// An RFC 3339 time (`2024-03-01T10:00:00Z`, `…T11:00:00.5+01:00`) as the UTC instant with
    /// milliseconds (`2024-03-01T10:00:00.000Z`); nil for any other string.
    public static func instant(_ s: String) -> String? {
        let b = Array(s.utf8)
        guard b.count >= 20, b.count <= 40 else { return nil }
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for c in b[from..<(from + count)] {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let year = num(0, 4), b[4] == 45, let month = num(5, 2), b[7] == 45, let day = num(8, 2),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"), let hour = num(11, 2), b[13] == 58,
            let minute = num(14, 2), b[16] == 58, let second = num(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19, millis = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 100, any = false
            while i < b.count, b[i] >= 48 && b[i] <= 57 {
                millis += Int(b[i] - 48) * scale
                scale /= 10
                any = true
                i += 1
            }
            guard any else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58,
            let om = num(i + 4, 2)
        {
            offset = (oh * 60 + om) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = Civil.daysFromCivil(Int64(year), Int64(month), Int64(day))
        let ms = ((days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset * 60)) * 1000) + Int64(millis)
        return Timestamp(millis: ms, offsetSeconds: 0).iso8601
    }
}
