/// The UTF-8 well-formedness table (Unicode, Table 3-7): for a lead byte, how many
/// continuation bytes follow and the allowed range of the first of them (the others are
/// always 0x80...0xBF). Shared by the JSON reader and the encoding detector.
public enum UTF8Sequence {
    /// nil for a byte that cannot start a multi-byte sequence (ASCII, continuation bytes,
    /// 0xC0, 0xC1 and 0xF5...0xFF).
    @inline(__always)
    public static func shape(lead: UInt8) -> (continuations: Int, firstLow: UInt8, firstHigh: UInt8)? {
        switch lead {
        case 0xC2...0xDF: return (1, 0x80, 0xBF)
        case 0xE0: return (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: return (2, 0x80, 0xBF)
        case 0xED: return (2, 0x80, 0x9F)
        case 0xF0: return (3, 0x90, 0xBF)
        case 0xF1...0xF3: return (3, 0x80, 0xBF)
        case 0xF4: return (3, 0x80, 0x8F)
        default: return nil
        }
    }

    /// Appends the UTF-8 encoding of the scalar value `v` (at most U+10FFFF, no surrogate).
    public static func append(_ v: UInt32, to bytes: inout [UInt8]) {
        switch v {
        case 0..<0x80:
            bytes.append(UInt8(v))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | (v >> 6)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | (v >> 12)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | (v >> 18)))
            bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
