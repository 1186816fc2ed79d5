/// Lowercase hexadecimal, the only spelling of hashes and ids in canonical output.
public enum Hex {
    /// The lowercase hex digit of a value under 16, by arithmetic: no table (a global array,
    /// asked twice a byte, was most of the time of an id's 32 digits).
    @inline(__always)
    static func digit(_ v: UInt8) -> UInt8 { v < 10 ? v &+ 0x30 : v &+ 0x57 }

    /// `bytes` as lowercase hex.
    public static func string<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var i = 0
            for b in bytes {
                out[i] = digit(b >> 4)
                out[i + 1] = digit(b & 0x0F)
                i += 2
            }
            return i
        }
    }

    /// `bytes` as lowercase hex (a sequence that is not a collection, such as a digest).
    public static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        string(Array(bytes))
    }

    /// A 64-bit value as exactly 16 lowercase hex digits (big-endian, as xxhsum prints it).
    public static func string(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { out in
            var v = value
            for i in stride(from: 15, through: 0, by: -1) {
                out[i] = digit(UInt8(truncatingIfNeeded: v & 0xF))
                v >>= 4
            }
            return 16
        }
    }
}
