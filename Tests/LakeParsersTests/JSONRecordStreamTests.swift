import LakeCore
import LakeParsers
import Testing

/// How a JSON export file is cut into elements (docs/SPEC.md 5.6), in any chunking.
@Suite struct JSONRecordStreamTests {
    static func elements(_ json: String, collections: Set<String>? = nil, chunk: Int = 3) throws -> [String] {
        let bytes = Array(json.utf8)
        let stream = JSONRecordStream(reader: JSONReader(source: ChunkCursor.chunks(of: bytes, size: chunk)), collections: collections)
        var out: [String] = []
        try stream.forEach { i, e in
            out.append("\(i):\(e.collection ?? "-"):\(e.isRemainder ? "rest:" : "")\(CanonicalJSON.string(e.value))")
        }
        return out
    }

    @Test func shapes() throws {
        #expect(try Self.elements(#"[1, {"a": 2}, []]"#) == ["0:-:1", #"1:-:{"a":2}"#, "2:-:[]"])
        #expect(
            try Self.elements(#"{"x": 1, "a": [1, 2], "y": {"z": true}, "b": [3]}"#)
                == ["0:a:1", "1:a:2", "2:b:3", #"3:-:rest:{"x":1,"y":{"z":true}}"#])
        #expect(try Self.elements(#"{"a": [1], "b": [2]}"#, collections: ["b"]) == ["0:b:2", #"1:-:rest:{"a":[1]}"#])
        #expect(try Self.elements(#"{"people": [{"n": 1}]}"#, collections: []) == [#"0:-:rest:{"people":[{"n":1}]}"#])
        #expect(try Self.elements(#""text""#) == [#"0:-:"text""#])
        #expect(try Self.elements("{}") == [])
    }

    @Test func sameElementsInAnyChunking() throws {
        let json = #"{"locations": [{"latitudeE7": 1, "t": "x"}, {"latitudeE7": 2}], "other": "v"}"#
        let reference = try Self.elements(json, chunk: 1 << 20)
        for size in [1, 2, 5, 17] { #expect(try Self.elements(json, chunk: size) == reference) }
    }

    @Test func brokenJSONThrows() {
        #expect(throws: JSONError.self) { _ = try Self.elements(#"{"a": [1, 2"#) }
        #expect(throws: JSONError.self) { _ = try Self.elements(#"[1] 2"#) }
    }
}
