import LakeCore

/// `firstRange(of:)` and `contains(_:)` of the standard library's string processing, found on
/// bytes. Those compare Character by Character and cost about 20,000 instructions a call on a
/// title of a few dozen bytes: 4.8% of an ingest of Facebook's comments, reactions and messages,
/// which ask up to three times a record.
///
/// Exact for the patterns the mappers use: text with no carriage return or line feed whose
/// scalars are ASCII other than `K`, `;` and `` ` `` (the three ASCII characters another scalar
/// is canonically equivalent to: U+212A, U+037E, U+1FEF), or U+2019. Inside such a pattern
/// every scalar is a character of its own, equal only to itself, so a Character match is a byte
/// match that starts and ends on character boundaries; each byte match is checked for those
/// (`samePosition(in:)`: a combining mark after it, or a prepended mark before it, joins it to
/// its neighbour) and the first that passes is the standard library's answer.
///
/// ```swift
/// PlainSearch.firstRange(of: " likes ", in: "Ann likes Bob's photo.")  // the range of " likes "
/// PlainSearch.contains("'s ", in: "Bob\u{301}'s")                        // false: no space after
/// ```
public enum PlainSearch {
    /// Whether `pattern` is one `firstRange(of:in:)` answers exactly for.
    public static func supports(_ pattern: String) -> Bool {
        !pattern.isEmpty
            && pattern.unicodeScalars.allSatisfy { s in
                (s.isASCII && !"\r\nK;`".unicodeScalars.contains(s)) || s == "\u{2019}"
            }
    }

    /// The first range of `text` whose characters are `pattern`'s, as `text.firstRange(of:)`
    /// finds it (`pattern` as `supports` allows).
    public static func firstRange(of pattern: String, in text: String) -> Range<String.Index>? {
        assert(supports(pattern), "PlainSearch: \(pattern.debugDescription) is not a pattern it answers exactly for")
        var pattern = pattern
        var copy = text
        return pattern.withUTF8 { p in
            copy.withUTF8 { t -> Range<String.Index>? in
                var start = 0
                while let offset = ByteSearch.first(p, in: t, from: start) {
                    if let lower = text.utf8.index(text.startIndex, offsetBy: offset).samePosition(in: text),
                        let upper = text.utf8.index(text.startIndex, offsetBy: offset + p.count).samePosition(in: text)
                    {
                        return lower..<upper
                    }
                    start = offset + 1
                }
                return nil
            }
        }
    }

    /// `text.contains(pattern)` (`pattern` as `supports` allows).
    public static func contains(_ pattern: String, in text: String) -> Bool { firstRange(of: pattern, in: text) != nil }
}
