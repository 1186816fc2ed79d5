import Foundation
import LakeCore

/// RFC 5545 / RFC 6350 content lines, shared by iCalendar and vCard:
/// `NAME *(;PARAM=value[,value]) : VALUE`, after unfolding (a line break followed by one
/// space or tab is removed, with that whitespace character).
public struct ContentLine: Equatable, Sendable {
    /// Upper-cased property name (group prefixes such as `item1.` are dropped).
    public var name: String
    /// Upper-cased parameter names to their values (quotes removed; comma lists kept as one
    /// string; a repeated parameter's values joined with commas).
    public var parameters: [String: String]
    public var value: String

    public func parameter(_ name: String) -> String? { parameters[name.uppercased()] }

    /// Parses one unfolded line; nil when it has no colon outside quotes.
    public static func parse(_ line: String) -> ContentLine? {
        if let parsed = parseASCIIHead(line) { return parsed }
        return parseCharacters(line)
    }

    /// `parse` from the line's bytes, when everything before its first colon outside quotes is
    /// ASCII and what follows that colon is ASCII or a scalar below U+0300 (none of which joins
    /// the colon into one character): there each byte of the head is a whole `Character`, so
    /// the result is `parseCharacters`'s, with no Foundation search and no `String` per step
    /// (the general path was a tenth of a calendar ingest's samples). `.none` when it does not
    /// apply; `.some(nil)` for an ASCII line with no such colon.
    static func parseASCIIHead(_ line: String) -> ContentLine?? {
        var line = line
        return line.withUTF8 { bytes -> ContentLine?? in
            var inQuotes = false
            var colon: Int?
            for (i, b) in bytes.enumerated() {
                if b >= 0x80 { return .none }
                if b == 0x22 { inQuotes.toggle() }
                if b == 0x3A && !inQuotes {
                    colon = i
                    break
                }
            }
            guard let colon else { return .some(nil) }
            // A scalar below U+0300 after the colon (UTF-8 lead bytes up to 0xCB) joins no
            // character before it; U+0300 on may be a combining mark.
            if colon + 1 < bytes.count && bytes[colon + 1] >= 0xCC { return .none }
            let value = String(decoding: bytes[(colon + 1)...], as: UTF8.self)
            // The head's pieces between semicolons outside quotes, quotes removed.
            var pieces: [[UInt8]] = [[]]
            inQuotes = false
            for b in bytes[..<colon] {
                if b == 0x22 {
                    inQuotes.toggle()
                } else if b == 0x3B && !inQuotes {
                    pieces.append([])
                } else {
                    pieces[pieces.count - 1].append(b)
                }
            }
            func upper(_ s: ArraySlice<UInt8>) -> String { ASCIICase.uppercasedASCII(s) }
            var name = pieces[0][...]
            if let dot = name.lastIndex(of: 0x2E) { name = name[(dot + 1)...] }
            guard !name.isEmpty else { return .some(nil) }
            var parameters: [String: String] = [:]
            for p in pieces.dropFirst() {
                if let eq = p.firstIndex(of: 0x3D) {
                    let key = upper(p[..<eq])
                    let value = String(decoding: p[(eq + 1)...], as: UTF8.self)
                    parameters[key] = parameters[key].map { $0 + "," + value } ?? value
                } else {
                    let type = String(decoding: p, as: UTF8.self)
                    parameters["TYPE"] = parameters["TYPE"].map { $0 + "," + type } ?? type
                }
            }
            return .some(ContentLine(name: upper(name), parameters: parameters, value: value))
        }
    }

    /// `parse` by `Character`s, for any line.
    static func parseCharacters(_ line: String) -> ContentLine? {
        var inQuotes = false
        var colon: String.Index?
        for i in line.indices {
            let c = line[i]
            if c == "\"" { inQuotes.toggle() }
            if c == ":" && !inQuotes {
                colon = i
                break
            }
        }
        guard let colon else { return nil }
        let head = line[..<colon]
        let value = String(line[line.index(after: colon)...])
        let pieces = splitOutsideQuotes(head, separator: ";").map { $0.replacingOccurrences(of: "\"", with: "") }
        var name = pieces[0].uppercased()
        if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
        guard !name.isEmpty else { return nil }
        var parameters: [String: String] = [:]
        for p in pieces.dropFirst() {
            if let eq = p.firstIndex(of: "=") {
                // A repeated parameter (`TYPE=INTERNET;TYPE=HOME`) joins its values with commas.
                let key = p[..<eq].uppercased()
                let value = String(p[p.index(after: eq)...])
                parameters[key] = parameters[key].map { $0 + "," + value } ?? value
            } else {
                // vCard 2.1 bare types: `TEL;HOME;VOICE:` means TYPE=HOME,VOICE.
                parameters["TYPE"] = parameters["TYPE"].map { $0 + "," + p } ?? p
            }
        }
        return ContentLine(name: name, parameters: parameters, value: value)
    }

    /// Unescapes a TEXT value: `\n`/`\N` newline, `\,` `\;` `\\`.
    public static func unescapeText(_ s: String) -> String {
        // A byte search: Foundation's `contains` was a fiftieth of a contacts ingest. A text with
        // no backslash byte has nothing to unescape.
        guard ByteSearch.contains(UInt8(ascii: "\\"), in: s) else { return s }
        var out = ""
        var escaping = false
        for c in s {
            if escaping {
                switch c {
                case "n", "N": out.append("\n")
                default: out.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        if escaping { out.append("\\") }
        return out
    }
}

/// Reads unfolded content lines from a stream, bounded per line.
public final class ContentLineReader {
    public struct LimitError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var limit: Int
        public var rule: String { "content_line.too_long" }
        public var description: String { "\(rule): an unfolded line longer than \(limit) bytes (line \(line))" }
    }

    private let cursor: ChunkCursor
    /// Bytes consumed so far.
    public var offset: Int64 { cursor.offset }
    public let maxLineBytes: Int
    private var raw: [UInt8] = []
    /// 1-based physical line where the last returned logical line started.
    public private(set) var lineNumber = 0

    public init(source: @escaping ChunkCursor.ChunkSource, maxLineBytes: Int = 1 << 20) {
        cursor = ChunkCursor(source: source)
        self.maxLineBytes = maxLineBytes
    }

    public init(bytes: [UInt8], maxLineBytes: Int = 1 << 20) {
        cursor = ChunkCursor(bytes: bytes)
        self.maxLineBytes = maxLineBytes
    }

    /// Whether an empty line was skipped just before the line `next()` returned last.
    public private(set) var afterBlankLine = false

    /// The next logical (unfolded) line, without its line break; nil at the end. Empty lines are skipped.
    /// A UTF-8 BOM at the start is skipped.
    public func next() throws -> String? {
        if cursor.offset == 0, try cursor.hasPrefix([0xEF, 0xBB, 0xBF]) { try cursor.skip(3) }
        afterBlankLine = false
        while true {
            raw.removeAll(keepingCapacity: true)
            lineNumber = cursor.line
            guard try cursor.peek() != nil else { return nil }
            while true {
                guard try cursor.take(while: { $0 != 0x0A && $0 != 0x0D }, into: &raw, limit: maxLineBytes) else {
                    throw LimitError(line: lineNumber, limit: maxLineBytes)
                }
                // Line break: CRLF, LF or CR; a run of CRs before the LF (iPhone vCards end lines
                // with CR CR LF) is one break too.
                guard let b = try cursor.next() else { break }
                if b == 0x0D {
                    while try cursor.peek() == 0x0D { _ = try cursor.next() }
                    if try cursor.peek() == 0x0A { _ = try cursor.next() }
                }
                // Folded continuation?
                if let c = try cursor.peek(), c == 0x20 || c == 0x09 {
                    _ = try cursor.next()
                    continue
                }
                break
            }
            if raw.isEmpty {
                afterBlankLine = true
                continue
            }
            return String(decoding: raw, as: UTF8.self)
        }
    }
}
