import LakeCore

// MARK: - Strings

extension JSONTapeParser {
    /// Bytes of `v` that end a plain run: a quote, a backslash, a control character or a
    /// non-ASCII byte. The lowest flagged byte is exact (false flags only sit above a true one).
    @inline(__always)
    private static func specials(_ v: UInt64) -> UInt64 {
        ByteWords.quotesAndBackslashes(v) | ByteWords.controls(v) | v & (ByteWords.ones &* 0x80)
    }

    /// The string at `start` (its opening quote); emits it as `kind` and returns the position
    /// after its closing quote, or nil (with `failure` set).
    mutating func string(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, as kind: JSONTape.Kind) -> Int? {
        let n = s.count
        let raw = UnsafeRawPointer(s.baseAddress!)
        var p = start + 1
        while true {
            p = ByteWords.firstFlagged(raw, from: p, count: n, Self.specials)
            guard p < n else { return stop(n) }
            let b = s[p]
            if b == 0x22 {
                let length = p - start - 1
                guard length <= limits.maxStringBytes else { return stop(p) }
                emit(kind, base + start + 1, UInt64(length))
                return p + 1
            } else if b == 0x5C {
                return escapedString(s, start, from: p, as: kind)
            } else if b < 0x20 {
                return stop(p)
            } else if b >= 0x80 {
                guard let q = Self.utf8Sequence(s, p) else { return stop(p) }
                p = q
            } else {
                p += 1
            }
        }
    }

    /// The rest of a string that has escapes, decoded into `decoded` from `from` (a backslash).
    private mutating func escapedString(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, from: Int, as kind: JSONTape.Kind) -> Int? {
        let n = s.count
        let first = decoded.count
        decoded.append(contentsOf: UnsafeBufferPointer(rebasing: s[(start + 1)..<from]))
        var p = from
        while p < n {
            let b = s[p]
            if b == 0x22 {
                let length = decoded.count - first
                guard length <= limits.maxStringBytes else { return stop(p) }
                emit(kind, first, UInt64(length) | 1 << 63)
                return p + 1
            } else if b == 0x5C {
                guard let q = escape(s, p) else { return stop(p) }
                p = q
            } else if b < 0x20 {
                return stop(p)
            } else if b >= 0x80 {
                guard let q = Self.utf8Sequence(s, p) else { return stop(p) }
                decoded.append(contentsOf: UnsafeBufferPointer(rebasing: s[p..<q]))
                p = q
            } else {
                decoded.append(b)
                p += 1
            }
        }
        return stop(n)
    }

    private mutating func stop(_ at: Int) -> Int? {
        failure = at
        return nil
    }

    /// A whole UTF-8 sequence at `p` (a lead byte); the position after it, or nil.
    @inline(__always)
    static func utf8Sequence(_ s: UnsafeBufferPointer<UInt8>, _ p: Int) -> Int? {
        guard let (count, low, high) = UTF8Sequence.shape(lead: s[p]), p + count < s.count else { return nil }
        let c = s[p + 1]
        guard c >= low && c <= high else { return nil }
        var k = 2
        while k <= count {
            guard s[p + k] & 0xC0 == 0x80 else { return nil }
            k += 1
        }
        return p + count + 1
    }

    /// One escape at `p` (a backslash), appended decoded; the position after it, or nil.
    private mutating func escape(_ s: UnsafeBufferPointer<UInt8>, _ p: Int) -> Int? {
        guard p + 1 < s.count else { return nil }
        if let b = Self.unescaped(s[p + 1]) {
            decoded.append(b)
            return p + 2
        }
        switch s[p + 1] {
        case UInt8(ascii: "u"):
            guard var code = Self.hex4(s, p + 2) else { return nil }
            if (0xDC00...0xDFFF).contains(code) { return nil }
            var q = p + 6
            if (0xD800...0xDBFF).contains(code) {
                guard q + 1 < s.count, s[q] == UInt8(ascii: "\\"), s[q + 1] == UInt8(ascii: "u"),
                    let low = Self.hex4(s, q + 2), (0xDC00...0xDFFF).contains(low)
                else { return nil }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                q += 6
            }
            UTF8Sequence.append(code, to: &decoded)
            return q
        default:
            return nil
        }
    }

    /// What a one-letter escape (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`) stands for.
    @inline(__always)
    static func unescaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""): return 0x22
        case UInt8(ascii: "\\"): return 0x5C
        case UInt8(ascii: "/"): return 0x2F
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    private static func hex4(_ s: UnsafeBufferPointer<UInt8>, _ p: Int) -> UInt32? {
        guard p + 4 <= s.count else { return nil }
        var v: UInt32 = 0
        for k in p..<(p + 4) {
            guard let d = hexDigit(s[k]) else { return nil }
            v = v << 4 | d
        }
        return v
    }

    /// The value of a hexadecimal digit (either case), or nil.
    @inline(__always)
    static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }
}
