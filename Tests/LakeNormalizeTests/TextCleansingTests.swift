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

    /// The ASCII path gives exactly what the rules on scalars give: every text of up to three
    /// characters over the ASCII that matters (controls, CR, LF, tab, space, DEL, a letter),
    /// then seeded longer ones. A clean text comes back as the same string, unallocated.
    @Test func theASCIIPathIsTheScalarRules() {
        let alphabet: [String] = ["a", " ", "\t", "\n", "\r", "\u{0}", "\u{B}", "\u{C}", "\u{1F}", "\u{7F}", "~"]
        func check(_ text: String) {
            var copy = text
            let fast = copy.withUTF8(TextCleansing.cleanASCII)
            #expect(fast != nil, "\(text.debugDescription) is ASCII")
            let expected = TextCleansing.cleanScalars(text)
            #expect(((fast ?? nil) ?? text).unicodeScalars.elementsEqual(expected.unicodeScalars), "\(text.debugDescription)")
            #expect(TextCleansing.clean(text).unicodeScalars.elementsEqual(expected.unicodeScalars))
        }
        check("")
        Self.texts(of: alphabet, seeded: 2000, check)
        var nonASCII = "café"
        #expect(nonASCII.withUTF8(TextCleansing.cleanASCII) == nil)
    }

    /// The rules as SPEC states them, scalar by scalar: the definition the byte path is held to.
    static func byScalars(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for s in text.unicodeScalars {
            defer { previousCR = s == "\r" }
            switch s.value {
            case 0x0D: scalars.append("\n")
            case 0x0A: if !previousCR { scalars.append(s) }
            case 0x09: scalars.append(s)
            case 0x00...0x1F, 0x7F...0x9F: continue
            default: scalars.append(s)
            }
        }
        var out = Substring(CanonicalJSON.nfc(String(scalars)))
        while let f = out.unicodeScalars.first, f.properties.isWhitespace { out.unicodeScalars.removeFirst() }
        while let l = out.unicodeScalars.last, l.properties.isWhitespace { out.unicodeScalars.removeLast() }
        return String(out)
    }

    /// `cleanScalars` (on the UTF-8) is the rules on scalars: every text of up to three
    /// characters over controls of both ranges, their neighbours (U+00A0, U+0100, DEL), CR, LF,
    /// marks and white space of both kinds, then seeded longer ones.
    @Test func theBytePathIsTheScalarRules() {
        let alphabet: [String] = [
            "a", " ", "\r", "\n", "\t", "\u{0}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "\u{100}", "e\u{301}", "\u{301}",
            "\u{3000}", "日", "\u{1F600}",
        ]
        func check(_ text: String) {
            #expect(
                TextCleansing.cleanScalars(text).unicodeScalars.elementsEqual(Self.byScalars(text).unicodeScalars),
                "\(text.debugDescription)")
        }
        Self.texts(of: alphabet, seeded: 3000, check)
    }

    /// `check` on every text of one to three strings of `alphabet`, then on `seeded` seeded
    /// texts of up to 40.
    static func texts(of alphabet: [String], seeded: Int, _ check: (String) -> Void) {
        for a in alphabet {
            check(a)
            for b in alphabet {
                check(a + b)
                for c in alphabet { check(a + b + c) }
            }
        }
        for seed in SplitMix64.seeds(count: seeded) {
            var rng = SplitMix64(seed: seed)
            check(rng.string(from: alphabet.map { Character($0) }, maxLength: 40))
        }
    }
}
