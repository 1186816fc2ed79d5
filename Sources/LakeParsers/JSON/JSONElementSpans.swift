import LakeCore

/// Where the elements of a JSON array begin and end, found without parsing them: only string
/// bodies (eight bytes at a time) and brackets are looked at. The spans are what several
/// workers can parse at once with `JSONTape`, which then checks every byte; a span of bytes
/// that is not one valid value is refused there, with the reader's error.
///
/// ```swift
/// let s = Array(#"[{"a":"]"}, 2]"#.utf8)
/// s.withUnsafeBufferPointer { JSONElementSpans.end(of: $0, from: 1) }  // 10
/// ```
public enum JSONElementSpans {
    /// The end (exclusive, trailing whitespace not included) of the element starting at `from`
    /// (its first byte, after whitespace): after its matching bracket for a container, before
    /// the first `,`, `]` or `}` outside a string for a scalar. nil when the bytes end first.
    public static func end(of s: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let n = s.count
        let raw = UnsafeRawPointer(s.baseAddress!)
        var p = from
        var depth = 0
        while true {
            // Eight bytes at a time to the next quote, bracket or comma.
            p = ByteWords.firstFlagged(raw, from: p, count: n, structural)
            guard p < n else { return nil }
            switch s[p] {
            case UInt8(ascii: "\""):
                guard let q = stringEnd(s, p + 1) else { return nil }
                p = q
                if depth == 0 { return trimmed(s, from, p) }
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 { return trimmed(s, from, p) }
                depth -= 1
                if depth == 0 { return p + 1 }
            case UInt8(ascii: ","):
                if depth == 0 { return trimmed(s, from, p) }
            default:
                break
            }
            p += 1
        }
    }

    /// Flags the quotes, brackets, braces and commas of `v` (the lowest flag is exact).
    @inline(__always)
    private static func structural(_ v: UInt64) -> UInt64 {
        // Clearing bit 5 folds `{` onto `[` and `}` onto `]`.
        let folded = v & (ByteWords.ones &* 0xDF)
        return
            (ByteWords.zeroBytes(folded ^ (ByteWords.ones &* 0x5B)) | ByteWords.zeroBytes(folded ^ (ByteWords.ones &* 0x5D))
            | ByteWords.zeroBytes(v ^ (ByteWords.ones &* 0x22))
            | ByteWords.zeroBytes(v ^ (ByteWords.ones &* 0x2C))) & (ByteWords.ones &* 0x80)
    }

    private static func trimmed(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int) -> Int {
        var e = end
        while e > from, s[e - 1] == 0x20 || s[e - 1] == 0x0A || s[e - 1] == 0x0D || s[e - 1] == 0x09 { e -= 1 }
        return e
    }

    /// After the closing quote of the string whose body starts at `p`, or nil at the end.
    @inline(__always)
    static func stringEnd(_ s: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        let n = s.count
        let raw = UnsafeRawPointer(s.baseAddress!)
        var p = start
        while true {
            p = ByteWords.firstFlagged(raw, from: p, count: n, ByteWords.quotesAndBackslashes)
            guard p < n else { return nil }
            switch s[p] {
            case 0x22: return p + 1
            case 0x5C: p += 2
            default: p += 1
            }
        }
    }
}
