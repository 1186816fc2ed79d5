@testable import LakeCore
import Testing

/// Small objects with ASCII keys are written without `sortedMembers` (`writeSmallASCIIKeyed`):
/// against a writer that always sorts through `sortedMembers`, on random nested objects with
/// repeated keys, keys that need escapes, keys that differ only past a common prefix, and
/// non-ASCII keys, of up to 40 members (past the small-object limit).
@Suite struct CanonicalJSONObjectTests {
    static let keys = [
        "a", "b", "A", "ab", "a b", "a\"b", "a\\b", "line\nbreak", "\u{1}", "", "zz", "z", "id", "id_str", "Id", "é", "\u{FF21}",
        "\u{1F600}", "e\u{301}",
    ]

    static func value(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        switch random.next() % (depth > 2 ? 3 : 5) {
        case 0: return .string(keys[Int(random.next() % UInt64(keys.count))])
        case 1: return .number(String(random.next() % 1000))
        case 2: return .null
        case 3: return .array((0..<Int(random.next() % 4)).map { _ in value(&random, depth: depth + 1) })
        default:
            // Most objects ASCII-keyed; one in four may draw any key.
            let ascii = random.next() % 4 != 0
            let pool = ascii ? keys.filter { $0.utf8.allSatisfy { $0 < 0x80 } } : keys
            return .object(
                (0..<Int(random.next() % 41)).map { _ in
                    JSONMember(pool[Int(random.next() % UInt64(pool.count))], value(&random, depth: depth + 1))
                })
        }
    }

    /// The canonical bytes with every object's members from `sortedMembers`.
    static func sorting(_ v: JSONValue, into out: inout [UInt8]) {
        guard case .object(let members) = v else {
            if case .array(let items) = v {
                out.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    sorting(item, into: &out)
                }
                out.append(UInt8(ascii: "]"))
            } else {
                CanonicalJSON.write(v, into: &out)
            }
            return
        }
        out.append(UInt8(ascii: "{"))
        for (i, m) in CanonicalJSON.sortedMembers(members).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeEscaped(m.key, into: &out)
            out.append(UInt8(ascii: ":"))
            sorting(m.value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    @Test func smallASCIIKeyedObjectsWriteAsSorted() {
        var random = SplitMix64(seed: 0x0B1E)
        var small = 0
        for n in 0..<5_000 {
            let v = Self.value(&random, depth: 0)
            if case .object(let m) = v, m.count <= CanonicalJSON.smallObject, m.allSatisfy({ $0.key.utf8.allSatisfy { $0 < 0x80 } }) {
                small += 1
            }
            var expected: [UInt8] = []
            Self.sorting(v, into: &expected)
            #expect(CanonicalJSON.encode(v) == expected, "value \(n)")
        }
        #expect(small > 500)
    }
}
