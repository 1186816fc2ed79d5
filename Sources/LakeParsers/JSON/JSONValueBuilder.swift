import LakeCore

/// Assembles a `JSONValue` from its parts in document order, with a stack of open containers
/// instead of recursion, so any depth the limits allow fits. Used by `JSONReader.readValue`
/// (tokens) and `JSONTape.value` (tape entries).
///
/// ```swift
/// var b = JSONValueBuilder()
/// b.beginObject(); b.key("a"); _ = b.add(.number("1"))
/// b.end()  // .object([JSONMember("a", .number("1"))])
/// ```
struct JSONValueBuilder {
    private enum Frame {
        case array([JSONValue])
        case object([JSONMember], key: String)
    }
    private var frames: [Frame] = []

    /// Open containers.
    var depth: Int { frames.count }

    mutating func beginArray(capacity: Int = 0) {
        var items: [JSONValue] = []
        // Reserving nothing would still allocate: an empty array stays unallocated.
        if capacity > 0 { items.reserveCapacity(capacity) }
        frames.append(.array(items))
    }

    mutating func beginObject(capacity: Int = 0) {
        var members: [JSONMember] = []
        if capacity > 0 { members.reserveCapacity(capacity) }
        frames.append(.object(members, key: ""))
    }

    /// The key of the innermost object's next member.
    mutating func key(_ key: String) {
        guard case .object(let members, _) = frames.popLast() else { preconditionFailure("a key outside an object") }
        frames.append(.object(members, key: key))
    }

    /// Ends the innermost container; returns the whole value when that was the outermost.
    mutating func end() -> JSONValue? {
        switch frames.popLast() {
        case .array(let items)?: return add(.array(items))
        case .object(let members, _)?: return add(.object(members))
        case nil: preconditionFailure("unbalanced containers")
        }
    }

    /// Adds a complete value to the innermost container; returns it when none is open.
    mutating func add(_ value: JSONValue) -> JSONValue? {
        switch frames.popLast() {
        case nil: return value
        case .array(var items)?:
            items.append(value)
            frames.append(.array(items))
        case .object(var members, let key)?:
            members.append(JSONMember(key, value))
            frames.append(.object(members, key: ""))
        }
        return nil
    }
}
