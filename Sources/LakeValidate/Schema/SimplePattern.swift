/// A schema `pattern` of the plain shape the shipped schemas use — anchored at both ends, a
/// sequence of ASCII characters and character classes, each with a count (`^[0-9]+$`,
/// `^-?[0-9]+$`, Twitter's `created_at`) — matched on a string's UTF-8 bytes without the
/// regular expression engine, in one pass per class. Every schema string value with a
/// pattern is checked, so per element this was an `NSRegularExpression` match, a string bridged
/// to an `NSString` each time (1.3% of a Twitter ingest's CPU).
///
/// `$` is the end of the text, as in ECMAScript's regular expressions that JSON Schema names
/// (ICU's would also match before a final line break). A pattern of any other shape is nil
/// here and goes to the regular expression engine.
struct SimplePattern: Sendable {
    /// One class (a set of ASCII bytes) taken between `min` and `max` times.
    struct Atom: Sendable, Equatable {
        var low: UInt64 = 0, high: UInt64 = 0
        var min = 1, max = 1

        mutating func insert(_ b: UInt8) {
            if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b - 64) }
        }

        func contains(_ b: UInt8) -> Bool {
            b < 64 ? low & (1 << UInt64(b)) != 0 : b < 128 && high & (1 << UInt64(b - 64)) != 0
        }
    }

    let atoms: [Atom]
    /// The text's length when every atom has one count (Twitter's `created_at`), else nil.
    let fixedLength: Int?

    /// Nil unless `pattern` is `^`, then atoms — an ASCII character other than `.^$|()[]{}*+?\`,
    /// an escaped ASCII punctuation character, `\d`, or a class `[…]` of ASCII characters and
    /// ranges (not negated) — each with an optional count `?`, `*`, `+`, `{n}`, `{n,}` or
    /// `{n,m}`, then `$`.
    init?(_ pattern: String) {
        let p = Array(pattern.utf8)
        guard p.count >= 2, p.first == UInt8(ascii: "^"), p.last == UInt8(ascii: "$"), p.allSatisfy({ $0 < 0x80 }) else { return nil }
        var atoms: [Atom] = []
        var i = 1
        let end = p.count - 1
        let meta = Set(".^$|()[]{}*+?\\".utf8)
        func isPunctuation(_ b: UInt8) -> Bool { (0x21...0x7E).contains(b) && !Self.isAlphanumeric(b) }
        while i < end {
            var atom = Atom()
            let b = p[i]
            if b == UInt8(ascii: "[") {
                i += 1
                // Not negated, not empty, no `[:name:]`, no nested set or set operation.
                guard i < end, !"^]:".utf8.contains(p[i]) else { return nil }
                while i < end, p[i] != UInt8(ascii: "]") {
                    var c = p[i]
                    if c == UInt8(ascii: "\\") {
                        guard i + 1 < end, isPunctuation(p[i + 1]) else { return nil }
                        i += 1
                        c = p[i]
                    } else if "[&$".utf8.contains(c) {
                        return nil
                    }
                    if i + 2 < end, p[i + 1] == UInt8(ascii: "-"), p[i + 2] != UInt8(ascii: "]") {
                        let last = p[i + 2]
                        guard last != UInt8(ascii: "\\"), last >= c else { return nil }
                        for x in c...last { atom.insert(x) }
                        i += 3
                    } else {
                        atom.insert(c)
                        i += 1
                    }
                }
                guard i < end else { return nil }
                i += 1
            } else if b == UInt8(ascii: "\\") {
                guard i + 1 < end else { return nil }
                let c = p[i + 1]
                if c == UInt8(ascii: "d") {
                    for x in UInt8(ascii: "0")...UInt8(ascii: "9") { atom.insert(x) }
                } else if isPunctuation(c) {
                    atom.insert(c)
                } else {
                    return nil
                }
                i += 2
            } else if meta.contains(b) {
                return nil
            } else {
                atom.insert(b)
                i += 1
            }
            guard let (min, max, next) = Self.count(p, i, end) else { return nil }
            (atom.min, atom.max, i) = (min, max, next)
            atoms.append(atom)
        }
        self.atoms = atoms
        fixedLength = atoms.allSatisfy { $0.min == $0.max } ? atoms.reduce(0) { $0 + $1.min } : nil
    }

    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
    }

    /// The count after an atom at `i` (1 when none), and where the next atom starts.
    static func count(_ p: [UInt8], _ i: Int, _ end: Int) -> (Int, Int, Int)? {
        guard i < end else { return (1, 1, i) }
        switch p[i] {
        case UInt8(ascii: "?"): return (0, 1, i + 1)
        case UInt8(ascii: "*"): return (0, Int.max, i + 1)
        case UInt8(ascii: "+"): return (1, Int.max, i + 1)
        case UInt8(ascii: "{"):
            guard let close = p[i..<end].firstIndex(of: UInt8(ascii: "}")) else { return nil }
            let parts = p[(i + 1)..<close].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            func number(_ s: ArraySlice<UInt8>) -> Int? {
                guard !s.isEmpty, s.count <= 6, s.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
                return Int(String(decoding: s, as: UTF8.self))
            }
            guard let min = parts.first.flatMap(number) else { return nil }
            switch parts.count {
            case 1: return (min, min, close + 1)
            case 2 where parts[1].isEmpty: return (min, Int.max, close + 1)
            case 2:
                guard let max = number(parts[1]), max >= min else { return nil }
                return (min, max, close + 1)
            default: return nil
            }
        default: return (1, 1, i)
        }
    }

    /// Whether the whole of `text` matches. The positions the atoms so far can end at are
    /// carried from atom to atom; an atom reaches `e` from a start `s` when the bytes between
    /// are all in its class and `e - s` is within its count, which a running sum over the
    /// starts answers for each `e` at once: one pass over the text per atom.
    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches($0) }
    }

    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let fixed = fixedLength {
            guard bytes.count == fixed else { return false }
            var k = 0
            for atom in atoms {
                for _ in 0..<atom.min {
                    guard atom.contains(bytes[k]) else { return false }
                    k += 1
                }
            }
            return true
        }
        let n = bytes.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (n + 2)) { buffer in
            // reach[k], next[k]: whether position k is reached (0 or 1); sums[k]: how many of
            // positions 0..<k are reached.
            var reach = UnsafeMutableBufferPointer(rebasing: buffer[0..<(n + 1)])
            var next = UnsafeMutableBufferPointer(rebasing: buffer[(n + 1)..<(2 * n + 2)])
            let sums = UnsafeMutableBufferPointer(rebasing: buffer[(2 * n + 2)..<(3 * n + 5)])
            reach.initialize(repeating: 0)
            reach[0] = 1
            sums[0] = 0
            for atom in atoms {
                for k in 0...n { sums[k + 1] = sums[k] + reach[k] }
                // runStart: the position after the last byte before `e` that is not in the class.
                var runStart = 0
                for e in 0...n {
                    if e > 0, !atom.contains(bytes[e - 1]) { runStart = e }
                    let lowest = Swift.max(runStart, atom.max == Int.max ? 0 : e - atom.max), highest = e - atom.min
                    next[e] = highest >= lowest && sums[highest + 1] - sums[lowest] > 0 ? 1 : 0
                }
                swap(&reach, &next)
            }
            return reach[n] == 1
        }
    }
}
