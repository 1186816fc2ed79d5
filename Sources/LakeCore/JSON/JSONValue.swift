/// A JSON value as the pipeline holds it: numbers keep their source spelling, objects keep
/// their members in source order (duplicates included) until canonical output decides.
///
/// ```swift
/// let v: JSONValue = .object([.init("id", .string("1")), .init("n", .number("1.50"))])
/// v["n"]  // .number("1.50")
/// ```
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// The number exactly as spelled in the source (already checked against the JSON grammar).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])
}

/// One `"key": value` pair of an object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue: Equatable {
    /// Structural equality that compares strings by their Unicode scalars, not by canonical
    /// equivalence (Swift's `String ==` treats "é" and "e\u{301}" as equal; the lake does not).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return SameBytes.same(a, b)
        case (.string(let a), .string(let b)): return SameBytes.same(a, b)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where !(SameBytes.same(x.key, y.key) && x.value == y.value) {
                return false
            }
            return true
        default: return false
        }
    }
}

extension JSONValue {
    /// The value of the last member named `key` (last wins, as in canonical output), or nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        // By bytes (`SameBytes`: the lengths, then `memcmp`), not through the views' iterators.
        return members.last(where: { SameBytes.same($0.key, key) })?.value
    }

    /// The string payload, or nil for any other kind of value.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The array payload, or nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object members, or nil.
    public var objectMembers: [JSONMember]? {
        if case .object(let m) = self { return m }
        return nil
    }

    /// An object with one more member at the end (a non-object is returned unchanged).
    public func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(let m) = self else { return self }
        return .object(m + [JSONMember(key, value)])
    }

    /// The object with `key`'s value replaced (or added at the end when it has none).
    public func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var m) = self else { return self }
        guard let i = m.firstIndex(where: { $0.key == key }) else { return .object(m + [JSONMember(key, value)]) }
        m[i].value = value
        return .object(m)
    }
}
