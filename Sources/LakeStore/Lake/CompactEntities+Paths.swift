import LakeCore

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

    /// A path's indexes, kept inline (a search or an expansion allocates nothing): the first
    /// `count` of `steps`.
    struct Path {
        var steps = InlineArray<9, Int>(repeating: 0)  // maxPathSteps + 1 (a type takes the number as a literal)
        var count = 0
        /// Characters of the string the steps lead to (`CompactEntities+Spans`), or nil: all of it.
        var span: (start: Int, length: Int)?
    }

    /// Writes where the first value of `d` that gives back `value` is, in document order (a
    /// member before what is inside it): `N` for top-level member `N`, a path `[N,i,…]` for a
    /// string (or point) inside one; false (nothing written) when there is none within the
    /// budget (each top-level member entered is spent whole, as `forEachMember` spends it). One
    /// pass, stopping at the find.
    static func writePlace(
        holding value: UnsafeBufferPointer<UInt8>, in d: UnsafeBufferPointer<UInt8>, budget: inout Int, into out: inout [UInt8]
    ) -> Bool {
        let path = firstPath(in: d, budget: &budget) { v, path in
            gives(value, d, v) || ((d[v.lowerBound] == brace || d[v.lowerBound] == bracket) && find(value, d, in: v, &path))
        }
        guard let path else { return writeSpan(holding: value, in: d, budget: &budget, into: &out) }
        write(path, into: &out)
        return true
    }

    /// The path `found` ends at, trying each top-level member of `d` in order (`found` gets its
    /// value and the path so far, `[N]`, which it may extend); nil when no member passes within
    /// the budget (each top-level member entered is spent whole).
    static func firstPath(
        in d: UnsafeBufferPointer<UInt8>, budget: inout Int, _ found: (Range<Int>, inout Path) -> Bool
    ) -> Path? {
        var path = Path()
        var passed = false
        forEachMember(d, budget: &budget) { n, v in
            guard n <= maxPathIndex else { return true }
            path.steps[0] = n
            path.count = 1
            passed = found(v, &path)
            return passed
        }
        return passed ? path : nil
    }

    /// Writes `path` as stored: `N` for a whole top-level member, else `[N,i,…]`, with a span's
    /// `-S,L` at the end (`CompactEntities+Spans`).
    static func write(_ path: Path, into out: inout [UInt8]) {
        if path.count == 1 && path.span == nil {
            out.appendDecimal(path.steps[0])
            return
        }
        out.append(bracket)
        for i in 0..<path.count {
            if i > 0 { out.append(comma) }
            out.appendDecimal(path.steps[i])
        }
        if let span = path.span {
            out.append(comma)
            out.append(UInt8(ascii: "-"))
            out.appendDecimal(span.start + 1)
            out.append(comma)
            out.appendDecimal(span.length)
        }
        out.append(closeBracket)
    }

    /// Whether a value inside the container at `v` gives back `value`, the first in document
    /// order (a member before what is inside it); `path` then ends with the steps to it.
    static func find(_ value: UnsafeBufferPointer<UInt8>, _ d: UnsafeBufferPointer<UInt8>, in v: Range<Int>, _ path: inout Path) -> Bool {
        guard path.count <= maxPathSteps else { return false }
        var found = false
        forEachChild(d, v) { n, c in
            guard n <= maxPathIndex else { return true }
            path.steps[path.count] = n
            path.count += 1
            found = gives(value, d, c) || ((d[c.lowerBound] == brace || d[c.lowerBound] == bracket) && find(value, d, in: c, &path))
            if !found { path.count -= 1 }
            return found
        }
        return found
    }

    /// Writes the value that `path` names in `d` (a string, or a point's `"X,Y"`); false when
    /// it names nothing, or something else.
    static func pathValue(_ path: Path, in d: UnsafeBufferPointer<UInt8>, budget: inout Int, into out: inout [UInt8]) -> Bool {
        guard path.count >= (path.span == nil ? 2 : 1) else { return false }
        var node: Range<Int>?
        forEachMember(d, budget: &budget) { n, v in
            if n == path.steps[0] { node = v }
            return n == path.steps[0]
        }
        for s in 1..<path.count {
            guard let v = node else { return false }
            node = nil
            let step = path.steps[s]
            forEachChild(d, v) { n, c in
                if n == step { node = c }
                return n == step
            }
        }
        guard let v = node else { return false }
        if let span = path.span { return writeSpan(span, of: d, at: v, into: &out) }
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
        // Bytes compared with `memcmp` (`bytes`): the generic `elementsEqual` took about 420
        // instructions a call.
        func bytes(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[r]))
        }
        if d[v.lowerBound] == quote { return SameBytes.same(bytes(d, v), UnsafeRawBufferPointer(value)) }
        guard let (x, y) = point(d, v), value.count == x.count + y.count + 3, value[value.count - 1] == quote,
            value[x.count + 1] == comma
        else { return false }
        return SameBytes.same(bytes(value, 1..<(x.count + 1)), bytes(d, x))
            && SameBytes.same(bytes(value, (x.count + 2)..<(value.count - 1)), bytes(d, y))
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

    /// A stored path: `[` two to `maxPathSteps + 1` stored indexes, comma-separated, `]`; or
    /// one to `maxPathSteps + 1` of them and a span, `-` its first character's number from 1,
    /// and its length (`CompactEntities+Spans`).
    static func storedPath(_ s: UnsafeBufferPointer<UInt8>) -> Path? {
        guard s.count >= 5, s[0] == bracket, s[s.count - 1] == closeBracket else { return nil }
        var path = Path()
        var end = s.count - 1  // where the steps end
        if let minus = s.firstIndex(of: UInt8(ascii: "-")) {
            guard minus > 1, s[minus - 1] == comma, let c = s[minus...].firstIndex(of: comma),
                let first = spanNumber(UnsafeBufferPointer(rebasing: s[minus..<c]), negative: true),
                let length = spanNumber(UnsafeBufferPointer(rebasing: s[(c + 1)..<(s.count - 1)]), negative: false)
            else { return nil }
            path.span = (first - 1, length)
            end = minus - 1
        }
        var start = 1
        for i in 1...end where i == end || s[i] == comma {
            guard path.count <= maxPathSteps, let n = decimal(UnsafeBufferPointer(rebasing: s[start..<i])) else { return nil }
            path.steps[path.count] = n
            path.count += 1
            start = i + 1
        }
        return path.count >= (path.span == nil ? 2 : 1) ? path : nil
    }
}
