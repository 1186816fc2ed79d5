/// Addresses in an address-list header (`From`, `To`, `Cc`, …), RFC 5322 read leniently:
/// display names, angle brackets, quoted strings, comments and groups.
///
/// ```swift
/// MailAddresses.parse(#""Doe, Jane" <Jane@Example.ORG>, bob@example.com (Bob)"#)
/// // [(name: "Doe, Jane", address: "Jane@example.org"), (name: nil, address: "bob@example.com")]
/// ```
public enum MailAddresses {
    public struct Address: Sendable, Equatable {
        /// The display name without its quotes, or nil.
        public var name: String?
        /// `local@domain` with the domain lower-cased.
        public var address: String
    }

    /// At most this many addresses are read from one header.
    public static let maxAddresses = 1000

    /// The addresses of a header value, in order. Parts without an `@` (group names,
    /// `undisclosed-recipients:;`) are left out.
    public static func parse(_ value: String) -> [Address] {
        MailBytes.withPlain(value, parseBytes) ?? parseCharacters(value)
    }

    /// `parse` on characters: any text.
    static func parseCharacters(_ value: String) -> [Address] {
        var out: [Address] = []
        for part in splitList(value) {
            guard out.count < maxAddresses, let a = address(in: part) else { continue }
            out.append(a)
        }
        return out
    }

    /// Splits at commas and semicolons outside quotes, angle brackets and comments.
    static func splitList(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false, escaped = false
        var angle = 0, comment = 0
        for c in value {
            if escaped {
                current.append(c)
                escaped = false
                continue
            }
            switch c {
            case "\\" where quoted || comment > 0: escaped = true
            case "\"" where comment == 0: quoted.toggle()
            case "(" where !quoted: comment += 1
            case ")" where !quoted && comment > 0: comment -= 1
            case "<" where !quoted && comment == 0: angle += 1
            case ">" where !quoted && comment == 0 && angle > 0: angle -= 1
            case ",", ";":
                if !quoted && angle == 0 && comment == 0 {
                    parts.append(current)
                    current = ""
                    continue
                }
            default: break
            }
            current.append(c)
        }
        parts.append(current)
        return parts
    }

    /// One list element: `name <addr>`, `addr`, or `group: addr` (the group name is dropped).
    static func address(in part: String) -> Address? {
        var text = withoutComments(part)
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("<"), !text[..<colon].contains("@") {
            text = String(text[text.index(after: colon)...])
        }
        var name: String?
        var spec: String
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            spec = String(text[text.index(after: open)..<close])
            let display = unquote(String(text[..<open]).trimming(anyOf: " \t"))
            name = display.isEmpty ? nil : display
        } else {
            spec = text
        }
        spec = spec.trimming(anyOf: " \t\r\n")
        guard let at = spec.lastIndex(of: "@"), at != spec.startIndex, spec.index(after: at) != spec.endIndex,
            !spec.contains(" ")
        else { return nil }
        let local = spec[..<at]
        let domain = spec[spec.index(after: at)...].lowercased()
        return Address(name: name, address: local + "@" + domain)
    }

    /// The text with `( … )` comments removed (outside quoted strings).
    static func withoutComments(_ s: String) -> String {
        var out = ""
        var quoted = false, escaped = false
        var depth = 0
        for c in s {
            if escaped {
                if depth == 0 { out.append(c) }
                escaped = false
                continue
            }
            if c == "\\" && (quoted || depth > 0) {
                if depth == 0 { out.append(c) }
                escaped = true
                continue
            }
            if c == "\"" && depth == 0 { quoted.toggle() }
            if !quoted && c == "(" {
                depth += 1
                continue
            }
            if !quoted && c == ")" && depth > 0 {
                depth -= 1
                continue
            }
            if depth == 0 { out.append(c) }
        }
        return out
    }

    /// `"Doe, Jane"` → `Doe, Jane` (backslash escapes resolved); other text unchanged.
    static func unquote(_ s: String) -> String {
        guard s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") else { return s }
        var out = ""
        var escaped = false
        for c in s.dropFirst().dropLast() {
            if escaped {
                out.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
