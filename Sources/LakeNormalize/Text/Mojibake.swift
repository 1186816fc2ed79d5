import LakeCore

/// Facebook's per-byte mojibake (docs/SPEC.md 5.2): its DYI JSON writes each UTF-8 byte of a
/// non-ASCII character as its own `\u00XX` escape, so `ó` reads as `Ã³`.
///
/// ```swift
/// Mojibake.repair("Caf\u{C3}\u{A9}")   // "Café"
/// Mojibake.repair("Café")              // "Café" (real Latin-1 text is left alone)
/// ```
public enum Mojibake {
    /// The version recorded in lineage (`normalize.mojibake`).
    public static let version = "1"

    /// The repaired text, or the text unchanged. Repaired only when every scalar is at most
    /// U+00FF, at least one is U+0080 or above, and those scalars taken as bytes are valid
    /// UTF-8; then the text is those bytes decoded. Idempotent: a repaired text holds a scalar
    /// above U+00FF or no longer decodes as bytes, except where the repair reached ASCII-only
    /// or Latin-1-only text that is itself valid as bytes (vanishingly rare, and stable too).
    public static func repair(_ text: String) -> String {
        var text = text
        return text.withUTF8 { repaired(utf8: $0) } ?? text
    }

    /// `repair` on a text's UTF-8 bytes: the repaired text, or nil when `repair` leaves the
    /// text as it is. On valid UTF-8 a scalar is at most U+00FF exactly when it is an ASCII byte
    /// or a two-byte sequence led by 0xC2 or 0xC3, so the bytes are read without decoding them,
    /// and a text with no byte above 0x7F (most of them) is passed over at once.
    public static func repaired(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var high = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            guard b >= 0x80 else {
                i += 1
                continue
            }
            guard b == 0xC2 || b == 0xC3, i + 1 < bytes.count else { return nil }
            high = true
            i += 2
        }
        guard high else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { buffer in
            var n = 0
            i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    buffer[n] = b
                    i += 1
                } else {
                    buffer[n] = (b & 0x03) << 6 | (bytes[i + 1] & 0x3F)
                    i += 2
                }
                n += 1
            }
            return String(validating: UnsafeBufferPointer(rebasing: buffer[..<n]), as: UTF8.self)
        }
    }

    /// `repair` applied to every string and key in `value`.
    public static func repairAll(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(repair(s))
        case .array(let items): return .array(items.map(repairAll))
        case .object(let members): return .object(members.map { JSONMember(repair($0.key), repairAll($0.value)) })
        default: return value
        }
    }
}
