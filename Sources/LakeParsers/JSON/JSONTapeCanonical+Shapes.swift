import LakeCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Objects' layouts, kept from one object to the next: an export repeats a few sets of keys
/// (every location point, every tweet's `entities`), and an object whose keys, in source order,
/// and extra members' keys a writer met before under the same rules is written through the
/// layout it made then, without changing, sorting or escaping its keys again. A layout is
/// made exactly as `JSONTapeCanonical` writes without one: the keys through the rules, sorted
/// by their bytes, the last of equal keys kept, or the same giving up.
extension JSONTapeCanonical {
    /// Which rules a layout was made under: a number never given twice in a process, new
    /// whenever a rule changes, so two rules share layouts only when they are copies of one
    /// another. A number rather than an object: the rules are passed to every value of every
    /// worker, and an object in them would be retained and released each time, on one count
    /// that all the cores share.
    static func newRulesIdentity() -> UInt64 { rulesMade.add(1, ordering: .relaxed).newValue }
    private static let rulesMade = Atomic<UInt64>(0)

    /// One object's layout (a class: a writer takes one reference to it per object).
    final class Shape: Sendable {
        /// One written member: where its value is (its position among the object's own
        /// members, or -1 - n for extra member n) and where, in `bytes`, its `"key":` and its
        /// key after the rules (for `replacing`) are.
        struct Member {
            var source: Int32
            var written: Range<Int32>
            var key: Range<Int32>
        }
        let rules: UInt64
        let hash: UInt64
        /// The keys as the tape gives them (`rawKeys`), then each member's `"key":` and key.
        let bytes: [UInt8]
        let rawCount: Int
        let members: [Member]
        /// The rules give up on these keys (a key they refuse, or two equal keys where the rules
        /// or an extra member do not allow it).
        let gaveUp: Bool

        init(rules: UInt64, hash: UInt64, bytes: [UInt8], rawCount: Int, members: [Member], gaveUp: Bool) {
            (self.rules, self.hash, self.bytes, self.rawCount, self.members, self.gaveUp) = (rules, hash, bytes, rawCount, members, gaveUp)
        }

        /// Appends member `m`'s `"key":`.
        func appendWritten(_ m: Int, to out: inout [UInt8]) {
            let r = members[m].written
            bytes.withUnsafeBufferPointer {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[Int(r.lowerBound)..<Int(r.upperBound)]))
            }
        }

        /// Whether member `m`'s key (after the rules) is `key`.
        func keyIs(_ m: Int, _ key: [UInt8]) -> Bool {
            let r = members[m].key
            return bytes.withUnsafeBufferPointer { b in
                SameBytes.same(UnsafeBufferPointer(rebasing: b[Int(r.lowerBound)..<Int(r.upperBound)]), key)
            }
        }
    }

    /// A direct-mapped table of layouts by the hash of their keys.
    struct Shapes: Sendable {
        static let slots = 512
        var table = [Shape?](repeating: nil, count: slots)
    }

    /// The layout of the object at token `i` with `extra` members, found or made (and kept);
    /// its members' value tokens are pushed on `values`, in source order. The keys are looked
    /// up by a hash of their lengths and first and last bytes, then compared whole.
    mutating func shape(of tape: JSONTape, _ i: Int, _ rules: Rules, _ extra: [(key: [UInt8], value: [UInt8])]) -> Shape {
        let valueBase = values.count
        var hash = rules.identity &* 0x9E37_79B9_7F4A_7C15
        var j = i + 1
        while tape.kind(j) == .key {
            hash = tape.withBytes(j) { Self.mix(hash, $0) }
            values.append(j + 1)
            j = tape.after(j + 1)
        }
        // Extra keys mixed apart from the object's own: the same keys as extras are another layout.
        for e in extra { hash = e.key.withUnsafeBufferPointer { Self.mix(hash ^ 0xE47A, $0) } }
        let slot = Int(truncatingIfNeeded: hash % UInt64(Shapes.slots))
        if let shape = shapes.table[slot], shape.hash == hash, shape.rules == rules.identity,
            shape.bytes.withUnsafeBufferPointer({ Self.rawKeys($0, tape, values[valueBase...], extra) == shape.rawCount })
        {
            return shape
        }
        let shape = makeShape(tape, rules, extra, hash: hash, values: valueBase)
        shapes.table[slot] = shape
        return shape
    }

    /// `hash` with a key's length and its first and last eight bytes (at most) mixed in.
    @inline(__always)
    static func mix(_ hash: UInt64, _ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var head: UInt64 = 0, tail: UInt64 = 0
        if key.count >= 8 {
            let base = UnsafeRawPointer(key.baseAddress!)
            head = base.loadUnaligned(as: UInt64.self)
            tail = (base + key.count - 8).loadUnaligned(as: UInt64.self)
        } else {
            for b in key { head = head << 8 | UInt64(b) }
        }
        var h = (hash ^ UInt64(key.count)) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ head ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ tail ^ (h >> 32)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    /// The keys of an object as a layout keeps them: each key's length (LEB128: seven bits a
    /// byte, the low ones first) and bytes, then, with extra members, an overlong zero (no
    /// length is written so) and their keys likewise. With `stored`, compares instead of
    /// appending: returns how many bytes of `stored` matched through the end, or -1.
    static func rawKeys(
        _ stored: UnsafeBufferPointer<UInt8>, _ tape: JSONTape, _ values: ArraySlice<Int>, _ extra: [(key: [UInt8], value: [UInt8])]
    ) -> Int {
        var at = 0
        for v in values { guard tape.withBytes(v - 1, { match($0, stored, &at) }) else { return -1 } }
        if !extra.isEmpty {
            guard at + 2 <= stored.count, stored[at] == 0x80, stored[at + 1] == 0 else { return -1 }
            at += 2
            for e in extra { guard e.key.withUnsafeBufferPointer({ match($0, stored, &at) }) else { return -1 } }
        }
        return at
    }

    /// Whether `stored` holds `key` (its length, then its bytes) at `at`, moved past it.
    @inline(__always)
    private static func match(_ key: UnsafeBufferPointer<UInt8>, _ stored: UnsafeBufferPointer<UInt8>, _ at: inout Int) -> Bool {
        var (length, n) = lengthBytes(key.count)
        guard at + n + key.count <= stored.count else { return false }
        for _ in 0..<n {
            guard stored[at] == UInt8(truncatingIfNeeded: length) else { return false }
            length >>= 8
            at += 1
        }
        guard key.isEmpty || memcmp(stored.baseAddress! + at, key.baseAddress!, key.count) == 0 else { return false }
        at += key.count
        return true
    }

    /// A key's length in LEB128 (seven bits a byte, the low ones first, the high bit set on all
    /// but the last), the first byte lowest in the word, and how many bytes.
    @inline(__always)
    private static func lengthBytes(_ count: Int) -> (word: UInt64, bytes: Int) {
        var n = UInt64(count), word: UInt64 = 0, bytes = 0
        while n >= 0x80 {
            word |= (n & 0x7F | 0x80) << (8 * UInt64(bytes))
            n >>= 7
            bytes += 1
        }
        return (word | n << (8 * UInt64(bytes)), bytes + 1)
    }

    /// Appends the keys as `rawKeys` compares them.
    static func appendRawKeys(to out: inout [UInt8], _ tape: JSONTape, _ values: ArraySlice<Int>, _ extra: [(key: [UInt8], value: [UInt8])])
    {
        for v in values { tape.withBytes(v - 1) { appendKey($0, to: &out) } }
        if !extra.isEmpty {
            out.append(0x80)
            out.append(0)
            for e in extra { e.key.withUnsafeBufferPointer { appendKey($0, to: &out) } }
        }
    }

    private static func appendKey(_ key: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var (length, n) = lengthBytes(key.count)
        for _ in 0..<n {
            out.append(UInt8(truncatingIfNeeded: length))
            length >>= 8
        }
        out.append(contentsOf: key)
    }

    /// Makes the layout: each key through the rules into `keys`, the members sorted by key
    /// (stable: equal keys keep source order, extra members after), the last of equal keys kept.
    private mutating func makeShape(
        _ tape: JSONTape, _ rules: Rules, _ extra: [(key: [UInt8], value: [UInt8])], hash: UInt64, values valueBase: Int
    ) -> Shape {
        let base = members.count, keyBase = keys.count
        defer {
            members.removeLast(members.count - base)
            keys.removeLast(keys.count - keyBase)
        }
        var bytes: [UInt8] = []
        Self.appendRawKeys(to: &bytes, tape, values[valueBase...], extra)
        let rawCount = bytes.count
        func gaveUp() -> Shape { Shape(rules: rules.identity, hash: hash, bytes: bytes, rawCount: rawCount, members: [], gaveUp: true) }
        for n in 0..<(values.count - valueBase) {
            let start = keys.count
            let ok = tape.withBytes(values[valueBase + n] - 1) { key in
                if let transform = rules.key { return transform(key, &keys) }
                CanonicalJSON.appendNFC(key, to: &keys)
                return true
            }
            guard ok else { return gaveUp() }
            members.append(Member(keyStart: start, keyLength: keys.count - start, value: n, extra: -1))
        }
        for (n, e) in extra.enumerated() {
            let start = keys.count
            keys.append(contentsOf: e.key)
            members.append(Member(keyStart: start, keyLength: e.key.count, value: 0, extra: n))
        }
        sortMembers(from: base)
        var written: [Shape.Member] = []
        var m = base
        while m < members.count {
            // Of equal keys the last (in source order, extra members after) wins. Pruning picks
            // the last of the members that survive it, and an extra member replacing a source
            // member hides what the general path still scans: both give up.
            var last = m
            while last + 1 < members.count && sameKey(members[last + 1], members[m]) { last += 1 }
            if last != m && (rules.giveUpOnDuplicateKeys || rules.prune || (m...last).contains { members[$0].extra >= 0 }) {
                return gaveUp()
            }
            let member = members[last]
            m = last + 1
            let key = keys[member.keyStart..<member.keyStart + member.keyLength]
            let writtenStart = Int32(bytes.count)
            key.withUnsafeBufferPointer { CanonicalJSON.writeEscaped($0, into: &bytes) }
            bytes.append(UInt8(ascii: ":"))
            let keyStart = Int32(bytes.count)
            bytes.append(contentsOf: key)
            written.append(
                Shape.Member(
                    source: member.extra >= 0 ? Int32(-1 - member.extra) : Int32(member.value), written: writtenStart..<keyStart,
                    key: keyStart..<Int32(bytes.count)))
        }
        return Shape(rules: rules.identity, hash: hash, bytes: bytes, rawCount: rawCount, members: written, gaveUp: false)
    }
}
