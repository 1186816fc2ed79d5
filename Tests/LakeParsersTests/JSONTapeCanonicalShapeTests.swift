import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

/// A writer keeps each set of keys' layout for the next object with the same keys
/// (`JSONTapeCanonical.Shape`). One writer used for thousands of objects, under three rules,
/// with and without extra members, writes byte for byte what a new writer writes for each, and
/// the canonical JSON of the value: keys that share their length and first and last eight
/// bytes, keys equal after NFC, keys of 200 bytes, more sets of keys than the table holds.
@Suite struct JSONTapeCanonicalShapeTests {
    /// Keys that collide where they can: equal in length, first and last eight bytes (the
    /// table's hash), equal after NFC, equal after lowercasing, empty.
    static let keys = [
        "a", "b", "B", "Ab", "ab", "é", "e\u{301}", "aaaaaaaaXaaaaaaaa", "aaaaaaaaYaaaaaaaa", String(repeating: "k", count: 200), "",
    ]

    static func value(_ rng: inout SeededRandom, depth: Int, wide: Bool) -> JSONValue {
        switch Int.random(in: 0..<(depth > 2 ? 4 : 7), using: &rng) {
        case 0: return .null
        case 1: return .string(["", "x", " y "].randomElement(using: &rng)!)
        case 2: return .number(["0", "-2.5"].randomElement(using: &rng)!)
        case 3: return .bool(true)
        case 4: return .array((0..<Int.random(in: 0...2, using: &rng)).map { _ in value(&rng, depth: depth + 1, wide: wide) })
        default:
            return .object(
                (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    // Now and then a key of its own: more sets of keys than the table's 512 slots.
                    let key =
                        wide && Bool.random(using: &rng) ? "k\(Int.random(in: 0..<3000, using: &rng))" : keys.randomElement(using: &rng)!
                    return JSONMember(key, value(&rng, depth: depth + 1, wide: wide))
                })
        }
    }

    /// Keys lowercased (ASCII), recursively: what the `lower` rule makes of them.
    static func lowercased(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let members): return .object(members.map { JSONMember($0.key.lowercased(), lowercased($0.value)) })
        case .array(let elements): return .array(elements.map(lowercased))
        default: return v
        }
    }

    static let lower: JSONTapeCanonical.Rules = {
        var rules = JSONTapeCanonical.Rules()
        rules.key = { bytes, out in
            let lowered = bytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
            lowered.withUnsafeBufferPointer { CanonicalJSON.appendNFC($0, to: &out) }
            return true
        }
        return rules
    }()

    static let strictLower: JSONTapeCanonical.Rules = {
        var rules = lower
        rules.prune = true
        rules.giveUpOnDuplicateKeys = true
        return rules
    }()

    static func write(
        _ writer: inout JSONTapeCanonical, _ tape: JSONTape, _ rules: JSONTapeCanonical.Rules, _ extra: [(key: [UInt8], value: [UInt8])]
    ) -> [UInt8]? {
        var out: [UInt8] = []
        return writer.write(tape, rules: rules, extra: extra, into: &out) ? out : nil
    }

    @Test func aWriterKeptFromObjectToObjectWritesWhatANewOneWrites() throws {
        var rng = SeededRandom(seed: 0x5A9E)
        var kept = JSONTapeCanonical()
        var (compared, gaveUp) = (0, 0)
        for n in 0..<6000 {
            let v = JSONValue.object(
                (0..<Int.random(in: 1...5, using: &rng)).map { _ in
                    JSONMember(Self.keys.randomElement(using: &rng)!, Self.value(&rng, depth: 1, wide: n % 3 == 0))
                })
            let tape = try JSONTape(bytes: JSONTapeTests.layouts(v)[n % 4])
            let rules = [JSONTapeCanonical.Rules.plain, Self.lower, Self.strictLower][n % 3]
            let extra: [(key: [UInt8], value: [UInt8])] =
                n % 5 == 0 ? [(Array((n % 10 == 0 ? "a" : "zz").utf8), Array("7".utf8))] : []
            var fresh = JSONTapeCanonical()
            let expected = Self.write(&fresh, tape, rules, extra)
            let got = Self.write(&kept, tape, rules, extra)
            #expect(got == expected, "value \(n), rules \(n % 3): \(CanonicalJSON.string(v))")
            if expected == nil { gaveUp += 1 }
            // The canonical JSON, where no rule gives up (plain and lowercase keep the last of equal keys).
            if n % 3 != 2 {
                // The value in the tape's order (a layout may sort the members).
                var oracle = n % 3 == 0 ? tape.value() : Self.lowercased(tape.value())
                var givesUp = false
                if let e = extra.first, case .object(let members) = oracle {
                    // An extra member of a key the object has: the writer leaves it to the general path.
                    givesUp = members.contains { Array($0.key.utf8) == e.key }
                    oracle = oracle.adding(String(decoding: e.key, as: UTF8.self), .number("7"))
                }
                #expect(givesUp == (got == nil), "value \(n)")
                if !givesUp {
                    #expect(got == CanonicalJSON.encode(oracle), "value \(n), rules \(n % 3): \(CanonicalJSON.string(v))")
                    compared += 1
                }
            }
        }
        #expect(compared > 3000)
        #expect(gaveUp > 100, "the strict rules give up on equal keys")
    }

    /// The same keys under rules that differ share no layout, even when one rules value is a
    /// changed copy of the other.
    @Test func rulesChangedOnACopyKeepTheirOwnLayouts() throws {
        let tape = try JSONTape(bytes: Array(#"{"B":1,"a":2,"b":"","A":null}"#.utf8))
        var writer = JSONTapeCanonical()
        var pruning = JSONTapeCanonical.Rules.plain
        pruning.prune = true
        var strict = Self.lower
        strict.giveUpOnDuplicateKeys = true
        // Equal keys: pruning gives up on them where the plain rules keep the last.
        let twice = try JSONTape(bytes: Array(#"{"a":1,"a":2}"#.utf8))
        for _ in 0..<3 {
            #expect(Self.write(&writer, twice, .plain, []) == Array(#"{"a":2}"#.utf8))
            #expect(Self.write(&writer, twice, pruning, []) == nil)
            #expect(Self.write(&writer, tape, .plain, []) == Array(#"{"A":null,"B":1,"a":2,"b":""}"#.utf8))
            #expect(Self.write(&writer, tape, pruning, []) == Array(#"{"B":1,"a":2}"#.utf8))
            #expect(Self.write(&writer, tape, Self.lower, []) == Array(#"{"a":null,"b":""}"#.utf8))
            #expect(Self.write(&writer, tape, strict, []) == nil)
        }
    }
}
