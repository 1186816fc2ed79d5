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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var high = false
        for s in text.unicodeScalars {
            guard s.value <= 0xFF else { return text }
            if s.value >= 0x80 { high = true }
            bytes.append(UInt8(s.value))
        }
        guard high, let decoded = String(validating: bytes, as: UTF8.self) else { return text }
        return decoded
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
