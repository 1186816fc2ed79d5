/// Entity values deeper in the row's `data` (schema 27, docs/SPEC.md 7.4, "Entities"): a value
/// a string inside a top-level member gives back is stored as its path, an array of indexes
/// `[N,i,j,…]`: top-level member `N`, then in each object the member of that index (canonical
/// order), in each array the element. A tweet's link, `"https://example.com/n/ZyIACyosGP"` (34
/// bytes), is the string at `entities.urls[0].expanded_url`, stored as `[3,0,0,1]` (9 bytes).
/// The first value in document order that gives it back is taken, each member before what is
/// inside it: a top-level member is stored as its index `N` (schema 24).
extension CompactAnnotations {
    /// Steps below the top-level member a path may take; a deeper string stays a string.
    static let maxPathSteps = 8
    /// The largest index a path step or a member number holds (four digits).
    static let maxPathIndex = 9_999

    /// Where the first value of `d` that gives back `value` is, in document order (a member
    /// before what is inside it): `[N]` for top-level member `N`, a longer path for a string
    /// (or point) inside one; nil when there is none within the budget (each top-level member
    /// entered is spent whole, as `forEachMember` spends it). One pass, stopping at the find.
    static func place(holding value: UnsafeBufferPointer<UInt8>, in d: UnsafeBufferPointer<UInt8>, budget: inout Int) -> [Int]? {
        var trail: [Int] = []
        trail.reserveCapacity(maxPathSteps + 1)  // one allocation for the whole search
        var found = false
        func search(_ v: Range<Int>) {
            guard trail.count <= maxPathSteps else { return }
            forEachChild(d, v) { n, c in
                guard n <= maxPathIndex else { return true }
                trail.append(n)
                if gives(value, d, c) {
                    found = true
                } else if d[c.lowerBound] == brace || d[c.lowerBound] == bracket {
                    search(c)
                }
                if !found { trail.removeLast() }
                return found
            }
        }
        forEachMember(d, budget: &budget) { n, v in
            guard n <= maxPathIndex else { return true }
            trail.removeAll(keepingCapacity: true)
            trail.append(n)
            if gives(value, d, v) {
                found = true
            } else if d[v.lowerBound] == brace || d[v.lowerBound] == bracket {
                search(v)
            }
            return found
        }
        return found ? trail : nil
    }

    /// Writes the value that `path` names in `d` (a string, or a point's `"X,Y"`); false when
    /// it names nothing, or something else.
    static func pathValue(_ path: [Int], in d: UnsafeBufferPointer<UInt8>, budget: inout Int, into out: inout [UInt8]) -> Bool {
        guard path.count >= 2 else { return false }
        var node: Range<Int>?
        forEachMember(d, budget: &budget) { n, v in
            if n == path[0] { node = v }
            return n == path[0]
        }
        for step in path.dropFirst() {
            guard let v = node else { return false }
            node = nil
            forEachChild(d, v) { n, c in
                if n == step { node = c }
                return n == step
            }
        }
        guard let v = node else { return false }
        return writeGiven(d, v, into: &out)
    }

    /// Calls `body` with each member's (of an object) or element's (of an array) index and
    /// value range, for the container at `v` in compact canonical JSON, until it returns true;
    /// stops at anything else.
    static func forEachChild(_ whole: UnsafeBufferPointer<UInt8>, _ v: Range<Int>, _ body: (Int, Range<Int>) -> Bool) {
        guard v.count >= 2 else { return }
        let d = UnsafeBufferPointer(rebasing: whole[..<v.upperBound])  // the same indexes, nothing past `v`
        let isObject = d[v.lowerBound] == brace
        guard isObject || d[v.lowerBound] == bracket else { return }
        var i = v.lowerBound + 1
        guard d[i] != (isObject ? closeBrace : closeBracket) else { return }
        var n = 0
        while i < d.count {
            var start = i
            if isObject {
                guard d[i] == quote, let keyEnd = scalarEnd(d, at: i), keyEnd < d.count, d[keyEnd] == colon else { return }
                start = keyEnd + 1
            }
            guard let end = valueEnd(d, at: start), end < d.count else { return }
            if body(n, start..<end) || d[end] != comma { return }
            n += 1
            i = end + 1
        }
    }

    /// Whether the value at `v` gives back `value` (a quoted canonical string): a string of the
    /// same bytes, or a point whose `"X,Y"` it is.
    static func gives(_ value: UnsafeBufferPointer<UInt8>, _ d: UnsafeBufferPointer<UInt8>, _ v: Range<Int>) -> Bool {
        let m = UnsafeBufferPointer(rebasing: d[v])
        if m[0] == quote { return m.count == value.count && m.elementsEqual(value) }
        guard let (x, y) = point(d, v), value.count == x.count + y.count + 3, value[value.count - 1] == quote,
            value[x.count + 1] == comma
        else { return false }
        return UnsafeBufferPointer(rebasing: value[1..<(x.count + 1)]).elementsEqual(UnsafeBufferPointer(rebasing: d[x]))
            && UnsafeBufferPointer(rebasing: value[(x.count + 2)..<(value.count - 1)]).elementsEqual(UnsafeBufferPointer(rebasing: d[y]))
    }

    /// Writes the value at `v` as `gives` reads it (a string as it is, a point as `"X,Y"`);
    /// false for anything else.
    static func writeGiven(_ d: UnsafeBufferPointer<UInt8>, _ v: Range<Int>, into out: inout [UInt8]) -> Bool {
        if d[v.lowerBound] == quote {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: d[v]))
            return true
        }
        guard let (x, y) = point(d, v) else { return false }
        out.append(quote)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: d[x]))
        out.append(comma)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: d[y]))
        out.append(quote)
        return true
    }

    /// A stored path: `[` two to `maxPathSteps + 1` stored indexes, comma-separated, `]`.
    static func storedPath(_ s: UnsafeBufferPointer<UInt8>) -> [Int]? {
        guard s.count >= 5, s[0] == bracket, s[s.count - 1] == closeBracket else { return nil }
        var path: [Int] = []
        for part in UnsafeBufferPointer(rebasing: s[1..<(s.count - 1)]).split(separator: comma, omittingEmptySubsequences: false) {
            guard path.count <= maxPathSteps, let n = decimal(UnsafeBufferPointer(rebasing: part)) else { return nil }
            path.append(n)
        }
        return path.count >= 2 ? path : nil
    }

    /// Appends a path as it is stored.
    static func appendPath(_ path: [Int], to out: inout [UInt8]) {
        out.append(bracket)
        for (i, n) in path.enumerated() {
            if i > 0 { out.append(comma) }
            out.appendDecimal(n)
        }
        out.append(closeBracket)
    }
}
