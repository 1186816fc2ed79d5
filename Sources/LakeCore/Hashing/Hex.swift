/// Lowercase hexadecimal, the only spelling of hashes and ids in canonical output.
public enum Hex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hex.
    public static func string<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var i = 0
            for b in bytes {
                out[i] = digits[Int(b >> 4)]
                out[i + 1] = digits[Int(b & 0x0F)]
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
                out[i] = digits[Int(v & 0xF)]
                v >>= 4
            }
            return 16
        }
    }
}
