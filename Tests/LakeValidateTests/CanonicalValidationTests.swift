import Foundation
import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

@testable import LakeValidate

/// Content validation read on a record's canonical bytes decides as the tape and the value do:
/// `findsNothing(canonical:)` is true only for data in which `findings(in:)` finds nothing, and
/// answers for all such data but what has a key with an escape (a string with one is decoded
/// first); `validate(_:canonical:tape:)` gives the record `validate(_:data:)` gives, with the
/// built-in scanner and with custom patterns.
@Suite struct CanonicalValidationTests {
    static let texts =
        TapeValidationTests.texts + [
            "line\nbreak", "a \"quote\" 4111 1111 1111 1111", "back\\slash", "tab\there", "café ana@example.org", "Zürich 8001",
            "NPI 1234567893", "\u{1}", "12", "4155550100", "operation bravo",
        ]
    static let keys = TapeValidationTests.keys + ["k\"ey", "größe", "line\nkey", "npi"]

    /// Random record data as `TapeValidationTests.randomData` makes it, with texts and keys that
    /// need escapes, non-ASCII text, and numbers of every kind.
    static func randomData(_ rng: inout SeededRandom) -> JSONValue {
        func members(_ depth: Int, _ count: ClosedRange<Int>) -> [JSONMember] {
            var seen = Set<String>()
            return (0..<Int.random(in: count, using: &rng)).compactMap { _ in
                let key = keys.randomElement(using: &rng)!
                return seen.insert(key).inserted ? JSONMember(key, value(depth + 1)) : nil
            }
        }
        func value(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 2 ? 3 : 6), using: &rng) {
            case 0, 1: return .string(texts.randomElement(using: &rng)!)
            case 2: return [.number("42"), .number("-1.5e3"), .bool(true), .null].randomElement(using: &rng)!
            case 3: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(depth + 1) })
            default: return .object(members(depth, 0...3))
            }
        }
        // Keys are distinct, as in a record's data: the canonical form keeps one of equal keys.
        return .object(members(-1, 1...3))
    }

    static func record(_ data: JSONValue, _ n: Int) -> LakeRecord {
        LakeRecord(
            id: "x", source: .init(input: "in", inputSHA256: "00", path: "p", index: 0), exportKind: "generic", recordKind: "generic",
            occurredAt: n % 2 == 0 ? nil : "2024-01-01T00:00:00.000Z", sourceOffset: nil, user: "u", partition: "undated", shards: [0],
            category: "other", language: nil, languageMethod: nil, data: data, pii: [], entities: [],
            lineage: [.init("parse.json", version: "1")], contentHash: "0")
    }

    /// Whether a key of `data`, at any depth, is written with an escape.
    static func hasEscapedKey(_ data: JSONValue) -> Bool {
        switch data {
        case .object(let members):
            return members.contains { m in m.key.utf8.contains { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 } || hasEscapedKey(m.value) }
        case .array(let items): return items.contains(where: hasEscapedKey)
        default: return false
        }
    }

    /// `escaped`: data with no finding left to the tape (a key with an escape); `decoded`: data
    /// answered on its bytes whose strings had escapes to decode.
    static func check(_ validator: ContentValidator, seed: UInt64) throws -> (onBytes: Int, escaped: Int, decoded: Int, found: Int) {
        var rng = SeededRandom(seed: seed)
        var onBytes = 0, escaped = 0, decoded = 0, found = 0
        var scratch = JSONTape()
        // A string in an array is scanned under the array's key; a nested object's under its own.
        let fixed: [JSONValue] = [
            .object([JSONMember("phone", .array([.string("4155550100")]))]),
            .object([JSONMember("phone", .array([.array([.number("1"), .string("4155550100")])]))]),
            .object([JSONMember("phone", .object([JSONMember("note", .string("4155550100"))]))]),
            .object([JSONMember("note", .array([.string("4155550100")]))]),
        ]
        for n in 0..<(3000 + fixed.count) {
            let data = n < fixed.count ? fixed[n] : Self.randomData(&rng)
            let bytes = CanonicalJSON.encode(data)
            let nothing = validator.findings(in: data).isEmpty
            let answer = bytes.withUnsafeBufferPointer { validator.findsNothing(canonical: $0) }
            let label = "data \(n): \(CanonicalJSON.string(data))"
            if answer != nil { #expect(answer == true && nothing, "\(label)") }
            if nothing && answer == nil {
                #expect(Self.hasEscapedKey(data), "\(label): no finding, no key with an escape, and no answer")
                escaped += 1
            }
            if answer == true { onBytes += 1 }
            if answer == true && bytes.contains(UInt8(ascii: "\\")) { decoded += 1 }
            if !nothing { found += 1 }
            // The whole record: as the tape gives it, or left as it was for the general way.
            var direct = Self.record(.object([]), n)
            var onTape = direct
            let before = direct
            let taken = validator.validate(&direct, canonical: bytes, tape: &scratch)
            let takenOnTape = validator.validate(&onTape, data: try JSONTape(bytes: bytes))
            #expect(taken == takenOnTape && direct == (taken ? onTape : before), "\(label)")
        }
        return (onBytes, escaped, decoded, found)
    }

    @Test func theBytesDecideAsTheValue() throws {
        let counts = try Self.check(ContentValidator(), seed: 0xCA70)
        #expect(counts.onBytes > 500 && counts.escaped > 100 && counts.decoded > 100 && counts.found > 500, "\(counts)")
    }

    /// Deeper than a canonical writer nests, the bytes give no answer; far deeper, the walk
    /// still returns (it stops at the writer's depth).
    @Test func deepNestingIsLeftToTheTape() {
        let validator = ContentValidator()
        for depth in [JSONTapeCanonical.maxDepth - 1, JSONTapeCanonical.maxDepth + 1, 200_000] {
            let bytes = Array((String(repeating: "[", count: depth) + "\"x\"" + String(repeating: "]", count: depth)).utf8)
            let answer = bytes.withUnsafeBufferPointer { validator.findsNothing(canonical: $0) }
            #expect(answer == (depth < JSONTapeCanonical.maxDepth ? true : nil), "depth \(depth)")
        }
    }

    /// The scanner on bytes finds what it finds in the text, and a text it says it can find
    /// nothing in holds nothing, with and without custom patterns.
    @Test func scanningBytesIsScanningTheText() throws {
        let patterns = TestPaths.corpus + "/pii/patterns"
        let scanners = [PIIScanner(), PIIScanner(custom: try CustomPIIPattern.load(file: patterns + "/healthcare.json"))]
        var passedOver = 0, found = 0
        for scanner in scanners {
            for text in Self.texts + ["NPI 1234567893 and npi", "no digits here"] {
                for field in ["", "phone", "npi", "note"] {
                    let spans = scanner.scan(text, field: field)
                    let bytes = Array(text.utf8)
                    bytes.withUnsafeBufferPointer { b in
                        #expect(scanner.scan(bytes: b, field: field) == spans, "\(text.debugDescription) under \(field)")
                        if !scanner.mayFind(in: b) {
                            #expect(spans.isEmpty, "\(text.debugDescription) passed over")
                            passedOver += 1
                        }
                    }
                    if !spans.isEmpty { found += 1 }
                }
            }
        }
        #expect(passedOver > 10 && found > 10, "\(passedOver) passed over, \(found) with findings")
    }

    @Test func customPatternsAreScannedFromTheBytesToo() throws {
        let patterns = TestPaths.corpus + "/pii/patterns"
        // And one with no digit to find, which the bytes must not pass over.
        let folder = TestPaths.scratch("words")
        defer { TestPaths.remove(folder) }
        let words = folder + "/words.json"
        try #"{"sets": [{"name": "words", "patterns": [{"type": "CODE_NAME", "pattern": "\\bbravo\\b", "score": 0.9}]}]}"#
            .write(toFile: words, atomically: true, encoding: .utf8)
        let custom =
            try CustomPIIPattern.load(file: patterns + "/healthcare.json") + CustomPIIPattern.load(file: patterns + "/financial.json")
            + CustomPIIPattern.load(file: words)
        let counts = try Self.check(ContentValidator(scanner: PIIScanner(custom: custom)), seed: 0xC057)
        #expect(counts.onBytes > 300 && counts.found > 500, "\(counts)")
    }
}
