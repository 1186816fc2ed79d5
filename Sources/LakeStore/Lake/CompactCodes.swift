/// A language's and a relationship's values coded against tables and the row's data (schema
/// 28, docs/SPEC.md 7.4, "Annotations"), as entities' are from schema 24: a method or a type
/// from its table is stored as its index there, and a language's code or a relationship's
/// target that a top-level member of `data` gives back, as that member's index. A tweet's
/// `["es","source"]` (15 bytes) is stored as `[7,0]`, its reply
/// `[1,"source","307068279304749073","reply_to"]` as `[1,0,9,0]`.
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
    }

    /// Entries stored as their index. Append only: a stored index names its entry for good.
    public struct Table: Sendable {
        public let names: [String]
        let quoted: [[UInt8]]

        init(_ names: String...) {
            self.names = names
            quoted = names.map { Array("\"\($0)\"".utf8) }
        }
    }

    public static let languageMethods = Table("source", "detected", "fallback", "undetermined")
    public static let relationshipMethods = Table("source", "text", "path", "minhash")
    public static let relationshipTypes = Table("reply_to", "like_of", "comment_on", "in_thread", "reaction_to", "duplicate_of")

    /// The codes of each form's values, in the forms' order (`language`, `relationships`).
    public static let languageCodes: [[Code]] = [[.member, .plain, .table(languageMethods)], [.member, .table(languageMethods)]]
    public static let relationshipCodes: [[Code]] = [[.plain, .table(relationshipMethods), .member, .table(relationshipTypes)]]

    /// A compact object's (`[…]`) or list's (`[[…],…]`) values coded (`encode`) or decoded;
    /// anything else as it is. Nil when coding finds a number where a code would go, or
    /// decoding a code that names nothing.
    static func recode(_ stored: [UInt8], _ codes: [[Code]], data: [UInt8], encode: Bool) -> [UInt8]? {
        stored.withUnsafeBufferPointer { b -> [UInt8]? in
            guard b.count > 2, b[0] == bracket, b[1] != brace else { return stored }
            return data.withUnsafeBufferPointer { d in
                var budget = scanBudget
                if b[1] != bracket {
                    var out: [UInt8] = []
                    out.reserveCapacity(b.count + 16)
                    guard let end = recodeArray(b, at: 0, codes, data: d, budget: &budget, encode: encode, into: &out), end == b.count
                    else { return nil }
                    return out
                }
                return list(b, capacity: b.count + 16) { i, out in
                    recodeArray(b, at: i, codes, data: d, budget: &budget, encode: encode, into: &out)
                }
            }
        }
    }

    /// Writes the array of scalars at `start` with each value coded or decoded as the form of
    /// as many values says (an array of no form's length as it is); returns the index after
    /// its `]`, nil as `recode` says.
    private static func recodeArray(
        _ b: UnsafeBufferPointer<UInt8>, at start: Int, _ codes: [[Code]], data d: UnsafeBufferPointer<UInt8>, budget: inout Int,
        encode: Bool, into out: inout [UInt8]
    ) -> Int? {
        guard let (count, i) = scalars(b, at: start) else { return nil }
        let form = codes.first { $0.count == count }
        out.append(bracket)
        var at = start + 1
        for n in 0..<count {
            if n > 0 { out.append(comma) }
            let end = scalarEnd(b, at: at)!
            let s = UnsafeBufferPointer(rebasing: b[at..<end])
            guard let form else {
                out.append(contentsOf: s)
                at = end + 1
                continue
            }
            let isNumber = s[0] == 0x2D || (s[0] >= 0x30 && s[0] <= 0x39)
            switch (form[n], encode) {
            case (.plain, _): out.append(contentsOf: s)
            case (_, true) where isNumber: return nil
            case (.table(let t), true):
                if let k = t.quoted.firstIndex(where: { $0.count == s.count && $0.elementsEqual(s) }) {
                    out.appendDecimal(k)
                } else {
                    out.append(contentsOf: s)
                }
            case (.member, true):
                if s[0] == quote, let m = member(holding: s, in: d, budget: &budget) {
                    out.appendDecimal(m)
                } else {
                    out.append(contentsOf: s)
                }
            case (_, false) where !isNumber: out.append(contentsOf: s)
            case (.table(let t), false):
                guard let k = decimal(s), k < t.quoted.count else { return nil }
                out.append(contentsOf: t.quoted[k])
            case (.member, false):
                guard let m = decimal(s), memberValue(m, in: d, budget: &budget, into: &out) else { return nil }
            }
            at = end + 1
        }
        out.append(closeBracket)
        return i
    }
}
