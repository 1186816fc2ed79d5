import LakeCore
import Testing
import _LakeTestSupport

@testable import LakeNormalize

/// `TextEntities.isEmailAddress` reads an ASCII token on its bytes; the character rules are the
/// reference.
@Suite struct EmailAddressTests {
    /// Random ASCII tokens of the bytes an address is made of, the ones around them, white
    /// space of every kind (CR LF among them) and controls: the byte path answers as the
    /// character path. Both answers occur often.
    @Test func asciiTokensAnswerAsTheCharacterRules() {
        let pieces = ["a", "Z", "0", "_", "-", ".", "@", " ", "\t", "\r\n", "\u{0B}", "\u{0C}", "\r", "\n", "+", "%", "!", "ex", "org"]
        var addresses = 0, checked = 0
        for seed in SeededRandom.seeds(count: 6_000) {
            var random = SeededRandom(seed: seed)
            var token = (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            if Bool.random(using: &random) { token = "ana" + token + "@ex.org" }
            if Int.random(in: 0..<4, using: &random) == 0 { token = "\u{7F}" + token }
            let expected = TextEntities.isEmailAddressByCharacters(token)
            #expect(TextEntities.isEmailAddress(token) == expected, "seed \(seed): \(token.debugDescription)")
            if expected { addresses += 1 }
            checked += 1
        }
        #expect(addresses > checked / 10 && addresses < checked - checked / 10, "\(addresses) of \(checked)")
    }

    /// A token that is not ASCII takes the character rules: an `@` with a combining mark is no
    /// `@`, and a domain of letters of any script is one.
    @Test func otherTokensTakeTheCharacterRules() {
        #expect(!TextEntities.isEmailAddress("ana@\u{301}ex.org"))
        #expect(TextEntities.isEmailAddress("ana@exámple.org"))
        #expect(TextEntities.isEmailAddress("ana\u{A0}b@ex.org") == TextEntities.isEmailAddressByCharacters("ana\u{A0}b@ex.org"))
    }
}
