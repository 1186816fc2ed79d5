/// ASCII case on bytes, for the readers' byte paths: on ASCII text Unicode's lower and upper
/// case change A-Z and a-z only, so a name is cased byte by byte there and through `String`'s
/// full mappings anywhere else.
enum ASCIICase {
    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    @inline(__always)
    static func upper(_ b: UInt8) -> UInt8 { b &- 0x61 < 26 ? b & 0xDF : b }

    /// `String(decoding: bytes, as: UTF8.self).lowercased()`, byte by byte when `bytes` is ASCII.
    static func lowercased<C: Collection<UInt8>>(_ bytes: C) -> String {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return String(decoding: bytes, as: UTF8.self).lowercased() }
        return cased(bytes, lower)
    }

    /// The upper-cased text of ASCII `bytes` (a caller that has checked them).
    static func uppercasedASCII<C: Collection<UInt8>>(_ bytes: C) -> String { cased(bytes, upper) }

    /// ASCII `bytes` mapped by `map`, written into the string's own storage (decoding a lazy map
    /// took a dynamic cast and a copy per name).
    private static func cased<C: Collection<UInt8>>(_ bytes: C, _ map: (UInt8) -> UInt8) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { out in
            for (n, b) in bytes.enumerated() { out[n] = map(b) }
            return bytes.count
        }
    }
}
