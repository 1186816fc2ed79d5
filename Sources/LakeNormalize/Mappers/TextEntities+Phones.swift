import LakeCore

/// Phone numbers in running text (docs/SPEC.md 5.7), found by the grammars real numbers
/// follow rather than by runs of digits.
///
/// A candidate is a run of digit groups joined by single separators (space, `-`, `.`, `/`,
/// no-break space), with an optional leading `+` and one parenthesised group, standing alone:
/// not glued to a word, a file name (`-`, `_`), a time (`:`), a decimal or a CSV field. It is
/// a phone when it matches one of:
/// - **international**: `+` and 8 to 15 digits in groups of up to 8 (`+44 (0)20 7946 0958`,
///   `+15555550100`);
/// - **North American**: `(NXX) NXX-XXXX`, `NXX-NXX-XXXX`, `NXX.NXX.XXXX`, `NXX NXX XXXX`,
///   optionally after `1`, with area and exchange starting 2-9;
/// - **national with a trunk 0**: a first group of 2 to 5 digits starting with 0, then groups
///   of at least 2 digits, 9 to 12 digits in all (`020 7946 0958`, `0171/1234567`,
///   `06-12345678`); pairs only in the ten-digit French form;
/// - **after a phone word** (`tel`, `phone`, `call`, `fax`, `mobile`…, within 16 characters):
///   any such run of 7 to 15 digits in groups of at least 2.
/// Never: a date (`2021-07-04`, `04.07.2021`), a year range (`2008-2017`), a US ZIP+4
/// (`90210-1234`) or social security number (`078-05-1120`).
extension TextEntities {
    static let phoneWords = [
        "tel", "phone", "call", "fax", "mobile", "cell", "ring", "dial", "handy", "ruf", "appel", "bel ", "numer",
        "whatsapp", "contact", "☎", "📞",
    ]

    static let phoneWordBytes = phoneWords.map { Array($0.utf8) }

    /// Whether `word` occurs in `text` (bytes; a plain search, allocating nothing: the standard
    /// library's `firstRange(of:)` on the same arrays made Map_generic's pinned benchmark 423,000
    /// mallocs per 1,000 records instead of 260,000, its `String.contains` 300,000).
    static func occurs(_ word: [UInt8], in text: [UInt8]) -> Bool {
        guard word.count <= text.count else { return false }
        for start in 0...(text.count - word.count) where text[start] == word[0] {
            if (1..<word.count).allSatisfy({ text[start + $0] == word[$0] }) { return true }
        }
        return false
    }

    static func phones(_ scalars: [Unicode.Scalar]) -> [(Int, String)] {
        var out: [(Int, String)] = []
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
        func isSeparator(_ s: Unicode.Scalar) -> Bool { s == " " || s == "-" || s == "." || s == "/" || s == "\u{A0}" }
        func isPart(_ s: Unicode.Scalar) -> Bool { isDigit(s) || isSeparator(s) || s == "(" || s == ")" }
        func at(_ k: Int) -> Unicode.Scalar? { k >= 0 && k < scalars.count ? scalars[k] : nil }
        /// A run may start after whitespace or an opening mark; after `:`, `,` or `;` only when no
        /// digit precedes that (a time, a CSV row).
        func opensRun(_ i: Int) -> Bool {
            guard let p = at(i - 1) else { return true }
            if ScalarClass.isWhitespace(p) || "([{\"'<«“=".unicodeScalars.contains(p) { return true }
            if ":,;".unicodeScalars.contains(p) { return !(at(i - 2).map(isDigit) ?? false) }
            return false
        }
        /// A run must end at whitespace, the end, or punctuation not followed by a digit.
        func closesRun(_ end: Int) -> Bool {
            guard let n = at(end) else { return true }
            if ScalarClass.isWhitespace(n) || ")]}\"'>»”!?".unicodeScalars.contains(n) { return true }
            if ".,;".unicodeScalars.contains(n) { return !(at(end + 1).map(isDigit) ?? false) }
            return false
        }
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            guard s == "+" || s == "(" || isDigit(s), opensRun(i) else {
                i += 1
                continue
            }
            var j = i + 1, digits = isDigit(s) ? 1 : 0
            while j < scalars.count, isPart(scalars[j]) {
                if isDigit(scalars[j]) { digits += 1 }
                j += 1
            }
            // Every grammar wants 7 digits or more (`isPhone`), and cutting the run only loses
            // some: a shorter run is passed over whole, as a run no end of which is a phone is.
            guard digits >= 7 else {
                i = j
                continue
            }
            // The longest prefix of the run that ends a group where a run may close
            // (`1-800-555-0170 (24h)` is a phone followed by something else).
            let before = Array(String(scalars: scalars[max(0, i - 16)..<i]).lowercased().utf8)
            let keyword = phoneWordBytes.contains { word in Self.occurs(word, in: before) }
            var end = j
            var next = j
            while end > i {
                while end > i, !(isDigit(scalars[end - 1]) || scalars[end - 1] == ")") { end -= 1 }
                guard end > i else { break }
                let run = String(scalars: scalars[i..<end])
                if closesRun(end), isPhone(run, afterPhoneWord: keyword), let phone = PhoneNumbers.normalize(run) {
                    out.append((i, phone))
                    next = end
                    break
                }
                // Back to the previous separator, if a parenthesised group follows it: a
                // trailing plain group is part of the number or of something else, never cut off.
                while end > i, !isSeparator(scalars[end - 1]) { end -= 1 }
                guard end > i, at(end) == "(" else { break }
            }
            i = max(next, i + 1)
        }
        return out
    }

    /// Whether `run` (digits, separators, `+`, parentheses) matches a phone grammar.
    static func isPhone(_ run: String, afterPhoneWord: Bool) -> Bool {
        // Split into digit groups and what joins them.
        var groups: [String] = []
        var joins: [String] = []
        var current = "", join = ""
        var parenthesised = 0
        var chars = Array(run)
        let international = chars.first == "+"
        if international { chars.removeFirst() }
        var k = 0
        while k < chars.count {
            let c = chars[k]
            if c.isASCII && c.isNumber {
                if current.isEmpty && !groups.isEmpty { joins.append(join) }
                if current.isEmpty { join = "" }
                current.append(c)
            } else if c == "(" {
                // One parenthesised group: `(212)`, `(0)`.
                guard current.isEmpty, parenthesised == 0, let close = chars[k...].firstIndex(of: ")"), close > k + 1,
                    chars[(k + 1)..<close].allSatisfy({ $0.isASCII && $0.isNumber })
                else { return false }
                parenthesised += 1
                if !groups.isEmpty { joins.append(join + "()") }
                groups.append(String(chars[(k + 1)..<close]))
                join = ""
                k = close + 1
                continue
            } else {
                if !current.isEmpty {
                    groups.append(current)
                    current = ""
                }
                join.append(c)
                if join.count > 1 { return false }
            }
            k += 1
        }
        if !current.isEmpty { groups.append(current) }
        let digits = groups.joined()
        guard (7...15).contains(digits.count), !groups.isEmpty else { return false }
        let sizes = groups.map(\.count)
        // A join is one separator at most, then `()` when a parenthesised group follows it.
        let separators = Set(joins.map { $0.hasSuffix("()") ? String($0.dropLast(2)) : $0 }.filter { !$0.isEmpty })

        // Never these shapes.
        if sizes == [4, 2, 2] || sizes == [2, 2, 4] || (sizes == [4, 4] && groups.allSatisfy({ $0.hasPrefix("19") || $0.hasPrefix("20") }))
        {
            return false
        }
        if sizes == [5, 4] && separators == ["-"] { return false }
        if sizes == [3, 2, 4] && separators == ["-"] { return false }

        if international {
            let dropTrunk = groups.count > 1 && groups[1] == "0" ? 1 : 0
            let national = groups.enumerated().filter { $0.offset != 1 || dropTrunk == 0 }.map(\.element)
            let count = national.joined().count
            return (8...15).contains(count) && (groups.count == 1 || (sizes.first! <= 4 && sizes.dropFirst().allSatisfy { $0 <= 8 }))
        }
        // North American: [1] NXX NXX XXXX.
        let nanp = sizes.first == 1 && groups[0] == "1" ? Array(groups.dropFirst()) : groups
        if nanp.map(\.count) == [3, 3, 4], let a = nanp[0].first, let e = nanp[1].first, a >= "2", e >= "2", separators.count <= 2 {
            return true
        }
        // National, with a trunk 0.
        if groups.count >= 2, groups[0].hasPrefix("0"), (2...5).contains(sizes[0]), sizes.dropFirst().allSatisfy({ $0 >= 2 }),
            (9...12).contains(digits.count), separators.count == 1
        {
            let pairs = sizes.allSatisfy { $0 == 2 }
            return !pairs || digits.count == 10
        }
        if afterPhoneWord {
            return sizes.allSatisfy { $0 >= 2 } && separators.count <= 1
        }
        return false
    }
}
