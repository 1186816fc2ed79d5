import Foundation
import LakeCore

/// Mail header handling: unfolding (RFC 5322 2.2.3), RFC 2047 encoded words, parameters.
public enum MailHeaders {
    /// Splits a header block (everything before the first empty line) into unfolded
    /// `(name, value)` pairs, in order. Continuation lines (starting with space or tab) join the
    /// previous header with their whitespace kept; lines without a colon are skipped.
    public static func parse(_ block: [UInt8]) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        for rawLine in splitLines(block) {
            if let first = rawLine.first, first == 0x20 || first == 0x09, !headers.isEmpty {
                headers[headers.count - 1].value += String(decoding: rawLine, as: UTF8.self)
                continue
            }
            guard let colon = rawLine.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { continue }
            let name = String(decoding: rawLine[..<colon], as: UTF8.self).trimmingFoldingWhitespace()
            var value = Array(rawLine[(colon + 1)...])
            while value.first == 0x20 || value.first == 0x09 { value.removeFirst() }
            headers.append((name, String(decoding: value, as: UTF8.self)))
        }
        return headers.map { ($0.name, $0.value.trimmingTrailingWhitespace()) }
    }

    /// Lines without their LF or CRLF.
    static func splitLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            var end = i
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            lines.append(bytes[start..<end])
            start = i + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    /// Decodes RFC 2047 encoded words (`=?charset?B?...?=`, `=?charset?Q?...?=`); whitespace
    /// between two adjacent encoded words is dropped. Unknown charsets decode as UTF-8 with
    /// replacement; malformed words are kept as written.
    public static func decodeEncodedWords(_ text: String) -> String {
        // A header with no `=?` bytes has no encoded word; plain text is decoded on its bytes
        // (`decodeEncodedWords(bytes:)`), any other by characters.
        guard hasEncodedWordStart(text) else { return text }
        return MailBytes.withPlain(text) { decodeEncodedWords(bytes: $0) } ?? decodeEncodedWordsByCharacters(text)
    }

    /// `decodeEncodedWords` on characters, with Foundation's search: for text that is not plain
    /// (`MailBytes`), and the reference of the byte path.
    static func decodeEncodedWordsByCharacters(_ text: String) -> String {
        guard Self.hasEncodedWordStart(text) else { return text }
        var out = ""
        var rest = Substring(text)
        var lastWasEncoded = false
        while !rest.isEmpty {
            guard let start = rest.range(of: "=?") else {
                out += rest
                break
            }
            let before = rest[..<start.lowerBound]
            if let word = decodeWord(rest[start.lowerBound...]) {
                if lastWasEncoded && before.allSatisfy(\.isLayoutSpace) {
                    out += word.text
                } else {
                    out += before + word.text
                }
                rest = word.rest
                lastWasEncoded = true
            } else {
                out += before + "=?"
                rest = rest[start.upperBound...]
                lastWasEncoded = false
            }
        }
        return out
    }

    /// Whether the bytes `=?` occur in `text`.
    static func hasEncodedWordStart(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { t in encodedWordStart.withUnsafeBufferPointer { ByteSearch.first($0, in: t) } } != nil
    }

    /// One encoded word at the start of `s`, by characters.
    static func decodeWord(_ s: Substring) -> (text: String, rest: Substring)? {
        // =?charset?enc?payload?=
        let parts = s.dropFirst(2)
        guard let q1 = parts.firstIndex(of: "?") else { return nil }
        let charset = parts[..<q1].split(separator: "*").first.map(String.init) ?? ""
        let afterCharset = parts[parts.index(after: q1)...]
        guard let q2 = afterCharset.firstIndex(of: "?") else { return nil }
        let encoding = afterCharset[..<q2].uppercased()
        let payloadStart = afterCharset.index(after: q2)
        guard let end = afterCharset[payloadStart...].range(of: "?=") else { return nil }
        let payload = Array(afterCharset[payloadStart..<end.lowerBound].utf8)
        guard !payload.contains(0x20) else { return nil }
        let bytes: [UInt8]
        switch encoding {
        case "B": bytes = TransferEncoding.base64(payload)
        case "Q": bytes = TransferEncoding.quotedPrintable(payload, underscoreIsSpace: true)
        default: return nil
        }
        return (Charsets.decodeLossy(bytes, charset: charset), afterCharset[end.upperBound...])
    }

    /// `type/subtype; name=value; name="quoted value"` split into the lower-cased value and its
    /// parameters (names lower-cased).
    public static func parameters(_ value: String) -> (value: String, parameters: [String: String]) {
        MailBytes.withPlain(value, parametersOfBytes) ?? parametersOfCharacters(value)
    }

    /// `parameters` on plain bytes (`MailBytes`).
    static func parametersOfBytes(_ b: MailBytes.Bytes) -> (value: String, parameters: [String: String]) {
        var main: String?
        var params: [String: String] = [:]
        func part(_ r: Range<Int>) {
            guard main != nil else {
                main = MailBytes.lowercased(b, MailBytes.trimmed(b, r))
                return
            }
            guard let eq = MailBytes.first(UInt8(ascii: "="), b, r) else { return }
            let name = MailBytes.lowercased(b, MailBytes.trimmed(b, r.lowerBound..<eq))
            var v = MailBytes.trimmed(b, (eq + 1)..<r.upperBound)
            if v.count >= 2, b[v.lowerBound] == MailBytes.quote, b[v.upperBound - 1] == MailBytes.quote {
                v = (v.lowerBound + 1)..<(v.upperBound - 1)
            }
            params[name] = MailBytes.string(b, v)
        }
        // Split at `;` outside quotes, as `splitOutsideQuotes` does.
        var start = 0, quoted = false
        for i in 0..<b.count {
            if b[i] == MailBytes.quote { quoted.toggle() }
            if b[i] == UInt8(ascii: ";") && !quoted {
                part(start..<i)
                start = i + 1
            }
        }
        part(start..<b.count)
        return (main ?? "", params)
    }

    /// `parameters` on characters: any text.
    static func parametersOfCharacters(_ value: String) -> (value: String, parameters: [String: String]) {
        let parts = splitOutsideQuotes(value, separator: ";")
        let main = parts[0].trimmingFoldingWhitespace().lowercased()
        var params: [String: String] = [:]
        for p in parts.dropFirst() {
            guard let eq = p.firstIndex(of: "=") else { continue }
            let name = p[..<eq].trimmingFoldingWhitespace().lowercased()
            var v = String(p[p.index(after: eq)...]).trimmingFoldingWhitespace()
            if v.hasPrefix("\"") && v.hasSuffix("\"") && v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            params[String(name)] = v
        }
        return (main, params)
    }
}

extension Substring {
    func trimmingCharacters(in c: Character) -> String { String(self).trimmingCharacters(in: c) }
    func trimmingFoldingWhitespace() -> String { String(self).trimmingFoldingWhitespace() }
}

extension String {
    /// Without trailing characters of layout spaces only; text whose last byte is none of
    /// them is returned as it is (its last scalar is no layout space).
    func trimmingTrailingWhitespace() -> String {
        if let l = utf8.last, l != 0x20, l != 0x09, l != 0x0A, l != 0x0D { return self }
        var s = Substring(self)
        while let l = s.last, l.isLayoutSpace { s.removeLast() }
        return String(s)
    }
}
