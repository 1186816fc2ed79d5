import LakeCore

/// The canonical JSON (`CanonicalJSON`) of a value on a `JSONTape`, written straight from the
/// tape: no `JSONValue` tree, members sorted through a scratch list of spans that is kept from
/// one call to the next, and each set of keys sorted once (`Shape`): the next object with the
/// same keys is written through the layout made for the first. With `Rules` a caller changes
/// keys and strings on the way and drops empty values, which is how mappers write a record's
/// standardized `data` (docs/SPEC.md 5.3) without building it.
///
/// It writes exactly `CanonicalJSON.encode` of the value the rules describe, or gives up
/// (`nil`) where a rule asks it to: the caller then takes the general path. Tests compare the
/// two on the JSONTestSuite, random values and real exports.
///
/// ```swift
/// var writer = JSONTapeCanonical()
/// let tape = try JSONTape(bytes: Array(#"{"b":1,"a":"x"}"#.utf8))
/// var out: [UInt8] = []
/// writer.write(tape, into: &out)  // {"a":"x","b":1}
/// ```
public struct JSONTapeCanonical: Sendable {
    /// How keys and strings change on the way, and whether empty values are dropped.
    public struct Rules: Sendable {
        /// Appends a key's new bytes (NFC, unquoted, unescaped) to the buffer; false to give up.
        /// Nil: the key as it is, in NFC. A function of the key's bytes alone: a writer keeps
        /// what it made of an object's keys for the next object with the same keys (`Shape`).
        public var key: (@Sendable (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Bool)? {
            didSet { identity = JSONTapeCanonical.newRulesIdentity() }
        }
        /// Appends a string's new text (NFC, unquoted, unescaped); false to give up. Nil: the
        /// string as it is, in NFC.
        public var string: (@Sendable (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Bool)? {
            didSet { identity = JSONTapeCanonical.newRulesIdentity() }
        }
        /// Drop empty values as `Flatten.prune` does: null and "" members are left out, an
        /// element that empties is null, a container that empties (or holds only nulls) is empty.
        public var prune = false { didSet { identity = JSONTapeCanonical.newRulesIdentity() } }
        /// Two members of one object with the same (new) key: give up instead of keeping the last.
        public var giveUpOnDuplicateKeys = false { didSet { identity = JSONTapeCanonical.newRulesIdentity() } }
        /// Which rules these are, for the layouts a writer keeps (new whenever a rule changes).
        private(set) var identity = JSONTapeCanonical.newRulesIdentity()

        public init() {}

        /// Canonical JSON of the value as it is.
        public static let plain = Rules()
    }

    /// Members of one object while it is sorted: key bytes in `keys`, the value's token.
    struct Member {
        var keyStart: Int
        var keyLength: Int
        var value: Int
        /// Index into `extra` (then `value` is unused), or -1.
        var extra: Int
    }

    var keys: [UInt8] = []
    var members: [Member] = []
    var text: [UInt8] = []
    /// The value tokens of the members of the objects being written (`shape(of:)`).
    var values: [Int] = []
    var shapes = Shapes()
    /// A tape deeper than this is left to the general path (which recurses as this does).
    public static let maxDepth = 256

    public init() {}

    /// Appends the canonical JSON of the value at token `at` (the whole tape by default) to
    /// `out`, with `extra` members (key, canonical value) added to that value, when it is an
    /// object, after its own: they win over a member of the same key, as `JSONValue.adding` then
    /// `CanonicalJSON` do. A value that `rules` prune away entirely is written as `{}`, as
    /// `Standardize.values` gives it. A member of that object whose (new) key is one of
    /// `replacing`'s is written with the given canonical value instead of its own (a mapper
    /// that changes a text, as Twitter's HTML references are decoded). Returns false, with
    /// `out` as it was, when a rule gave up.
    @discardableResult
    public mutating func write(
        _ tape: JSONTape, at first: Int = 0, rules: Rules = .plain, extra: [(key: [UInt8], value: [UInt8])] = [],
        replacing: [(key: [UInt8], value: [UInt8])] = [], into out: inout [UInt8]
    ) -> Bool {
        let mark = out.count
        guard tape.depth <= Self.maxDepth else { return false }
        keys.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        let top = tape.kind(first)
        guard (extra.isEmpty && replacing.isEmpty) || top == .objectStart else { return false }
        let outcome =
            top == .objectStart ? object(tape, first, rules, extra, &out, replacing: replacing) : value(tape, first, rules, extra, &out)
        switch outcome {
        case .gaveUp:
            out.removeSubrange(mark...)
            return false
        case .pruned:
            out.append(contentsOf: "{}".utf8)
            return true
        case .written:
            return true
        }
    }

    enum Outcome { case written, pruned, gaveUp }

    private mutating func value(
        _ tape: JSONTape, _ i: Int, _ rules: Rules, _ extra: [(key: [UInt8], value: [UInt8])], _ out: inout [UInt8]
    ) -> Outcome {
        switch tape.kind(i) {
        case .null:
            if rules.prune { return .pruned }
            out.append(contentsOf: "null".utf8)
        case .true: out.append(contentsOf: "true".utf8)
        case .false: out.append(contentsOf: "false".utf8)
        case .number: tape.withBytes(i) { out.append(contentsOf: $0) }
        case .string: return string(tape, i, rules, &out)
        case .arrayStart: return array(tape, i, rules, &out)
        case .objectStart: return object(tape, i, rules, extra, &out)
        case .key, .arrayEnd, .objectEnd: return .gaveUp
        }
        return .written
    }

    private mutating func string(_ tape: JSONTape, _ i: Int, _ rules: Rules, _ out: inout [UInt8]) -> Outcome {
        text.removeAll(keepingCapacity: true)
        let ok = tape.withBytes(i) { bytes in
            if let transform = rules.string { return transform(bytes, &text) }
            CanonicalJSON.appendNFC(bytes, to: &text)
            return true
        }
        guard ok else { return .gaveUp }
        if rules.prune && text.isEmpty { return .pruned }
        text.withUnsafeBufferPointer { CanonicalJSON.writeEscaped($0, into: &out) }
        return .written
    }

    private mutating func array(_ tape: JSONTape, _ i: Int, _ rules: Rules, _ out: inout [UInt8]) -> Outcome {
        let mark = out.count
        out.append(UInt8(ascii: "["))
        var j = i + 1, first = true, anything = false
        while tape.kind(j) != .arrayEnd {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            switch value(tape, j, rules, [], &out) {
            case .gaveUp: return .gaveUp
            case .pruned: out.append(contentsOf: "null".utf8)
            case .written: anything = true  // under `prune` a null is never written
            }
            j = tape.after(j)
        }
        if rules.prune && !anything {
            out.removeSubrange(mark...)
            return .pruned
        }
        out.append(UInt8(ascii: "]"))
        return .written
    }

    private mutating func object(
        _ tape: JSONTape, _ i: Int, _ rules: Rules, _ extra: [(key: [UInt8], value: [UInt8])], _ out: inout [UInt8],
        replacing: [(key: [UInt8], value: [UInt8])] = []
    ) -> Outcome {
        // This object's value tokens go on top of the scratch list and are popped after.
        let valueBase = values.count
        defer { values.removeLast(values.count - valueBase) }
        let shape = shape(of: tape, i, rules, extra)
        if shape.gaveUp { return .gaveUp }
        let mark = out.count
        out.append(UInt8(ascii: "{"))
        var written = 0
        for m in shape.members.indices {
            let before = out.count
            if written > 0 { out.append(UInt8(ascii: ",")) }
            shape.appendWritten(m, to: &out)
            let source = Int(shape.members[m].source)
            if source < 0 {
                out.append(contentsOf: extra[-1 - source].value)
                written += 1
                continue
            }
            if !replacing.isEmpty, let r = replacing.firstIndex(where: { shape.keyIs(m, $0.key) }) {
                out.append(contentsOf: replacing[r].value)
                written += 1
                continue
            }
            switch value(tape, values[valueBase + source], rules, [], &out) {
            case .gaveUp: return .gaveUp
            case .pruned: out.removeSubrange(before...)
            case .written: written += 1
            }
        }
        if rules.prune && written == 0 {
            out.removeSubrange(mark...)
            return .pruned
        }
        out.append(UInt8(ascii: "}"))
        return .written
    }

    func sameKey(_ a: Member, _ b: Member) -> Bool {
        a.keyLength == b.keyLength && compare(a, b) == 0
    }

    /// Byte order of two members' keys (code point order for UTF-8).
    private func compare(_ a: Member, _ b: Member) -> Int {
        keys.withUnsafeBufferPointer { k in
            let n = min(a.keyLength, b.keyLength)
            let pa = k.baseAddress! + a.keyStart, pb = k.baseAddress! + b.keyStart
            for x in 0..<n where pa[x] != pb[x] { return pa[x] < pb[x] ? -1 : 1 }
            return a.keyLength - b.keyLength
        }
    }

    /// Insertion sort of `members[from...]` by key, stable (objects are small; equal keys keep
    /// source order).
    mutating func sortMembers(from base: Int) {
        guard members.count - base > 1 else { return }
        for x in (base + 1)..<members.count {
            let item = members[x]
            var y = x
            while y > base && compare(members[y - 1], item) > 0 {
                members[y] = members[y - 1]
                y -= 1
            }
            members[y] = item
        }
    }
}

extension JSONTape {
    /// The content hash of the value at `at` (`Identity.contentHash` of the same value): XXH64 of
    /// its canonical JSON, written with `writer`'s scratch into `scratch`.
    public func contentHash(at first: Int = 0, writer: inout JSONTapeCanonical, scratch: inout [UInt8]) -> String {
        scratch.removeAll(keepingCapacity: true)
        if !writer.write(self, at: first, into: &scratch) { return Identity.contentHash(value(at: first)) }
        return Hex.string(XXH64.hash(scratch))
    }
}
