import LakeCore

/// Language detection for en, es, fr, de, zh and ja (docs/SPEC.md 5.9), the seed's
/// `language_detection {confidence_threshold: 0.85, fallback_lang: en}`.
///
/// Chinese and Japanese are told by their scripts; the Latin-script four by character
/// trigrams scored against profiles built from translation catalogues
/// (`Scripts/language-data.py`), in integers so every implementation picks the same language.
///
/// ```swift
/// LanguageDetector.detect("¿Alguien sabe dónde hay una buena panadería cerca?")
/// // code "es", confidence 1.0, not a fallback
/// LanguageDetector.detect("ok")   // code "en", a fallback (too little to tell)
/// ```
public enum LanguageDetector {
    /// The version recorded in lineage (`enrich.language`); bump it whenever a rule or the profiles change.
    public static let version = "1"
    public static let threshold = 0.85
    public static let fallback = "en"
    public static let latin = ["en", "es", "fr", "de"]

    public struct Result: Equatable, Sendable {
        /// The language decided, or `fallback` when the confidence is under the threshold.
        public var code: String
        /// The best language's confidence, in hundredths (0…100).
        public var confidencePercent: Int
        /// True when `code` is the fallback because the confidence was under the threshold.
        public var isFallback: Bool

        public var confidenceText: String {
            confidencePercent == 100 ? "1.00" : "0." + (confidencePercent < 10 ? "0" : "") + String(confidencePercent)
        }
    }

    public struct Profile: Sendable {
        public let floor: Int
        /// Scores by trigram key (`key`).
        public let scores: [UInt64: Int]

        init(floor: Int, table: String) {
            self.floor = floor
            var scores: [UInt64: Int] = [:]
            for entry in table.split(separator: "|") {
                guard let eq = entry.lastIndex(of: "="), let v = Int(entry[entry.index(after: eq)...]) else { continue }
                let s = Array(entry[..<eq].unicodeScalars)
                guard s.count == 3 else { continue }
                scores[key(s[0], s[1], s[2])] = v
            }
            self.scores = scores
        }
    }

    /// Three code points in one integer (21 bits each).
    static func key(_ a: Unicode.Scalar, _ b: Unicode.Scalar, _ c: Unicode.Scalar) -> UInt64 {
        UInt64(a.value) << 42 | UInt64(b.value) << 21 | UInt64(c.value)
    }

    /// The detected language of `text`, or nil when it holds no letter.
    public static func detect(_ text: String) -> Result? {
        var kana = 0, han = 0, latinLetters = 0, latinWords = 0, otherLetters = 0
        var inLatinWord = false
        for s in text.unicodeScalars {
            var latinLetter = false
            if s.properties.isAlphabetic {
                switch s.value {
                case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: kana += 1
                case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF: han += 1
                case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF:
                    latinLetters += 1
                    latinLetter = true
                default: otherLetters += 1
                }
            }
            if latinLetter && !inLatinWord { latinWords += 1 }
            inLatinWord = latinLetter
        }
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
        let grams = trigramKeys(text)
        guard !grams.isEmpty, latinLetters * 2 >= letters else { return decide(fallback, percent: 0) }
        var scores: [Int] = []
        for p in latinProfiles {
            var total = 0
            for g in grams { total += p.scores[g] ?? p.floor }
            scores.append(total)
        }
        var best = 0
        for i in 1..<scores.count where scores[i] > scores[best] { best = i }
        // Softmax of the scores (thousandths of nats): the best's share.
        var sum = 0.0
        for s in scores { sum += exp(Double(s - scores[best]) / 1000) }
        let percent = Int((100 / sum).rounded(.down))
        return decide(latin[best], percent: percent)
    }

    static func decide(_ code: String, percent: Int) -> Result {
        Double(percent) / 100 >= threshold
            ? Result(code: code, confidencePercent: percent, isFallback: false)
            : Result(code: fallback, confidencePercent: percent, isFallback: true)
    }

    static let latinProfiles = latin.map { profiles[$0]! }

    /// Features (the same rules as Scripts/language-data.py): lowercase; each run of letters
    /// (code points) is a word, padded with one space on each side; every 3 consecutive code
    /// points of it, as `key`s.
    static func trigramKeys(_ text: String) -> [UInt64] {
        var out: [UInt64] = []
        let space: Unicode.Scalar = " "
        var a = space, b = space
        var inWord = false
        for s in text.lowercased().unicodeScalars {
            if s.properties.isAlphabetic && s.properties.numericType == nil {
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
