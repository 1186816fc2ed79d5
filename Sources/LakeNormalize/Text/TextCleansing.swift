import LakeCore

/// Text cleansing (docs/SPEC.md, "Text"): control characters (Unicode Cc) removed except line
/// feed and tab, a CR LF pair or a lone CR becoming one LF; then NFC; then leading and trailing
/// white space (Unicode White_Space) trimmed. Idempotent: cleaning a cleaned text gives it back.
///
/// ```swift
/// TextCleansing.clean("  Caf\u{65}\u{301}\r\nbar\u{0}  ")  // "Café\nbar"
/// ```
public enum TextCleansing {
    public static let version = "1"

    public static func clean(_ text: String) -> String {
        var text = text
        if let ascii = text.withUTF8(cleanASCII) { return ascii ?? text }
        return cleanScalars(text)
    }

    /// `cleanScalars` on the bytes of an all-ASCII text: nil (outer) when a byte is 0x80 or
    /// more; nil (inner) when the text is already clean, which is checked without allocating.
    static func cleanASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String?? {
        var clean = true
        for b in bytes {
            if b >= 0x80 { return nil }
            if b < 0x20 && b != 0x09 && b != 0x0A || b == 0x7F { clean = false }
        }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A }
        if clean && !(bytes.first.map(isSpace) ?? false) && !(bytes.last.map(isSpace) ?? false) { return .some(nil) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var previousCR = false
        for b in bytes {
            defer { previousCR = b == 0x0D }
            switch b {
            case 0x0D: out.append(0x0A)
            case 0x0A: if !previousCR { out.append(b) }
            case 0x09: out.append(b)
            case 0x00...0x1F, 0x7F: continue
            default: out.append(b)
            }
        }
        // Of ASCII White_Space only space, tab and line feed are left after the controls went.
        var start = 0, end = out.count
        while start < end && isSpace(out[start]) { start += 1 }
        while end > start && isSpace(out[end - 1]) { end -= 1 }
        return .some(String(decoding: out[start..<end], as: UTF8.self))
    }

    /// The rules on Unicode scalars (any text).
    static func cleanScalars(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for s in text.unicodeScalars {
            defer { previousCR = s == "\r" }
            switch s.value {
            case 0x0D: scalars.append("\n")
            case 0x0A: if !previousCR { scalars.append(s) }
            case 0x09: scalars.append(s)
            case 0x00...0x1F, 0x7F...0x9F: continue
            default: scalars.append(s)
            }
        }
        var out = Substring(CanonicalJSON.nfc(String(scalars)))
        while let f = out.unicodeScalars.first, isTrimmed(f) { out.unicodeScalars.removeFirst() }
        while let l = out.unicodeScalars.last, isTrimmed(l) { out.unicodeScalars.removeLast() }
        return String(out)
    }

    /// White space for trimming: Unicode White_Space (space, tab, line feed, NBSP, U+2000…, and so on).
    static func isTrimmed(_ s: Unicode.Scalar) -> Bool { ScalarClass.isWhitespace(s) }
}
