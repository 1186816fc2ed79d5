import LakeCore

/// One JSON value parsed into a flat tape of tokens, in the style of simdjson's tape: no
/// value tree, no allocation per string or number. Strings without escapes and numbers are
/// spans of the input; a string with escapes is decoded once into a side buffer. Containers
/// know where they end and how many children they hold, so a reader can skip or pre-size.
///
/// It accepts exactly what `JSONReader.parse` accepts, under the same limits (RFC 8259, UTF-8
/// checked, lone surrogates refused). On any error it asks `JSONReader` to parse the same bytes
/// again, so the error (rule, byte offset, line) is the reader's, to the byte.
///
/// ```swift
/// let tape = try JSONTape(bytes: Array(#"{"a":[1,"x"]}"#.utf8))
/// tape.value()  // .object([JSONMember("a", .array([.number("1"), .string("x")]))])
/// ```
public struct JSONTape: Sendable {
    public enum Kind: UInt8, Sendable {
        case null = 1, `false`, `true`, number, string, key, arrayStart, arrayEnd, objectStart, objectEnd
    }

    /// The input the spans point into.
    public internal(set) var input: [UInt8] = []
    /// The tokens and the parser's working storage, reused by each `parse`.
    @usableFromInline var storage = JSONTapeParser()
    /// Deepest nesting (a scalar is 0, `[]` is 1).
    public var depth: Int { storage.deepest }

    /// Two words per token: kind << 56 | a, then b. Strings, keys and numbers: a = start, b =
    /// length | escaped << 63 (escaped: the span is in `decoded`). Starts: a = the token after
    /// the matching end, b = children (elements, or members). Ends: a = the matching start.
    @inlinable var words: [UInt64] { storage.words }

    /// Number of tokens.
    public var count: Int { storage.words.count / 2 }

    /// An empty tape, to be filled by `parse` again and again (its storage is kept).
    public init() {}

    /// Parses `bytes`: exactly one value and whitespace around it.
    /// - Throws: `JSONError`, the same `JSONReader.parse` throws for these bytes and limits.
    public init(bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(JSONError) {
        try parse(bytes, limits: limits)
    }

    /// Parses `bytes[range]` (all of `bytes` by default), keeping this tape's storage; spans
    /// point into `bytes` (shared, not copied). A refusal's offset counts from `range`'s start.
    public mutating func parse(_ bytes: [UInt8], range: Range<Int>? = nil, limits: JSONLimits = JSONLimits()) throws(JSONError) {
        let range = range ?? 0..<bytes.count
        let ok = bytes.withUnsafeBufferPointer {
            storage.parse(UnsafeBufferPointer(rebasing: $0[range]), base: range.lowerBound, limits: limits)
        }
        guard ok else {
            input = []
            throw Self.exactError(Array(bytes[range]), limits: limits, at: storage.failure)
        }
        input = bytes
    }

    /// The reader's error for bytes the tape refused. Should the reader accept them (a bug:
    /// the `json` fuzz target compares the two), the refusal stands, at the tape's offset.
    static func exactError(_ bytes: [UInt8], limits: JSONLimits, at offset: Int) -> JSONError {
        do {
            _ = try JSONReader.parseWithReader(bytes, limits: limits)
        } catch let e as JSONError {
            return e
        } catch {}
        let b = offset < bytes.count ? bytes[offset] : 0
        return JSONError(.unexpectedByte(b), offset: Int64(offset), line: 0)
    }

    // MARK: - Tokens

    @inlinable public func kind(_ i: Int) -> Kind { Kind(rawValue: UInt8(truncatingIfNeeded: words[2 * i] >> 56))! }

    @inlinable func a(_ i: Int) -> Int { Int(truncatingIfNeeded: words[2 * i] & 0x00FF_FFFF_FFFF_FFFF) }

    /// The token after the value starting at `i` (the next sibling).
    @inlinable public func after(_ i: Int) -> Int {
        switch kind(i) {
        case .arrayStart, .objectStart: return a(i)
        default: return i + 1
        }
    }

    /// Children of the container starting at `i`: elements of an array, members of an object.
    @inlinable public func childCount(_ i: Int) -> Int { Int(truncatingIfNeeded: words[2 * i + 1]) }

    /// The UTF-8 bytes of the string, key or number at `i`, decoded.
    @inlinable public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let b = words[2 * i + 1]
        let start = a(i), length = Int(truncatingIfNeeded: b & 0x7FFF_FFFF_FFFF_FFFF)
        if b >> 63 == 1 {
            return try storage.decoded.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<start + length])) }
        }
        return try input.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<start + length])) }
    }

    /// The string, key or number at `i` as a Swift string (the bytes are valid UTF-8).
    public func string(_ i: Int) -> String { withBytes(i) { String(decoding: $0, as: UTF8.self) } }

    // MARK: - Values

    /// The value starting at token `first` (the whole document by default) as a `JSONValue`.
    /// Built with a stack of open containers, not recursion, so any depth the limits allow fits.
    public func value(at first: Int = 0) -> JSONValue {
        var builder = JSONValueBuilder()
        return value(at: first, using: &builder)
    }

    /// `value(at:)` with a builder whose stack storage is kept from one call to the next.
    func value(at first: Int, using builder: inout JSONValueBuilder) -> JSONValue {
        var i = first
        while true {
            let done: JSONValue?
            switch kind(i) {
            case .null: done = builder.add(.null)
            case .false: done = builder.add(.bool(false))
            case .true: done = builder.add(.bool(true))
            case .number: done = builder.add(.number(string(i)))
            case .string: done = builder.add(.string(string(i)))
            case .key:
                builder.key(string(i))
                done = nil
            case .arrayStart:
                builder.beginArray(capacity: childCount(i))
                done = nil
            case .objectStart:
                builder.beginObject(capacity: childCount(i))
                done = nil
            case .arrayEnd, .objectEnd: done = builder.end()
            }
            if let done { return done }
            i += 1
        }
    }
}
