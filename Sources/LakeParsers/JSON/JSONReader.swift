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

    public init(maxDepth: Int = 256, maxStringBytes: Int = 16 << 20, maxNumberLength: Int = 1024,
                maxDocumentBytes: Int64 = 100 << 20, maxValueBytes: Int64 = 64 << 20) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxNumberLength = maxNumberLength
        self.maxDocumentBytes = maxDocumentBytes
        self.maxValueBytes = maxValueBytes
    }

    /// The safety limits of the thresholds table (they refuse input): depth and size are
    /// per value, so a streamed file of any size up to the single-file limit is read.
    public init(_ t: Thresholds) {
        self.init(maxDepth: t.maxJSONDepth, maxStringBytes: t.maxJSONStringBytes, maxDocumentBytes: t.maxFileBytes,
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
        public init(allowTrailingSemicolon: Bool = false) { self.allowTrailingSemicolon = allowTrailingSemicolon }
    }

    private enum Expect { case value, valueOrEndArray, commaOrEndArray, keyOrEndObject, key, commaOrEndObject, end, done }

    public let limits: JSONLimits
    public let options: Options
    private let source: ChunkSource?
    var buffer: [UInt8]
    var position = 0
    /// Offset of `buffer[0]` in the document.
    private var bufferBase: Int64
    private var atEOF: Bool
    var stack: [Bool] = []  // true = object
    private var expect: Expect = .value
    private var scratch: [UInt8] = []
    public internal(set) var line = 1
    /// The nesting depth (a scalar is 0, `[]` is 1) and the bytes of the last value
    /// `readValue` built: what the design's per-record thresholds are judged on.
    public internal(set) var lastValue: (depth: Int, bytes: Int64) = (0, 0)

    /// A reader pulling chunks from `source`. `startOffset` is the offset of the first byte
    /// in the enclosing file (for error positions) and counts toward the size limit.
    public init(source: @escaping ChunkSource, limits: JSONLimits = JSONLimits(), options: Options = Options(),
                startOffset: Int64 = 0, startLine: Int = 1) {
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

    private func fail(_ kind: JSONError.Kind, at offset: Int64? = nil) -> JSONError {
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
    private func nextByte() throws -> UInt8 {
        guard try ensure() else { throw fail(.unexpectedEnd) }
        let b = buffer[position]
        position += 1
        return b
    }

    private func skipWhitespace() throws {
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

    // MARK: - Numbers

    private func readNumber() throws -> String {
        let start = offset
        scratch.removeAll(keepingCapacity: true)
        func take() throws -> UInt8? {
            guard try ensure() else { return nil }
            let b = buffer[position]
            return b
        }
        func append(_ b: UInt8) throws {
            scratch.append(b)
            position += 1
            if scratch.count > limits.maxNumberLength { throw fail(.numberLimit(limits.maxNumberLength), at: start) }
        }
        func isDigit(_ b: UInt8?) -> Bool { b.map { (0x30...0x39).contains($0) } ?? false }
        func digits() throws -> Int {
            var n = 0
            while isDigit(try take()) {
                try append(buffer[position])
                n += 1
            }
            return n
        }
        if try take() == UInt8(ascii: "-") { try append(UInt8(ascii: "-")) }
        guard let first = try take(), isDigit(first) else { throw fail(.invalidNumber, at: start) }
        if first == UInt8(ascii: "0") {
            try append(first)
        } else {
            _ = try digits()
        }
        if try take() == UInt8(ascii: ".") {
            try append(UInt8(ascii: "."))
            if try digits() == 0 { throw fail(.invalidNumber, at: start) }
        }
        if let e = try take(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            try append(e)
            if let sign = try take(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { try append(sign) }
            if try digits() == 0 { throw fail(.invalidNumber, at: start) }
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    // MARK: - Strings

    /// Reads a string body; the opening quote is already consumed.
    private func readString() throws -> String {
        scratch.removeAll(keepingCapacity: true)
        let limit = limits.maxStringBytes
        while true {
            guard try ensure() else { throw fail(.unexpectedEnd) }
            // Fast path: plain ASCII run inside the current chunk.
            var i = position
            let end = buffer.count
            while i < end {
                let b = buffer[i]
                if b < 0x20 || b >= 0x80 || b == 0x22 || b == 0x5C { break }
                i += 1
            }
            if i > position {
                scratch.append(contentsOf: buffer[position..<i])
                position = i
                if scratch.count > limit { throw fail(.stringLimit(limit)) }
                continue
            }
            let b = buffer[position]
            if b == 0x22 {
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if b == 0x5C {
                position += 1
                try readEscape()
            } else if b < 0x20 {
                throw fail(.controlCharacterInString)
            } else {
                try readUTF8Sequence()
            }
            if scratch.count > limit { throw fail(.stringLimit(limit)) }
        }
    }

    private func readUTF8Sequence() throws {
        let start = offset
        let lead = try nextByte()
        guard let (count, lower, upper) = UTF8Sequence.shape(lead: lead) else { throw fail(.invalidUTF8, at: start) }
        scratch.append(lead)
        for k in 0..<count {
            guard try ensure() else { throw fail(.unexpectedEnd) }
            let c = buffer[position]
            let lo: UInt8 = k == 0 ? lower : 0x80
            let hi: UInt8 = k == 0 ? upper : 0xBF
            guard c >= lo && c <= hi else { throw fail(.invalidUTF8, at: start) }
            scratch.append(c)
            position += 1
        }
    }

    private func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = try nextByte()
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw fail(.invalidEscape, at: offset - 1)
            }
            v = v << 4 | d
        }
        return v
    }

    private func readEscape() throws {
        let start = offset - 1
        let b = try nextByte()
        switch b {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var code = try hex4()
            if (0xDC00...0xDFFF).contains(code) { throw fail(.loneSurrogate, at: start) }
            if (0xD800...0xDBFF).contains(code) {
                guard try nextByte() == UInt8(ascii: "\\"), try nextByte() == UInt8(ascii: "u") else {
                    throw fail(.loneSurrogate, at: start)
                }
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail(.loneSurrogate, at: start) }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            appendScalar(code)
        default:
            throw fail(.invalidEscape, at: start)
        }
    }

    private func appendScalar(_ v: UInt32) {
        switch v {
        case 0..<0x80:
            scratch.append(UInt8(v))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (v >> 6)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (v >> 12)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (v >> 18)))
            scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
