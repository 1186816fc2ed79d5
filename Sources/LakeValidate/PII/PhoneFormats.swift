/// Phone number plans for PII detection (docs/SPEC.md 5.10): E.164 country calling codes with
/// the length of their national numbers, and the national written formats of twelve countries.
/// Groups are the digit groups as written, each digit a value 0-9.
enum PhoneFormats {
    /// National significant number lengths (after the calling code, without the trunk 0), from
    /// the ITU-T E.164 assignments and the national numbering plans.
    static let callingCodes: [Int: ClosedRange<Int>] = [
        1: 10...10, 7: 10...10, 20: 9...10, 27: 9...9, 30: 10...10, 31: 9...9, 32: 8...9, 33: 9...9, 34: 9...9, 36: 8...9,
        39: 6...11, 40: 9...9, 41: 9...9, 43: 4...13, 44: 9...10, 45: 8...8, 46: 7...13, 47: 8...8, 48: 9...9, 49: 6...13,
        51: 8...9, 52: 10...10, 54: 10...11, 55: 10...11, 56: 9...9, 57: 8...10, 58: 10...10, 60: 7...10, 61: 9...9,
        62: 7...12, 63: 8...10, 64: 8...10, 65: 8...8, 66: 8...9, 81: 9...10, 82: 8...10, 84: 9...10, 86: 10...11,
        90: 10...10, 91: 10...10, 92: 9...10, 212: 9...9, 234: 8...10, 351: 9...9, 353: 7...9, 358: 5...12, 380: 9...9,
        420: 9...9, 852: 8...8, 886: 8...9, 966: 9...9, 971: 8...9, 972: 8...9,
    ]

    /// How strongly an international number (`+` then groups) fits E.164: `.known` when a listed
    /// calling code leads and the national part has its length, `.plausible` for an unlisted
    /// code and 8-15 digits in all, nil when it fits nothing. A parenthesised `(0)` trunk is
    /// dropped first.
    enum Fit { case known, plausible }
    static func international(_ groups: [[UInt8]], trunkGroup: Int?) -> Fit? {
        var gs = groups
        if let t = trunkGroup, gs[t] == [0] { gs.remove(at: t) }
        let digits = gs.flatMap { $0 }
        guard (8...15).contains(digits.count) else { return nil }
        // Written groups of more than 4 digits after the first are not how numbers are spaced.
        guard gs.count == 1 || (gs[0].count <= 4 && gs.dropFirst().allSatisfy { $0.count <= 8 }) else { return nil }
        func value(_ d: ArraySlice<UInt8>) -> Int { d.reduce(0) { $0 * 10 + Int($1) } }
        // The calling code is the first group when it is written apart, else the listed prefix.
        let candidates = gs.count > 1 && gs[0].count <= 3 ? [gs[0].count] : [1, 2, 3]
        for n in candidates {
            guard let plan = callingCodes[value(digits.prefix(n))] else { continue }
            return plan.contains(digits.count - n) ? .known : nil
        }
        return gs.count > 1 && gs[0].count <= 3 ? .plausible : nil
    }

    /// One country's national format: the digit count, what the number starts with, and the
    /// group sizes it is written in.
    struct National: Sendable {
        var country: String
        var digits: ClosedRange<Int>
        var starts: @Sendable ([UInt8]) -> Bool
        var shapes: [[Int]]
        /// The first group in parentheses, as Brazil writes its area code: `(11) 91234-5678`.
        var parenthesisedArea = false
    }

    static let nationals: [National] = [
        // NANP: [1] NXX NXX XXXX, area and exchange 2-9.
        National(
            country: "US", digits: 10...10, starts: { $0[0] >= 2 && $0[3] >= 2 }, shapes: [[3, 3, 4]]),
        National(country: "US", digits: 11...11, starts: { $0[0] == 1 && $0[1] >= 2 && $0[4] >= 2 }, shapes: [[1, 3, 3, 4]]),
        National(
            country: "GB", digits: 11...11, starts: { $0[0] == 0 && [1, 2, 3, 7, 8].contains($0[1]) },
            shapes: [[3, 4, 4], [4, 3, 4], [5, 6], [4, 6], [5, 3, 3]]),
        National(
            country: "DE", digits: 7...12, starts: { $0[0] == 0 && $0[1] != 0 },
            shapes: [
                [3, 4], [3, 5], [3, 6], [3, 7], [3, 8], [4, 4], [4, 5], [4, 6], [4, 7], [5, 4], [5, 5], [5, 6], [3, 3, 5], [4, 3, 4],
            ]),
        National(country: "FR", digits: 10...10, starts: { $0[0] == 0 && $0[1] != 0 }, shapes: [[2, 2, 2, 2, 2]]),
        National(country: "ES", digits: 9...9, starts: { $0[0] >= 6 }, shapes: [[3, 3, 3], [3, 2, 2, 2], [2, 3, 2, 2]]),
        National(country: "IT", digits: 10...10, starts: { $0[0] == 3 }, shapes: [[3, 3, 4], [3, 7], [3, 4, 3]]),
        National(
            country: "IT", digits: 8...11, starts: { $0[0] == 0 && $0[1] != 0 },
            shapes: [[2, 4, 4], [2, 8], [3, 7], [4, 6], [3, 3, 4]]),
        National(
            country: "NL", digits: 10...10, starts: { $0[0] == 0 && $0[1] != 0 },
            shapes: [[2, 8], [3, 7], [3, 3, 4], [4, 6], [2, 2, 2, 2, 2]]),
        National(
            country: "JP", digits: 10...11, starts: { $0[0] == 0 && $0[1] != 0 },
            shapes: [[2, 4, 4], [3, 4, 4], [3, 3, 4], [4, 2, 4], [5, 1, 4]]),
        National(country: "AU", digits: 10...10, starts: { $0[0] == 0 && [2, 3, 7, 8].contains($0[1]) }, shapes: [[2, 4, 4]]),
        National(country: "AU", digits: 10...10, starts: { $0[0] == 0 && $0[1] == 4 }, shapes: [[4, 3, 3]]),
        National(country: "IN", digits: 10...10, starts: { $0[0] >= 6 }, shapes: [[5, 5], [4, 3, 3]]),
        National(country: "CN", digits: 11...11, starts: { $0[0] == 1 && $0[1] >= 3 }, shapes: [[3, 4, 4]]),
        National(
            country: "BR", digits: 10...11, starts: { $0[0] != 0 && $0[2] >= 2 }, shapes: [[2, 5, 4], [2, 4, 4]],
            parenthesisedArea: true),
    ]

    /// The country whose national format `groups` is written in, or nil. `parenthesised` is the
    /// index of the group written in parentheses, if any: only the first may be (the area
    /// code, `(020) 7946 0958`), and Brazil's format requires it.
    static func national(_ groups: [[UInt8]], parenthesised: Int?) -> String? {
        guard parenthesised == nil || parenthesised == 0 else { return nil }
        // The digits are gathered only for a plan whose length and shape fit: most runs fit
        // none, and nothing is made for them.
        let count = groups.reduce(0) { $0 + $1.count }
        var digits: [UInt8]?
        for n in nationals where n.digits.contains(count) && n.shapes.contains(where: { fits($0, groups) }) {
            if digits == nil { digits = groups.flatMap { $0 } }
            guard n.starts(digits!) else { continue }
            if n.parenthesisedArea && parenthesised != 0 { continue }
            return n.country
        }
        return nil
    }

    /// Whether `groups` have the lengths `shape` lists.
    static func fits(_ shape: [Int], _ groups: [[UInt8]]) -> Bool {
        guard shape.count == groups.count else { return false }
        for (n, g) in zip(shape, groups) where n != g.count { return false }
        return true
    }

    /// A number written without separators that a national plan allows (a NANP number, or a
    /// trunk 0 and 9 to 11 more digits): a phone only next to a phone word.
    static func undivided(_ digits: [UInt8]) -> Bool {
        if digits.count == 10, digits[0] >= 2, digits[3] >= 2 { return true }
        return (10...12).contains(digits.count) && digits[0] == 0 && digits[1] != 0
    }
}
