import Foundation

/// A schema node's property and required names as UTF-8 bytes laid end to end, for matching an
/// object's keys on a tape (`JSONSchema.Node.objectConformsByBytes`). Each distinct name is
/// one entry: the index of its property node (or none) and its bits among the required names,
/// so one look-up answers both. A key is first compared with each name's signature (its
/// length and first, middle and last bytes in one word), and its bytes only with the names
/// whose signature is the key's: a Location History point's dozen candidate names cost a
/// dozen integer compares and one byte compare per key.
///
/// A final class the node holds once: checking an object retains nothing per key (an optional
/// tuple of arrays, copied out of the node for each object, retained each of its arrays).
final class ByteNames {
    private let bytes: [UInt8]
    /// Where each name ends in `bytes`.
    private let ends: [Int]
    private let signatures: [UInt64]
    /// Per name: its property node's index in `nodes` (-1: none) and its required bits.
    private let entries: [(property: Int, required: UInt64)]
    /// The property nodes, by `entries`' indexes: held here only to keep them alive for
    /// `unretainedNodes`, through which a value is checked without retaining and releasing its
    /// node.
    private let nodes: [JSONSchema.Node]
    let unretainedNodes: [Unmanaged<JSONSchema.Node>]
    /// Every required name's bit set: what an object conforming to `required` has found.
    let allRequired: UInt64

    /// Nil when a name is not ASCII (the String path decides then: see `prepareForTape`) or
    /// more than 64 names are required.
    init?(properties: [(key: String, value: JSONSchema.Node)], required: [String]) {
        let names = properties.map(\.key) + required
        guard names.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }), required.count <= 64 else { return nil }
        var distinct: [String] = []
        var entries: [(property: Int, required: UInt64)] = []
        // ASCII names are equal as Strings exactly when their bytes are.
        func entry(_ name: String) -> Int {
            if let at = distinct.firstIndex(of: name) { return at }
            distinct.append(name)
            entries.append((-1, 0))
            return distinct.count - 1
        }
        for (n, p) in properties.enumerated() {
            let e = entry(p.key)
            if entries[e].property < 0 { entries[e].property = n }
        }
        for (n, r) in required.enumerated() { entries[entry(r)].required |= 1 << UInt64(n) }
        var bytes: [UInt8] = [], ends: [Int] = [], signatures: [UInt64] = []
        for name in distinct {
            let start = bytes.count
            bytes += name.utf8
            ends.append(bytes.count)
            signatures.append(bytes[start..<bytes.count].withContiguousStorageIfAvailable(Self.signature)!)
        }
        self.bytes = bytes
        self.ends = ends
        self.signatures = signatures
        self.entries = entries
        self.nodes = properties.map(\.value)
        unretainedNodes = nodes.map { Unmanaged.passUnretained($0) }
        allRequired = required.isEmpty ? 0 : UInt64.max >> UInt64(64 - required.count)
    }

    /// The length and the first, middle and last bytes of `key` in one word.
    @inline(__always)
    static func signature(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = key.count
        guard n > 0 else { return 0 }
        return UInt64(n) << 32 | UInt64(key[0]) << 16 | UInt64(key[n / 2]) << 8 | UInt64(key[n - 1])
    }

    /// The property index and required bits of the name whose bytes are `key`'s; nil for a key
    /// that is no name.
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> (property: Int, required: UInt64)? {
        let s = Self.signature(key)
        return signatures.withUnsafeBufferPointer { signatures in
            for (i, candidate) in signatures.enumerated() where candidate == s {
                let start = i == 0 ? 0 : ends[i - 1]
                // The signature holds the length: the bytes are compared with memcmp, not one by one.
                let same = bytes.withUnsafeBufferPointer {
                    key.isEmpty || memcmp($0.baseAddress! + start, key.baseAddress!, key.count) == 0
                }
                if same { return entries[i] }
            }
            return nil
        }
    }
}
