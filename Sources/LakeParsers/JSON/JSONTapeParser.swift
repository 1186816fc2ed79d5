import LakeCore

/// The loop behind `JSONTape`: one pass over the bytes, a state machine instead of recursion,
/// eight bytes at a time through string bodies and indentation. It only decides whether the
/// bytes are one valid value (and records where it gave up); `JSONReader` explains refusals.
@usableFromInline struct JSONTapeParser: Sendable {
    var limits = JSONLimits()
    @usableFromInline var words: [UInt64] = []
    @usableFromInline var decoded: [UInt8] = []
    /// Open containers: the tape index of each start, its children so far, and its kind.
    struct Frame {
        var start: Int
        var children: Int
        var object: Bool
    }
    var open: [Frame] = []
    var deepest = 0
    /// Where the parse gave up (from the start of the bytes parsed).
    var failure = 0
    /// Added to every span: where the bytes parsed start in the tape's input.
    var base = 0
    /// The line feeds between the tokens of the last parse (a raw one in a string is an error),
    /// counted as whitespace is skipped: the reader's line count moves by them.
    var newlines = 0

    typealias Bytes = UnsafeBufferPointer<UInt8>

    @inline(__always)
    mutating func emit(_ kind: JSONTape.Kind, _ a: Int, _ b: UInt64) {
        words.append(UInt64(kind.rawValue) << 56 | UInt64(truncatingIfNeeded: a))
        words.append(b)
    }

    /// True when `s` is exactly one value with whitespace around it; spans are `base` + offset.
    /// The storage of the previous parse is emptied and reused.
    mutating func parse(_ s: Bytes, base: Int, limits: JSONLimits) -> Bool {
        self.base = base
        self.limits = limits
        words.removeAll(keepingCapacity: true)
        decoded.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        deepest = 0
        newlines = 0
        let n = s.count
        if Int64(n) > limits.maxDocumentBytes || n == 0 { return fail(0) }
        var p = 0
        var wantValue = true
        while true {
            let valueEnd = p
            p = Self.skipWhitespace(s, p, &newlines)
            if wantValue {
                guard p < n else { return fail(p) }
                if !open.isEmpty { open[open.count - 1].children += 1 }
                switch s[p] {
                case UInt8(ascii: "\""):
                    guard let q = string(s, p, as: .string) else { return false }
                    p = q
                    wantValue = false
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let object = s[p] == UInt8(ascii: "{")
                    guard open.count < limits.maxDepth else { return fail(p) }
                    open.append(Frame(start: words.count / 2, children: 0, object: object))
                    deepest = max(deepest, open.count)
                    emit(object ? .objectStart : .arrayStart, 0, 0)
                    p = Self.skipWhitespace(s, p + 1, &newlines)
                    guard p < n else { return fail(p) }
                    if s[p] == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        close()
                        p += 1
                        wantValue = false
                    } else if object {
                        guard let q = key(s, p) else { return false }
                        p = q
                    }
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    guard let (kind, length) = literal(s, p) else { return fail(p) }
                    emit(kind, 0, 0)
                    p += length
                    wantValue = false
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard let q = number(s, p) else { return false }
                    p = q
                    wantValue = false
                default:
                    return fail(p)
                }
                continue
            }
            // After a value: a comma, the end of its container, or the end of the document.
            guard let top = open.last else {
                if p != n { return fail(p) }
                if Int64(valueEnd) > limits.maxValueBytes { return fail(valueEnd) }
                return true
            }
            guard p < n else { return fail(p) }
            switch s[p] {
            case UInt8(ascii: ","):
                p = Self.skipWhitespace(s, p + 1, &newlines)
                if top.object {
                    guard let q = key(s, p) else { return false }
                    p = q
                }
                wantValue = true
            case UInt8(ascii: "}") where top.object, UInt8(ascii: "]") where !top.object:
                close()
                p += 1
            default:
                return fail(p)
            }
        }
    }

    private mutating func fail(_ at: Int) -> Bool {
        failure = at
        return false
    }

    private mutating func close() {
        let top = open.removeLast()
        let end = words.count / 2
        emit(top.object ? .objectEnd : .arrayEnd, top.start, 0)
        words[2 * top.start] |= UInt64(end + 1)
        words[2 * top.start + 1] = UInt64(top.children)
    }

    /// A key at `p` (its opening quote), whitespace, and the colon; returns the position after it.
    private mutating func key(_ s: Bytes, _ p: Int) -> Int? {
        guard p < s.count, s[p] == UInt8(ascii: "\"") else {
            failure = p
            return nil
        }
        guard let q = string(s, p, as: .key) else { return nil }
        let c = Self.skipWhitespace(s, q, &newlines)
        guard c < s.count, s[c] == UInt8(ascii: ":") else {
            failure = c
            return nil
        }
        return c + 1
    }

    /// `true`, `false` or `null` at `p`: its token and length.
    @inline(__always)
    private func literal(_ s: Bytes, _ p: Int) -> (JSONTape.Kind, Int)? {
        guard p + 4 <= s.count else { return nil }
        let v = UInt32(s[p]) << 24 | UInt32(s[p + 1]) << 16 | UInt32(s[p + 2]) << 8 | UInt32(s[p + 3])
        switch v {
        case 0x7472_7565: return (.true, 4)
        case 0x6E75_6C6C: return (.null, 4)
        case 0x6661_6C73 where p + 5 <= s.count && s[p + 4] == UInt8(ascii: "e"): return (.false, 5)
        default: return nil
        }
    }

    // MARK: - Whitespace

    private static let spaces: UInt64 = 0x2020_2020_2020_2020

    @inline(__always)
    static func skipWhitespace(_ s: Bytes, _ from: Int, _ newlines: inout Int) -> Int {
        var p = from
        let n = s.count
        let base = UnsafeRawPointer(s.baseAddress!)
        while true {
            // Indentation: the spaces of eight bytes at once.
            if p + 8 <= n {
                let x = base.loadUnaligned(fromByteOffset: p, as: UInt64.self) ^ spaces
                if x == 0 {
                    p += 8
                    continue
                }
                p += x.trailingZeroBitCount >> 3
            }
            guard p < n else { return p }
            switch s[p] {
            case 0x20, 0x0D, 0x09: p += 1
            case 0x0A:
                newlines += 1
                p += 1
            default: return p
            }
        }
    }

    // MARK: - Numbers

    /// A number at `p`, by the grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    private mutating func number(_ s: Bytes, _ start: Int) -> Int? {
        let n = s.count
        var p = start
        @inline(__always) func digit(_ i: Int) -> Bool { i < n && s[i] &- 0x30 < 10 }
        if s[p] == UInt8(ascii: "-") { p += 1 }
        guard digit(p) else { return numberFail(start) }
        if s[p] == UInt8(ascii: "0") {
            p += 1
        } else {
            while digit(p) { p += 1 }
        }
        if p < n, s[p] == UInt8(ascii: ".") {
            p += 1
            guard digit(p) else { return numberFail(start) }
            while digit(p) { p += 1 }
        }
        if p < n, s[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            if p < n, s[p] == UInt8(ascii: "+") || s[p] == UInt8(ascii: "-") { p += 1 }
            guard digit(p) else { return numberFail(start) }
            while digit(p) { p += 1 }
        }
        guard p - start <= limits.maxNumberLength else { return numberFail(start) }
        emit(.number, base + start, UInt64(p - start))
        return p
    }

    private mutating func numberFail(_ at: Int) -> Int? {
        failure = at
        return nil
    }
}
