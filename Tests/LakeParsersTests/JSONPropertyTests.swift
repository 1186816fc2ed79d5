import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

/// Property: canonical JSON of a random value parses back to a value whose canonical JSON is
/// the same bytes, and the reader returns exactly the generated structure when keys are unique
/// and already NFC. Exhaustive small cases come first, then seeded random ones.
@Suite struct JSONPropertyTests {
    static let scalars: [JSONValue] = [
        .null, .bool(true), .bool(false), .number("0"), .number("-0.0"), .number("1E+400"), .number("123456789012345678901234567890"),
        .string(""), .string("\u{0}\u{1F}\"\\/\u{7F}"), .string("é😀\u{2028}"), .string("e\u{301}"),
    ]

    static func randomValue(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 4 ? 4 : 7), using: &rng)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2:
            let intPart = String(Int64.random(in: -1_000_000...1_000_000, using: &rng))
            let frac = Bool.random(using: &rng) ? "." + String(Int.random(in: 0...999, using: &rng)) : ""
            let exp = Bool.random(using: &rng) ? "e" + String(Int.random(in: -30...30, using: &rng)) : ""
            return .number(intPart + frac + exp)
        case 3: return .string(rng.string(from: ["a", "Z", " ", "\"", "\\", "\n", "\u{0}", "é", "😀", "ß", "\u{301}", "/"], maxLength: 6))
        case 4, 5:
            return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var seen = Set<[UInt8]>()
            var members: [JSONMember] = []
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let key = CanonicalJSON.nfc(rng.string(from: ["k", "K", "é", "1", "_", "😀"], maxLength: 4))
                if seen.insert(Array(key.utf8)).inserted { members.append(JSONMember(key, randomValue(&rng, depth: depth + 1))) }
            }
            return .object(members)
        }
    }

    static func canonicalized(_ v: JSONValue) -> JSONValue {
        switch v {
        case .string(let s): return .string(CanonicalJSON.nfc(s))
        case .array(let a): return .array(a.map(canonicalized))
        case .object(let m):
            return .object(
                m.map { JSONMember($0.key, canonicalized($0.value)) }.sorted {
                    Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8))
                })
        default: return v
        }
    }

    func check(_ value: JSONValue, _ label: String) throws {
        let canonical = CanonicalJSON.encode(value)
        let back = try JSONReader.parse(canonical, limits: JSONLimits(maxDepth: 64))
        #expect(CanonicalJSON.encode(back) == canonical, "\(label)")
    }

    @Test func exhaustiveSmallValues() throws {
        for a in Self.scalars {
            try check(a, "scalar")
            for b in Self.scalars {
                try check(.array([a, b]), "pair")
                try check(.object([JSONMember("a", a), JSONMember("b", b)]), "object")
            }
        }
    }

    @Test func randomValuesRoundTrip() throws {
        for seed in SeededRandom.seeds(count: 500) {
            var rng = SeededRandom(seed: seed)
            let value = Self.randomValue(&rng, depth: 0)
            try check(value, "seed \(seed)")
            // With unique NFC keys, the reader gives back the structure itself: members sorted
            // by key bytes and strings NFC-normalized, nothing else changed.
            let back = try JSONReader.parse(CanonicalJSON.encode(value), limits: JSONLimits(maxDepth: 64))
            #expect(back == Self.canonicalized(value), "seed \(seed)")
        }
    }
}
