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

    /// Whether `s`'s UTF-8 holds `byte`: `memchr` over the string's storage. `s.utf8.contains`
    /// went byte by byte through the view's iterator (about 16 instructions a byte: 2,300 for a
    /// tweet's text).
    public static func contains(_ byte: UInt8, in s: String) -> Bool {
        let found = s.utf8.withContiguousStorageIfAvailable { b in
            guard let base = b.baseAddress else { return false }
            return memchr(base, Int32(byte), b.count) != nil
        }
        return found ?? s.utf8.contains(byte)
    }
}
