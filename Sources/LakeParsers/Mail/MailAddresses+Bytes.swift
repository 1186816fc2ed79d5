/// `MailAddresses.parse` on plain bytes (`MailBytes`): the same steps as the character path,
/// each on byte ranges, with text made only for what is returned.
extension MailAddresses {
    typealias Bytes = MailBytes.Bytes

    static func parseBytes(_ b: Bytes) -> [Address] {
        var out: [Address] = []
        var start = 0
        var quoted = false, escaped = false
        var angle = 0, comment = 0
        func part(_ r: Range<Int>) {
            guard out.count < maxAddresses else { return }
            let text = withoutComments(b, r)
            if let found = text.withUnsafeBufferPointer({ Self.address(in: $0) }) { out.append(found) }
        }
        // Split at commas and semicolons outside quotes, angle brackets and comments.
        for i in 0..<b.count {
            let c = b[i]
            if escaped {
                escaped = false
                continue
            }
            switch c {
            case UInt8(ascii: "\\") where quoted || comment > 0: escaped = true
            case UInt8(ascii: "\"") where comment == 0: quoted.toggle()
            case UInt8(ascii: "(") where !quoted: comment += 1
            case UInt8(ascii: ")") where !quoted && comment > 0: comment -= 1
            case UInt8(ascii: "<") where !quoted && comment == 0: angle += 1
            case UInt8(ascii: ">") where !quoted && comment == 0 && angle > 0: angle -= 1
            case UInt8(ascii: ","), UInt8(ascii: ";"):
                if !quoted && angle == 0 && comment == 0 {
                    part(start..<i)
                    start = i + 1
                }
            default: break
            }
        }
        part(start..<b.count)
        return out
    }

    /// One list element's bytes without comments (`withoutComments`).
    static func withoutComments(_ b: Bytes, _ r: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        var quoted = false, escaped = false
        var depth = 0
        for i in r {
            let c = b[i]
            if escaped {
                if depth == 0 { out.append(c) }
                escaped = false
                continue
            }
            if c == MailBytes.backslash && (quoted || depth > 0) {
                if depth == 0 { out.append(c) }
                escaped = true
                continue
            }
            if c == MailBytes.quote && depth == 0 { quoted.toggle() }
            if !quoted && c == UInt8(ascii: "(") {
                depth += 1
                continue
            }
            if !quoted && c == UInt8(ascii: ")") && depth > 0 {
                depth -= 1
                continue
            }
            if depth == 0 { out.append(c) }
        }
        return out
    }

    /// One list element without its comments: `name <addr>`, `addr`, or `group: addr`.
    static func address(in t: Bytes) -> Address? {
        var text = 0..<t.count
        if let colon = MailBytes.first(UInt8(ascii: ":"), t, text),
            MailBytes.first(UInt8(ascii: "<"), t, 0..<colon) == nil, MailBytes.first(UInt8(ascii: "@"), t, 0..<colon) == nil
        {
            text = (colon + 1)..<t.count
        }
        var name: String?
        var spec: Range<Int>
        if let open = MailBytes.last(UInt8(ascii: "<"), t, text), let close = MailBytes.first(UInt8(ascii: ">"), t, open..<text.upperBound)
        {
            spec = (open + 1)..<close
            let display = unquote(t, MailBytes.trimmed(t, text.lowerBound..<open))
            name = display.isEmpty ? nil : display
        } else {
            spec = text
        }
        spec = MailBytes.trimmed(t, spec)
        guard let at = MailBytes.last(UInt8(ascii: "@"), t, spec), at != spec.lowerBound, at + 1 != spec.upperBound,
            MailBytes.first(MailBytes.space, t, spec) == nil
        else { return nil }
        return Address(
            name: name, address: MailBytes.string(t, spec.lowerBound..<at) + "@" + MailBytes.lowercased(t, (at + 1)..<spec.upperBound))
    }

    /// `unquote` of `b[r]`.
    static func unquote(_ b: Bytes, _ r: Range<Int>) -> String {
        guard r.count >= 2, b[r.lowerBound] == MailBytes.quote, b[r.upperBound - 1] == MailBytes.quote else {
            return MailBytes.string(b, r)
        }
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        var escaped = false
        for i in (r.lowerBound + 1)..<(r.upperBound - 1) {
            let c = b[i]
            if escaped {
                out.append(c)
                escaped = false
            } else if c == MailBytes.backslash {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
