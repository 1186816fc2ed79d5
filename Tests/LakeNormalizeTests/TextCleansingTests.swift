import LakeCore
@testable import LakeNormalize
import Testing
import _LakeTestSupport

@Suite struct TextCleansingTests {
    @Test(arguments: [
        ("  hello  ", "hello"), ("a\r\nb\rc\nd", "a\nb\nc\nd"), ("tab\there", "tab\there"), ("nul\u{0}bell\u{7}", "nulbell"),
        ("C1\u{85}\u{9F}x", "C1x"), ("Cafe\u{301}", "Café"), ("\u{A0}\u{2003}nbsp\u{3000}", "nbsp"), ("\n\n text \n\t", "text"),
        ("", ""), ("\r\n", ""), ("del\u{7F}", "del"),
    ])
    func cleans(_ pair: (String, String)) {
        #expect(TextCleansing.clean(pair.0).unicodeScalars.elementsEqual(pair.1.unicodeScalars), "\(pair.0.debugDescription)")
    }

    /// A control character between a letter and a combining mark: removed before NFC, so the
    /// result composes and cleaning again changes nothing.
    @Test func controlsGoBeforeNormalization() {
        let once = TextCleansing.clean("e\u{0}\u{301}")
        #expect(once.unicodeScalars.elementsEqual("é".unicodeScalars))
        #expect(TextCleansing.clean(once).unicodeScalars.elementsEqual(once.unicodeScalars))
    }

    /// Idempotence over seeded random texts mixing controls, line breaks, white space,
    /// combining marks, Hangul jamo and letters.
    @Test func idempotent() {
        let alphabet: [Character] = [
            "a", "e", "Z", " ", "\t", "\n", "\r", "\r\n", "\u{0}", "\u{1B}", "\u{85}", "\u{A0}", "\u{2028}",
            "\u{301}", "\u{308}", "\u{327}", "\u{1100}", "\u{1161}", "\u{11A8}", "\u{3000}", "ß", "日", "\u{FEFF}",
        ]
        for seed in SplitMix64.seeds(count: 2000) {
            var rng = SplitMix64(seed: seed)
            let text = rng.string(from: alphabet, maxLength: 24)
            let once = TextCleansing.clean(text)
            #expect(TextCleansing.clean(once).unicodeScalars.elementsEqual(once.unicodeScalars), "seed \(seed): \(text.debugDescription)")
            #expect(!once.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "seed \(seed)")
        }
    }
}
