import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

/// The tape accepts exactly what the reader accepts, gives the same values, and refuses with
/// the reader's error, to the byte: on the whole JSONTestSuite, on random values in several
/// layouts, on seeded mutations of them, and at every limit.
@Suite struct JSONTapeTests {
    static func read(_ bytes: [UInt8], _ limits: JSONLimits) -> Result<JSONValue, JSONError> {
        do { return .success(try JSONReader.parseWithReader(bytes, limits: limits)) } catch let e as JSONError { return .failure(e) } catch
        {
            return .failure(JSONError(.unexpectedEnd, offset: -1, line: -1))
        }
    }

    static func tape(_ bytes: [UInt8], _ limits: JSONLimits) -> Result<JSONValue, JSONError> {
        do throws(JSONError) { return .success(try JSONTape(bytes: bytes, limits: limits).value()) } catch { return .failure(error) }
    }

    func agree(_ bytes: [UInt8], _ label: String, _ limits: JSONLimits = JSONLimits()) {
        let r = Self.read(bytes, limits), t = Self.tape(bytes, limits)
        #expect(r == t, "\(label): reader \(r), tape \(t)")
    }

    @Test func agreesOnTheWholeTestSuite() {
        for folder in ["test_parsing", "test_transform"] {
            let path = TestPaths.conformance + "/JSONTestSuite/" + folder
            for name in TestPaths.listFiles(path) { agree(TestPaths.read(path + "/" + name), name) }
        }
    }

    /// Pretty layouts: two-space indentation (Takeout's Records.json), tabs, CRLF.
    static func layouts(_ v: JSONValue) -> [[UInt8]] {
        let canonical = CanonicalJSON.encode(v)
        func pretty(_ v: JSONValue, _ indent: String, _ newline: String, _ level: Int) -> String {
            let pad = String(repeating: indent, count: level + 1), close = String(repeating: indent, count: level)
            switch v {
            case .array(let a) where !a.isEmpty:
                return "[" + newline + a.map { pad + pretty($0, indent, newline, level + 1) }.joined(separator: "," + newline) + newline
                    + close + "]"
            case .object(let m) where !m.isEmpty:
                let members = m.map { pad + CanonicalJSON.string(.string($0.key)) + " : " + pretty($0.value, indent, newline, level + 1) }
                return "{" + newline + members.joined(separator: "," + newline) + newline + close + "}"
            default: return CanonicalJSON.string(v)
            }
        }
        return [
            canonical, Array(pretty(v, "  ", "\n", 0).utf8), Array(("\t" + pretty(v, "\t", "\r\n", 0) + " \n").utf8),
            Array(pretty(v, "          ", "\n", 0).utf8),
        ]
    }

    @Test func agreesOnRandomValuesInEveryLayout() throws {
        var rng = SeededRandom(seed: 0x7A9E)
        for n in 0..<400 {
            let v = JSONPropertyTests.randomValue(&rng, depth: 0)
            for (k, bytes) in Self.layouts(v).enumerated() {
                let t = Self.tape(bytes, JSONLimits())
                #expect(t == Self.read(bytes, JSONLimits()), "value \(n), layout \(k)")
                if case .success(let back) = t { #expect(CanonicalJSON.encode(back) == CanonicalJSON.encode(v)) }
            }
        }
    }

    /// Seeded mutations: a byte changed, dropped, doubled, or a special byte put in; whichever
    /// way the reader goes, the tape goes the same way, with the same error.
    @Test func agreesOnMutations() {
        var rng = SeededRandom(seed: 0x51DE)
        let specials: [UInt8] = Array(#"[]{}",:\-.eE+0u"#.utf8) + [0x00, 0x1F, 0x80, 0xC0, 0xE0, 0xED, 0xF0, 0xF4, 0xFF, 0x20, 0x0A]
        var refused = 0
        for n in 0..<3000 {
            let v = JSONPropertyTests.randomValue(&rng, depth: 0)
            var bytes = Self.layouts(v)[n % 4]
            for _ in 0...Int.random(in: 0...2, using: &rng) where !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[i] = specials.randomElement(using: &rng)!
                case 1: bytes.remove(at: i)
                case 2: bytes.insert(bytes[i], at: i)
                default: bytes.insert(specials.randomElement(using: &rng)!, at: i)
                }
            }
            if case .failure = Self.read(bytes, JSONLimits()) { refused += 1 }
            agree(bytes, "mutation \(n)")
        }
        #expect(refused > 1000, "the mutations exercise refusals")
    }

    @Test func limitsAreTheReaders() {
        let limits = JSONLimits(maxDepth: 3, maxStringBytes: 5, maxNumberLength: 4, maxDocumentBytes: 40, maxValueBytes: 30)
        let cases = [
            "[[[1]]]", "[[[[1]]]]", #"{"a":{"b":[2]}}"#, #"{"a":{"b":[[]]}}"#, #""12345""#, #""123456""#, #""1\n345""#, #""1\n3456""#,
            #""\u00e9\u00e9""#, #""\u00e9\u00e9\u00e9""#, "1234", "12345", "-1.5", "-1.50", "[" + String(repeating: "1,", count: 14) + "1]",
            "[" + String(repeating: "1,", count: 15) + "1]", "  [" + String(repeating: "1,", count: 13) + "1]  ",
            String(repeating: " ", count: 39) + "1",
            String(repeating: " ", count: 40) + "1",
        ]
        for c in cases { agree(Array(c.utf8), c, limits) }
    }

    @Test func tokensSkipAndCount() throws {
        let tape = try JSONTape(bytes: Array(#" {"a": [1, "x\ty", {"b": null}], "c": true, "d": {}} "#.utf8))
        #expect(tape.kind(0) == .objectStart)
        #expect(tape.childCount(0) == 3)
        #expect(tape.kind(1) == .key && tape.string(1) == "a")
        #expect(tape.kind(2) == .arrayStart && tape.childCount(2) == 3)
        #expect(tape.string(4) == "x\ty")
        let c = tape.after(2)
        #expect(tape.string(c) == "c" && tape.kind(c + 1) == .true)
        #expect(tape.after(0) == tape.count)
        #expect(tape.depth == 3)
    }

    /// Spans split an array as the reader's stream does: each span's tape is the element the
    /// stream gives, one tape reused for all, strings with brackets and escaped quotes included.
    @Test func spansSplitAnArrayAsTheStreamDoes() throws {
        var rng = SeededRandom(seed: 0x5BA5)
        for n in 0..<200 {
            let items = (0..<Int.random(in: 0...6, using: &rng)).map { _ in JSONPropertyTests.randomValue(&rng, depth: 1) }
            let bytes = Self.layouts(.array(items + [.string("]},\"\\")]))[n % 4]
            var expected: [JSONValue] = []
            try JSONRecordStream(reader: JSONReader(bytes: bytes)).forEach { _, e in expected.append(e.value) }
            var tape = JSONTape()
            var got: [JSONValue] = []
            var p = bytes.firstIndex(of: UInt8(ascii: "["))! + 1
            while true {
                while p < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[p]) { p += 1 }
                if bytes[p] == UInt8(ascii: "]") { break }
                let end = try #require(bytes.withUnsafeBufferPointer { JSONElementSpans.end(of: $0, from: p) })
                try tape.parse(bytes, range: p..<end)
                got.append(tape.value())
                p = end
                while [0x20, 0x0A, 0x0D, 0x09].contains(bytes[p]) { p += 1 }
                if bytes[p] == UInt8(ascii: ",") { p += 1 }
            }
            #expect(got == expected, "array \(n)")
        }
    }

    @Test func aSpanThatEndsEarlyIsNil() {
        for text in [#"{"a": "b"#, #"[1, [2"#, #""abc\"#, "12"] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { JSONElementSpans.end(of: $0, from: 0) } == nil, "\(text)")
        }
    }

    /// A refused span reports the reader's error for those bytes, offsets from the span's start.
    @Test func aRefusedSpanSaysWhereInTheSpan() {
        let bytes = Array(#"[{"a": 1}, {"b": tru}]"#.utf8)
        var tape = JSONTape()
        #expect(throws: JSONError(.invalidLiteral, offset: 6, line: 1)) { try tape.parse(bytes, range: 11..<21) }
        #expect(throws: Never.self) { try tape.parse(bytes, range: 1..<9) }
        #expect(tape.value() == .object([JSONMember("a", .number("1"))]))
    }

    /// Depth is bounded by the limits only (`--max-json-depth` is the user's): 100,000 nested
    /// arrays build with the tape's own stack, not the thread's.
    @Test func deepNestingBuildsWithoutRecursion() throws {
        let depth = 100_000
        let bytes = Array((String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)).utf8)
        let limits = JSONLimits(maxDepth: depth)
        let tape = try JSONTape(bytes: bytes, limits: limits)
        #expect(tape.depth == depth)
        var v = tape.value()
        var levels = 0
        while case .array(let items) = v, items.count == 1 {
            levels += 1
            v = items[0]
        }
        #expect(levels == depth && v == .number("1"))
    }
}
