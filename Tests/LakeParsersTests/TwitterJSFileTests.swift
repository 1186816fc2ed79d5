import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

@Suite struct TwitterJSFileTests {
    func chunks(_ bytes: [UInt8], size: Int) -> JSONReader.ChunkSource {
        return ChunkCursor.chunks(of: bytes, size: size)
    }

    @Test func readsTheSampleTweetsInAnyChunking() throws {
        let bytes = TestPaths.read(TestPaths.corpus + "/twitter-small/src/data/tweets.js")
        var results: [[JSONValue]] = []
        for size in [1, 5, 4096, 1 << 20] {
            let file = try TwitterJSFile(source: chunks(bytes, size: size))
            #expect(file.header == .init(globalName: "tweets", part: 0, length: 25))
            var elements: [JSONValue] = []
            try file.forEachElement { i, v in
                #expect(i == elements.count)
                elements.append(v)
            }
            results.append(elements)
        }
        #expect(results[0].count == 5)
        #expect(results.allSatisfy { $0 == results[0] })
        #expect(results[0][0]["tweet"]?["id"] == .string("1050118621198921728"))
    }

    /// Elements handed on as bytes read back, on a tape, to the values `forEachElement` gives,
    /// in every chunking; with the whole file in one block every element comes as bytes, and an
    /// element past a per-record limit is still handed to `rejected` at its index.
    @Test func rawElementsReadBackToTheSameValues() throws {
        let bytes = TestPaths.read(TestPaths.corpus + "/twitter-small/src/data/tweets.js")
        var expected: [JSONValue] = []
        try TwitterJSFile(source: chunks(bytes, size: 1 << 20)).forEachElement { _, v in expected.append(v) }
        for size in [1, 5, 4096, 1 << 20] {
            var values: [JSONValue] = []
            var raw = 0
            try TwitterJSFile(source: chunks(bytes, size: size)).forEachRawElement(rejected: { _, e in throw e }) { i, e in
                #expect(i == values.count)
                switch e {
                case .raw(let b):
                    raw += 1
                    var tape = JSONTape()
                    try tape.load(b, limits: JSONLimits())
                    values.append(tape.value())
                case .value(let v): values.append(v)
                }
            }
            #expect(values == expected, "chunks of \(size)")
            if size == 1 << 20 { #expect(raw == expected.count) }
        }
        let deep = Array(#"window.YTD.tweets.part0 = [{"a":1},[[[[1]]]],{"b":2}]"#.utf8)
        var seen: [String] = []
        try TwitterJSFile(source: chunks(deep, size: 1 << 20), limits: JSONLimits(maxDepth: 3)).forEachRawElement(
            rejected: { i, _ in seen.append("\(i): rejected") }
        ) { i, e in
            if case .raw(let b) = e { seen.append("\(i): " + CanonicalJSON.string(try JSONTape(bytes: b.bytes).value())) }
        }
        #expect(seen == [#"0: {"a":1}"#, "1: rejected", #"2: {"b":2}"#])
    }

    @Test func readsTheManifest() throws {
        let bytes = TestPaths.read(TestPaths.corpus + "/twitter-small/src/data/manifest.js")
        let file = try TwitterJSFile(source: chunks(bytes, size: 100))
        #expect(file.header.globalName == "__THAR_CONFIG")
        #expect(file.header.part == nil)
        let v = try file.readWholeValue()
        #expect(v["userInfo"]?["userName"] == .string("ada_punk"))
    }

    @Test func emptyPartAndPartNumbers() throws {
        let file = try TwitterJSFile(source: chunks(Array("window.YTD.direct_messages.part12 = []".utf8), size: 7))
        #expect(file.header.globalName == "direct_messages")
        #expect(file.header.part == 12)
        var n = 0
        try file.forEachElement { _, _ in n += 1 }
        #expect(n == 0)
    }

    @Test(arguments: ["var x = []", "window.YTD.tweets = []", "window.YTD.tweets.partX = []", "[]", "window.YTD..part0 = []"])
    func malformedAssignmentsAreRefused(_ text: String) {
        #expect(throws: LakeError.self) {
            let f = try TwitterJSFile(source: chunks(Array(text.utf8), size: 3))
            try f.forEachElement { _, _ in }
        }
    }

    @Test func errorOffsetsCountTheAssignment() {
        let text = "window.YTD.tweets.part0 = [\n  {\"a\" 1}\n]"
        do {
            let f = try TwitterJSFile(source: chunks(Array(text.utf8), size: 4))
            try f.forEachElement { _, _ in }
            Issue.record("accepted")
        } catch let e as JSONError {
            #expect(e.offset == 35)
            #expect(e.line == 2)
        } catch { Issue.record("\(error)") }
    }
}
