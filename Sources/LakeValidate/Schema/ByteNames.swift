import Foundation

/// A schema node's property and required names as UTF-8 bytes laid end to end, for matching an
/// object's keys on a tape (`JSONSchema.Node.objectConformsByBytes`). Each distinct name is
/// one entry: its property node (or none) and its bits among the required names, so one
/// look-up answers both. A key is found through a small open-addressed table keyed by its
/// signature (its length and first, middle and last bytes in one word), and its bytes are
/// compared only with a name of the same signature: one probe for most keys, where a scan of
/// every name's signature cost a tweet's two dozen keys two dozen compares each.
///
/// Everything is held in one block of memory of its own, not in arrays: the schemas are shared
/// by every worker, and a look-up through an array of a shared object retained and released
/// its storage, a count every core changed for every key.
final class ByteNames {
    /// How many distinct names.
    let count: Int
    /// Every required name's bit set: what an object conforming to `required` has found.
    let allRequired: UInt64
    /// Where everything below is.
    private let memory: UnsafeMutableRawPointer
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    /// Where each name starts in `bytes`; entry `count` is the end of the last.
    private let starts: UnsafeMutableBufferPointer<Int>
    private let signatures: UnsafeMutableBufferPointer<UInt64>
    /// Per name: its required bits, and its property node (none for a name only required).
    private let required: UnsafeMutableBufferPointer<UInt64>
    /// Unretained: the node these names are of holds its property nodes (`properties`), and
    /// this object.
    private let properties: UnsafeMutableBufferPointer<Unmanaged<JSONSchema.Node>?>
    /// Names' indexes plus one by signature (0: an empty slot); a power of two at least twice
    /// `count`.
    private let slots: UnsafeMutableBufferPointer<Int32>
    private let shift: UInt64

    /// Nil when a name is not ASCII (the String path decides then: see `JSONSchema.Node.link`) or
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
        count = distinct.count
        allRequired = required.isEmpty ? 0 : UInt64.max >> UInt64(64 - required.count)
        let nodes = properties.map(\.value)
        let all = distinct.flatMap(\.utf8)
        var size = 8
        while size < 2 * count { size *= 2 }
        // One block, the words first: one allocation and one free.
        let n = max(count, 1)
        let words = 4 * n + 1
        memory = UnsafeMutableRawPointer.allocate(byteCount: words * 8 + size * 4 + all.count, alignment: 8)
        signatures = Self.carve(memory, 0, n)
        self.required = Self.carve(memory, 8 * n, n)
        self.properties = Self.carve(memory, 16 * n, n)
        starts = Self.carve(memory, 24 * n, n + 1)
        slots = Self.carve(memory, words * 8, size)
        bytes = Self.carve(memory, words * 8 + size * 4, all.count)
        _ = bytes.initialize(from: all)
        var at = 0
        for (i, name) in distinct.enumerated() {
            starts[i] = at
            at += name.utf8.count
            signatures[i] = Self.signature(UnsafeBufferPointer(rebasing: bytes[starts[i]..<at]))
            self.required[i] = entries[i].required
            self.properties[i] = entries[i].property < 0 ? nil : Unmanaged.passUnretained(nodes[entries[i].property])
        }
        starts[count] = at
        slots.initialize(repeating: 0)
        shift = UInt64(64 - size.trailingZeroBitCount)
        for i in 0..<count {
            var slot = slot(of: signatures[i])
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(i + 1)
        }
    }

    deinit { memory.deallocate() }

    /// `count` values of `T` at byte `offset` of `memory`.
    private static func carve<T>(_ memory: UnsafeMutableRawPointer, _ offset: Int, _ count: Int) -> UnsafeMutableBufferPointer<T> {
        UnsafeMutableBufferPointer(start: (memory + offset).bindMemory(to: T.self, capacity: count), count: count)
    }

    /// The length and the first, middle and last bytes of `key` in one word.
    @inline(__always)
    static func signature(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = key.count
        guard n > 0 else { return 0 }
        return UInt64(n) << 32 | UInt64(key[0]) << 16 | UInt64(key[n / 2]) << 8 | UInt64(key[n - 1])
    }

    @inline(__always)
    private func slot(of signature: UInt64) -> Int { Int(truncatingIfNeeded: (signature &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The index of the name whose bytes are `key`'s; -1 for a key that is no name.
    @inline(__always)
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int {
        let s = Self.signature(key)
        var slot = slot(of: s)
        while true {
            let entry = Int(slots[slot])
            guard entry != 0 else { return -1 }
            let i = entry - 1
            // The signature holds the length: the bytes are compared with memcmp, not one by one.
            if signatures[i] == s, key.isEmpty || memcmp(bytes.baseAddress! + starts[i], key.baseAddress!, key.count) == 0 {
                return i
            }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// Name `i`'s bits among the required names.
    @inline(__always) func requiredBits(_ i: Int) -> UInt64 { required[i] }

    /// Name `i`'s property node; nil for a name only required.
    @inline(__always) func property(_ i: Int) -> Unmanaged<JSONSchema.Node>? { properties[i] }
}
