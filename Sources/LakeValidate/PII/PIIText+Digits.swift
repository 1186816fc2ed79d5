/// Runs of digits (docs/SPEC.md 5.10): IPv4 addresses, card numbers, social security numbers
/// and phone numbers all start as a run of digit groups joined by single separators (space,
/// `-`, `.`, `/`), with an optional leading `+` and parenthesised groups, standing alone: not
/// glued to a word, and not part of a time, a decimal or a longer dotted number.
extension PIIText {
    /// A run split into its digit groups.
    struct Run {
        var start: Int
        var end: Int
        var plus = false
        var groups: [[UInt8]] = []
        /// The byte before each group after the first (`(` for a parenthesised group).
        var joins: [UInt8] = []
        var parenthesised: Int?

        /// Every group's digits in one array (one allocation).
        var digits: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(digitCount)
            for g in groups { out += g }
            return out
        }
        var digitCount: Int { groups.reduce(0) { $0 + $1.count } }
        /// Each group's length. (A closure, not `\.count`: mapping with a key path cost a
        /// runtime key-path read per group, about 1,800 instructions a run.)
        var shape: [Int] { groups.map { $0.count } }
        var separators: Separators {
            var s: Separators = []
            for j in joins where j != 0x28 && j != 0x29 { s.insert(j) }
            return s
        }
    }

    /// The separators a run's groups are joined by (`Run.separators`): a set of bytes held as
    /// bits, one per byte the run grammar allows (space, `-`, `.`, `/`), with no allocation.
    /// (Any other byte, which `digitRuns` never joins groups with, would share a fifth bit.)
    struct Separators: Equatable, ExpressibleByArrayLiteral {
        private var bits: UInt8 = 0

        private static func bit(_ c: UInt8) -> UInt8 {
            switch c {
            case 0x20: 1
            case 0x2D: 2
            case 0x2E: 4
            case 0x2F: 8
            default: 16
            }
        }

        init(arrayLiteral elements: UInt8...) { for c in elements { insert(c) } }
        mutating func insert(_ c: UInt8) { bits |= Self.bit(c) }
        func contains(_ c: UInt8) -> Bool { bits & Self.bit(c) != 0 }
        func isSubset(of other: Separators) -> Bool { bits & ~other.bits == 0 }
        var count: Int { bits.nonzeroBitCount }
    }

    /// Whether exactly four digits start at `k` (`0800` of `-0800`): an offset, where a phone
    /// number after a time (`18:30 +44 20 7946 0958`) has another first group.
    func isOffset(_ k: Int) -> Bool {
        (k..<(k + 4)).allSatisfy { at($0).map(Self.isDigit) ?? false } && !(at(k + 4).map(Self.isDigit) ?? false)
    }

    /// Whether `HH:MM` or `HH:MM:SS` ends right before position `k`.
    func followsClock(_ k: Int) -> Bool {
        func digits(_ from: Int) -> Bool { (at(from).map(Self.isDigit) ?? false) && (at(from + 1).map(Self.isDigit) ?? false) }
        if k >= 5, at(k - 3) == 0x3A, digits(k - 5), digits(k - 2) { return true }
        return k >= 8 && at(k - 6) == 0x3A && at(k - 3) == 0x3A && digits(k - 8) && digits(k - 5) && digits(k - 2)
    }

    static func isSeparator(_ c: UInt8) -> Bool { c == 0x20 || c == 0x2D || c == 0x2E || c == 0x2F }

    /// The most digits in one block that anything is found in.
    static let longestBlock = 16

    func digitRuns() -> [PIIScanner.Span] {
        var out: [PIIScanner.Span] = []
        var i = 0
        while i < b.count {
            let c = b[i]
            let opens = Self.isDigit(c) || ((c == 0x2B || c == 0x28) && (at(i + 1).map(Self.isDigit) ?? false))
            guard opens, opensRun(i) else {
                i += 1
                continue
            }
            var j = i + 1
            var open = c == 0x28
            var digits = Self.isDigit(c) ? 1 : 0, dots = 0
            while j < b.count {
                let d = b[j]
                if Self.isDigit(d) {
                    digits += 1
                    j += 1
                } else if d == 0x28, !open, at(j + 1).map(Self.isDigit) ?? false {
                    open = true
                    j += 1
                } else if d == 0x29, open {
                    open = false
                    j += 1
                } else if Self.isSeparator(d), !Self.isSeparator(b[j - 1]), b[j - 1] != 0x28,
                    at(j + 1).map(Self.isDigit) ?? false || (at(j + 1) == 0x28 && at(j + 2).map(Self.isDigit) ?? false)
                {
                    if d == 0x2E { dots += 1 }
                    j += 1
                } else {
                    break
                }
            }
            // Fewer than 7 digits is no phone, card or SSN, and without three dots no IPv4
            // address: most numbers in records (counts, years) stop here. One block of more
            // than 16 digits is none either (cards 13-16 in one block, phones 7-15 digits): the
            // 18- and 19-digit ids of tweets and users stop here too
            // (`PIIScannerTests.longBlocksAreNothing` holds the classifier to it).
            // Where the run ends is looked at before it is split (a value per group): a date
            // followed by `T` (`2017-07-17T14:30:34Z`, every Takeout timestamp) ends inside a word.
            if !open, digits >= 7 || dots >= 3, j - i != digits || digits <= Self.longestBlock {
                if closesRun(j) {
                    if let run = split(i, j) { out += classifyTrimming(run) }
                } else if portFollows(j), let run = split(i, j), let s = classify(run, loose: false),
                    s.type == PIIScanner.Kind.ip.rawValue
                {
                    // `203.0.113.7:8080`: an address with its port.
                    out.append(s)
                }
            }
            i = j
        }
        return out
    }

    /// A run may start after the start, a space or an opening mark; never inside a URL's path
    /// or query (after `/`, `=`, `&`, `?`); after `.`, `,`, `-` or `:` only when no digit
    /// precedes that; never as a UTC offset after a clock time (`18:45:12 -0800 2024`, Twitter's
    /// `created_at`, read `0800 2024` as a phone number).
    func opensRun(_ i: Int) -> Bool {
        guard let p = at(i - 1) else { return true }
        if b[i] == 0x2B, p == 0x20, followsClock(i - 1), isOffset(i + 1) { return false }
        if p == 0x2B || p == 0x2D, at(i - 2) == 0x20, followsClock(i - 2), isOffset(i) { return false }
        if Self.isWord(p) || p == 0x2F || p == 0x3D || p == 0x26 || p == 0x3F { return false }
        if p == 0x2E || p == 0x2C || p == 0x2D || p == 0x3A || p == 0x2B { return !(at(i - 2).map(Self.isDigit) ?? false) }
        return true
    }

    /// A run ends at the end, a space, or punctuation not followed by a digit.
    func closesRun(_ j: Int) -> Bool {
        guard let n = at(j) else { return true }
        if Self.isWord(n) || n == 0x40 || n == 0x25 { return false }
        if n == 0x2E || n == 0x2C || n == 0x3A || n == 0x2D || n == 0x2F { return !(at(j + 1).map(Self.isDigit) ?? false) }
        return true
    }

    /// `:` and 1-5 digits, then the end of the run.
    func portFollows(_ j: Int) -> Bool {
        guard at(j) == 0x3A else { return false }
        var k = j + 1
        while k < b.count, Self.isDigit(b[k]), k - j <= 5 { k += 1 }
        return k > j + 1 && k - j <= 6 && closesRun(k)
    }

    func split(_ start: Int, _ end: Int) -> Run? {
        var run = Run(start: start, end: end)
        // The current group: digits from `groupStart` to `k`, each made a value when it closes
        // (one allocation a group).
        var groupStart: Int?
        var join: UInt8 = 0
        var k = start
        if b[k] == 0x2B {
            run.plus = true
            k += 1
        }
        func close() {
            guard let from = groupStart else { return }
            if !run.groups.isEmpty { run.joins.append(join) }
            run.groups.append(b[from..<k].map { $0 &- 0x30 })
            groupStart = nil
            join = 0x20
        }
        while k < end {
            let c = b[k]
            if Self.isDigit(c) {
                if groupStart == nil { groupStart = k }
            } else if c == 0x28 {
                close()
                guard run.parenthesised == nil else { return nil }
                run.parenthesised = run.groups.count
                join = 0x28
            } else if c == 0x29 {
                close()
            } else {
                close()
                if join != 0x28 { join = c }
            }
            k += 1
        }
        close()
        return run.groups.isEmpty ? nil : run
    }

    /// The run's span, or failing that the span of the run without its last groups (a phone
    /// number followed by a year); the strict grammars first, then the phone-word rule.
    func classifyTrimming(_ whole: Run) -> [PIIScanner.Span] {
        for pass in 0..<2 {
            let loose = pass == 1
            var run = whole
            while true {
                if let s = classify(run, loose: loose) { return [s] }
                // Only a group after a space is something else's (`10.0.0.1.5` is no address).
                guard run.groups.count > 2, run.joins.last == 0x20, run.parenthesised != run.groups.count - 1 else { break }
                // Drop the last group and the separator before it.
                let dropped = run.groups.removeLast().count
                run.joins.removeLast()
                run.end -= dropped + 1
            }
        }
        return []
    }

    func classify(_ r: Run, loose: Bool) -> PIIScanner.Span? {
        let digits = r.digits, seps = r.separators, shape = r.shape
        let plain = !r.plus && r.parenthesised == nil
        // IPv4: four dotted groups.
        if plain, r.groups.count == 4, seps == [0x2E] {
            guard PIIChecks.ipv4(r.groups) else { return nil }
            return span(.ip, r.start, r.end, base: shape.allSatisfy { $0 == 1 } ? 60 : 88)
        }
        // Payment cards: 13-19 digits in the issuers' groupings, or 13-16 in one block (longer
        // blocks are ids far more often; 13, an old Visa length, only with a supporting word),
        // Luhn, a known issuer.
        if plain, (13...19).contains(digits.count), seps.count <= 1, !seps.contains(0x2E), !seps.contains(0x2F) {
            let grouped =
                shape.dropLast().allSatisfy { $0 == 4 } && (1...4).contains(shape.last!) || shape == [4, 6, 5] || shape == [4, 6, 4]
            if shape.count == 1 ? (13...16).contains(digits.count) : grouped, PIIChecks.luhn(digits), PIIChecks.cardIssuer(digits) != nil {
                return span(.creditCard, r.start, r.end, base: shape.count > 1 ? 92 : digits.count == 13 ? 80 : 86)
            }
        }
        // US social security numbers: AAA-GG-SSSS (spaces only with a word that says so, and
        // nine digits in one block likewise).
        if plain, shape == [3, 2, 4] || shape == [9], seps.isSubset(of: [0x2D, 0x20]), seps.count <= 1 {
            func n(_ g: [UInt8]) -> Int { g.reduce(0) { $0 * 10 + Int($1) } }
            let d = digits
            guard PIIChecks.ssn(area: n(Array(d[0..<3])), group: n(Array(d[3..<5])), serial: n(Array(d[5...]))) else {
                return shape == [9] ? phone(r, loose: loose) : nil
            }
            if seps == [0x2D] { return span(.ssn, r.start, r.end, base: 88) }
            if context.has(.ssn, start: r.start, end: r.end) {
                return span(.ssn, r.start, r.end, base: shape == [9] ? 80 : 78)
            }
            if shape == [3, 2, 4] { return nil }
        }
        return phone(r, loose: loose)
    }

    /// Phone numbers: international (`+`, a calling code and its national length), a national
    /// format of one of twelve countries, or (`loose`) any grouped 7-15 digits next to a phone word.
    func phone(_ r: Run, loose: Bool) -> PIIScanner.Span? {
        guard r.separators.count <= 2, (7...15).contains(r.digitCount) else { return nil }
        if r.plus {
            switch PhoneFormats.international(r.groups, trunkGroup: r.parenthesised) {
            case .known: return span(.phone, r.start, r.end, base: 90)
            case .plausible: return span(.phone, r.start, r.end, base: 86)
            case nil: return nil
            }
        }
        guard r.separators.count <= 1 || r.parenthesised == 0 else { return nil }
        if let country = PhoneFormats.national(r.groups, parenthesised: r.parenthesised) {
            return span(.phone, r.start, r.end, base: country == "US" && r.parenthesised == 0 ? 90 : 87)
        }
        guard loose, context.has(.phone, start: r.start, end: r.end) else { return nil }
        if r.groups.count == 1 {
            return PhoneFormats.undivided(r.groups[0]) ? span(.phone, r.start, r.end, base: 80) : nil
        }
        let dated = r.shape == [4, 2, 2] || r.shape == [2, 2, 4]
        return r.groups.allSatisfy({ $0.count >= 2 }) && !dated ? span(.phone, r.start, r.end, base: 80) : nil
    }
}
