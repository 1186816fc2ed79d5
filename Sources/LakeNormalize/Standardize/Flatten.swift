import LakeCore

/// Flattening of nested JSON objects into one level of dotted keys (docs/SPEC.md 5.3), the
/// seed's `flattening: {max_depth: 10, array_handling: preserve_order, null_handling: omit_empty}`.
///
/// ```swift
/// Flatten.flatten(#"{"a": {"b": 1, "c": null}, "d": [{"e": {"f": 2}}]}"#)
/// // {"a.b": 1, "d": [{"e.f": 2}]}
/// Flatten.unflatten(that)   // {"a": {"b": 1}, "d": [{"e": {"f": 2}}]}
/// ```
public enum Flatten {
    /// The version recorded in lineage (`normalize.flatten`); bump it whenever a rule changes.
    public static let version = "1"
    public static let defaultMaxDepth = 10

    /// Rules, in order:
    /// - A member whose value is an object is replaced by that object's members, their keys
    ///   prefixed with the member's key and `.`; recursively, in source order.
    /// - Arrays stay arrays, elements in order; an object element is flattened on its own (its
    ///   keys do not carry the array's key); an array element is handled the same way.
    /// - Empty values are omitted: `null`, `""`, and arrays and objects that are empty once
    ///   their own empty values are gone. Inside an array, elements are never dropped (their
    ///   positions mean something); an element that empties becomes `null`.
    /// - Depth: the value itself is at depth 1, a container inside it at 2, and so on. An
    ///   object or array that would be at depth `maxDepth + 1` is kept as its canonical JSON text
    ///   (a string), after the empty values inside it are omitted.
    /// - Keys are not changed: run `SnakeCase.convertKeys` first (snake_case keys hold no `.`,
    ///   so `unflatten` is the exact inverse).
    /// A top-level value that is not an object is returned pruned and depth-capped, not flattened.
    public static func flatten(_ value: JSONValue, maxDepth: Int = defaultMaxDepth) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [JSONMember] = []
            flattenMembers(members, prefix: "", depth: 1, maxDepth: maxDepth, into: &out)
            return .object(out)
        default:
            return shape(value, depth: 1, maxDepth: maxDepth) ?? .null
        }
    }

    private static func flattenMembers(_ members: [JSONMember], prefix: String, depth: Int, maxDepth: Int, into out: inout [JSONMember]) {
        for m in members {
            let key = prefix.isEmpty ? m.key : prefix + "." + m.key
            if case .object(let inner) = m.value, depth + 1 <= maxDepth {
                flattenMembers(inner, prefix: key, depth: depth + 1, maxDepth: maxDepth, into: &out)
            } else if let v = shape(m.value, depth: depth + 1, maxDepth: maxDepth) {
                out.append(JSONMember(key, v))
            }
        }
    }

    /// A member value or array element at `depth`: nil when empty.
    private static func shape(_ value: JSONValue, depth: Int, maxDepth: Int) -> JSONValue? {
        switch value {
        case .null: return nil
        case .string(let s): return s.isEmpty ? nil : value
        case .bool, .number: return value
        case .object, .array:
            if depth > maxDepth {
                return prune(value).map { .string(CanonicalJSON.string($0)) }
            }
            if case .array(let items) = value {
                if items.isEmpty { return nil }
                let shaped = items.map { shape($0, depth: depth + 1, maxDepth: maxDepth) ?? .null }
                return shaped.allSatisfy({ $0 == .null }) ? nil : .array(shaped)
            }
            guard case .object(let members) = value else { return nil }
            var out: [JSONMember] = []
            flattenMembers(members, prefix: "", depth: depth, maxDepth: maxDepth, into: &out)
            return out.isEmpty ? nil : .object(out)
        }
    }

    /// `value` without its empty values (same rules as `flatten`, nothing flattened).
    public static func prune(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null: return nil
        case .string(let s): return s.isEmpty ? nil : value
        case .bool, .number: return value
        case .array(let items):
            let kept = items.map { prune($0) ?? .null }
            return kept.isEmpty || kept.allSatisfy({ $0 == .null }) ? nil : .array(kept)
        case .object(let members):
            let kept = members.compactMap { m in prune(m.value).map { JSONMember(m.key, $0) } }
            return kept.isEmpty ? nil : .object(kept)
        }
    }

    /// The inverse of `flatten` for keys without `.` of their own: dotted keys become nested
    /// objects (members in order of first appearance), object elements of arrays are
    /// unflattened in turn. Depth-capped subtrees stay the strings they were.
    public static func unflatten(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(unflatten))
        case .object(let members):
            let root = Node()
            for m in members {
                // Split on the scalar `.`, not on characters: a `.` followed by a combining mark is
                // one character, and the flattened key `a.\u{34D}` must still split (a fuzz finding).
                let path = m.key.unicodeScalars.split(separator: ".", omittingEmptySubsequences: false).map {
                    String(scalars: $0)
                }
                root.insert(path[...], unflatten(m.value))
            }
            return root.value
        default: return value
        }
    }

    /// A tree being built by `unflatten`.
    private final class Node {
        var order: [String] = []
        var children: [String: Node] = [:]
        var leaf: JSONValue?

        func insert(_ path: ArraySlice<String>, _ v: JSONValue) {
            guard let first = path.first else {
                leaf = v
                return
            }
            let child: Node
            if let c = children[first] {
                child = c
            } else {
                child = Node()
                children[first] = child
                order.append(first)
            }
            child.insert(path.dropFirst(), v)
        }

        var value: JSONValue {
            if let leaf, children.isEmpty { return leaf }
            return .object(order.map { JSONMember($0, children[$0]!.value) })
        }
    }
}
