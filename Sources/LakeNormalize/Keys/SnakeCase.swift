import LakeCore

/// Key standardization to snake_case (docs/SPEC.md, "snake_case keys").
///
/// ```swift
/// SnakeCase.convert("editTweetIds")  // "edit_tweet_ids"
/// SnakeCase.convert("OrderID")       // "order_id"
/// SnakeCase.convert("1st place")     // "_1st_place"
/// ```
public enum SnakeCase {
    /// The version recorded in lineage; bump it whenever a rule below changes.
    public static let version = "2"

    /// Rules, in order: NFC; split before an upper-case letter that follows a lower-case
    /// letter or digit, and before the last upper-case letter of a run that is followed by a
    /// lower-case letter (`HTTPServer` → `http_server`); lowercase (Unicode default casing);
    /// every run of characters that are not letters, digits or combining marks becomes one `_`;
    /// leading and trailing `_` are dropped; a key starting with a digit gets a leading `_`; an
    /// empty result is `_`; the result is NFC. Non-ASCII letters and digits are kept.
    public static func convert(_ key: String) -> String {
        if let ascii = convertASCII(key) { return ascii }
        return convertScalars(key)
    }

    /// `convertScalars` for keys that are all ASCII (almost every key in an export), on bytes:
    /// for ASCII the letters are A-Z and a-z, the digits 0-9, and lowercasing is + 0x20. Nil
    /// when the key has a byte ≥ 0x80.
    static func convertASCII(_ key: String) -> String? {
        // A key in snake_case already is its own result: no copy and no new string.
        if key.utf8.withContiguousStorageIfAvailable(isSnakeCase) == true { return key }
        var key = key
        return key.withUTF8 { input in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(input.count + 4)
            return convertASCII(input, into: &bytes) ? String(decoding: bytes, as: UTF8.self) : nil
        }
    }

    /// `convertASCII` on bytes, appending the new key to `out`; false (with `out` as it was)
    /// when the key has a byte ≥ 0x80. Mappers that write from a `JSONTape` call it per key.
    public static func convertASCII(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        if isSnakeCase(input) {
            out.append(contentsOf: input)
            return true
        }
        for b in input where b >= 0x80 { return false }
        func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
        func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        let underscore = UInt8(ascii: "_")
        let base = out.count
        // Underscores are only ever appended after a word byte, so none leads; trailing ones are
        // dropped below.
        for i in 0..<input.count {
            let b = input[i]
            if isUpper(b) || isLower(b) || isDigit(b) {
                if isUpper(b), i > 0 {
                    let prev = input[i - 1]
                    let nextIsLower = i + 1 < input.count && isLower(input[i + 1])
                    if isLower(prev) || isDigit(prev) || (isUpper(prev) && nextIsLower) {
                        if out.count > base && out[out.count - 1] != underscore { out.append(underscore) }
                    }
                }
                if out.count == base && isDigit(b) { out.append(underscore) }
                out.append(isUpper(b) ? b + 0x20 : b)
            } else if out.count > base && out[out.count - 1] != underscore {
                out.append(underscore)
            }
        }
        while out.count > base && out[out.count - 1] == underscore { out.removeLast() }
        if out.count == base { out.append(underscore) }
        return true
    }

    /// Whether a key is its own result: lower-case letters, digits and single underscores,
    /// starting with a letter and not ending with `_` (no rule splits, lowercases, joins or
    /// trims it). Most keys of Twitter's and many of Google's files are; they are copied whole.
    static func isSnakeCase(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = input.first, first &- 0x61 < 26, input[input.count - 1] != UInt8(ascii: "_") else { return false }
        var underscore = false
        for b in input {
            if b == UInt8(ascii: "_") {
                if underscore { return false }
                underscore = true
            } else if b &- 0x61 < 26 || b &- 0x30 < 10 {
                underscore = false
            } else {
                return false
            }
        }
        return true
    }

    /// The rules on Unicode scalars (any key).
    static func convertScalars(_ key: String) -> String {
        let scalars = Array(CanonicalJSON.nfc(key).unicodeScalars)
        var out: [Unicode.Scalar] = []
        // Upper case that lowercasing changes: `ϒ` (U+03D2) is upper case with no lower-case
        // form, so it stays in the result and must not split it on a second pass (a fuzz finding).
        func isUpper(_ s: Unicode.Scalar) -> Bool { s.properties.isUppercase && s.properties.lowercaseMapping != String(s) }
        func isLower(_ s: Unicode.Scalar) -> Bool { s.properties.isLowercase }
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.properties.numericType != nil }
        // Combining marks belong to the word they follow: lowercasing `İ` gives `i` + U+0307,
        // which must survive a second conversion (idempotence; a fuzz finding).
        func isWord(_ s: Unicode.Scalar) -> Bool {
            switch s.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return true
            default: return s.properties.isAlphabetic || isDigit(s)
            }
        }
        for (i, s) in scalars.enumerated() {
            if isWord(s) {
                if isUpper(s), i > 0 {
                    let prev = scalars[i - 1]
                    let next = i + 1 < scalars.count ? scalars[i + 1] : nil
                    if isLower(prev) || isDigit(prev) || (isUpper(prev) && next.map(isLower) == true) {
                        out.append("_")
                    }
                }
                out.append(contentsOf: String(s).lowercased().unicodeScalars)
            } else if out.last != "_" {
                out.append("_")
            }
        }
        while out.first == "_" { out.removeFirst() }
        while out.last == "_" { out.removeLast() }
        var collapsed: [Unicode.Scalar] = []
        for s in out where !(s == "_" && collapsed.last == "_") { collapsed.append(s) }
        if collapsed.isEmpty { return "_" }
        if isDigit(collapsed[0]) { collapsed.insert("_", at: 0) }
        var result = String()
        result.unicodeScalars.append(contentsOf: collapsed)
        return CanonicalJSON.nfc(result)
    }

    /// `base` if not taken yet, else `base_2`, `base_3`, … (the first not taken); inserted into `taken`.
    public static func claim(_ base: String, in taken: inout Set<String>) -> String {
        var name = base
        var n = 2
        while taken.contains(name) {
            name = base + "_\(n)"
            n += 1
        }
        taken.insert(name)
        return name
    }

    /// Converts every object key in `value`, recursively. When two keys of one object convert
    /// to the same name, the first in source order keeps it and later ones get `_2`, `_3`, …
    /// (the first suffix not already taken).
    public static func convertKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(convertKeys))
        case .object(let members):
            var taken = Set<String>()
            var result: [JSONMember] = []
            result.reserveCapacity(members.count)
            for m in members {
                result.append(JSONMember(claim(convert(m.key), in: &taken), convertKeys(m.value)))
            }
            return .object(result)
        default: return value
        }
    }
}
