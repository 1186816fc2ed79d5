import LakeCore

/// Limits every JSON read is held to. Defaults come from the thresholds table.
public struct JSONLimits: Sendable, Equatable {
    /// Deepest nesting of arrays and objects; a top-level array is depth 1.
    public var maxDepth: Int
    /// Longest string, in decoded UTF-8 bytes.
    public var maxStringBytes: Int
    /// Longest number, in characters.
    public var maxNumberLength: Int
    /// Largest document, in bytes.
    public var maxDocumentBytes: Int64
    /// Largest single value built with `readValue` (one record of a streamed file, or a whole
    /// document read at once), in bytes of input.
    public var maxValueBytes: Int64

    public init(
        maxDepth: Int = 256, maxStringBytes: Int = 16 << 20, maxNumberLength: Int = 1024,
        maxDocumentBytes: Int64 = 100 << 20, maxValueBytes: Int64 = 64 << 20
    ) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxNumberLength = maxNumberLength
        self.maxDocumentBytes = maxDocumentBytes
        self.maxValueBytes = maxValueBytes
    }

    /// For canonical lines the pipeline wrote itself (stored records, exports, kit files): depth
    /// 256, documents up to 1 GiB.
    public static let canonicalLines = JSONLimits(maxDepth: 256, maxDocumentBytes: 1 << 30)

    /// The safety limits of the thresholds table (they refuse input): depth and size are
    /// per value, so a streamed file of any size up to the single-file limit is read.
    public init(_ t: Thresholds) {
        self.init(
            maxDepth: t.maxJSONDepth, maxStringBytes: t.maxJSONStringBytes, maxDocumentBytes: t.maxFileBytes,
            maxValueBytes: t.maxJSONBytes)
    }
}

/// One event of the pull parser.
public enum JSONToken: Equatable, Sendable {
    case beginObject, endObject, beginArray, endArray
    case key(String)
    case string(String)
    /// The number as spelled.
    case number(String)
    case bool(Bool)
    case null
    /// The document is complete and nothing but whitespace followed it.
    case end
}

/// A streaming pull parser for RFC 8259 JSON over bytes, with bounded memory.
///
/// Bytes come from a chunk source, one chunk at a time; the reader keeps only the current
/// chunk, the stack of open containers and the token being read. Numbers keep their exact
/// spelling; strings are checked as UTF-8 (overlongs, surrogates and code points past
/// U+10FFFF are errors, as are lone `\u` surrogates); the whole input must be one value.
///
/// ```swift
/// let r = JSONReader(bytes: Array(#"[1, {"a": "b"}]"#.utf8))
/// while true { let t = try r.next(); if t == .end { break } }
/// ```
/// - Throws: `JSONError` naming the rule, byte offset and line.
public final class JSONReader {
    /// Produces the next chunk of input, or nil at the end. Empty chunks are skipped.
    public typealias ChunkSource = () throws -> [UInt8]?

    public struct Options: Sendable, Equatable {
        /// Accept one `;` (and whitespace) after the value, as in Twitter's `.js` files.
        public var allowTrailingSemicolon = false
        /// Read array elements through `JSONTape` where it can (`nextElementFast`); the same
        /// values, errors and positions either way. Off only to compare the two.
        public var elementsThroughTape = true
        public init(allowTrailingSemicolon: Bool = false, elementsThroughTape: Bool = true) {
            self.allowTrailingSemicolon = allowTrailingSemicolon
            self.elementsThroughTape = elementsThroughTape
        }
    }

    enum Expect { case value, valueOrEndArray, commaOrEndArray, keyOrEndObject, key, commaOrEndObject, end, done }

    public let limits: JSONLimits
    public let options: Options
    private let source: ChunkSource?
    var buffer: [UInt8]
    var position = 0
    /// Offset of `buffer[0]` in the document.
    private var bufferBase: Int64
    private var atEOF: Bool
    var stack: [Bool] = []  // true = object
    var expect: Expect = .value
    /// Reused by `nextElementFast` for every element it parses.
    var tape = JSONTape()
    var builder = JSONValueBuilder()
    var scratch: [UInt8] = []
    public internal(set) var line = 1
    /// The nesting depth (a scalar is 0, `[]` is 1) and the bytes of the last value
    /// `readValue` built: what the design's per-record thresholds are judged on.
    public internal(set) var lastValue: (depth: Int, bytes: Int64) = (0, 0)

    /// A reader pulling chunks from `source`. `startOffset` is the offset of the first byte
    /// in the enclosing file (for error positions) and counts toward the size limit.
    public init(
        source: @escaping ChunkSource, limits: JSONLimits = JSONLimits(), options: Options = Options(),
        startOffset: Int64 = 0, startLine: Int = 1
    ) {
        self.source = source
        self.limits = limits
        self.options = options
        self.buffer = []
        self.bufferBase = startOffset
        self.atEOF = false
        self.line = startLine
    }

    /// A reader over a whole buffer.
    public init(bytes: [UInt8], limits: JSONLimits = JSONLimits(), options: Options = Options()) {
        self.source = nil
        self.limits = limits
        self.options = options
        self.buffer = bytes
        self.bufferBase = 0
        self.atEOF = true
    }

    /// Offset of the next unread byte.
    public var offset: Int64 { bufferBase + Int64(position) }

    /// Current nesting depth.
    public var depth: Int { stack.count }

    // MARK: - Bytes

    func fail(_ kind: JSONError.Kind, at offset: Int64? = nil) -> JSONError {
        JSONError(kind, offset: offset ?? self.offset, line: line)
    }

    /// Makes `buffer[position]` valid if any input is left; false at the end.
    @inline(__always)
    func ensure() throws -> Bool {
        if position < buffer.count { return true }
        return try refill()
    }

    private func refill() throws -> Bool {
        while position >= buffer.count {
            if atEOF { return false }
            guard let source, let chunk = try source() else {
                atEOF = true
                return false
            }
            bufferBase += Int64(buffer.count)
            buffer = chunk
            position = 0
            if bufferBase + Int64(buffer.count) > limits.maxDocumentBytes {
                let over = limits.maxDocumentBytes - bufferBase
                position = Int(max(0, over))
                throw fail(.documentLimit(limits.maxDocumentBytes))
            }
        }
        return true
    }

    @inline(__always)
    func nextByte() throws -> UInt8 {
        guard try ensure() else { throw fail(.unexpectedEnd) }
        let b = buffer[position]
        position += 1
        return b
    }

    func skipWhitespace() throws {
        while try ensure() {
            let b = buffer[position]
            switch b {
            case 0x20, 0x09, 0x0D: position += 1
            case 0x0A:
                position += 1
                line += 1
            default: return
            }
        }
    }

    // MARK: - Tokens

    /// The next token. After `.end` every call returns `.end`.
    public func next() throws -> JSONToken {
        if expect == .done { return .end }
        if bufferBase == 0 && position == 0 && buffer.count > limits.maxDocumentBytes && source == nil {
            throw fail(.documentLimit(limits.maxDocumentBytes), at: limits.maxDocumentBytes)
        }
        try skipWhitespace()
        switch expect {
        case .done:
            return .end
        case .end:
            if options.allowTrailingSemicolon, try ensure(), buffer[position] == UInt8(ascii: ";") {
                position += 1
                try skipWhitespace()
            }
            if try ensure() { throw fail(.trailingContent) }
            expect = .done
            return .end
        case .value:
            return try readValueToken()
        case .valueOrEndArray:
            guard try ensure() else { throw fail(.unexpectedEnd) }
            if buffer[position] == UInt8(ascii: "]") {
                position += 1
                return closeContainer(.endArray)
            }
            return try readValueToken()
        case .commaOrEndArray:
            let b = try nextByte()
            if b == UInt8(ascii: ",") {
                try skipWhitespace()
                return try readValueToken()
            }
            if b == UInt8(ascii: "]") { return closeContainer(.endArray) }
            throw fail(.unexpectedByte(b), at: offset - 1)
        case .keyOrEndObject:
            let b = try nextByte()
            if b == UInt8(ascii: "}") { return closeContainer(.endObject) }
            if b == UInt8(ascii: "\"") { return try readKey() }
            throw fail(.unexpectedByte(b), at: offset - 1)
        case .key:
            let b = try nextByte()
            if b == UInt8(ascii: "\"") { return try readKey() }
            throw fail(.unexpectedByte(b), at: offset - 1)
        case .commaOrEndObject:
            let b = try nextByte()
            if b == UInt8(ascii: ",") {
                expect = .key
                try skipWhitespace()
                let q = try nextByte()
                if q == UInt8(ascii: "\"") { return try readKey() }
                throw fail(.unexpectedByte(q), at: offset - 1)
            }
            if b == UInt8(ascii: "}") { return closeContainer(.endObject) }
            throw fail(.unexpectedByte(b), at: offset - 1)
        }
    }

    private func closeContainer(_ token: JSONToken) -> JSONToken {
        stack.removeLast()
        afterValue()
        return token
    }

    func afterValue() {
        if let top = stack.last {
            expect = top ? .commaOrEndObject : .commaOrEndArray
        } else {
            expect = .end
        }
    }

    private func readKey() throws -> JSONToken {
        let key = try readString()
        try skipWhitespace()
        let b = try nextByte()
        guard b == UInt8(ascii: ":") else { throw fail(.unexpectedByte(b), at: offset - 1) }
        expect = .value
        return .key(key)
    }

    private func readValueToken() throws -> JSONToken {
        guard try ensure() else { throw fail(.unexpectedEnd) }
        let b = buffer[position]
        switch b {
        case UInt8(ascii: "{"):
            try push(object: true)
            expect = .keyOrEndObject
            return .beginObject
        case UInt8(ascii: "["):
            try push(object: false)
            expect = .valueOrEndArray
            return .beginArray
        case UInt8(ascii: "\""):
            position += 1
            let s = try readString()
            afterValue()
            return .string(s)
        case UInt8(ascii: "t"):
            try literal("true")
            afterValue()
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            afterValue()
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            afterValue()
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let n = try readNumber()
            afterValue()
            return .number(n)
        default:
            throw fail(.unexpectedByte(b))
        }
    }

    private func push(object: Bool) throws {
        if stack.count >= limits.maxDepth { throw fail(.depthLimit(limits.maxDepth)) }
        position += 1
        stack.append(object)
    }

    private func literal(_ word: StaticString) throws {
        let start = offset
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in bytes {
            guard try ensure() else { throw fail(.unexpectedEnd) }
            if buffer[position] != expected { throw fail(.invalidLiteral, at: start) }
            position += 1
        }
    }
}
