/// Tests on eight bytes at once (SWAR): the JSON reader's span and string scans and the
/// canonical writer's escaper look for the same bytes with them. Each flag function sets the
/// high bit of the bytes it finds; a borrow may set a false flag above a true one, never below,
/// so the lowest flag is exact, which is all `firstFlagged` reads.
public enum ByteWords {
    /// 0x01 in every byte: times a byte value, that value in every byte.
    public static let ones: UInt64 = 0x0101_0101_0101_0101

    /// High bit set in each zero byte of `x` (and possibly above the lowest one).
    @inlinable @inline(__always)
    public static func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x }

    /// Flags the quotes and backslashes of `v`.
    @inlinable @inline(__always)
    public static func quotesAndBackslashes(_ v: UInt64) -> UInt64 {
        (zeroBytes(v ^ (ones &* 0x22)) | zeroBytes(v ^ (ones &* 0x5C))) & (ones &* 0x80)
    }

    /// Flags the control characters (below 0x20) of `v`; a byte of 0x80 or more is none.
    @inlinable @inline(__always)
    public static func controls(_ v: UInt64) -> UInt64 { (v &- ones &* 0x20) & ~v & (ones &* 0x80) }

    /// From `p`, eight bytes at a time: the first byte `flags` marks, or where fewer than eight
    /// bytes are left (the caller goes on byte by byte).
    @inlinable @inline(__always)
    public static func firstFlagged(_ raw: UnsafeRawPointer, from: Int, count n: Int, _ flags: (UInt64) -> UInt64) -> Int {
        var p = from
        while p + 8 <= n {
            let m = flags(raw.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            if m != 0 { return p + m.trailingZeroBitCount >> 3 }
            p += 8
        }
        return p
    }
}
