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
    static func isTrimmed(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }
}
