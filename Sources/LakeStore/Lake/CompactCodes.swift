import LakeCore

/// A language's and a relationship's values coded against tables and the row's data (schema
/// 28, docs/SPEC.md 7.4, "Annotations"), as entities' are from schema 24: a method or a type
/// from its table is stored as its index there, and a language's code or a relationship's
/// target that a top-level member of `data` gives back, as that member's index. A tweet's
/// `["es","source"]` (15 bytes) is stored as `[12,0]` (its `lang` is member 12), its reply
/// `[1,"source","307068279304749073","reply_to"]` as `[1,0,10,0]` (`in_reply_to_status_id`).
///
/// These values are strings in every canonical annotation any version wrote, so a number in
/// one of their places means a code and nothing else; an annotation with a number there would
/// stay canonical JSON. A code that names nothing leaves the stored bytes as they are (the
/// record's checksum then fails on export).
extension CompactAnnotations {
    /// What one value of a compact annotation may be stored as.
    public enum Code: Sendable {
        /// As its canonical bytes.
        case plain
        /// A string of `table` as its index there.
        case table(Table)
        /// A string a top-level member of the row's data gives back as that member's index.
        case member
        /// A JSON pointer to a top-level member of the row's data (`"/subject"`) as that member's
        /// index; a pointer with more steps, or with `~` in it, as it is.
        case field
    }

    /// Entries stored as their index. Append only: a stored index names its entry for good.
    public struct Table: Sendable {
        public let names: [String]
        let quoted: [[UInt8]]

        init(_ names: String...) {
            self.names = names
            quoted = names.map { Array("\"\($0)\"".utf8) }
        }

        /// Writes the quoted string `s` as its index here, or as it is when it is not an entry.
        func write(_ s: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
            // Compared with `memcmp` (the generic `elementsEqual` went byte by byte through the
            // collection's indexes: about 290 instructions an entity).
            if let k = quoted.firstIndex(where: { q in q.withUnsafeBytes { SameBytes.same($0, UnsafeRawBufferPointer(s)) } }) {
                out.appendDecimal(k)
            } else {
                out.append(contentsOf: s)
            }
        }

        /// The quoted entry a stored index `s` names; nil when it names none.
        func entry(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
            guard let k = decimal(s), k < quoted.count else { return nil }
            return quoted[k]
        }
    }

    public static let languageMethods = Table("source", "detected", "fallback", "undetermined")
    public static let relationshipMethods = Table("source", "text", "path", "minhash")
    public static let relationshipTypes = Table("reply_to", "like_of", "comment_on", "in_thread", "reaction_to", "duplicate_of")
    /// The built-in PII types (`PIIScanner.Kind`); a custom pattern's type is stored as it is.
    public static let piiTypes = Table("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN", "IP_ADDRESS")

    /// The codes of each form's values, in the forms' order (`language`, `relationships`, `pii`).
    public static let languageCodes: [[Code]] = [[.member, .plain, .table(languageMethods)], [.member, .table(languageMethods)]]
    public static let relationshipCodes: [[Code]] = [[.plain, .table(relationshipMethods), .member, .table(relationshipTypes)]]
    public static let piiCodes: [[Code]] = [[.plain, .field, .plain, .plain, .table(piiTypes)]]

    /// Codes or decodes the values of one annotation against its row's data, within one
    /// budget for the data it passes over (`scanBudget`, as an entity list's).
    struct Coder {
        /// Per form of the annotation, in the forms' order: each value's code.
        let codes: [[Code]]
        let data: UnsafeBufferPointer<UInt8>
        var budget = scanBudget

        init(codes: [[Code]], data: UnsafeBufferPointer<UInt8>) {
            self.codes = codes
            self.data = data
        }

        /// Writes value `s` (a scalar's canonical or stored bytes) of slot `n` of form `f`,
        /// coded (`encode`) or decoded; false when coding finds a number where a code goes, or
        /// decoding a code that names nothing.
        mutating func write(_ s: UnsafeBufferPointer<UInt8>, form f: Int, slot n: Int, encode: Bool, into out: inout [UInt8]) -> Bool {
            let isNumber = s[0] == 0x2D || (s[0] >= 0x30 && s[0] <= 0x39)
            switch (codes[f][n], encode) {
            case (.plain, _):
                out.append(contentsOf: s)
            case (_, true) where isNumber:
                return false
            case (.table(let t), true):
                t.write(s, into: &out)
            case (.member, true):
                if s[0] == quote, let m = member(holding: s, in: data, budget: &budget) {
                    out.appendDecimal(m)
                } else {
                    out.append(contentsOf: s)
                }
            case (.field, true):
                if let m = member(pointedAtBy: s, in: data, budget: &budget) {
                    out.appendDecimal(m)
                } else {
                    out.append(contentsOf: s)
                }
            case (_, false) where !isNumber:
                out.append(contentsOf: s)
            case (.table(let t), false):
                guard let entry = t.entry(s) else { return false }
                out.append(contentsOf: entry)
            case (.member, false):
                guard let m = decimal(s) else { return false }
                return memberValue(m, in: data, budget: &budget, into: &out)
            case (.field, false):
                guard let m = decimal(s) else { return false }
                return pointer(toMember: m, in: data, budget: &budget, into: &out)
            }
            return true
        }
    }
}

extension CompactAnnotations {
    /// The index of the top-level member of `d` that the quoted JSON pointer `s` (`"/name"`)
    /// names: one step, no `~` (so the name is the pointer's text after its `/`, escaped as
    /// JSON escapes it in both); nil for any other pointer.
    static func member(pointedAtBy s: UnsafeBufferPointer<UInt8>, in d: UnsafeBufferPointer<UInt8>, budget: inout Int) -> Int? {
        guard s.count >= 3, s[0] == quote, s[1] == slash, s[s.count - 1] == quote else { return nil }
        let name = UnsafeBufferPointer(rebasing: s[2..<(s.count - 1)])
        guard !name.contains(slash), !name.contains(tilde) else { return nil }
        var found: Int?
        forEachMember(d, budget: &budget) { n, key, _ in
            guard n <= maxPathIndex else { return true }
            if key.count == name.count + 2, CompactData.same(d, (key.lowerBound + 1)..<(key.upperBound - 1), name) {
                found = n
            }
            return found != nil
        }
        return found
    }

    /// Writes the quoted JSON pointer to top-level member `index` of `d` (`member(pointedAtBy:)`'s
    /// inverse); false when there is no such member, or its name needs `~` in a pointer.
    static func pointer(toMember index: Int, in d: UnsafeBufferPointer<UInt8>, budget: inout Int, into out: inout [UInt8]) -> Bool {
        var written = false
        forEachMember(d, budget: &budget) { n, key, _ in
            guard n == index else { return false }
            let name = UnsafeBufferPointer(rebasing: d[(key.lowerBound + 1)..<(key.upperBound - 1)])
            guard !name.contains(slash), !name.contains(tilde) else { return true }
            out.append(quote)
            out.append(slash)
            out.append(contentsOf: name)
            out.append(quote)
            written = true
            return true
        }
        return written
    }

    static let slash = UInt8(ascii: "/"), tilde = UInt8(ascii: "~")
}
