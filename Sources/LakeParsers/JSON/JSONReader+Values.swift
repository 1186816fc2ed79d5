import LakeCore

// MARK: - Values

extension JSONReader {
    /// Reads one complete value (a scalar, or a container with everything inside it).
    /// Pass `first` when its first token was already taken with `next()`.
    /// Builds iteratively, so depth is bounded only by `limits.maxDepth`.
    public func readValue(first: JSONToken? = nil) throws -> JSONValue {
        enum Frame {
            case array([JSONValue])
            case object([JSONMember], pendingKey: String?)
        }
        var frames: [Frame] = []
        // A container's first byte was taken with its token: the value started one byte back.
        let start = first == .beginArray || first == .beginObject ? offset - 1 : offset
        var deepest = 0
        defer { lastValue = (deepest, offset - start) }
        var token = try first ?? next()
        while true {
            var completed: JSONValue?
            if offset - start > limits.maxValueBytes { throw JSONError(.valueLimit(limits.maxValueBytes), offset: offset, line: line) }
            switch token {
            case .beginArray:
                frames.append(.array([]))
                deepest = max(deepest, frames.count)
            case .beginObject:
                frames.append(.object([], pendingKey: nil))
                deepest = max(deepest, frames.count)
            case .key(let k):
                guard case .object(let m, _) = frames.removeLast() else { preconditionFailure("key outside object") }
                frames.append(.object(m, pendingKey: k))
            case .endArray:
                guard case .array(let items) = frames.removeLast() else { preconditionFailure("unbalanced") }
                completed = .array(items)
            case .endObject:
                guard case .object(let m, _) = frames.removeLast() else { preconditionFailure("unbalanced") }
                completed = .object(m)
            case .string(let s): completed = .string(s)
            case .number(let n): completed = .number(n)
            case .bool(let b): completed = .bool(b)
            case .null: completed = .null
            case .end: throw JSONError(.unexpectedEnd, offset: offset, line: line)
            }
            if let value = completed {
                guard let top = frames.popLast() else { return value }
                switch top {
                case .array(var items):
                    items.append(value)
                    frames.append(.array(items))
                case .object(var members, let key):
                    members.append(JSONMember(key ?? "", value))
                    frames.append(.object(members, pendingKey: nil))
                }
            }
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
