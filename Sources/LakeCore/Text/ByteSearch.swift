#if canImport(Glibc)
    import Glibc
#endif

/// A search for bytes in bytes: `memchr` for the needle's first byte, `memcmp` for the rest
/// (glibc's `memmem` is not in the module Swift imports).
public enum ByteSearch {
    /// The index of the first occurrence of `needle` in `haystack` at or after `from`; nil for
    /// none and for an empty needle.
    public static func first(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard let n = needle.baseAddress, let h = haystack.baseAddress, !needle.isEmpty, from >= 0 else { return nil }
        let last = haystack.count - needle.count
        var start = from
        while start <= last {
            guard let hit = memchr(h + start, Int32(needle[0]), last - start + 1) else { return nil }
            let at = UnsafeRawPointer(h).distance(to: UnsafeRawPointer(hit))
            if memcmp(h + at, n, needle.count) == 0 { return at }
            start = at + 1
        }
        return nil
    }
}
