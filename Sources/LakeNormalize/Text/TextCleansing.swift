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

    /// The rules on any text, done on its UTF-8: the controls are the bytes under 0x20 and
    /// 0x7F, and the two-byte sequences `C2 80`…`C2 9F` (U+0080…U+009F); every other byte is
    /// kept, and a text with none of them is not copied before its NFC. Then the white space at
    /// either end, usually none, is trimmed by scalar. `TextCleansingTests` holds it to the
    /// rules written scalar by scalar.
    static func cleanScalars(_ text: String) -> String {
        var text = text
        let kept: String? = text.withUTF8 { bytes in
            var clean = true
            for (i, b) in bytes.enumerated()
            where b < 0x20 && b != 0x09 && b != 0x0A || b == 0x7F || b == 0xC2 && i + 1 < bytes.count && bytes[i + 1] < 0xA0 {
                clean = false
                break
            }
            if clean { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var previousCR = false
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                defer { previousCR = b == 0x0D }
                i += 1
                switch b {
                case 0x0D: out.append(0x0A)
                case 0x0A: if !previousCR { out.append(b) }
                case 0x09: out.append(b)
                case 0x00...0x1F, 0x7F: continue
                case 0xC2 where i < bytes.count && bytes[i] < 0xA0: i += 1  // a C1 control: both bytes go
                default: out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        let nfc = CanonicalJSON.nfc(kept ?? text)
        guard let first = nfc.unicodeScalars.first, let last = nfc.unicodeScalars.last, isTrimmed(first) || isTrimmed(last) else {
            return nfc
        }
        var out = Substring(nfc)
        while let f = out.unicodeScalars.first, isTrimmed(f) { out.unicodeScalars.removeFirst() }
        while let l = out.unicodeScalars.last, isTrimmed(l) { out.unicodeScalars.removeLast() }
        return String(out)
    }

    /// White space for trimming: Unicode White_Space (space, tab, line feed, NBSP, U+2000…, and so on).
    static func isTrimmed(_ s: Unicode.Scalar) -> Bool { ScalarClass.isWhitespace(s) }
}
