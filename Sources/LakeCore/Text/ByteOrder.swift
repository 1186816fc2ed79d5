#if canImport(Glibc)
    import Glibc
#endif

/// Byte order of strings, as `a.utf8.lexicographicallyPrecedes(b.utf8)` answers it (code point
/// order for valid UTF-8), compared with `memcmp` over the strings' storage: the view's own
/// comparison stepped through both iterators, about 170 instructions for two short keys.
public enum ByteOrder {
    /// Whether `a`'s UTF-8 sorts before `b`'s: the first differing byte decides, and a prefix
    /// sorts first.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        let inPlace = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in precedes(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) }
        }
        if let inPlace, let answer = inPlace { return answer }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Whether bytes `x` sort before bytes `y`.
    public static func precedes(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
        let common = min(x.count, y.count)
        let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
        return order != 0 ? order < 0 : x.count < y.count
    }
}
