import LakeCore

/// Counting letters and making trigram keys on a text's UTF-8 bytes, for text whose scalars are
/// all below U+0800 (one and two bytes: ASCII, Latin-1 and Latin Extended, Greek, Cyrillic,
/// Hebrew, Arabic). The general rules (`Letters(_:)`, `trigramKeys`) walk the string's scalars,
/// lowercase it into an array and ask each scalar's Unicode properties: about 60,000
/// instructions for a mail's sample in German or French, against a tenth of that here. The
/// answers are the same: each scalar's class and lowercase are read from a table made once from
/// those same rules (`LanguageDetectorTests` compares the two paths on random texts).
extension LanguageDetector {
    /// What the rules say of one scalar below U+0800: its `Letters` class, and its lowercase
    /// scalar and whether that is a word letter for the trigrams.
    struct SmallScalar {
        static let latin: UInt8 = 1, other: UInt8 = 2, word: UInt8 = 4
        /// Lowercasing makes more than one scalar (U+0130 `İ` makes `i` and U+0307).
        static let notOneScalar: UInt8 = 8
        var lower: UInt32
        var flags: UInt8
    }

    /// Entry `v` for the scalar `v` (0 to 0x7FF), made from `Letters(_:)` and `trigramKeys`'
    /// own rules.
    static let smallScalars: [SmallScalar] = (0..<0x800).map { v in
        let s = Unicode.Scalar(UInt32(v))!
        let counted = Letters(String(s))
        var flags: UInt8 = counted.latin > 0 ? SmallScalar.latin : counted.other > 0 ? SmallScalar.other : 0
        let lowered = Lowercase.scalars(String(s))
        guard lowered.count == 1, let lower = lowered.first else { return SmallScalar(lower: 0, flags: flags | SmallScalar.notOneScalar) }
        if ScalarClass.isAlphabetic(lower) && !ScalarClass.isNumeric(lower) { flags |= SmallScalar.word }
        return SmallScalar(lower: lower.value, flags: flags)
    }

    /// `Letters(_:)` and `trigramKeys` of the text whose UTF-8 is `b`, on its bytes; nil when a
    /// scalar is U+0800 or above or lowercases to more than one (the general rules then).
    static func smallScalarFeatures(_ b: UnsafeBufferPointer<UInt8>) -> (letters: Letters, keys: [UInt64])? {
        var letters = Letters()
        var keys: [UInt64] = []
        keys.reserveCapacity(b.count + 1)
        let space: UInt64 = 0x20
        var a = space, m = space
        var inWord = false, inLatinWord = false
        let found: Bool = smallScalars.withUnsafeBufferPointer { table in
            var i = 0
            while i < b.count {
                let c = b[i]
                let latinLetter: Bool, wordLetter: Bool, lower: UInt64
                if c < 0x80 {
                    // ASCII: its letters are A-Z and a-z, Latin word letters, lowercased by `| 0x20`.
                    latinLetter = Letters.isLetter(c)
                    (wordLetter, lower) = (latinLetter, UInt64(c | 0x20))
                    i += 1
                } else {
                    guard c < 0xE0, i + 1 < b.count else { return false }
                    let e = table[Int(UInt32(c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F))]
                    guard e.flags & SmallScalar.notOneScalar == 0 else { return false }
                    latinLetter = e.flags & SmallScalar.latin != 0
                    if e.flags & SmallScalar.other != 0 { letters.other += 1 }
                    (wordLetter, lower) = (e.flags & SmallScalar.word != 0, UInt64(e.lower))
                    i += 2
                }
                if latinLetter {
                    letters.latin += 1
                    if !inLatinWord { letters.latinWords += 1 }
                }
                inLatinWord = latinLetter
                if wordLetter {
                    if !inWord {
                        (a, m, inWord) = (space, lower, true)
                        continue
                    }
                    keys.append(a << 42 | m << 21 | lower)
                    (a, m) = (m, lower)
                } else if inWord {
                    keys.append(a << 42 | m << 21 | space)
                    inWord = false
                }
            }
            return true
        }
        guard found else { return nil }
        if inWord { keys.append(a << 42 | m << 21 | space) }
        return (letters, keys)
    }
}
