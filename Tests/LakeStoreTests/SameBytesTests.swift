@testable import LakeStore
import Testing
import _LakeTestSupport

/// `SameBytes` compares UTF-8 bytes, not canonical equivalence, for short (inline) and long
/// strings alike.
@Suite struct SameBytesTests {
    @Test func stringsAreEqualExactlyWhenTheirBytesAre() {
        let alphabet: [Character] = ["a", "b", "é", "e\u{301}", "😀", "\u{0}", " "]
        var rng = SeededRandom(seed: 11)
        for _ in 0..<3000 {
            let a = rng.string(from: alphabet, maxLength: Int.random(in: 0...40, using: &rng))
            let b = Bool.random(using: &rng) ? a : rng.string(from: alphabet, maxLength: 40)
            #expect(SameBytes.same(a, b) == (Array(a.utf8) == Array(b.utf8)), "\(a.debugDescription) \(b.debugDescription)")
        }
        #expect(!SameBytes.same("caf\u{E9}", "cafe\u{301}"))
        #expect(SameBytes.same("", ""))
        #expect(!SameBytes.same("map.google-takeout.location", "map.google-takeout.locatioN"))
        let long = String(repeating: "x", count: 100)
        #expect(SameBytes.same(long, String(repeating: "x", count: 100)))
        #expect(SameBytes.same(String?.none, nil) && !SameBytes.same("a", nil))
    }
}
