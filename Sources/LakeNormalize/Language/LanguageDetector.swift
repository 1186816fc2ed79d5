import LakeCore

/// Language detection for en, es, fr, de, zh and ja (docs/SPEC.md 5.9), the seed's
/// `language_detection {confidence_threshold: 0.85, fallback_lang: en}`.
///
/// Chinese and Japanese are told by their scripts; Latin-script text by character trigrams
/// scored against profiles of the four and of six other languages (da, nl, sv, it, pt, pl)
/// built from translation catalogues (`Scripts/language-data.py`), in integers so every
/// implementation picks the same language. Text in another language, in another script, or
/// too short to tell is `und`, never a confident wrong label.
///
/// ```swift
/// LanguageDetector.detect("¿Alguien sabe dónde hay una buena panadería cerca?")
/// // code "es", confidence 1.0, detected
/// LanguageDetector.detect("ok")   // code "und": too little to tell
/// ```
public enum LanguageDetector {
    /// The version recorded in lineage (`enrich.language`); bump it whenever a rule or the profiles change.
    public static let version = "2"
    public static let threshold = 0.85
    public static let fallback = "en"
    public static let undetermined = "und"
    public static let latin = ["en", "es", "fr", "de"]
    /// Profiled so that text in them is recognised as none of the six.
    public static let others = ["da", "nl", "sv", "it", "pt", "pl"]
    /// Latin-script text with fewer letters or words than this is too short to tell.
    public static let minLatinLetters = 10
    public static let minLatinWords = 2
    /// Under the threshold, this much of the probability on the other languages makes it `und`.
    public static let othersShareForUnd = 0.10

    public struct Result: Equatable, Sendable {
        public enum Method: String, Sendable {
            /// One of the six, at or over the threshold.
            case detected
            /// One of the six under the threshold: `fallback_lang`.
            case fallback
            /// None of the six, another script, or too short: `und`.
            case undetermined
        }

        /// The language decided: one of the six, `fallback`, or `und`.
        public var code: String
        /// The best language's confidence, in hundredths (0…100).
        public var confidencePercent: Int
        public var method: Method
        /// True when `code` is the fallback because the confidence was under the threshold.
        public var isFallback: Bool { method == .fallback }

        public init(code: String, confidencePercent: Int, method: Method) {
            self.code = code
            self.confidencePercent = confidencePercent
            self.method = method
        }

        public var confidenceText: String {
            confidencePercent == 100 ? "1.00" : "0." + (confidencePercent < 10 ? "0" : "") + String(confidencePercent)
        }
    }

    public struct Profile: Sendable {
        public let floor: Int
        /// Scores by trigram key (`key`).
        public let scores: [UInt64: Int]

        /// `table` is `trigram=score` entries joined by `|`; an entry that is not three scalars,
        /// `=` and a whole number is skipped. Read on its bytes: split into `Substring`s and
        /// searched by `Character`, the tables took about 300 million instructions, once per
        /// process, before the first text was scored.
        init(floor: Int, table: String) {
            self.floor = floor
            var scores: [UInt64: Int] = [:]
            var table = table
            table.withUTF8 { b in
                var start = 0
                while start < b.count {
                    var end = start
                    while end < b.count && b[end] != UInt8(ascii: "|") { end += 1 }
                    if let (k, v) = Self.entry(UnsafeBufferPointer(rebasing: b[start..<end])) { scores[k] = v }
                    start = end + 1
                }
            }
            self.scores = scores
        }

        /// The key and score of one entry's bytes: the scalars before its last `=` (three of
        /// them) and the whole number after it (`Int` of its text).
        static func entry(_ e: UnsafeBufferPointer<UInt8>) -> (UInt64, Int)? {
            guard let eq = e.lastIndex(of: UInt8(ascii: "=")) else { return nil }
            let s = Array(String(decoding: UnsafeBufferPointer(rebasing: e[..<eq]), as: UTF8.self).unicodeScalars)
            guard s.count == 3, let v = Int(String(decoding: UnsafeBufferPointer(rebasing: e[(eq + 1)...]), as: UTF8.self)) else {
                return nil
            }
            return (key(s[0], s[1], s[2]), v)
        }
    }

    /// Three code points in one integer (21 bits each).
    static func key(_ a: Unicode.Scalar, _ b: Unicode.Scalar, _ c: Unicode.Scalar) -> UInt64 {
        UInt64(a.value) << 42 | UInt64(b.value) << 21 | UInt64(c.value)
    }

    /// The detected language of `text`, or nil when it holds no letter.
    public static func detect(_ text: String) -> Result? {
        var text = text
        // Text of one- and two-byte UTF-8 (ASCII, Latin, Greek, Cyrillic: most) is counted and
        // split into trigrams on its bytes.
        let small = text.withUTF8 { smallScalarFeatures($0) }
        let counts = small?.letters ?? Letters(text)
        let (kana, han, latinLetters, latinWords, otherLetters) = (
            counts.kana, counts.han, counts.latin, counts.latinWords, counts.other
        )
        let letters = kana + han + latinLetters + otherLetters
        guard letters > 0 else { return nil }
        let cjk = kana + han
        // Chinese and Japanese: at least 2 CJK characters, and at least one for every two Latin
        // words (commands and names stay Latin in any language).
        if cjk >= 2, cjk * 2 >= latinWords, cjk >= otherLetters {
            // Latin words inside CJK text (names, commands) do not count against it.
            let percent = cjk * 100 / (cjk + otherLetters)
            return decide(kana * 10 >= cjk ? "ja" : "zh", percent: percent)
        }
        guard latinLetters * 2 >= letters else {
            return Result(code: undetermined, confidencePercent: otherLetters * 100 / letters, method: .undetermined)
        }
        let grams = small?.keys ?? trigramKeys(text)
        guard !grams.isEmpty, latinLetters >= minLatinLetters, latinWords >= minLatinWords else {
            return Result(code: undetermined, confidencePercent: 0, method: .undetermined)
        }
        let scores = scoreTable.scores(grams)
        var best = 0
        for i in 1..<scores.count where scores[i] > scores[best] { best = i }
        // Softmax of the scores (thousandths of nats): each language's share.
        let weights = scores.map { exp(Double($0 - scores[best]) / 1000) }
        let sum = weights.reduce(0, +)
        let percent = Int((100 / sum).rounded(.down))
        let code = profiled[best]
        if others.contains(code) { return Result(code: undetermined, confidencePercent: percent, method: .undetermined) }
        if Double(percent) / 100 >= threshold { return Result(code: code, confidencePercent: percent, method: .detected) }
        let othersShare = zip(profiled, weights).filter { others.contains($0.0) }.map(\.1).reduce(0, +) / sum
        if othersShare >= othersShareForUnd { return Result(code: undetermined, confidencePercent: percent, method: .undetermined) }
        return Result(code: fallback, confidencePercent: percent, method: .fallback)
    }

    static func decide(_ code: String, percent: Int) -> Result {
        Double(percent) / 100 >= threshold
            ? Result(code: code, confidencePercent: percent, method: .detected)
            : Result(code: fallback, confidencePercent: percent, method: .fallback)
    }

    /// The profiled languages, in scoring order (ties go to the earlier one).
    static let profiled = latin + others
    static let latinProfiles = profiled.map { profiles[$0]! }
    static let scoreTable = ScoreTable(latinProfiles)

    /// Every profile's score of a trigram in one row, found with one look-up instead of one per
    /// profile (a trigram no profile lists scores every profile's floor). The sums are those of
    /// the profiles' own tables: integers, in any order.
    struct ScoreTable {
        let rowOf: TrigramRows
        let rows: [Int]
        let floors: [Int]

        init(_ profiles: [Profile]) {
            floors = profiles.map(\.floor)
            var keys: [UInt64] = []
            var rows: [Int] = []
            for key in Set(profiles.flatMap(\.scores.keys)).sorted() {
                keys.append(key)
                rows += profiles.map { $0.scores[key] ?? $0.floor }
            }
            rowOf = TrigramRows(keys)
            self.rows = rows
        }

        /// Each profile's total over `grams`, in the profiles' order. Each gram adds a row of
        /// the table (or the floors) to the totals, through pointers: no bounds check per
        /// profile, so the additions run several at a time.
        func scores(_ grams: [UInt64]) -> [Int] {
            let width = floors.count
            var totals = [Int](repeating: 0, count: width)
            totals.withUnsafeMutableBufferPointer { t in
                rows.withUnsafeBufferPointer { table in
                    floors.withUnsafeBufferPointer { floor in
                        for g in grams {
                            let add = rowOf[g].map { table.baseAddress! + $0 * width } ?? floor.baseAddress!
                            for i in 0..<width { t[i] &+= add[i] }
                        }
                    }
                }
            }
            return totals
        }
    }

    /// The row of each profiled trigram key, by open addressing: a multiplicative hash and
    /// linear probing in a table at most half full. A `Dictionary` hashed every look-up with
    /// SipHash, most of the scoring's time. Keys are 63 bits (`key`), so `UInt64.max` marks an
    /// empty slot.
    struct TrigramRows {
        private let slots: [UInt64]
        private let rowOfSlot: [Int32]
        private let shift: UInt64

        /// `keys[i]`'s row is `i`.
        init(_ keys: [UInt64]) {
            var bits: UInt64 = 4
            while 1 << bits < keys.count * 2 { bits += 1 }
            shift = 64 - bits
            var slots = [UInt64](repeating: .max, count: 1 << bits)
            var rowOfSlot = [Int32](repeating: -1, count: 1 << bits)
            let mask = slots.count - 1
            for (row, key) in keys.enumerated() {
                precondition(key != .max, "a trigram key is 63 bits")
                var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                while slots[i] != .max && slots[i] != key { i = (i + 1) & mask }
                slots[i] = key
                rowOfSlot[i] = Int32(row)
            }
            self.slots = slots
            self.rowOfSlot = rowOfSlot
        }

        subscript(key: UInt64) -> Int? {
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while true {
                let k = slots[i]
                if k == .max { return nil }
                if k == key { return Int(rowOfSlot[i]) }
                i = (i + 1) & mask
            }
        }
    }

    /// The letters of a text by script, and its runs of Latin letters (words).
    struct Letters: Equatable {
        var kana = 0, han = 0, latin = 0, latinWords = 0, other = 0

        /// No letter yet.
        init() {}

        init(_ text: String) {
            var inLatinWord = false
            for s in text.unicodeScalars {
                var latinLetter = false
                if ScalarClass.isAlphabetic(s) {
                    switch s.value {
                    case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: kana += 1
                    case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF: han += 1
                    case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF:
                        latin += 1
                        latinLetter = true
                    default: other += 1
                    }
                }
                if latinLetter && !inLatinWord { latinWords += 1 }
                inLatinWord = latinLetter
            }
        }

        /// An ASCII letter (`c | 0x20` puts A-Z onto a-z and no other byte there).
        @inline(__always)
        static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }
    }

    /// Features (the same rules as Scripts/language-data.py): lowercase; each run of letters
    /// (code points) is a word, padded with one space on each side; every 3 consecutive code
    /// points of it, as `key`s.
    static func trigramKeys(_ text: String) -> [UInt64] {
        var out: [UInt64] = []
        let space: Unicode.Scalar = " "
        var a = space, b = space
        var inWord = false
        for s in Lowercase.scalars(text) {
            if ScalarClass.isAlphabetic(s) && !ScalarClass.isNumeric(s) {
                if !inWord {
                    a = space
                    b = space
                    inWord = true
                    b = s
                    continue
                }
                out.append(key(a, b, s))
                a = b
                b = s
            } else if inWord {
                out.append(key(a, b, space))
                inWord = false
            }
        }
        if inWord { out.append(key(a, b, space)) }
        return out
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
