import LakeCore

/// Bytes as a dictionary key: hashed as one buffer and compared with `memcmp`. An array of
/// bytes as a key is hashed a byte at a time (`Hasher.combine(UInt8)` per element), and an
/// array of arrays builds one array per part: the committer's look-ups of a row's kind took a
/// sixth of a hot insert's Swift time that way (`perf`, `HotInsert_200k`).
///
/// A key of several parts writes each part's length before its bytes (4 bytes, little-endian;
/// `UInt32.max` for an absent part), so no two different lists of parts give the same key.
struct ByteKey: Hashable, Sendable {
    private(set) var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The parts, each given its length.
    init(parts: [UInt8]?...) {
        bytes = []
        bytes.reserveCapacity(parts.reduce(0) { $0 + 4 + ($1?.count ?? 0) })
        for p in parts { append(p) }
    }

    /// The strings' UTF-8 bytes as parts (nil: an absent part).
    init(strings: String?...) {
        bytes = []
        bytes.reserveCapacity(strings.reduce(0) { $0 + 4 + ($1?.utf8.count ?? 0) })
        for s in strings { append(s?.utf8) }
    }

    /// This key with `part` appended as one more part.
    func appending(_ part: [UInt8]?) -> ByteKey {
        var k = self
        k.append(part)
        return k
    }

    /// `part`'s length (`UInt32.max` when absent), then its bytes.
    private mutating func append<Part: Collection<UInt8>>(_ part: Part?) {
        let length = part.map { UInt32(truncatingIfNeeded: $0.count) } ?? .max
        withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
        if let part { bytes.append(contentsOf: part) }
    }

    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }

    static func == (a: ByteKey, b: ByteKey) -> Bool { SameBytes.same(a.bytes, b.bytes) }
}
