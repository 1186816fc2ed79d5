import LakeCore

/// A streaming HTML tokenizer for exported pages (Takeout My Activity, Facebook HTML):
/// start and end tags with attributes, text with character references decoded, comments and
/// doctypes skipped, `<script>` and `<style>` contents skipped. Not a full HTML5 parser: no tree
/// building or error recovery beyond skipping what it does not understand. Memory: one chunk
/// plus one token, each bounded by `maxTokenBytes`.
public final class HTMLTokenizer {
    public enum Token: Equatable, Sendable {
        case startTag(name: String, attributes: [String: String], selfClosing: Bool)
        case endTag(name: String)
        case text(String)
    }

    public struct LimitError: Error, Equatable, Sendable, CustomStringConvertible {
        public var offset: Int64
        public var line: Int
        public var limit: Int
        public var rule: String { "html.token_limit" }
        public var description: String { "\(rule): a tag or text run longer than \(limit) bytes (byte \(offset), line \(line))" }
    }

    private let cursor: ChunkCursor
    public let maxTokenBytes: Int
    private var skipUntilEndOf: String?

    public init(source: @escaping ChunkCursor.ChunkSource, maxTokenBytes: Int = 4 << 20) {
        cursor = ChunkCursor(source: source)
        self.maxTokenBytes = maxTokenBytes
    }

    public init(bytes: [UInt8], maxTokenBytes: Int = 4 << 20) {
        cursor = ChunkCursor(bytes: bytes)
        self.maxTokenBytes = maxTokenBytes
    }

    public var offset: Int64 { cursor.offset }
    public var line: Int { cursor.line }

    private func limitError() -> LimitError { LimitError(offset: cursor.offset, line: cursor.line, limit: maxTokenBytes) }

    /// The next token, or nil at the end.
    public func next() throws -> Token? {
        while true {
            guard let b = try cursor.peek() else { return nil }
            if b != UInt8(ascii: "<") {
                var raw: [UInt8] = []
                guard try cursor.take(while: { $0 != UInt8(ascii: "<") }, into: &raw, limit: maxTokenBytes) else { throw limitError() }
                if skipUntilEndOf != nil { continue }
                return .text(HTMLEntities.decode(raw))
            }
            _ = try cursor.next()
            guard let c = try cursor.peek() else { return skipUntilEndOf == nil ? .text("<") : nil }
            if c == UInt8(ascii: "!") || c == UInt8(ascii: "?") {
                try skipMarkup()
                continue
            }
            let isEnd = c == UInt8(ascii: "/")
            if isEnd { _ = try cursor.next() }
            guard let first = try cursor.peek(), Self.isNameStart(first) else {
                if skipUntilEndOf != nil { continue }
                return .text(isEnd ? "</" : "<")
            }
            var raw: [UInt8] = []
            guard try cursor.take(while: { $0 != UInt8(ascii: ">") }, into: &raw, limit: maxTokenBytes) else { throw limitError() }
            _ = try cursor.next()  // '>' (or the end)
            let (name, attributes, selfClosing) = Self.parseTag(raw)
            if let waiting = skipUntilEndOf {
                if isEnd && name == waiting { skipUntilEndOf = nil }
                continue
            }
            if isEnd { return .endTag(name: name) }
            if (name == "script" || name == "style") && !selfClosing { skipUntilEndOf = name }
            return .startTag(name: name, attributes: attributes, selfClosing: selfClosing)
        }
    }

    static func isNameStart(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }

    /// Skips `<!-- ... -->`, `<!DOCTYPE ...>`, `<![CDATA[ ... ]]>` and `<? ... >`.
    private func skipMarkup() throws {
        if try cursor.hasPrefix(Array("!--".utf8)) {
            try cursor.skip(3)
            var dashes = 0
            while let b = try cursor.next() {
                if b == UInt8(ascii: ">") && dashes >= 2 { return }
                dashes = b == UInt8(ascii: "-") ? dashes + 1 : 0
            }
            return
        }
        while let b = try cursor.next(), b != UInt8(ascii: ">") {}
    }

    /// Tag name (lower-cased), attributes (names lower-cased, values decoded), self-closing flag.
    static func parseTag(_ raw: [UInt8]) -> (String, [String: String], Bool) {
        var bytes = raw
        var selfClosing = false
        if bytes.last == UInt8(ascii: "/") {
            selfClosing = true
            bytes.removeLast()
        }
        var i = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
        while i < bytes.count, !isSpace(bytes[i]) { i += 1 }
        let name = ASCIICase.lowercased(bytes[..<i])
        var attributes: [String: String] = [:]
        while i < bytes.count {
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
            let nameStart = i
            while i < bytes.count, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: "=") { i += 1 }
            let attrName = ASCIICase.lowercased(bytes[nameStart..<i])
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
            var value = ""
            if i < bytes.count, bytes[i] == UInt8(ascii: "=") {
                i += 1
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                if i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    let q = bytes[i]
                    i += 1
                    let vs = i
                    while i < bytes.count, bytes[i] != q { i += 1 }
                    value = HTMLEntities.decode(Array(bytes[vs..<i]))
                    i += 1
                } else {
                    let vs = i
                    while i < bytes.count, !isSpace(bytes[i]) { i += 1 }
                    value = HTMLEntities.decode(Array(bytes[vs..<i]))
                }
            }
            if !attrName.isEmpty && attributes[attrName] == nil { attributes[attrName] = value }
        }
        return (name, attributes, selfClosing)
    }
}

/// HTML character references.
public enum HTMLEntities {
    /// 2: every HTML5 named reference (version 1 knew 68 names and left `&Eacute;` as written).
    public static let version = "2"

    /// The HTML5 named character references written with `;` (all 2,125 of them, from
    /// `HTMLEntityTable.swift`); a name not in it, or one without `;`, is left as written.
    public static let named: [String: String] = {
        var names: [String: String] = [:]
        for item in table.split(whereSeparator: \.isLayoutSpace) {
            guard let colon = item.firstIndex(of: ":") else { continue }
            var value = ""
            for hex in item[item.index(after: colon)...].split(separator: ",") {
                if let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) { value.unicodeScalars.append(scalar) }
            }
            names[String(item[..<colon])] = value
        }
        return names
    }()

    /// Decodes `&name;`, `&#123;` and `&#x1F600;` in UTF-8 bytes (invalid UTF-8 becomes U+FFFD;
    /// numeric references to surrogates, zero or past U+10FFFF become U+FFFD).
    public static func decode(_ bytes: [UInt8]) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        return decodeBytes(bytes) ?? decodeCharacters(bytes)
    }

    /// `decode` character by character.
    static func decodeCharacters(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(32).firstIndex(of: ";"), let replacement = reference(after[..<semi]) {
                out += replacement
                rest = after[after.index(after: semi)...]
                continue
            }
            out += "&"
            rest = after
        }
        out += rest
        return out
    }

    /// What the reference `&name;` stands for: a number's scalar (U+FFFD for 0 or none), a
    /// named reference's text; nil when it is neither.
    static func reference(_ name: Substring) -> String? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let v = value else { return nil }
            return String(v != 0 ? Unicode.Scalar(v) ?? "\u{FFFD}" : "\u{FFFD}")
        }
        return named[String(name)]
    }

    /// `decode` on the bytes of valid UTF-8 whose scalars are all below U+0300 (so each is a
    /// character of its own, CR LF aside, which holds no `&` or `;`, and a name that is a
    /// reference is ASCII, where 32 characters are 32 bytes); nil for any other text. Text
    /// tokens and attribute values with a reference in them went character by character.
    static func decodeBytes(_ b: [UInt8]) -> String? {
        guard b.withUnsafeBufferPointer({ SingleScalarText.holds($0) }) else { return nil }
        var i = 0
        let amp = UInt8(ascii: "&"), semicolon = UInt8(ascii: ";")
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        while i < b.count {
            guard b[i] == amp else {
                out.append(b[i])
                i += 1
                continue
            }
            let start = i + 1
            let window = b[start..<min(b.count, start + 32)]
            if let semi = window.firstIndex(of: semicolon),
                let replacement = reference(Substring(String(decoding: b[start..<semi], as: UTF8.self)))
            {
                out.append(contentsOf: replacement.utf8)
                i = semi + 1
                continue
            }
            out.append(amp)
            i = start
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// HTML reduced to plain text: block ends and `<br>` become line breaks, runs of spaces collapse,
/// `<script>` and `<style>` are dropped, each line is trimmed, empty lines are removed.
public enum HTMLText {
    static let blockTags: Set<String> = [
        "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "hr",
    ]

    public static func toText(_ html: String) -> String {
        let tokenizer = HTMLTokenizer(bytes: Array(html.utf8))
        var lines: [String] = []
        var current = ""
        func breakLine() {
            let collapsed = current.split(whereSeparator: { $0.isLayoutSpace || $0 == "\u{A0}" })
                .joined(separator: " ")
            if !collapsed.isEmpty { lines.append(collapsed) }
            current = ""
        }
        while let token = try? tokenizer.next() {
            switch token {
            case .text(let t): current += t
            case .startTag(let name, _, _) where blockTags.contains(name): breakLine()
            case .endTag(let name) where blockTags.contains(name): breakLine()
            default: break
            }
        }
        breakLine()
        return lines.joined(separator: "\n")
    }
}

/// Text in which every character is one scalar (CR LF aside): valid UTF-8 whose scalars are all
/// below U+0300, where no scalar joins another into one character (the combining marks begin at
/// U+0300; no scalar below it extends or prepends). Code that works on such text's bytes gives
/// what working on its characters gives.
enum SingleScalarText {
    /// Whether `b` is such text; with `fixedSpaces`, U+2002, U+2003 and U+202F may stand in it
    /// too (spaces: no scalar below U+0300 joins them).
    static func holds(_ b: UnsafeBufferPointer<UInt8>, fixedSpaces: Bool = false) -> Bool {
        var i = 0
        while i < b.count {
            if b[i] >= 0x80 {
                if fixedSpaces && isFixedSpace(b, i) {
                    i += 3
                    continue
                }
                guard b[i] >= 0xC2 && b[i] <= 0xCB, i + 1 < b.count, b[i + 1] & 0xC0 == 0x80 else { return false }
                i += 1
            }
            i += 1
        }
        return true
    }

    /// Whether U+2002, U+2003 or U+202F begins at `i`.
    static func isFixedSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        b[i] == 0xE2 && i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0x82 || b[i + 2] == 0x83 || b[i + 2] == 0xAF)
    }
}
