import Foundation

/// Byte equality, for the values a record refers to and for buffers. String's `==` follows
/// canonical equivalence, so two spellings of one name (an NFC and an NFD path) would compare equal and
/// share a row or an encoded fragment; these compare the UTF-8 storage with `memcmp`.
public enum SameBytes {
    /// The lengths first, then the bytes where they lie: copying each string to call the
    /// mutating `withUTF8` took three times as long (a cached lineage is compared step by step
    /// for every record).
    public static func same(_ a: String, _ b: String) -> Bool {
        if sameStorage(a, b) { return true }
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        let inPlace = x.withContiguousStorageIfAvailable { p in
            y.withContiguousStorageIfAvailable { q in same(UnsafeRawBufferPointer(p), UnsafeRawBufferPointer(q)) }
        }
        if let inPlace, let result = inPlace { return result }
        return x.elementsEqual(y)
    }

    /// Whether the two values are the same two words: one string's storage shared (a mapper's
    /// literal, a lineage step from its table), or one small string held in place. Such strings
    /// have the same bytes; others are compared byte by byte.
    @inline(__always)
    public static func sameStorage(_ a: String, _ b: String) -> Bool {
        withUnsafeBytes(of: a) { x in
            withUnsafeBytes(of: b) { y in
                x.count == 16 && y.count == 16 && x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
                    && x.loadUnaligned(fromByteOffset: 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            }
        }
    }

    public static func same(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, let b?): return same(a, b)
        default: return false
        }
    }

    public static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in same(x, y) } }
    }

    public static func same(_ a: [UInt8]?, _ b: [UInt8]?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, let b?): return same(a, b)
        default: return false
        }
    }

    /// `same` of two byte buffers (the generic `elementsEqual` took about 420 instructions a
    /// call, byte by byte).
    @inline(__always)
    public static func same(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        same(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y))
    }

    @inline(__always)
    public static func same(_ x: UnsafeBufferPointer<UInt8>, _ y: [UInt8]) -> Bool {
        y.withUnsafeBytes { same(UnsafeRawBufferPointer(x), $0) }
    }

    /// Bytes at the same address are the same without a look (a cached fragment compared with
    /// the array it was cached from).
    public static func same(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
        x.count == y.count && (x.count == 0 || x.baseAddress == y.baseAddress || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
    }
}
