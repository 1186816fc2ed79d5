import LakeParsers

/// Phone numbers as entities (docs/SPEC.md 5.7): digits kept with a leading `+`, every space,
/// dash, dot, slash and parenthesis dropped (and an international number's `(0)` trunk
/// prefix); 7 to 15 digits (E.164's maximum), else not a phone.
public enum PhoneNumbers {
    /// A vCard 4 `TEL;VALUE=uri:tel:+1-418-656-9254;ext=102` value, or a plain one: the `tel:`
    /// scheme and the URI's parameters dropped, then `normalize`.
    public static func normalize(telURI text: String) -> String? {
        var v = text.trimming(anyOf: " \t")
        guard v.lowercased().hasPrefix("tel:") else { return normalize(v) }
        v = String(v.dropFirst(4))
        if let semicolon = v.firstIndex(of: ";") { v = String(v[..<semicolon]) }
        return normalize(v)
    }

    static let trunkZero = Array("(0)".utf8)

    /// A value given as a phone number (a contact's TEL, an account's phone field).
    public static func normalize(_ text: String) -> String? {
        var value = text.trimming(anyOf: " \t")
        // (A search first: most numbers have no `(0)`, and `replacing` allocates either way.)
        if value.hasPrefix("+"), TextEntities.occurs(Self.trunkZero, in: Array(value.utf8)) { value = value.replacing("(0)", with: "") }
        return asciiNumber(value) ?? byCharacters(value)
    }

    /// `normalize`'s reading of the value after its trimming, character by character: any text.
    static func byCharacters(_ value: String) -> String? {
        var out = ""
        for (i, c) in value.enumerated() {
            if c == "+" && i == 0 {
                out.append(c)
            } else if c.isASCIIDigit {
                out.append(c)
            } else if !" -./()\u{A0}".contains(c) {
                return nil
            }
        }
        let digits = out.filter(\.isASCIIDigit).count
        return (7...15).contains(digits) ? out : nil
    }

    /// `normalize` of an ASCII value (after its trimming) from its bytes, where each byte is a
    /// character; `.none` for other text, which the character loop reads.
    static func asciiNumber(_ value: String) -> String?? {
        var value = value
        return value.withUTF8 { b -> String?? in
            guard b.allSatisfy({ $0 < 0x80 }) else { return .none }
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var digits = 0
            for (i, c) in b.enumerated() {
                if c == UInt8(ascii: "+") && i == 0 {
                    out.append(c)
                } else if c >= 0x30 && c <= 0x39 {
                    out.append(c)
                    digits += 1
                } else if !Self.separators.contains(c) {
                    return .some(nil)
                }
            }
            return .some((7...15).contains(digits) ? String(decoding: out, as: UTF8.self) : nil)
        }
    }

    /// The ASCII separators a number may hold (the character loop also takes U+00A0).
    static let separators = Array(" -./()".utf8)
}
