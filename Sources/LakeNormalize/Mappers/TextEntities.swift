import LakeCore
import LakeParsers

/// Entities found in free text (docs/SPEC.md 5.7), method `pattern`: URLs (`http://`,
/// `https://`), e-mail addresses, `@mentions`, `#hashtags`, ISO dates, phone numbers, in
/// order of their position in the text, each value once per kind.
///
/// ```swift
/// TextEntities.find("Mail ana@example.org about #swift, see https://swift.org @bob")
/// // email ana@example.org, hashtag swift, url https://swift.org, mention bob
/// ```
public enum TextEntities {
    public static let version = "1"

    /// The kinds of entity `find` reports.
    public struct Kinds: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let url = Kinds(rawValue: 1), email = Kinds(rawValue: 2), date = Kinds(rawValue: 4)
        public static let mention = Kinds(rawValue: 8), hashtag = Kinds(rawValue: 16), phone = Kinds(rawValue: 32)
        public static let all: Kinds = [.url, .email, .date, .mention, .hashtag, .phone]
        static let tags: Kinds = [.mention, .hashtag]
        /// What a text holds that a source listing its own tags, mentions and links does not (tweets).
        public static let unlisted: Kinds = [.email, .phone, .date]

        init?(_ kind: String) {
            switch kind {
            case "url": self = .url
            case "email": self = .email
            case "date": self = .date
            case "mention": self = .mention
            case "hashtag": self = .hashtag
            case "phone": self = .phone
            default: return nil
            }
        }
    }

    /// The entities of `kinds` in `text`: `find(text)` without the others, whose tokens are not
    /// read at all (a tweet's many tags and links, when only its addresses are wanted).
    public static func find(_ text: String, kinds: Kinds = .all) -> [LakeRecord.Entity] { find(text, kinds: kinds, skipping: true) }

    /// `skipping`: tokens `mayHoldEntity` rules out are passed over unread (false only to
    /// compare the two in tests).
    static func find(_ text: String, kinds: Kinds = .all, skipping: Bool) -> [LakeRecord.Entity] {
        let scalars = Array(text.unicodeScalars)
        var found: [(Int, LakeRecord.Entity)] = []
        var seen = Set<String>()
        func add(_ at: Int, _ kind: String, _ value: String) {
            guard let k = Kinds(kind), kinds.contains(k) else { return }
            if seen.insert(kind + "\u{0}" + value).inserted { found.append((at, .init(kind: kind, value: value, method: "pattern"))) }
        }
        let isWordScalar = ScalarClass.isWord, isSpace = ScalarClass.isWhitespace
        var i = 0
        while i < scalars.count {
            // A whitespace-delimited token.
            if isSpace(scalars[i]) { i += 1; continue }
            var j = i
            while j < scalars.count, !isSpace(scalars[j]) { j += 1 }
            guard !skipping || mayHoldEntity(scalars, i, j, kinds) else {
                i = j
                continue
            }
            var token = String(scalars: scalars[i..<j])
            // Trailing punctuation is not part of a URL, address or tag.
            while let last = token.unicodeScalars.last, trailing.contains(last) { token.unicodeScalars.removeLast() }
            while let first = token.unicodeScalars.first, leading.contains(first) { token.unicodeScalars.removeFirst() }
            let lower = token.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
                if token.count > 8 { add(i, "url", token) }
            } else if let at = token.firstIndex(of: "@"), at != token.startIndex {
                if isEmailAddress(token) { add(i, "email", token) }
            } else if let date = isoDate(token) {
                add(i, "date", date)
            } else if let first = token.unicodeScalars.first, first == "@" || first == "#" {
                let body = token.unicodeScalars.dropFirst().prefix(while: isWordScalar)
                if !body.isEmpty, !(first == "#" && body.allSatisfy({ $0.properties.numericType != nil })) {
                    add(i, first == "@" ? "mention" : "hashtag", String(scalars: body))
                }
            }
            i = j
        }
        if kinds.contains(.phone) { for (at, phone) in phones(scalars) { add(at, "phone", phone) } }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    static let trailing = Set(".,;:!?)]}\"'»”".unicodeScalars), leading = Set("([{\"'«“".unicodeScalars)

    /// False for a token none of `find`'s token rules for `kinds` can match, without making its
    /// string: once its punctuation is cut, a URL starts with `h`/`H`, an address holds an `@`
    /// after its first scalar, a date starts with a digit, a mention or tag with `@` or `#`.
    static func mayHoldEntity(_ scalars: [Unicode.Scalar], _ from: Int, _ to: Int, _ kinds: Kinds = .all) -> Bool {
        var start = from, end = to
        while end > start, trailing.contains(scalars[end - 1]) { end -= 1 }
        while start < end, leading.contains(scalars[start]) { start += 1 }
        guard start < end else { return false }
        let other: Bool
        switch scalars[start] {
        case "h", "H": other = kinds.contains(.url)
        case "@", "#": other = !kinds.isDisjoint(with: .tags)
        case "0"..."9": other = kinds.contains(.date)
        default: other = false
        }
        return other || (kinds.contains(.email) && scalars[(start + 1)..<end].contains("@"))
    }

    /// True for `local@domain` with a non-empty local part without whitespace and a dotted
    /// domain of letters, digits, `-` and `.` (not starting or ending with a dot).
    public static func isEmailAddress(_ token: String) -> Bool {
        // An ASCII token (most) is read on its bytes, where each character is a byte (CR LF,
        // the one pair, is white space either way): the character path cost about 20,000
        // instructions a call.
        var bytes = token
        if let answer = bytes.withUTF8({ b in b.allSatisfy { $0 < 0x80 } ? isASCIIEmailAddress(b) : nil }) { return answer }
        return isEmailAddressByCharacters(token)
    }

    /// `isEmailAddress` of an ASCII token's bytes.
    static func isASCIIEmailAddress(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let at = b.firstIndex(of: UInt8(ascii: "@")), at != 0 else { return false }
        let dot = UInt8(ascii: "."), domain = b[(at + 1)...]
        guard domain.contains(dot), domain.first != dot, domain.last != dot else { return false }
        // `Character.isWhitespace` of ASCII is White_Space: tab, LF, VT, FF, CR and space.
        guard !b[..<at].contains(where: { ScalarClass.isWhitespace(Unicode.Scalar($0)) }) else { return false }
        return domain.allSatisfy { ScalarClass.isWord(Unicode.Scalar($0)) || $0 == dot || $0 == UInt8(ascii: "-") }
    }

    /// `isEmailAddress` on the token's characters.
    static func isEmailAddressByCharacters(_ token: String) -> Bool {
        guard let at = token.firstIndex(of: "@"), at != token.startIndex else { return false }
        let local = token[..<at], domain = token[token.index(after: at)...]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".") && local.allSatisfy({ !$0.isWhitespace })
            && domain.unicodeScalars.allSatisfy({ ScalarClass.isWord($0) || $0 == "." || $0 == "-" })
    }

    /// `YYYY-MM-DD` or `YYYY/MM/DD` naming a real day (years 1000-9999), as `YYYY-MM-DD`.
    static func isoDate(_ token: String) -> String? {
        let b = Array(token.utf8)
        guard b.count == 10, b[4] == b[7], b[4] == UInt8(ascii: "-") || b[4] == UInt8(ascii: "/") else { return nil }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard digits.allSatisfy({ b[$0] >= 0x30 && b[$0] <= 0x39 }) else { return nil }
        func n(_ r: Range<Int>) -> Int64 { Int64(String(decoding: b[r], as: UTF8.self))! }
        let (y, m, d) = (n(0..<4), n(5..<7), n(8..<10))
        guard y >= 1000, (1...12).contains(m), d >= 1, d <= Civil.daysInMonth(y, m) else { return nil }
        return String(decoding: b[0..<4], as: UTF8.self) + "-" + String(decoding: b[5..<7], as: UTF8.self) + "-"
            + String(decoding: b[8..<10], as: UTF8.self)
    }
}
