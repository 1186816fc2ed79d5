import Foundation

/// A record's `data` stored without its member names (schema 29, docs/SPEC.md 7.4, "Compact
/// records"). A kind's records repeat the same names in every row (a location point's are 81
/// of its 183 bytes), so a row keeps only the values, in canonical order, as a JSON array, and
/// the names go once into the `record_kinds` row it refers to (`keys`, a JSON array of them):
/// `{"accuracy":888,"source":"WIFI"}` is stored as `[888,"WIFI"]` under `["accuracy","source"]`.
/// Each name and value is copied as its canonical bytes, so `expand` gives back the canonical
/// JSON byte for byte, and both parts are still JSON any SQLite tool reads (the views find a
/// member's place in `keys`).
///
/// Only the top level is stored so; values inside keep their names. A kind row with null
/// `keys` holds rows whose `data` is the canonical JSON itself (rows written before schema 29,
/// an object with no member, or too many names: see the limits).
public enum CompactData {
    /// An object with more members, or more bytes of names, keeps them in the row.
    public static let maxMembers = 256
    public static let maxKeyBytes = 4_096
    /// The names `shape` writes on the stack in its one pass (`withUnsafeTemporaryAllocation`
    /// allocates more than 1 KiB on the heap); longer ones take the pass again on the heap.
    static let stackKeyBytes = 1_024
    /// A kind keeps at most this many sets of names (`RecordRefs`): a later record of the kind
    /// with yet another set keeps its names, so data whose names are values (ids, dates) adds
    /// no more kind rows than this.
    public static let maxShapesPerKind = 64

    /// A data object split into its values (`data`, the array stored in the row) and its names
    /// (`keys`, the array stored once in its kind's row).
    public struct Shaped: Sendable {
        public var data: [UInt8]
        public var keys: [UInt8]
    }

    /// `data` (canonical JSON) as values and names; nil when it is not an object of 1 to
    /// `maxMembers` members whose names take at most `maxKeyBytes`. Names equal to `held` (a
    /// worker's last ones) are given back as `held`: no array is made for them. A member the
    /// record's time `millis` (at `offset` minutes from UTC) or its other members give back is
    /// derived (`Rule`); with `fixing` false, none by the fixed rule.
    public static func shape(
        _ data: [UInt8], held: [UInt8]? = nil, millis: Int64? = nil, offset: Int? = nil, fixing: Bool = true
    ) -> Shaped? {
        data.withUnsafeBufferPointer { d -> Shaped? in
            guard d.count > 2, d[0] == brace, d[1] == quote else { return nil }
            // The names are written on the stack (`stackKeyBytes`); the rare longer ones take
            // the same pass again into `maxKeyBytes` on the heap.
            let onStack = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stackKeyBytes) {
                shape(d, names: $0, held: held, millis: millis, offset: offset, fixing: fixing)
            }
            guard onStack.spilled else { return onStack.shaped }
            var buffer = [UInt8](repeating: 0, count: maxKeyBytes)
            return buffer.withUnsafeMutableBufferPointer {
                shape(d, names: $0, held: held, millis: millis, offset: offset, fixing: fixing).shaped
            }
        }
    }

    /// `shape` of the object `d` in one pass: the values are copied, each name compared with
    /// `held` and written into `names`; they become an array only when they are not `held`.
    /// `spilled` when the names need more than `names` holds (and at most `maxKeyBytes`).
    private static func shape(
        _ d: UnsafeBufferPointer<UInt8>, names: UnsafeMutableBufferPointer<UInt8>, held: [UInt8]?, millis: Int64?, offset: Int?,
        fixing: Bool
    ) -> (shaped: Shaped?, spilled: Bool) {
        // A derived entry's bytes after its name are written once, here, for the count, the
        // comparison with `held` and the names.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Rule.maxSuffixBytes) { suffixes in
            var values: [UInt8] = []
            values.reserveCapacity(d.count)
            values.append(bracket)
            var count = 0
            var keyBytes = 1
            var heldAt: Int? = held == nil ? nil : 0
            var written = 1
            names[0] = bracket
            // `put` returns what it wrote and the caller adds it: a nested function that changed
            // `written` itself, called in a closure, had each access checked at run time
            // (`swift_beginAccess`, about five per member).
            var i = 1
            while true {
                guard count < maxMembers, i < d.count, d[i] == quote, let keyEnd = scalarEnd(d, at: i), keyEnd < d.count,
                    d[keyEnd] == colon, let end = CompactAnnotations.valueEnd(d, at: keyEnd + 1), end < d.count
                else { return (nil, false) }
                count += 1
                let rule = Self.rule(
                    d, index: count - 1, name: i..<keyEnd, value: (keyEnd + 1)..<end, millis: millis, offset: offset, fixing: fixing)
                let suffix = rule.map { UnsafeBufferPointer(rebasing: suffixes[0..<$0.writeSuffix(into: suffixes)]) }
                keyBytes += keyEnd - i + 1 + (suffix.map { $0.count + 1 } ?? 0)
                guard keyBytes <= maxKeyBytes else { return (nil, false) }
                // `keyBytes` counts this entry and the comma or bracket after it: what is written fits.
                guard keyBytes <= names.count else { return (nil, true) }
                let name = UnsafeBufferPointer(rebasing: d[i..<keyEnd])
                if let at = heldAt { heldAt = follows(held!, at: at, name, suffix) }
                if count > 1 {
                    names[written] = comma
                    written += 1
                }
                if let suffix {
                    names[written] = bracket
                    written += 1
                    written += put(name, names, at: written)
                    written += put(suffix, names, at: written)
                    values.append(zero)
                } else {
                    written += put(name, names, at: written)
                    values.append(contentsOf: UnsafeBufferPointer(rebasing: d[(keyEnd + 1)..<end]))
                }
                if d[end] == closeBrace {
                    guard end + 1 == d.count else { return (nil, false) }
                    break
                }
                guard d[end] == comma else { return (nil, false) }
                values.append(comma)
                i = end + 1
            }
            values.append(closeBracket)
            if let held, let at = heldAt, at + 1 == held.count, held[at] == closeBracket {
                return (Shaped(data: values, keys: held), false)
            }
            names[written] = closeBracket
            return (Shaped(data: values, keys: Array(UnsafeBufferPointer(rebasing: names[0...written]))), false)
        }
    }

    /// Copies `bytes` into `names` at `at`; returns how many.
    @inline(__always)
    private static func put(_ bytes: UnsafeBufferPointer<UInt8>, _ names: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        if let from = bytes.baseAddress { (names.baseAddress! + at).update(from: from, count: bytes.count) }
        return bytes.count
    }

    /// Where `held` goes on after the entry of `name` (derived, `suffix` the bytes of its entry
    /// after the name, or not) when it holds it at `at` (after `[` or `,`); nil when not.
    private static func follows(_ held: [UInt8], at: Int, _ name: UnsafeBufferPointer<UInt8>, _ suffix: UnsafeBufferPointer<UInt8>?)
        -> Int?
    {
        held.withUnsafeBufferPointer { h in
            var p = at + 1
            guard p <= h.count, h[at] == (at == 0 ? bracket : comma) else { return nil }
            if suffix != nil {
                guard p < h.count, h[p] == bracket else { return nil }
                p += 1
            }
            guard p + name.count <= h.count, memcmp(h.baseAddress! + p, name.baseAddress!, name.count) == 0 else { return nil }
            p += name.count
            guard let suffix else { return p }
            guard p + suffix.count <= h.count, memcmp(h.baseAddress! + p, suffix.baseAddress!, suffix.count) == 0 else { return nil }
            return p + suffix.count
        }
    }

    /// The canonical JSON of values `stored` under names `keys` of a record whose time is
    /// `millis` at `offset` minutes from UTC (the inverse of `shape`); nil when either is not an array of the other's
    /// length, or a derived member cannot be made (a damaged row: its checksum fails).
    public static func expand(_ stored: [UInt8], keys: [UInt8], millis: Int64?, offset: Int? = nil) -> [UInt8]? {
        stored.withUnsafeBufferPointer { v -> [UInt8]? in
            keys.withUnsafeBufferPointer { k -> [UInt8]? in
                guard v.count > 2, k.count > 2, v[0] == bracket, k[0] == bracket else { return nil }
                // Names with a derived entry (an array: `[[` or `,[`, which a name may hold too)
                // are read entry by entry, without the array below made first.
                if k[1] == bracket || (1..<(k.count - 1)).contains(where: { k[$0] == comma && k[$0 + 1] == bracket }) {
                    return expandDerived(v, k, millis: millis, offset: offset)
                }
                // Two arrays of n elements make an object of exactly their bytes less one: each
                // part is copied into place, with no growth and no per-byte append.
                let capacity = v.count + k.count - 1
                var complete = false
                let out = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, written in
                    let o = buffer.baseAddress!
                    func put(_ from: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
                        guard written + range.count <= capacity else { return false }
                        memcpy(o + written, from.baseAddress! + range.lowerBound, range.count)
                        written += range.count
                        return true
                    }
                    func put(_ byte: UInt8) -> Bool {
                        guard written < capacity else { return false }
                        o[written] = byte
                        written += 1
                        return true
                    }
                    var i = 1
                    var j = 1
                    guard put(brace) else { return }
                    while true {
                        guard k[j] == quote, let keyEnd = scalarEnd(k, at: j), keyEnd < k.count,
                            let end = CompactAnnotations.valueEnd(v, at: i), end < v.count,
                            put(k, j..<keyEnd), put(colon), put(v, i..<end)
                        else { return }
                        switch (k[keyEnd], v[end]) {
                        case (comma, comma):
                            j = keyEnd + 1
                            i = end + 1
                            guard j < k.count, put(comma) else { return }
                        case (closeBracket, closeBracket):
                            complete = keyEnd + 1 == k.count && end + 1 == v.count && put(closeBrace)
                            return
                        default: return
                        }
                    }
                }
                return complete ? out : nil
            }
        }
    }

    static let bracket = CompactAnnotations.bracket, closeBracket = CompactAnnotations.closeBracket
    static let brace = CompactAnnotations.brace, closeBrace = CompactAnnotations.closeBrace
    static let comma = CompactAnnotations.comma, quote = CompactAnnotations.quote, colon = CompactAnnotations.colon

    private static func scalarEnd(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? { CompactAnnotations.scalarEnd(b, at: i) }
}
