import Foundation
import LakeCore
import Testing

@testable import LakeValidate

/// `SimplePattern` answers as ICU's regular expressions do, with `$` as the end of the text.
@Suite struct SimplePatternTests {
    /// ICU's answer for a whole-text match (`$` at the end made `\z`, ECMAScript's `$`).
    static func icu(_ pattern: String, _ text: String) throws -> Bool {
        let regex = try NSRegularExpression(pattern: String(pattern.dropLast()) + "\\z")
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Random patterns of atoms and counts, on random texts of the atoms' characters and others
    /// (a line break, a letter outside ASCII): the same answer as ICU for each pair.
    @Test func randomPatternsAnswerAsICUDoes() throws {
        var rng = SplitMix64(seed: 77)
        let atoms = ["a", "b", "-", "\\.", "\\d", "\\-", "[a-c]", "[0-9]", "[ab-]", "[A-Z]", " ", "[.x]", "[\\]a]", ",", "[-a]"]
        let counts = ["", "", "?", "*", "+", "{2}", "{1,3}", "{0,}", "{2,2}", "{0,1}"]
        let alphabet = Array("ab-.cx09Z ,]é\n")
        var simple = 0
        for n in 0..<600 {
            let pattern =
                "^"
                + (0..<Int(rng.next() % 5)).map { _ in atoms[Int(rng.next() % UInt64(atoms.count))] + counts[Int(rng.next() % 10)] }
                .joined()
                + "$"
            let compiled = try #require(SimplePattern(pattern), "pattern \(n): \(pattern)")
            for _ in 0..<20 {
                let text = String((0..<Int(rng.next() % 9)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
                #expect(compiled.matches(text) == (try Self.icu(pattern, text)), "\(pattern) on \(text.debugDescription)")
            }
            simple += compiled.fixedLength == nil ? 0 : 1
        }
        // Both matchers ran: fixed-length patterns and counted ones.
        #expect(simple > 20 && simple < 580)
    }

    /// The patterns the shipped schemas use, on texts they must take and refuse.
    @Test func theShippedPatterns() throws {
        let created = try #require(SimplePattern("^[A-Z][a-z]{2} [A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4} [0-9]{4}$"))
        #expect(created.matches("Wed Oct 10 20:19:24 +0000 2018"))
        #expect(!created.matches("Wed Oct 10 20:19:24 +0000 2018\n") && !created.matches("wed Oct 10 20:19:24 +0000 2018"))
        let signed = try #require(SimplePattern("^-?[0-9]+$"))
        #expect(signed.matches("-12") && signed.matches("7") && !signed.matches("-") && !signed.matches("") && !signed.matches("1-2"))
        let digits = try #require(SimplePattern("^[0-9]+$"))
        #expect(digits.matches("0123") && !digits.matches("") && !digits.matches("١٢") && !digits.matches("12\n"))
    }

    /// Anything else goes to the regular expression engine.
    @Test func otherShapesAreNotSimple() {
        for pattern in [
            "[0-9]+", "^[0-9]+", "[0-9]+$", "^[^0-9]$", "^a|b$", "^(a)$", "^.$", "^[[:alpha:]]$", "^[:a:]$", "^\\w$", "^a+?$",
            "^a++$", "^[a&&b]$", "^[]$", "^[a$", "^a{2$", "^a{3,1}$", "^é$", "^\\p{L}$", "^[z-a]$", "^a{1234567}$",
        ] {
            #expect(SimplePattern(pattern) == nil, "\(pattern)")
        }
    }
}
