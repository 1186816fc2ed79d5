import LakeCore
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

    /// The two words of a string are compared first (`sameStorage`): equal words mean equal
    /// bytes, and strings held in place that differ in either word are told apart.
    @Test func equalWordsMeanEqualBytes() {
        var rng = SeededRandom(seed: 12)
        let alphabet: [Character] = ["a", "b", "é", "1", "😀"]
        for _ in 0..<3000 {
            let a = rng.string(from: alphabet, maxLength: Int.random(in: 0...30, using: &rng))
            let b = rng.string(from: alphabet, maxLength: Int.random(in: 0...30, using: &rng))
            if SameBytes.sameStorage(a, b) { #expect(Array(a.utf8) == Array(b.utf8), "\(a.debugDescription) \(b.debugDescription)") }
            // A copy shares the storage, so the look is skipped.
            let shared = a
            #expect(SameBytes.sameStorage(a, shared) && SameBytes.same(a, shared))
        }
        // Fifteen bytes or fewer are held in the two words: a difference in either one counts.
        for (a, b) in [("abcdefgh1", "abcdefgh2"), ("Xbcdefgh1", "Ybcdefgh1"), ("abcdefghijklmn1", "abcdefghijklmn2"), ("a", "b")] {
            #expect(!SameBytes.sameStorage(a, b) && !SameBytes.same(a, b), "\(a) \(b)")
        }
        // Long strings with the same bytes in two buffers: not the same words, the same bytes.
        let long = String(repeating: "lineage step ", count: 8)
        let copy = String(decoding: Array(long.utf8), as: UTF8.self)
        #expect(!SameBytes.sameStorage(long, copy) && SameBytes.same(long, copy))
    }
}
