import LakeCore
@testable import LakeNormalize
import Testing
import _LakeTestSupport

@Suite struct SnakeCaseTests {
    @Test(arguments: [
        ("editTweetIds", "edit_tweet_ids"), ("OrderID", "order_id"), ("DealFlow", "deal_flow"), ("HTTPServer", "http_server"),
        ("full_text", "full_text"), ("1st place", "_1st_place"), ("Größe (kg)", "größe_kg"), ("  spaced  out ", "spaced_out"),
        ("a--b__c", "a_b_c"), ("", "_"), ("!!!", "_"), ("timestampMs", "timestamp_ms"), ("latitudeE7", "latitude_e7"),
        ("Browser History", "browser_history"), ("userInfo", "user_info"), ("日本語キー", "日本語キー"),
    ])
    func converts(_ pair: (String, String)) {
        #expect(SnakeCase.convert(pair.0) == pair.1)
    }

    @Test func idempotent() {
        for key in [
            "editTweetIds", "OrderID", "HTTPServer", "Größe (kg)", "a1B2c3", "ÀÉÎõü", "x_Y_z", "__a__", "7up", "aİb", "İSTANBUL",
            "e\u{301}x", "κϒ", "ދκϒx",
        ] {
            let once = SnakeCase.convert(key)
            #expect(SnakeCase.convert(once) == once, "\(key) -> \(once)")
        }
    }

    @Test func collisionsGetDeterministicSuffixes() {
        let v: JSONValue = .object([
            .init("userId", .number("1")), .init("user_id", .number("2")), .init("UserID", .number("3")), .init("user_id_2", .number("4")),
        ])
        let out = SnakeCase.convertKeys(v)
        #expect(out.objectMembers?.map(\.key) == ["user_id", "user_id_2", "user_id_3", "user_id_2_2"])
    }

    @Test func nestedKeysConvertArraysKeepOrder() {
        let v: JSONValue = .object([.init("a", .array([.object([.init("bC", .number("1"))]), .number("2")]))])
        #expect(SnakeCase.convertKeys(v) == .object([.init("a", .array([.object([.init("b_c", .number("1"))]), .number("2")]))]))
    }

    /// The ASCII fast path is the general rule on ASCII keys: 5,000 seeded random keys over
    /// letters of both cases, digits, separators and punctuation agree exactly.
    @Test func asciiFastPathAgreesWithTheScalarRules() {
        var rng = SplitMix64(seed: 0x5EED)
        let alphabet = Array("aBcDxYZ09_- .:/$AAbbHTTPid")
        for _ in 0..<5000 {
            let key = rng.string(from: alphabet, maxLength: 14)
            #expect(SnakeCase.convertASCII(key) == SnakeCase.convertScalars(key), "\(key)")
        }
        #expect(SnakeCase.convertASCII("Größe") == nil)
    }

    /// Keys already in snake_case are copied whole (`isSnakeCase`): 5,000 seeded keys over
    /// lower-case letters, digits and underscores, most of them that shape, agree with the
    /// scalar rules, and the shape is what the rules leave as it is.
    @Test func snakeCaseKeysAreTheirOwnResult() {
        var rng = SplitMix64(seed: 0x5AA4E)
        let alphabet = Array("abyz0189__")
        var copied = 0
        for _ in 0..<5000 {
            let key = rng.string(from: alphabet, maxLength: 12)
            let converted = SnakeCase.convertScalars(key)
            #expect(SnakeCase.convertASCII(key) == converted, "\(key)")
            let isShape = Array(key.utf8).withUnsafeBufferPointer { SnakeCase.isSnakeCase($0) }
            if isShape {
                copied += 1
                #expect(converted == key, "\(key)")
            }
        }
        #expect(copied > 1000)
        for key in ["_a", "a_", "a__b", "1a", "aB", "a-b", ""] {
            #expect(!Array(key.utf8).withUnsafeBufferPointer { SnakeCase.isSnakeCase($0) }, "\(key)")
        }
    }
}
