import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

/// Elements read through the tape (`JSONReader.nextElementFast`) are exactly the elements the
/// reader alone gives: the same values, problems, byte offsets, lines and measured depths after
/// every element, and the same error at the same place when the file is broken, in any
/// chunking and under tight limits; elements handed on as bytes (`rawElements`) read back to
/// the same values.
@Suite struct JSONStreamTapeTests {
    /// Everything the loader can observe of a stream: each element with the reader's offset,
    /// line and last value right after it, then the end or the error.
    /// With `raw`, elements come as bytes where they can (`rawElements`), read back here as a
    /// worker reads them: under the whole file's limits.
    static func observe(
        _ bytes: [UInt8], chunk: Int, tape: Bool, raw: Bool = false, limits: JSONLimits, collections: Set<String>? = nil
    ) -> [String] {
        let reader = JSONReader(
            source: ChunkCursor.chunks(of: bytes, size: chunk), limits: limits, options: .init(elementsThroughTape: tape))
        let stream = JSONRecordStream(reader: reader, collections: collections, rawElements: raw)
        var seen: [String] = []
        do {
            try stream.forEach { i, e in
                let problem = e.problem.map { "\($0)" } ?? "-"
                var value = e.value
                if let checked = e.raw {
                    // A worker loads the tape the reader made; it is the tape a parse of the
                    // bytes under the whole file's limits makes.
                    var loaded = JSONTape()
                    do throws(JSONError) {
                        try loaded.load(checked, limits: limits)
                        value = loaded.value()
                        let parsed = try JSONTape(bytes: checked.bytes, limits: limits)
                        if !Self.sameTokens(loaded, parsed) { value = .string("the handed-on tape differs from a parse") }
                    } catch {
                        value = .string("raw refused: \(error)")
                    }
                }
                seen.append(
                    "\(i) \(e.collection ?? "-") \(CanonicalJSON.string(value)) \(problem) @\(reader.offset) L\(reader.line) "
                        + "d\(reader.lastValue.depth) b\(reader.lastValue.bytes)")
            }
            seen.append("end @\(reader.offset) L\(reader.line)")
        } catch {
            seen.append("error \(error)")
        }
        return seen
    }

    /// Token by token: kinds, spans' bytes, containers' ends and children, and the depth.
    static func sameTokens(_ a: JSONTape, _ b: JSONTape) -> Bool {
        guard a.count == b.count, a.depth == b.depth else { return false }
        for i in 0..<a.count {
            guard a.kind(i) == b.kind(i) else { return false }
            switch a.kind(i) {
            case .string, .key, .number:
                guard a.withBytes(i, { Array($0) }) == b.withBytes(i, { Array($0) }) else { return false }
            case .arrayStart, .objectStart:
                guard a.after(i) == b.after(i), a.childCount(i) == b.childCount(i) else { return false }
            default: break
            }
        }
        return true
    }

    func same(_ bytes: [UInt8], _ label: String, limits: JSONLimits = JSONLimits(), collections: Set<String>? = nil) {
        let reference = Self.observe(bytes, chunk: 1, tape: false, limits: limits, collections: collections)
        for chunk in [7, 64, 4096, 1 << 20] {
            let taped = Self.observe(bytes, chunk: chunk, tape: true, limits: limits, collections: collections)
            #expect(taped == reference, "\(label), chunks of \(chunk)")
            let raw = Self.observe(bytes, chunk: chunk, tape: true, raw: true, limits: limits, collections: collections)
            #expect(raw == reference, "\(label), chunks of \(chunk), as bytes")
        }
    }

    static func document(_ items: [JSONValue], layout: Int) -> [UInt8] {
        let array = JSONTapeTests.layouts(.array(items))[layout % 4]
        if layout % 3 == 0 { return Array(#"{"head": 1, "locations": "#.utf8) + array + Array(#", "tail": [true]}"#.utf8) }
        return array
    }

    @Test func randomArraysInEveryLayoutAndChunking() {
        var rng = SeededRandom(seed: 0x7E57)
        for n in 0..<150 {
            let items = (0..<Int.random(in: 0...8, using: &rng)).map { _ in JSONPropertyTests.randomValue(&rng, depth: 1) }
            same(Self.document(items, layout: n), "document \(n)", collections: n % 2 == 0 ? ["locations"] : nil)
        }
    }

    /// Broken files and elements past the limits: each mutation of a valid document is read
    /// both ways, so every error and every skipped element must come out the same.
    @Test func brokenFilesAndLimitsComeOutTheSame() {
        var rng = SeededRandom(seed: 0xB20C)
        let limits = JSONLimits(maxDepth: 4, maxStringBytes: 12, maxNumberLength: 6, maxDocumentBytes: 1 << 20, maxValueBytes: 60)
        let specials: [UInt8] = Array(#"[]{}",:\-.e0"#.utf8) + [0x00, 0x0A, 0xC3, 0xFF, 0x20]
        for n in 0..<600 {
            let items = (0..<Int.random(in: 1...6, using: &rng)).map { _ in JSONPropertyTests.randomValue(&rng, depth: 0) }
            var bytes = Self.document(items, layout: n)
            if n % 3 != 0 {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] = specials.randomElement(using: &rng)!
            }
            same(bytes, "document \(n)", limits: limits)
        }
    }

    /// A tape is handed on only when it takes at most `maxTapeRatio` times its element's bytes:
    /// an array of one-digit numbers (eight times) is parsed by the worker, a record of long
    /// texts comes with its tape; both load to the element's value.
    @Test func denseElementsAreParsedByTheWorker() throws {
        let dense: JSONValue = .array((0..<40).map { .number("\($0 % 10)") })
        let texts: JSONValue = .object([
            .init("title", .string(String(repeating: "a searched phrase ", count: 6))), .init("url", .string("https://example.com/a/b")),
            .init("escaped", .string("line one\nline \"two\"")),
        ])
        let bytes = Array("[".utf8) + CanonicalJSON.encode(dense) + Array(",".utf8) + CanonicalJSON.encode(texts) + Array("]".utf8)
        let stream = JSONRecordStream(reader: JSONReader(bytes: bytes), rawElements: true)
        var seen: [(keeps: Bool, value: JSONValue)] = []
        try stream.forEach { _, e in
            let checked = try #require(e.raw)
            var tape = JSONTape()
            try tape.load(checked, limits: JSONLimits())
            seen.append((checked.keepsTape, tape.value()))
        }
        #expect(seen.map(\.keeps) == [false, true])
        #expect(seen.map { CanonicalJSON.encode($0.value) } == [dense, texts].map(CanonicalJSON.encode))
    }

    @Test func elementsAcrossChunksAndAtTheEdges() {
        let cases = [
            "[]", "[ ]", "[1]", "[1 ,2]", "[1,]", "[,1]", "[1 2]", #"["a" , "b"]"#, "[[], {}, [[]]]", #"[{"a": "]"}, "}"]"#,
            "[1, 2", #"[{"a": 1}"#, "  [\n\n 1,\n 2 \n]\n", "[-0, 1e5, 1.5E-3, -]", "[true, false, null, nul]",
        ]
        for c in cases { same(Array(c.utf8), c) }
    }
}
