import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

/// `JSONTapeCanonical` writes the bytes `CanonicalJSON.encode` writes for the tape's value: on
/// every document of the JSONTestSuite the reader accepts, on random values (duplicate keys,
/// keys and strings that NFC changes), with extra members, and it leaves `out` alone when it
/// gives up.
@Suite struct JSONTapeCanonicalTests {
    static func written(_ tape: JSONTape, rules: JSONTapeCanonical.Rules = .plain) -> [UInt8]? {
        var writer = JSONTapeCanonical()
        var out: [UInt8] = Array("kept".utf8)
        guard writer.write(tape, rules: rules, into: &out) else {
            #expect(out == Array("kept".utf8), "a writer that gives up leaves the buffer as it was")
            return nil
        }
        #expect(out.starts(with: "kept".utf8))
        return Array(out.dropFirst(4))
    }

    @Test func writesCanonicalJSONForTheWholeTestSuite() throws {
        var checked = 0
        for folder in ["test_parsing", "test_transform"] {
            let path = TestPaths.conformance + "/JSONTestSuite/" + folder
            for name in TestPaths.listFiles(path) {
                guard let tape = try? JSONTape(bytes: TestPaths.read(path + "/" + name)) else { continue }
                #expect(Self.written(tape) == CanonicalJSON.encode(tape.value()), "\(name)")
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    /// Random values with duplicate keys and text NFC changes (`e` + U+0301, Hangul jamo).
    static func randomValue(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 4 ? 4 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(["0", "-1.50", "1e9", "12345678901234567890", "2.0E-3"].randomElement(using: &rng)!)
        case 3:
            return .string(
                rng.string(from: ["a", " ", "\"", "\\", "\n", "\u{1}", "e", "\u{301}", "\u{1100}", "\u{1161}", "😀"], maxLength: 6))
        case 4, 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            return .object(
                (0..<Int.random(in: 0...5, using: &rng)).map { _ in
                    JSONMember(rng.string(from: ["k", "K", "e", "\u{301}", "é", "_"], maxLength: 3), randomValue(&rng, depth: depth + 1))
                })
        }
    }

    @Test func writesCanonicalJSONForRandomValues() throws {
        var rng = SeededRandom(seed: 0xCA70)
        for n in 0..<2000 {
            let v = Self.randomValue(&rng, depth: 0)
            let tape = try JSONTape(bytes: JSONTapeTests.layouts(v)[n % 4])
            #expect(Self.written(tape) == CanonicalJSON.encode(v), "value \(n): \(CanonicalJSON.string(v))")
            var writer = JSONTapeCanonical()
            var scratch: [UInt8] = []
            #expect(tape.contentHash(writer: &writer, scratch: &scratch) == Identity.contentHash(v))
        }
    }

    /// Extra members are added after the object's own, as `JSONValue.adding` does, so one of
    /// the same key replaces the source member.
    @Test func extraMembersWinAsAddingDoes() throws {
        var rng = SeededRandom(seed: 0xE47A)
        for n in 0..<500 {
            let v = Self.randomValue(&rng, depth: 1)
            let object = JSONValue.object([JSONMember("b", v), JSONMember("z", .number("1"))])
            let tape = try JSONTape(bytes: CanonicalJSON.encode(object))
            let extra = JSONValue.object([JSONMember("lat", .number("1.5"))])
            var writer = JSONTapeCanonical()
            var out: [UInt8] = []
            for key in ["a", "b", "zz"] {
                out.removeAll()
                #expect(writer.write(tape, extra: [(Array(key.utf8), CanonicalJSON.encode(extra))], into: &out) == (key != "b"))
                if key != "b" { #expect(out == CanonicalJSON.encode(object.adding(key, extra)), "value \(n), key \(key)") }
            }
        }
    }

    /// A replaced member is written with the given value, wherever its key sorts, under the
    /// rules' key (the new key is matched); nested members of the same key are left alone.
    @Test func replacedMembersTakeTheGivenValue() throws {
        var rng = SeededRandom(seed: 0x4E91)
        for n in 0..<500 {
            let v = Self.randomValue(&rng, depth: 1)
            let object = JSONValue.object([JSONMember("fullText", v), JSONMember("b", .object([JSONMember("full_text", v)]))])
            let tape = try JSONTape(bytes: CanonicalJSON.encode(object))
            var snake = JSONTapeCanonical.Rules()
            snake.key = { bytes, out in
                out.append(contentsOf: bytes.elementsEqual("fullText".utf8) ? Array("full_text".utf8) : Array(bytes))
                return true
            }
            var writer = JSONTapeCanonical()
            var out: [UInt8] = []
            #expect(writer.write(tape, rules: snake, replacing: [(Array("full_text".utf8), Array(#""new""#.utf8))], into: &out))
            let expected = JSONValue.object([
                JSONMember("full_text", .string("new")), JSONMember("b", .object([JSONMember("full_text", v)])),
            ])
            #expect(out == CanonicalJSON.encode(expected), "value \(n)")
        }
        let array = try JSONTape(bytes: Array("[1]".utf8))
        var writer = JSONTapeCanonical()
        var out: [UInt8] = []
        #expect(!writer.write(array, replacing: [(Array("a".utf8), Array("1".utf8))], into: &out) && out.isEmpty)
    }

    @Test func givesUpOnlyWhereItSays() throws {
        // Deeper than the writer goes.
        let deep =
            String(repeating: "[", count: JSONTapeCanonical.maxDepth + 1) + String(repeating: "]", count: JSONTapeCanonical.maxDepth + 1)
        #expect(Self.written(try JSONTape(bytes: Array(deep.utf8), limits: JSONLimits(maxDepth: 1000))) == nil)
        // Duplicate keys, when asked.
        var strict = JSONTapeCanonical.Rules()
        strict.giveUpOnDuplicateKeys = true
        let twice = try JSONTape(bytes: Array(#"{"a":1,"b":{"a":2,"a":3}}"#.utf8))
        #expect(Self.written(twice, rules: strict) == nil)
        #expect(Self.written(twice) == Array(#"{"a":1,"b":{"a":3}}"#.utf8))
        // A rule that refuses a key or a string.
        var refuse = JSONTapeCanonical.Rules()
        refuse.string = { bytes, out in
            out.append(contentsOf: bytes)
            return !bytes.contains(UInt8(ascii: "x"))
        }
        #expect(Self.written(try JSONTape(bytes: Array(#"{"a":["y","x"]}"#.utf8)), rules: refuse) == nil)
        #expect(Self.written(try JSONTape(bytes: Array(#"{"a":["y","z"]}"#.utf8)), rules: refuse) == Array(#"{"a":["y","z"]}"#.utf8))
    }
}
