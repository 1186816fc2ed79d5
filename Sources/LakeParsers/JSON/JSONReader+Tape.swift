import LakeCore

// MARK: - Elements through the tape

extension JSONReader {
    /// The next element of the array being read, parsed through `JSONTape` when it lies whole
    /// in the current chunk and the tape accepts it; nil otherwise, with the reader just where
    /// `next()` reads the element (or the array's end) the usual way. Either way the reader
    /// ends in the same state, with the same `offset`, `line` and `lastValue`.
    ///
    /// Call it where `next()` would give an array's element or its end.
    public func nextElementFast() throws -> JSONValue? {
        guard
            try nextElementOnTape({ (tape, bytes, range, limits) throws(JSONError) in
                try tape.parse(bytes, range: range, limits: limits)
            }) != nil
        else { return nil }
        return tape.value(at: 0, using: &builder)
    }

    /// `nextElementFast` without building the value: the element's bytes, checked by the tape
    /// under the same limits, with the tape made of them for a worker to load (`JSONTape.load`);
    /// nil where `nextElementFast` gives nil.
    public func nextElementBytes() throws -> CheckedJSON? {
        var checked: CheckedJSON?
        guard
            try nextElementOnTape({ (tape, bytes, range, limits) throws(JSONError) in
                checked = try tape.checked(bytes, range: range, limits: limits)
            }) != nil
        else { return nil }
        return checked
    }

    /// The element on the tape (`parse` puts it there) and the reader past it, or nil with the
    /// reader unmoved.
    private func nextElementOnTape(
        _ parse: (inout JSONTape, [UInt8], Range<Int>, JSONLimits) throws(JSONError) -> Void
    ) throws -> Range<Int>? {
        guard options.elementsThroughTape, let top = stack.last, !top else { return nil }
        switch expect {
        case .commaOrEndArray:
            try skipWhitespace()
            guard position < buffer.count, buffer[position] == UInt8(ascii: ",") else { return nil }
            position += 1
            expect = .value
        case .valueOrEndArray, .value:
            break
        default:
            return nil
        }
        try skipWhitespace()
        let start = position
        guard start < buffer.count, buffer[start] != UInt8(ascii: "]") else { return nil }
        guard let end = buffer.withUnsafeBufferPointer({ JSONElementSpans.end(of: $0, from: start) }) else { return nil }
        // The element's own depth limit: the reader counts the arrays it is inside.
        var elementLimits = limits
        elementLimits.maxDepth = limits.maxDepth - stack.count
        do {
            try parse(&tape, buffer, start..<end, elementLimits)
        } catch {
            return nil
        }
        // Newlines only occur between tokens (a raw one in a string is an error): the parse
        // counted them.
        line += tape.storage.newlines
        position = end
        // As `readValue` counts: a scalar element's bytes are 0 (it starts after its token).
        lastValue = (tape.depth, tape.depth == 0 ? 0 : Int64(end - start))
        afterValue()
        return start..<end
    }
}
