import LakeCore

// MARK: - One bad element costs one element

extension JSONReader {
    /// Reads one element of a stream of records (the value after `first`, which `next()` gave).
    /// An element past a per-record safety limit (nesting deeper than `limits.maxDepth`, more
    /// than `limits.maxValueBytes`) is skipped to its end and returned as the failure, so the
    /// elements after it are read as usual; any other error is thrown (the file is broken).
    public func readElement(first: JSONToken) throws -> Result<JSONValue, JSONError> {
        // The element's container, if it is one, is already open.
        let level = depth - (first == .beginArray || first == .beginObject ? 1 : 0)
        do {
            return .success(try readValue(first: first))
        } catch let e as JSONError {
            switch e.kind {
            case .depthLimit, .valueLimit:
                try skipRest(toDepth: level, failure: e)
                return .failure(e)
            default: throw e
            }
        }
    }

    /// Skips to the end of the containers opened deeper than `target`, counting brackets
    /// outside strings (no nesting is kept, so any depth is skipped in constant memory), then
    /// continues as after a value. Called at a token boundary, which is where both limits throw.
    func skipRest(toDepth target: Int, failure: JSONError) throws {
        var open = stack.count - target
        var inString = false
        var escaped = false
        while open > 0 || inString {
            guard try ensure() else { throw JSONError(.unexpectedEnd, offset: offset, line: line) }
            let b = buffer[position]
            position += 1
            if b == 0x0A { line += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"): open += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"): open -= 1
            default: break
            }
        }
        stack.removeLast(stack.count - target)
        afterValue()
    }
}
