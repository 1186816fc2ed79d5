import LakeCore
import Testing
import _LakeTestSupport

/// `String(scalars:)` writes the UTF-8 of the scalars itself; the standard library's
/// `String(String.UnicodeScalarView(_:))` is the reference.
@Suite struct ScalarStringTests {
    /// Random runs of scalars of every UTF-8 width (ASCII, Latin, CJK, astral, the last scalar
    /// and the ones around the surrogates), whole and sliced: the same string, the same bytes.
    @Test func theSameStringAsTheScalarView() {
        let picks: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]
        for seed in SeededRandom.seeds(count: 2_000) {
            var random = SeededRandom(seed: seed)
            let scalars = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                Unicode.Scalar(UInt32.random(in: picks.randomElement(using: &random)!, using: &random))!
            }
            let cut = Int.random(in: 0...scalars.count, using: &random)
            for part in [scalars[...], scalars[cut...], scalars[..<cut]] {
                let made = String(scalars: part)
                let expected = String(String.UnicodeScalarView(part))
                #expect(made == expected && Array(made.utf8) == Array(expected.utf8), "seed \(seed)")
            }
        }
        #expect(String(scalars: [Unicode.Scalar]()) == "")
        #expect(String(scalars: "a\u{E9}\u{6771}\u{1F600}".unicodeScalars) == "a\u{E9}\u{6771}\u{1F600}")
    }
}
