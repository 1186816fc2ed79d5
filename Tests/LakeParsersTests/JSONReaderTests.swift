import LakeCore
import LakeParsers
import Testing

@Suite struct JSONReaderTests {
    func parse(_ s: String, limits: JSONLimits = JSONLimits()) throws -> JSONValue {
        try JSONReader.parse(Array(s.utf8), limits: limits)
    }

    func error(_ s: String, limits: JSONLimits = JSONLimits()) -> JSONError? {
        do { _ = try parse(s, limits: limits); return nil } catch let e as JSONError { return e } catch { return nil }
    }

    @Test func numbersKeepTheirSpelling() throws {
        let v = try parse(#"[1.50, -0, 1E+2, 10000000000000000999, 1.000000000000000005]"#)
        #expect(
            v
                == .array([
                    .number("1.50"), .number("-0"), .number("1E+2"), .number("10000000000000000999"), .number("1.000000000000000005"),
                ]))
    }

    @Test func tokensInOrder() throws {
        let r = JSONReader(bytes: Array(#"{"a": [true, null], "b": "x"}"#.utf8))
        var tokens: [JSONToken] = []
        while true {
            let t = try r.next()
            tokens.append(t)
            if t == .end { break }
        }
        #expect(tokens == [.beginObject, .key("a"), .beginArray, .bool(true), .null, .endArray, .key("b"), .string("x"), .endObject, .end])
    }

    @Test func escapesAndSurrogatePairs() throws {
        #expect(try parse(#""\u00e9\ud83d\ude00\n\/""#) == .string("é😀\n/"))
        #expect(error(#""\ud83d""#)?.kind == .loneSurrogate)
        #expect(error(#""\ude00x""#)?.kind == .loneSurrogate)
    }

    @Test func depthLimitIsNamed() {
        let e = error("[[[[]]]]", limits: JSONLimits(maxDepth: 3))
        #expect(e?.kind == .depthLimit(3))
        #expect(e?.rule == "json.depth_limit")
        #expect(e?.offset == 3)
        #expect(error("[[[]]]", limits: JSONLimits(maxDepth: 3)) == nil)
    }

    @Test func stringAndNumberAndSizeLimits() {
        #expect(error(#"["abcdef"]"#, limits: JSONLimits(maxStringBytes: 5))?.kind == .stringLimit(5))
        #expect(error(#"["abcde"]"#, limits: JSONLimits(maxStringBytes: 5)) == nil)
        #expect(error("[123456]", limits: JSONLimits(maxNumberLength: 5))?.kind == .numberLimit(5))
        #expect(error("[1,2,3,4]", limits: JSONLimits(maxDocumentBytes: 8))?.kind == .documentLimit(8))
        // The streaming path enforces the size limit too, without reading on.
        var chunks = [Array("[1,2,".utf8), Array("3,4]".utf8)]
        let r = JSONReader(source: { chunks.isEmpty ? nil : chunks.removeFirst() }, limits: JSONLimits(maxDocumentBytes: 8))
        #expect(throws: JSONError.self) { _ = try r.readValue() }
    }

    /// Regression: a string past the limit was reported where the plain run being copied
    /// ended, which depended on the read block size. It is where the first byte past the limit is.
    @Test func aStringPastTheLimitIsReportedAtTheSameByteInAnyChunking() throws {
        let bytes = Array(#"[1, "abcdefghij"]"#.utf8)
        for size in [1, 3, 7, 64] {
            let r = JSONReader(source: ChunkCursor.chunks(of: bytes, size: size), limits: JSONLimits(maxStringBytes: 4))
            #expect(throws: JSONError(.stringLimit(4), offset: 10, line: 1), "chunks of \(size)") { _ = try r.readValue() }
        }
    }

    @Test func errorsSayWhere() {
        let e = error("{\n  \"a\": 1,\n  \"b\" 2\n}")
        #expect(e?.kind == .unexpectedByte(UInt8(ascii: "2")))
        #expect(e?.line == 3)
        #expect(e?.offset == 18)
    }

    @Test func invalidUTF8IsRejected() {
        #expect(throws: JSONError.self) { _ = try JSONReader.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONError.self) { _ = try JSONReader.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // encoded surrogate
        #expect(throws: JSONError.self) { _ = try JSONReader.parse([0x22, 0xC0, 0xAF, 0x22]) }  // overlong
    }

    @Test func trailingSemicolonOnlyWhenAllowed() throws {
        #expect(error("[1];") != nil)
        let r = JSONReader(bytes: Array("[1];\n".utf8), options: .init(allowTrailingSemicolon: true))
        _ = try r.readValue()
        #expect(try r.next() == .end)
    }
}
