import LakeCore

/// Entities found in free text (docs/SPEC.md 5.7), method `pattern`: URLs (`http://`,
/// `https://`), e-mail addresses, `@mentions`, `#hashtags`, in order of their position in the
/// text, each value once per kind.
///
/// ```swift
/// TextEntities.find("Mail ana@example.org about #swift, see https://swift.org @bob")
/// // email ana@example.org, hashtag swift, url https://swift.org, mention bob
/// ```
public enum TextEntities {
    public static let version = "1"

    public static func find(_ text: String) -> [LakeRecord.Entity] {
        let scalars = Array(text.unicodeScalars)
        var found: [(Int, LakeRecord.Entity)] = []
        var seen = Set<String>()
        func add(_ at: Int, _ kind: String, _ value: String) {
            if seen.insert(kind + "\u{0}" + value).inserted { found.append((at, .init(kind: kind, value: value, method: "pattern"))) }
        }
        func isWordScalar(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || s.properties.numericType != nil || s == "_" }
        func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }
        var i = 0
        while i < scalars.count {
            // A whitespace-delimited token.
            if isSpace(scalars[i]) { i += 1; continue }
            var j = i
            while j < scalars.count, !isSpace(scalars[j]) { j += 1 }
            var token = String(String.UnicodeScalarView(scalars[i..<j]))
            // Trailing punctuation is not part of a URL, address or tag.
            while let last = token.unicodeScalars.last, ".,;:!?)]}\"'»”".unicodeScalars.contains(last) { token.unicodeScalars.removeLast() }
            while let first = token.unicodeScalars.first, "([{\"'«“".unicodeScalars.contains(first) { token.unicodeScalars.removeFirst() }
            let lower = token.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
                if token.count > 8 { add(i, "url", token) }
            } else if let at = token.firstIndex(of: "@"), at != token.startIndex {
                let local = token[..<at], domain = token[token.index(after: at)...]
                if domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), local.allSatisfy({ !$0.isWhitespace }),
                   domain.unicodeScalars.allSatisfy({ isWordScalar($0) || $0 == "." || $0 == "-" })
                {
                    add(i, "email", token)
                }
            } else if let first = token.unicodeScalars.first, first == "@" || first == "#" {
                let body = token.unicodeScalars.dropFirst().prefix(while: isWordScalar)
                if !body.isEmpty, !(first == "#" && body.allSatisfy({ $0.properties.numericType != nil })) {
                    add(i, first == "@" ? "mention" : "hashtag", String(String.UnicodeScalarView(body)))
                }
            }
            i = j
        }
        return found.map(\.1)
    }
}
