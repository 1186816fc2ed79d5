@testable import LakeNormalize
import Testing
import _LakeTestSupport

/// `PlainSearch` against the standard library's `firstRange(of:)` and `contains(_:)`, on random
/// texts built to break a byte search: combining marks and joiners after a match, prepended
/// marks and carriage returns before one, the Kelvin sign, curly apostrophes, precomposed and
/// decomposed letters.
@Suite struct PlainSearchTests {
    static let patterns = [" commented on ", " likes ", " reacted to ", "'s ", "’s ", "messages/", "s", " ", "on o"]

    @Test func findsWhatTheStandardLibraryFinds() {
        var rng = SeededRandom(seed: 0x5EA)
        let pieces: [String] = [
            " ", "s", "'", "’", "o", "n", "on", " commented on ", " likes ", " reacted to ", "'s ", "’s ", "messages/", "\u{301}",
            "\u{200D}", "\u{600}", "\r", "\n", "\r\n", "\u{212A}", "é", "e\u{301}", "🙂", "Zoë", "/", "Ann", ".",
        ]
        var found = 0
        for n in 0..<6000 {
            let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let pattern = Self.patterns.randomElement(using: &rng)!
            let expected = text.firstRange(of: pattern)
            #expect(
                PlainSearch.firstRange(of: pattern, in: text) == expected,
                "text \(n): \(text.debugDescription), \(pattern.debugDescription)")
            // The mappers' `contains` was _StringProcessing's `StringProtocol.contains(String)`,
            // which is `firstRange(of:) != nil` (Foundation's, which a test target sees, is not:
            // it matches inside characters).
            #expect(PlainSearch.contains(pattern, in: text) == (expected != nil), "text \(n)")
            if expected != nil { found += 1 }
        }
        // About a fifth of the texts hold their pattern (1,221 of 6,000): neither answer is vacuous.
        #expect(found > 1000 && found < 5000, "\(found) of 6000 found")
    }

    @Test func patternsOutsideTheExactSetAreNamed() {
        for pattern in Self.patterns { #expect(PlainSearch.supports(pattern), "\(pattern)") }
        for pattern in ["", "K", "a;b", "`", "line\n", "\r", "é", "e\u{301}"] { #expect(!PlainSearch.supports(pattern), "\(pattern)") }
    }

    @Test func titlesNameTheirOwner() {
        #expect(Mapped.ownerInTitle("Ann commented on Bob's post.", verb: " commented on ") == "Bob's post")
        #expect(Mapped.ownerInTitle("Ann likes Zoë Núñez’s photo.", verb: " likes ") == "Zoë Núñez’s photo")
        #expect(Mapped.ownerInTitle("Ann likes\u{301} Bob's photo.", verb: " likes ") == nil)
        #expect(Mapped.ownerInTitle("Ann likes a page.", verb: " likes ") == nil)
        #expect(Mapped.thread(path: "your_facebook_activity/messages/inbox/ann_1/message_1.json")?.target == "inbox/ann_1")
        #expect(Mapped.thread(path: "posts/message_1.json") == nil)
    }
}
