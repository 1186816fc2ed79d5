import Foundation
import LakeCore

/// A streaming XML pull parser for the XML exports carry (KML), built for hostile input:
/// external entities (SYSTEM/PUBLIC) are never resolved (a reference to one is an error),
/// internal entities expand within a byte budget and a nesting limit (no "billion laughs"),
/// parameter entities are not expanded, and depth, name and text sizes are bounded.
///
/// ```swift
/// let r = XMLReader(bytes: data)
/// while let e = try r.next() { if case .startElement(let name, _) = e { ... } }
/// ```
public final class XMLReader {
    public enum Event: Equatable, Sendable {
        case startElement(name: String, attributes: [String: String])
        case endElement(name: String)
        case text(String)
    }

    public struct Limits: Sendable, Equatable {
        public var maxDepth = 256
        public var maxTokenBytes = 4 << 20
        /// Total bytes all entity expansions of a document may produce.
        public var maxExpansionBytes = 1 << 20
        public var maxEntityNesting = 8
        public var maxEntities = 1000
        public init() {}
    }

    public struct XMLError: Error, Equatable, Sendable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            case syntax = "xml.syntax"
            case mismatchedTag = "xml.mismatched_tag"
            case unclosed = "xml.unclosed"
            case externalEntity = "xml.external_entity"
            case undefinedEntity = "xml.undefined_entity"
            case expansionLimit = "xml.expansion_limit"
            case recursiveEntity = "xml.recursive_entity"
            case depthLimit = "xml.depth_limit"
            case tokenLimit = "xml.token_limit"
        }

        public var kind: Kind
        public var detail: String
        public var offset: Int64
        public var line: Int
        public var rule: String { kind.rawValue }
        public var description: String { "\(rule): \(detail) (byte \(offset), line \(line))" }
    }

    private let cursor: ChunkCursor
    public let limits: Limits
    private var stack: [String] = []
    private var internalEntities: [String: String] = [:]
    private var externalEntities: Set<String> = []
    private var expanded = 0
    private var sawRoot = false
    private var pendingEnd: String?

    public init(source: @escaping ChunkCursor.ChunkSource, limits: Limits = Limits()) {
        cursor = ChunkCursor(source: source)
        self.limits = limits
    }

    public init(bytes: [UInt8], limits: Limits = Limits()) {
        cursor = ChunkCursor(bytes: bytes)
        self.limits = limits
    }

    private func fail(_ kind: XMLError.Kind, _ detail: String) -> XMLError {
        XMLError(kind: kind, detail: detail, offset: cursor.offset, line: cursor.line)
    }

    /// The next event, or nil at the end of the document.
    public func next() throws -> Event? {
        if let name = pendingEnd {
            pendingEnd = nil
            return try close(name)
        }
        while true {
            guard let b = try cursor.peek() else {
                if let open = stack.last { throw fail(.unclosed, "<\(open)> is never closed") }
                return nil
            }
            if b != UInt8(ascii: "<") {
                var raw: [UInt8] = []
                guard try cursor.take(while: { $0 != UInt8(ascii: "<") }, into: &raw, limit: limits.maxTokenBytes) else {
                    throw fail(.tokenLimit, "text longer than \(limits.maxTokenBytes) bytes")
                }
                if stack.isEmpty {
                    guard raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) || raw.starts(with: [0xEF, 0xBB, 0xBF])
                    else {
                        throw fail(.syntax, "text outside the root element")
                    }
                    continue
                }
                return .text(try decodeReferences(String(decoding: raw, as: UTF8.self)))
            }
            if try cursor.hasPrefix(Array("<!--".utf8)) {
                try skip(until: "-->")
                continue
            }
            if try cursor.hasPrefix(Array("<![CDATA[".utf8)) {
                try cursor.skip(9)
                let text = try read(until: "]]>")
                guard !stack.isEmpty else { throw fail(.syntax, "CDATA outside the root element") }
                return .text(text)
            }
            if try cursor.hasPrefix(Array("<!DOCTYPE".utf8)) {
                try readDoctype()
                continue
            }
            if try cursor.hasPrefix(Array("<?".utf8)) {
                try skip(until: "?>")
                continue
            }
            _ = try cursor.next()
            let isEnd = try cursor.peek() == UInt8(ascii: "/")
            if isEnd { _ = try cursor.next() }
            var raw: [UInt8] = []
            var quote: UInt8?
            guard
                try cursor.take(
                    while: { b in
                        if let q = quote { if b == q { quote = nil }; return true }
                        if b == 0x22 || b == 0x27 { quote = b; return true }
                        return b != UInt8(ascii: ">")
                    }, into: &raw, limit: limits.maxTokenBytes)
            else { throw fail(.tokenLimit, "a tag longer than \(limits.maxTokenBytes) bytes") }
            guard try cursor.next() == UInt8(ascii: ">") else { throw fail(.syntax, "unterminated tag") }
            if isEnd {
                let name = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: " ")
                return try close(name)
            }
            var selfClosing = false
            if raw.last == UInt8(ascii: "/") {
                selfClosing = true
                raw.removeLast()
            }
            let (name, attributes) = try parseStartTag(raw)
            if stack.isEmpty && sawRoot { throw fail(.syntax, "a second root element <\(name)>") }
            if stack.count >= limits.maxDepth { throw fail(.depthLimit, "elements nested deeper than \(limits.maxDepth)") }
            sawRoot = true
            stack.append(name)
            if selfClosing { pendingEnd = name }
            return .startElement(name: name, attributes: attributes)
        }
    }

    private func close(_ name: String) throws -> Event {
        guard let open = stack.last else { throw fail(.syntax, "</\(name)> without an open element") }
        guard open == name else { throw fail(.mismatchedTag, "</\(name)> closes <\(open)>") }
        stack.removeLast()
        return .endElement(name: name)
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        b >= 0x80 || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x5F || b == 0x3A
            || b == 0x2D || b == 0x2E
    }

    private func parseStartTag(_ raw: [UInt8]) throws -> (String, [String: String]) {
        var i = 0
        while i < raw.count, Self.isNameByte(raw[i]) { i += 1 }
        guard i > 0 else { throw fail(.syntax, "a tag without a name") }
        let name = String(decoding: raw[..<i], as: UTF8.self)
        var attributes: [String: String] = [:]
        func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while true {
            while i < raw.count, ws(raw[i]) { i += 1 }
            if i >= raw.count { break }
            let start = i
            while i < raw.count, Self.isNameByte(raw[i]) { i += 1 }
            guard i > start else { throw fail(.syntax, "bad attribute in <\(name)>") }
            let attr = String(decoding: raw[start..<i], as: UTF8.self)
            while i < raw.count, ws(raw[i]) { i += 1 }
            guard i < raw.count, raw[i] == UInt8(ascii: "=") else { throw fail(.syntax, "attribute \(attr) without a value") }
            i += 1
            while i < raw.count, ws(raw[i]) { i += 1 }
            guard i < raw.count, raw[i] == 0x22 || raw[i] == 0x27 else { throw fail(.syntax, "attribute \(attr) value not quoted") }
            let q = raw[i]
            i += 1
            let vs = i
            while i < raw.count, raw[i] != q { i += 1 }
            guard i < raw.count else { throw fail(.syntax, "unterminated attribute value") }
            guard attributes[attr] == nil else { throw fail(.syntax, "attribute \(attr) repeated") }
            attributes[attr] = try decodeReferences(String(decoding: raw[vs..<i], as: UTF8.self))
            i += 1
        }
        return (name, attributes)
    }

    private func read(until end: String) throws -> String {
        let marker = Array(end.utf8)
        var out: [UInt8] = []
        while true {
            if try cursor.hasPrefix(marker) {
                try cursor.skip(marker.count)
                return String(decoding: out, as: UTF8.self)
            }
            guard let b = try cursor.next() else { throw fail(.syntax, "missing \(end)") }
            out.append(b)
            if out.count > limits.maxTokenBytes { throw fail(.tokenLimit, "a section longer than \(limits.maxTokenBytes) bytes") }
        }
    }

    private func skip(until end: String) throws {
        let marker = Array(end.utf8)
        var n = 0
        while true {
            if try cursor.hasPrefix(marker) {
                try cursor.skip(marker.count)
                return
            }
            guard try cursor.next() != nil else { throw fail(.syntax, "missing \(end)") }
            n += 1
            if n > limits.maxTokenBytes { throw fail(.tokenLimit, "a section longer than \(limits.maxTokenBytes) bytes") }
        }
    }

    /// `<!DOCTYPE name [ ... ]>`: records internal and external general entity declarations.
    private func readDoctype() throws {
        try cursor.skip(9)
        var head: [UInt8] = []
        guard try cursor.take(while: { $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: ">") }, into: &head, limit: 4096) else {
            throw fail(.tokenLimit, "DOCTYPE too long")
        }
        if try cursor.next() == UInt8(ascii: ">") { return }
        let subset = try read(until: "]")
        var tail: [UInt8] = []
        _ = try cursor.take(while: { $0 != UInt8(ascii: ">") }, into: &tail, limit: 4096)
        _ = try cursor.next()
        try parseInternalSubset(subset)
    }

    private func parseInternalSubset(_ subset: String) throws {
        var rest = Substring(subset)
        while let start = rest.range(of: "<!ENTITY") {
            rest = rest[start.upperBound...]
            guard let end = Self.declarationEnd(rest) else { throw fail(.syntax, "unterminated <!ENTITY") }
            let body = rest[..<end].trimmingCharacters(in: " ")
            rest = rest[rest.index(after: end)...]
            let words = body.split(whereSeparator: \.isLayoutSpace)
            guard let first = words.first else { continue }
            if first == "%" { continue }  // parameter entity: never expanded
            let name = String(first)
            guard internalEntities.count + externalEntities.count < limits.maxEntities else {
                throw fail(.expansionLimit, "more than \(limits.maxEntities) entity declarations")
            }
            if words.count > 1, words[1] == "SYSTEM" || words[1] == "PUBLIC" {
                externalEntities.insert(name)
                continue
            }
            guard let q = body.dropFirst(name.count).first(where: { $0 == "\"" || $0 == "'" }),
                let open = body.firstIndex(of: q), let close = body[body.index(after: open)...].firstIndex(of: q)
            else { throw fail(.syntax, "entity \(name) without a quoted value") }
            if internalEntities[name] == nil { internalEntities[name] = String(body[body.index(after: open)..<close]) }
        }
    }

    /// The `>` ending a declaration, skipping quoted parts.
    static func declarationEnd(_ s: Substring) -> String.Index? {
        var quote: Character?
        for i in s.indices {
            let c = s[i]
            if let q = quote { if c == q { quote = nil }; continue }
            if c == "\"" || c == "'" { quote = c; continue }
            if c == ">" { return i }
        }
        return nil
    }

    /// Expands character and entity references.
    private func decodeReferences(_ s: String, nesting: Int = 0, seen: [String] = []) throws -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(256).firstIndex(of: ";") else { throw fail(.syntax, "`&` without `;`") }
            let name = String(after[..<semi])
            rest = after[after.index(after: semi)...]
            switch name {
            case "lt": out += "<"
            case "gt": out += ">"
            case "amp": out += "&"
            case "apos": out += "'"
            case "quot": out += "\""
            default:
                if name.hasPrefix("#") {
                    let digits = name.dropFirst()
                    let v = digits.first == "x" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                    guard let v, v != 0, let scalar = Unicode.Scalar(v) else { throw fail(.syntax, "bad character reference &\(name);") }
                    out.unicodeScalars.append(scalar)
                } else if externalEntities.contains(name) {
                    throw fail(.externalEntity, "external entity &\(name); is never resolved")
                } else if let value = internalEntities[name] {
                    if seen.contains(name) { throw fail(.recursiveEntity, "entity &\(name); refers to itself") }
                    if nesting >= limits.maxEntityNesting {
                        throw fail(.expansionLimit, "entities nested deeper than \(limits.maxEntityNesting)")
                    }
                    let expansion = try decodeReferences(value, nesting: nesting + 1, seen: seen + [name])
                    expanded += expansion.utf8.count
                    if expanded > limits.maxExpansionBytes {
                        throw fail(.expansionLimit, "entity expansion over \(limits.maxExpansionBytes) bytes")
                    }
                    out += expansion
                } else {
                    throw fail(.undefinedEntity, "undefined entity &\(name);")
                }
            }
        }
        out += rest
        return out
    }
}
