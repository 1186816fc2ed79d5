import Testing

@testable import LakeCore

@Suite struct JSONPointerTests {
    @Test func escapesResolvesAndRoundTrips() {
        let value: JSONValue = .object([
            .init("a/b", .array([.string("x"), .object([.init("m~n", .string("y"))])])), .init("", .string("empty key")),
        ])
        #expect(JSONPointer.escape("a/b") == "a~1b" && JSONPointer.escape("m~n") == "m~0n" && JSONPointer.escape("plain") == "plain")
        #expect(JSONPointer.resolve("/a~1b/1/m~0n", in: value) == .string("y"))
        #expect(JSONPointer.resolve("/a~1b/0", in: value) == .string("x"))
        #expect(JSONPointer.resolve("/", in: value) == .string("empty key"))
        #expect(JSONPointer.resolve("", in: value) == value)
        #expect(JSONPointer.resolve("/a~1b/2", in: value) == nil && JSONPointer.resolve("/nope", in: value) == nil)
        #expect(JSONPointer.tokens("/a~1b/1/m~0n") == ["a/b", "1", "m~n"])
        // `~01` is `~1` unescaped once, never `/`.
        #expect(JSONPointer.tokens("/~01") == ["~1"])
    }
}
