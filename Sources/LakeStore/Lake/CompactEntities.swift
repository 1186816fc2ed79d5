import LakeCore

/// A record's entities as `records.entities` stores them from schema 24 (docs/SPEC.md 7.4,
/// "Annotations"): each entity `[K,M,V]` as `CompactAnnotations` stores it, with two more
/// savings, since most entities repeat what the row holds already:
///
/// - a kind or method from `entityKinds` / `entityMethods` is stored as its index there;
/// - a value that is the row's `data` member `N` (its `N`th top-level member, from 0, in
///   canonical order) is stored as the number `N`: the member's string, or, for a member
///   `{"lat":X,"lng":Y}` of two numbers, the text `X,Y` (a location's place is its point).
///
/// An entity's canonical kind, method and value are always strings, so a number in the stored
/// form is one of these and nothing else. A value is stored as a number only when the member's
/// canonical bytes give back exactly the value's, so `expandEntities` rebuilds the canonical
/// list byte for byte. A kind or method outside the tables, and any other value, stays a
/// string; rows written before schema 24 (strings only) and before 23 (objects) read as they
/// are. A location point's entity, `[["place","coordinates","32.235601,164.570219"]]` (47
/// bytes), is stored as `[[0,0,2]]`.
extension CompactAnnotations {
    /// The kinds stored as their index (a `Table`: append only).
    public static let entityKinds = Table("place", "url", "person", "email", "mention", "hashtag", "phone", "date")
    /// The methods stored as their index.
    public static let entityMethods = Table("coordinates", "source", "pattern", "header", "participant")
    static let colon = UInt8(ascii: ":")
    /// Bytes of `data` one list may pass over looking for its values (`forEachMember`): past it,
    /// the rest of the list keeps its strings. Without it, a record of many entities and a large
    /// data object cost their product (50,000 links found in a 10 MB message: 5 × 10¹¹ byte
    /// steps). Expanding a list walks no further than compacting it did, so the same budget
    /// never stops the expansion of a list that compacting made.
    static let scanBudget = 4 << 20

    /// The canonical entity list `json` as a row whose data is `data` stores it; `json` itself
    /// when an element is not an entity of three strings (or the list is compact already).
    public static func compactEntities(_ json: [UInt8], data: [UInt8]) -> [UInt8] {
        json.withUnsafeBufferPointer { b in
            data.withUnsafeBufferPointer { d in
                guard b.count > 2, b[0] == bracket, b[1] == brace else { return nil }
                var budget = scanBudget
                return list(b, capacity: b.count) { i, out in compactEntity(b, at: i, data: d, budget: &budget, into: &out) }
            }
        } ?? json
    }

    /// The canonical JSON of a stored entity list whose row's data is `data`; `stored` itself
    /// when it is not a compact list, or names a code or a member that is not there.
    public static func expandEntities(_ stored: [UInt8], data: [UInt8]) -> [UInt8] {
        stored.withUnsafeBufferPointer { b in
            data.withUnsafeBufferPointer { d in
                guard b.count > 2, b[0] == bracket, b[1] == bracket else { return nil }
                var budget = scanBudget
                return list(b, capacity: b.count * 3 + 64) { i, out in expandEntity(b, at: i, data: d, budget: &budget, into: &out) }
            }
        } ?? stored
    }

    /// Writes the object at `start` as `[K,M,V]` and returns the index after its `}`; nil
    /// (`out` as it was) unless it is `{"kind":…,"method":…,"value":…}` of three strings.
    private static func compactEntity(
        _ b: UnsafeBufferPointer<UInt8>, at start: Int, data d: UnsafeBufferPointer<UInt8>, budget: inout Int, into out: inout [UInt8]
    ) -> Int? {
        let prefixes = entities[0].prefixes
        guard start < b.count, b[start] == brace else { return nil }
        var i = start + 1
        // The three values' ranges in a tuple: no array per entity.
        var parts = (0..<0, 0..<0, 0..<0)
        for n in 0..<3 {
            if n > 0 {
                guard i < b.count, b[i] == comma else { return nil }
                i += 1
            }
            guard hasPrefix(b, prefixes[n], at: i) else { return nil }
            i += prefixes[n].count
            guard i < b.count, b[i] == quote, let end = scalarEnd(b, at: i) else { return nil }
            switch n {
            case 0: parts.0 = i..<end
            case 1: parts.1 = i..<end
            default: parts.2 = i..<end
            }
            i = end
        }
        guard i < b.count, b[i] == closeBrace else { return nil }
        out.append(bracket)
        entityKinds.write(UnsafeBufferPointer(rebasing: b[parts.0]), into: &out)
        out.append(comma)
        entityMethods.write(UnsafeBufferPointer(rebasing: b[parts.1]), into: &out)
        out.append(comma)
        if !writePlace(holding: UnsafeBufferPointer(rebasing: b[parts.2]), in: d, budget: &budget, into: &out) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[parts.2]))
        }
        out.append(closeBracket)
        return i + 1
    }

    /// Writes the object of the stored `[K,M,V]` at `start` and returns the index after its
    /// `]`; nil when it is not three scalars, or a number names nothing.
    private static func expandEntity(
        _ b: UnsafeBufferPointer<UInt8>, at start: Int, data d: UnsafeBufferPointer<UInt8>, budget: inout Int, into out: inout [UInt8]
    ) -> Int? {
        guard start < b.count, b[start] == bracket else { return nil }
        let mark = out.count
        out.append(brace)
        var i = start + 1
        for n in 0..<3 {
            if n > 0 { out.append(comma) }
            out.append(contentsOf: entities[0].prefixes[n])
            // A value may be a path (an array); a kind or method is a scalar.
            guard let end = n == 2 ? valueEnd(b, at: i) : scalarEnd(b, at: i), end < b.count, b[end] == (n == 2 ? closeBracket : comma),
                write(UnsafeBufferPointer(rebasing: b[i..<end]), as: n, data: d, budget: &budget, into: &out)
            else {
                out.removeSubrange(mark...)
                return nil
            }
            i = end + 1
        }
        out.append(closeBrace)
        return i
    }

    /// Writes stored scalar `s`, the entity's kind (`n` 0), method (1) or value (2), as its
    /// canonical string; false when it is neither a string nor an index (or, for a value, a
    /// path) that names one.
    private static func write(
        _ s: UnsafeBufferPointer<UInt8>, as n: Int, data d: UnsafeBufferPointer<UInt8>, budget: inout Int, into out: inout [UInt8]
    ) -> Bool {
        if s[0] == quote {
            out.append(contentsOf: s)
            return true
        }
        if s[0] == bracket {
            guard n == 2, let path = storedPath(s) else { return false }
            return pathValue(path, in: d, budget: &budget, into: &out)
        }
        guard n == 2 else {
            guard let entry = (n == 0 ? entityKinds : entityMethods).entry(s) else { return false }
            out.append(contentsOf: entry)
            return true
        }
        guard let index = decimal(s) else { return false }
        return memberValue(index, in: d, budget: &budget, into: &out)
    }

    /// A stored index: one to `maxDigits` digits (four for an index), no leading zero.
    static func decimal(_ s: UnsafeBufferPointer<UInt8>, maxDigits: Int = 4) -> Int? {
        guard (1...maxDigits).contains(s.count), s.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), s.count == 1 || s[0] != 0x30 else {
            return nil
        }
        return s.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    // MARK: - The data's members

    /// The index of the first top-level member of `d` that gives back `value` (a quoted
    /// canonical string) exactly: a string of the same bytes, or a point whose `"X,Y"` it is
    /// (among the first `maxPathIndex + 1`: a stored index has four digits at most).
    static func member(holding value: UnsafeBufferPointer<UInt8>, in d: UnsafeBufferPointer<UInt8>, budget: inout Int) -> Int? {
        var found: Int?
        forEachMember(d, budget: &budget) { n, v in
            guard n <= maxPathIndex else { return true }
            if gives(value, d, v) { found = n }
            return found != nil
        }
        return found
    }

    /// Writes the value member `index` of `d` gives (as `member(holding:in:)` reads it); false
    /// when there is no such member, or it is neither a string nor a point.
    static func memberValue(_ index: Int, in d: UnsafeBufferPointer<UInt8>, budget: inout Int, into out: inout [UInt8]) -> Bool {
        var written = false
        forEachMember(d, budget: &budget) { n, v in
            guard n == index else { return false }
            written = writeGiven(d, v, into: &out)
            return true
        }
        return written
    }

    /// Calls `body` with each top-level member's index and the range of its value, in order,
    /// until it returns true; stops at anything that is not a compact JSON object's member, and
    /// reads nothing past `budget` (the bytes the list may still pass over), which it spends.
    static func forEachMember(_ whole: UnsafeBufferPointer<UInt8>, budget: inout Int, _ body: (Int, Range<Int>) -> Bool) {
        forEachMember(whole, budget: &budget) { n, _, v in body(n, v) }
    }

    /// `forEachMember`, with the range of each member's name too (its quotes included).
    static func forEachMember(_ whole: UnsafeBufferPointer<UInt8>, budget: inout Int, _ body: (Int, Range<Int>, Range<Int>) -> Bool) {
        guard whole.count > 2, whole[0] == brace else { return }
        var i = 1
        var n = 0
        while budget > 0 {
            // Nothing past what the list may still pass over is read (the same indexes as `whole`).
            let d = UnsafeBufferPointer(rebasing: whole[..<min(whole.count, i + budget)])
            guard i < d.count, d[i] == quote, let keyEnd = scalarEnd(d, at: i), keyEnd < d.count, d[keyEnd] == colon,
                let end = valueEnd(d, at: keyEnd + 1), end < d.count
            else {
                budget -= max(0, d.count - i)
                return
            }
            budget -= end + 1 - i
            if body(n, i..<keyEnd, (keyEnd + 1)..<end) || d[end] != comma { return }
            n += 1
            i = end + 1
        }
    }

    /// The index after the value at `start`: a scalar, or an object or array with everything
    /// in it (strings skipped whole).
    static func valueEnd(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard start < b.count else { return nil }
        guard b[start] == brace || b[start] == bracket else { return scalarEnd(b, at: start) }
        var depth = 0
        var i = start
        while i < b.count {
            switch b[i] {
            case quote:
                guard let end = scalarEnd(b, at: i) else { return nil }
                i = end
                continue
            case brace, bracket: depth += 1
            case closeBrace, closeBracket:
                depth -= 1
                if depth == 0 { return i + 1 }
            default: break
            }
            i += 1
        }
        return nil
    }

    static let latPrefix = Array("{\"lat\":".utf8), lngPrefix = Array(",\"lng\":".utf8)

    /// The number texts of a value `{"lat":X,"lng":Y}` at `v`.
    static func point(_ d: UnsafeBufferPointer<UInt8>, _ v: Range<Int>) -> (Range<Int>, Range<Int>)? {
        guard hasPrefix(d, latPrefix, at: v.lowerBound) else { return nil }
        let x = v.lowerBound + latPrefix.count
        guard x < v.upperBound, d[x] != quote, let xEnd = scalarEnd(d, at: x), hasPrefix(d, lngPrefix, at: xEnd) else { return nil }
        let y = xEnd + lngPrefix.count
        guard y < v.upperBound, d[y] != quote, let yEnd = scalarEnd(d, at: y), yEnd + 1 == v.upperBound, d[yEnd] == closeBrace else {
            return nil
        }
        return (x..<xEnd, y..<yEnd)
    }
}

extension Array where Element == UInt8 {
    /// Appends `n`'s decimal digits.
    mutating func appendDecimal(_ n: Int) { DecimalText.withDigits(of: Int64(n)) { append(contentsOf: $0) } }
}
