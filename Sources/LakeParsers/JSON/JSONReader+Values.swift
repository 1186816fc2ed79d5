import LakeCore

// MARK: - Values

extension JSONReader {
    /// Reads one complete value (a scalar, or a container with everything inside it).
    /// Pass `first` when its first token was already taken with `next()`.
    /// Builds iteratively, so depth is bounded only by `limits.maxDepth`.
    public func readValue(first: JSONToken? = nil) throws -> JSONValue {
        var builder = JSONValueBuilder()
        // A container's first byte was taken with its token: the value started one byte back.
        let start = first == .beginArray || first == .beginObject ? offset - 1 : offset
        var deepest = 0
        defer { lastValue = (deepest, offset - start) }
        var token = try first ?? next()
        while true {
            if offset - start > limits.maxValueBytes { throw JSONError(.valueLimit(limits.maxValueBytes), offset: offset, line: line) }
            let done: JSONValue?
            switch token {
            case .beginArray, .beginObject:
                if token == .beginArray { builder.beginArray() } else { builder.beginObject() }
                deepest = max(deepest, builder.depth)
                done = nil
            case .key(let k):
                builder.key(k)
                done = nil
            case .endArray, .endObject: done = builder.end()
            case .string(let s): done = builder.add(.string(s))
            case .number(let n): done = builder.add(.number(n))
            case .bool(let b): done = builder.add(.bool(b))
            case .null: done = builder.add(.null)
            case .end: throw JSONError(.unexpectedEnd, offset: offset, line: line)
            }
            if let done { return done }
            token = try next()
        }
    }

    /// Parses a whole document: exactly one value, then only whitespace. Documents up to
    /// `tapeBytes` go through `JSONTape` (the same values and errors, several times faster);
    /// larger ones through the reader, whose memory does not grow with a tape.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws -> JSONValue {
        if bytes.count <= tapeBytes { return try JSONTape(bytes: bytes, limits: limits).value() }
        return try parseWithReader(bytes, limits: limits)
    }

    /// The largest document `parse` reads through a tape.
    static let tapeBytes = 16 << 20

    /// `parse` by the reader alone: the reference the tape is tested against.
    public static func parseWithReader(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws -> JSONValue {
        let reader = JSONReader(bytes: bytes, limits: limits)
        let value = try reader.readValue()
        guard try reader.next() == .end else { throw JSONError(.trailingContent, offset: reader.offset, line: reader.line) }
        return value
    }
}
