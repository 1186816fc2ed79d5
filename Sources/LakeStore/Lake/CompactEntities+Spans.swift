import LakeCore

/// Entity values that are part of a string in the row's `data` (schema 39, docs/SPEC.md 7.4,
/// "Entities"): a mail's sender address inside its `from` header (`"Wei <wei@example.org>"`),
/// a link inside its body. No value of the data gives them back whole, so before schema 39
/// they stayed strings. Such a value is stored as the path to the string that holds it, then its
/// first character's number as a negative number (`-1` for the first) and its length in
/// characters: `[2,-6,15]` is member 2's characters 6 to 20. Characters are Unicode scalars of
/// the decoded string (an escape such as `\n` is one), as SQLite's `substr` counts them, so the
/// views cut the same text. The first string in document order that holds the value (a member
/// before what is inside it) is taken, at its first place that starts at a character; only when
/// the span is shorter than the string it stands for, and never for a string with a `\u0000`
/// (SQLite's text functions stop at a NUL).
extension CompactAnnotations {
    /// The largest first character or length a span stores (nine digits).
    static let maxSpanNumber = 999_999_999

    /// Writes the place of `value` (a quoted canonical string) as a span of the first string of
    /// `d` that holds it; false (nothing written) when none does within the budget, or the
    /// span would not be shorter than `value`.
    static func writeSpan(
        holding value: UnsafeBufferPointer<UInt8>, in d: UnsafeBufferPointer<UInt8>, budget: inout Int, into out: inout [UInt8]
    ) -> Bool {
        guard value.count > 2, value[0] == quote, let length = characters(value, 1..<(value.count - 1)), length <= maxSpanNumber
        else { return false }
        let inner = UnsafeBufferPointer(rebasing: value[1..<(value.count - 1)])
        guard var path = firstPath(in: d, budget: &budget, { v, path in span(of: inner, d, in: v, &path) }) else { return false }
        path.span?.length = length
        let mark = out.count
        write(path, into: &out)
        guard out.count - mark < value.count else {
            out.removeSubrange(mark...)
            return false
        }
        return true
    }

    /// Whether a string at or inside the value at `v` holds `inner` (a canonical string's bytes
    /// between its quotes) from a character's first byte: the first in document order; `path`
    /// then ends with the steps to it and its span's start.
    private static func span(of inner: UnsafeBufferPointer<UInt8>, _ d: UnsafeBufferPointer<UInt8>, in v: Range<Int>, _ path: inout Path)
        -> Bool
    {
        if d[v.lowerBound] == quote {
            guard let start = characterIndex(of: inner, in: d, v), start < maxSpanNumber else { return false }
            path.span = (start, 0)
            return true
        }
        guard d[v.lowerBound] == brace || d[v.lowerBound] == bracket, path.count <= maxPathSteps else { return false }
        var found = false
        forEachChild(d, v) { n, c in
            guard n <= maxPathIndex else { return true }
            path.steps[path.count] = n
            path.count += 1
            found = span(of: inner, d, in: c, &path)
            if !found { path.count -= 1 }
            return found
        }
        return found
    }

    /// The number of the character of the string at `v` (quoted canonical JSON) where `inner`
    /// first starts, or nil (also when the string has a `\u0000`). The bytes are searched
    /// (`ByteSearch`), and characters are counted only up to a match: a mail's body is searched once
    /// per entity, and walking all of it character by character cost more than the rest of
    /// storing the record (`characterIndexByWalking` is the same answer, for the tests).
    static func characterIndex(of inner: UnsafeBufferPointer<UInt8>, in d: UnsafeBufferPointer<UInt8>, _ v: Range<Int>) -> Int? {
        let (start, end) = (v.lowerBound + 1, v.upperBound - 1)
        guard start < end else { return nil }
        let string = UnsafeBufferPointer(rebasing: d[start..<end])
        // `\u0000` bytes may sit inside another escape (`\\u0000` is a backslash, then text):
        // only then does the walk decide.
        if nulEscape.withUnsafeBufferPointer({ ByteSearch.first($0, in: string) }) != nil {
            return characterIndexByWalking(of: inner, in: d, v)
        }
        var (boundary, n) = (0, 0)
        var from = 0
        while let at = ByteSearch.first(inner, in: string, from: from) {
            while boundary < at {
                boundary += characterLength(string, at: boundary)
                n += 1
            }
            if boundary == at { return n }
            from = at + 1
        }
        return nil
    }

    static let nulEscape: [UInt8] = Array(#"\u0000"#.utf8)

    /// `characterIndex` by walking every character of the string.
    static func characterIndexByWalking(of inner: UnsafeBufferPointer<UInt8>, in d: UnsafeBufferPointer<UInt8>, _ v: Range<Int>)
        -> Int?
    {
        let end = v.upperBound - 1
        var (i, n) = (v.lowerBound + 1, 0)
        var found: Int?
        while i < end {
            if found == nil, i + inner.count <= end, d[i] == inner[0],
                SameBytes.same(UnsafeBufferPointer(rebasing: d[i..<(i + inner.count)]), inner)
            {
                found = n
            }
            if isNUL(d, at: i) { return nil }
            i += characterLength(d, at: i)
            n += 1
        }
        return found
    }

    /// The bytes of the character at `i` of a canonical string: an escape (`\uXXXX` six, any
    /// other two) or one UTF-8 sequence.
    static func characterLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let c = b[i]
        if c == backslash { return i + 1 < b.count && b[i + 1] == UInt8(ascii: "u") ? 6 : 2 }
        return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
    }

    /// Whether the character at `i` is the escape `\u0000`.
    private static func isNUL(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        i + 6 <= b.count && b[i] == backslash && b[i + 1] == UInt8(ascii: "u")
            && b[(i + 2)..<(i + 6)].allSatisfy { $0 == UInt8(ascii: "0") }
    }

    /// The characters of the canonical string bytes `r` of `b`; nil past the end or with a `\u0000`.
    static func characters(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        var (i, n) = (r.lowerBound, 0)
        while i < r.upperBound {
            if isNUL(b, at: i) { return nil }
            i += characterLength(b, at: i)
            n += 1
        }
        return i == r.upperBound ? n : nil
    }

    /// Writes characters `span.start` to `span.start + span.length - 1` of the string at `v`,
    /// quoted; false when `v` is not a string or the span passes its end.
    static func writeSpan(_ span: (start: Int, length: Int), of d: UnsafeBufferPointer<UInt8>, at v: Range<Int>, into out: inout [UInt8])
        -> Bool
    {
        guard d[v.lowerBound] == quote, span.length > 0 else { return false }
        let end = v.upperBound - 1
        var i = v.lowerBound + 1
        for _ in 0..<span.start {
            guard i < end else { return false }
            i += characterLength(d, at: i)
        }
        let first = i
        for _ in 0..<span.length {
            guard i < end else { return false }
            i += characterLength(d, at: i)
        }
        guard i <= end else { return false }
        out.append(quote)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: d[first..<i]))
        out.append(quote)
        return true
    }

    /// A stored span's number: one to nine digits, not 0, no leading zero, after a `-` when `negative`.
    static func spanNumber(_ s: UnsafeBufferPointer<UInt8>, negative: Bool) -> Int? {
        guard !negative || s.first == UInt8(ascii: "-") else { return nil }
        let n = decimal(negative ? UnsafeBufferPointer(rebasing: s[1...]) : s, maxDigits: 9)
        return n == 0 ? nil : n
    }
}
