import LakeCore
import Testing
import _LakeTestSupport

/// `ByteOrder.precedes` against the strings' own views, on random strings drawn from a small
/// alphabet with ASCII, two- and four-byte scalars and a combining mark (so prefixes, equal
/// strings and canonically equivalent spellings come up often), small and large.
@Suite struct ByteOrderTests {
    @Test func theOrderIsTheViewsOrder() {
        let alphabet = ["a", "b", "é", "e\u{301}", "😀", "Z", "\u{0}"]
        var before = 0, equal = 0
        for seed in SeededRandom.seeds(count: 4_000) {
            var random = SeededRandom(seed: seed)
            func text() -> String {
                let repeats = Bool.random(using: &random) ? 20 : 1
                return String(
                    repeating: (0..<Int.random(in: 0...4, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined(),
                    count: repeats)
            }
            let (a, b) = (text(), text())
            #expect(
                ByteOrder.precedes(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8),
                "seed \(seed): \(a.debugDescription) \(b.debugDescription)")
            if ByteOrder.precedes(a, b) { before += 1 }
            if a.utf8.elementsEqual(b.utf8) {
                equal += 1
                #expect(!ByteOrder.precedes(a, b) && !ByteOrder.precedes(b, a))
            }
        }
        #expect(before > 1_000 && equal > 50, "\(before) before, \(equal) equal")
    }
}
