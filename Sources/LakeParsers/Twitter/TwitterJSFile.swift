import LakeCore

/// A Twitter/X archive data file: `window.YTD.<name>.part<N> = <JSON>` or
/// `window.__THAR_CONFIG = <JSON>` (data/manifest.js), read as a stream.
///
/// ```swift
/// let file = try TwitterJSFile(source: chunks)
/// file.header.globalName   // "tweets"
/// try file.forEachElement { element in ... }  // each item of the top-level array
/// ```
public final class TwitterJSFile {
    /// What the assignment before the JSON says.
    public struct Header: Equatable, Sendable {
        /// `tweets` in `window.YTD.tweets.part0`, or `__THAR_CONFIG` for the manifest.
        public var globalName: String
        /// The part number, or nil for the manifest.
        public var part: Int?
        /// Bytes taken by the assignment, up to and including `=`.
        public var length: Int

        public init(globalName: String, part: Int?, length: Int) {
            self.globalName = globalName
            self.part = part
            self.length = length
        }
    }

    /// The longest assignment accepted before the JSON starts.
    public static let maxHeaderBytes = 512

    public let header: Header
    public let reader: JSONReader

    /// Reads the assignment from `source` and prepares a JSON reader for the rest.
    /// - Throws: `LakeError` with rule `twitter.wrapper` when the assignment is missing or malformed.
    public init(source: @escaping JSONReader.ChunkSource, limits: JSONLimits = JSONLimits()) throws {
        var head: [UInt8] = []
        var equals: Int?
        while equals == nil {
            if let i = head.firstIndex(of: UInt8(ascii: "=")) {
                equals = i
                break
            }
            if head.count > Self.maxHeaderBytes { break }
            guard let chunk = try source() else { break }
            head += chunk
        }
        guard let eq = equals, eq <= Self.maxHeaderBytes else {
            throw LakeError(
                .twitterWrapper, scope: .entry, location: "byte 0",
                message: "no `window.YTD.<name>.part<N> =` assignment in the first \(Self.maxHeaderBytes) bytes")
        }
        let parsed = try Self.parseAssignment(Array(head[..<eq]))
        // The JSON reader skips the whitespace after `=` itself, so the header's length does
        // not depend on how the input was cut into chunks.
        let start = eq + 1
        let lines = head[..<start].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        header = Header(globalName: parsed.name, part: parsed.part, length: start)
        var leftover: [UInt8]? = Array(head[start...])
        reader = JSONReader(
            source: {
                if let l = leftover {
                    leftover = nil
                    return l
                }
                return try source()
            }, limits: limits, options: .init(allowTrailingSemicolon: true), startOffset: Int64(start), startLine: lines)
    }

    static func parseAssignment(_ bytes: [UInt8]) throws -> (name: String, part: Int?) {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        text = text.trimmingASCIIWhitespace()
        let bad = LakeError(
            .twitterWrapper, scope: .entry, location: "byte 0",
            message: "the assignment before the JSON is not `window.YTD.<name>.part<N>` or `window.__THAR_CONFIG`")
        if text == "window.__THAR_CONFIG" { return ("__THAR_CONFIG", nil) }
        let prefix = "window.YTD."
        guard text.hasPrefix(prefix) else { throw bad }
        let rest = text.dropFirst(prefix.count)
        guard let dot = rest.lastIndex(of: ".") else { throw bad }
        let name = rest[..<dot]
        let partText = rest[rest.index(after: dot)...]
        guard !name.isEmpty,
            name.utf8.allSatisfy({ $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }),
            partText.hasPrefix("part"), let part = Int(partText.dropFirst(4)), part >= 0,
            partText.dropFirst(4).utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else { throw bad }
        return (String(name), part)
    }

    /// Calls `body` with each element of the top-level array, in order, then checks that
    /// nothing but whitespace (or one `;`) follows. Memory holds one element at a time.
    /// - Throws: `JSONError` for malformed JSON; `LakeError` (`twitter.wrapper`) when the value is not an array.
    public func forEachElement(_ body: (Int, JSONValue) throws -> Void) throws {
        try forEachElement(rejected: { _, e in throw e }, body)
    }

    /// As `forEachElement(_:)`, with an element past a per-record safety limit handed to
    /// `rejected` (skipped; the elements after it are read as usual).
    public func forEachElement(rejected: (Int, JSONError) throws -> Void, _ body: (Int, JSONValue) throws -> Void) throws {
        try elements(raw: false, rejected: rejected) { i, e in
            if case .value(let v) = e { try body(i, v) }
        }
    }

    /// An element of the file's array: its bytes, checked by the reader's tape under its
    /// limits, with that tape (`JSONReader.nextElementBytes`), or its value where it did not lie
    /// whole in one block.
    public enum Element: Sendable {
        case raw(CheckedJSON)
        case value(JSONValue)
    }

    /// As `forEachElement(rejected:_:)`, with elements handed on as their checked bytes where
    /// they can be, for a worker to read into a `JSONTape`.
    public func forEachRawElement(rejected: (Int, JSONError) throws -> Void, _ body: (Int, Element) throws -> Void) throws {
        try elements(raw: true, rejected: rejected, body)
    }

    private func elements(raw: Bool, rejected: (Int, JSONError) throws -> Void, _ body: (Int, Element) throws -> Void) throws {
        let first = try reader.next()
        guard first == .beginArray else {
            throw LakeError(
                .twitterWrapper, scope: .entry, location: "byte \(header.length)",
                message: "expected a JSON array after the assignment")
        }
        var index = 0
        while true {
            if raw, let bytes = try reader.nextElementBytes() {
                try body(index, .raw(bytes))
                index += 1
                continue
            }
            let token = try reader.next()
            if token == .endArray { break }
            switch try reader.readElement(first: token) {
            case .success(let value): try body(index, .value(value))
            case .failure(let problem): try rejected(index, problem)
            }
            index += 1
        }
        let end = try reader.next()
        precondition(end == .end, "reader returns .end or throws after the top-level value")
    }

    /// Reads the whole value after the assignment (for data/manifest.js and small files).
    public func readWholeValue() throws -> JSONValue {
        let value = try reader.readValue()
        _ = try reader.next()
        return value
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        var lo = 0
        var hi = bytes.count
        func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while lo < hi, ws(bytes[lo]) { lo += 1 }
        while hi > lo, ws(bytes[hi - 1]) { hi -= 1 }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}
