/// The Unicode properties the pipeline asks of scalars as it reads text, answered for ASCII
/// without the standard library's property tables (a look-up per scalar was 3% of an ingest's
/// time), and by those tables for everything else. `ScalarClassTests` checks every scalar.
///
/// ```swift
/// ScalarClass.isWhitespace(" ")        // true
/// ScalarClass.isAlphabetic("é")        // true (Unicode Alphabetic)
/// ScalarClass.isNumeric("٣")           // true (any numeric type)
/// ```
public enum ScalarClass {
    /// Unicode White_Space: a fixed list of 25 scalars (unchanged since Unicode 6.3 took out
    /// U+180E), so every text is answered without the tables; past ASCII they are U+0085,
    /// U+00A0, U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F and U+3000. Emoji and CJK
    /// text asked the tables for every scalar (2% of the duplicate stage's text hashing).
    /// Inlinable: called for every scalar of a text, and a call cost more than the answer.
    @inlinable @inline(__always)
    public static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || v &- 0x09 < 5 }
        if v < 0x1680 { return v == 0x85 || v == 0xA0 }
        if v < 0x2000 { return v == 0x1680 }
        if v <= 0x200A { return true }
        if v < 0x3000 { return v == 0x2028 || v == 0x2029 || v == 0x202F || v == 0x205F }
        return v == 0x3000
    }

    /// Unicode Alphabetic.
    @inline(__always)
    public static func isAlphabetic(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let folded = s.value | 0x20  // A-Z onto a-z
            return folded >= 0x61 && folded <= 0x7A
        }
        return s.properties.isAlphabetic
    }

    /// A scalar with a numeric type (decimal digits, other digits, numerals).
    @inline(__always)
    public static func isNumeric(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return (0x30...0x39).contains(s.value) }
        return s.properties.numericType != nil
    }

    /// A word character of tokens and names: a letter, a digit of any script, or `_`.
    @inline(__always)
    public static func isWord(_ s: Unicode.Scalar) -> Bool { isAlphabetic(s) || isNumeric(s) || s == "_" }
}
