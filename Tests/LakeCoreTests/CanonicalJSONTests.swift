import LakeCore
import Testing

@Suite struct CanonicalJSONTests {
    func canon(_ v: JSONValue) -> String { CanonicalJSON.string(v) }

    @Test func keysSortByCodePointNotByUTF16OrSwiftOrder() {
        // U+FF21 (FULLWIDTH A) sorts before U+1F600 by code point, after it in UTF-16 order.
        let v: JSONValue = .object([
            .init("😀", .number("1")), .init("Ａ", .number("2")), .init("z", .number("3")), .init("Z", .number("4")),
            .init("é", .number("5")), .init("", .number("6")),
        ])
        #expect(canon(v) == #"{"":6,"Z":4,"z":3,"é":5,"Ａ":2,"😀":1}"#)
    }

    @Test func minimalEscaping() {
        let s = "q\" b\\ \u{08}\u{0C}\n\r\t \u{01}\u{1F} / \u{7F} \u{2028} é"
        #expect(canon(.string(s)) == "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f / \u{7F} \u{2028} é\"")
    }

    @Test func stringsAndKeysAreNFC() {
        let nfd = "e\u{301}"
        let out = canon(.object([.init(nfd, .string("A\u{30A}"))]))
        #expect(Array(out.utf8) == Array("{\"\u{E9}\":\"\u{C5}\"}".utf8))
    }

    @Test func duplicateKeysLastWinsAfterNFC() {
        let v: JSONValue = .object([
            .init("a", .number("1")), .init("e\u{301}", .number("2")), .init("a", .number("3")), .init("\u{E9}", .number("4")),
        ])
        #expect(canon(v) == "{\"a\":3,\"\u{E9}\":4}")
    }

    @Test func numbersAndLiteralsAsSpelled() {
        let v: JSONValue = .array([
            .number("1.50"), .number("-0"), .number("1e400"), .bool(true), .bool(false), .null, .array([]), .object([]),
        ])
        #expect(canon(v) == "[1.50,-0,1e400,true,false,null,[],{}]")
    }

    @Test func equalityComparesScalarsNotCanonicalEquivalence() {
        #expect(JSONValue.string("e\u{301}") != JSONValue.string("\u{E9}"))
        #expect(JSONValue.string("\u{E9}") == JSONValue.string("\u{E9}"))
    }
}
