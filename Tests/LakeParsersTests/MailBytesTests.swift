import LakeCore
@testable import LakeParsers
import Testing

/// The mail header readers' byte paths (`MailBytes`) against the character paths they stand in
/// for, on random header values made of what addresses and parameters are made of, with the
/// text that must keep the character path mixed in: CR, LF and CR LF, combining marks, U+212A
/// (it lower-cases to ASCII `k`), CJK and emoji.
@Suite struct MailBytesTests {
    static let pieces: [String] = [
        "\"", "\\", "(", ")", "<", ">", ",", ";", ":", "@", "=", " ", "\t", ".", "-", "_", "a", "Z", "Jane", "DOE", "x@y.org",
        "Bob@Example.COM", "<j@EXAMPLE.net>", "\"Doe, Jane\"", "(comment)", "(it\"s)", "(a\\)b)", "\"a\\\"b\"", "group:",
        "charset=\"UTF-8\"", "text/PLAIN",
        "boundary=", "name=\"a;b.txt\"", "Caf\u{E9}", "\u{C4}", "\u{DF}", "\u{141}", "\u{130}", "\u{2FF}", "\u{A0}", "\r", "\n",
        "\r\n", "\u{301}", "\u{300}", "\u{212A}", "\u{5B66}", "\u{1F600}", "=?", "?=", "=?utf-8?B?Q2Fmw6k=?=", "=?iso-8859-1?Q?Caf=E9?=",
    ]

    static func text(_ random: inout SplitMix64) -> String {
        (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }

    static func isPlain(_ s: String) -> Bool { MailBytes.isPlain(s) }

    @Test func addressesGiveWhatCharactersGive() {
        var random = SplitMix64(seed: 0x3A11)
        var plain = 0
        for _ in 0..<20_000 {
            let s = Self.text(&random)
            if Self.isPlain(s) { plain += 1 }
            #expect(MailAddresses.parse(s) == MailAddresses.parseCharacters(s), "\(Array(s.unicodeScalars))")
        }
        #expect(plain > 2_000)
    }

    @Test func parametersGiveWhatCharactersGive() {
        var random = SplitMix64(seed: 0x9A2A)
        for _ in 0..<20_000 {
            let s = Self.text(&random)
            let bytes = MailHeaders.parameters(s), characters = MailHeaders.parametersOfCharacters(s)
            #expect(bytes.value == characters.value && bytes.parameters == characters.parameters, "\(Array(s.unicodeScalars))")
        }
    }

    /// Only text whose characters are single scalars, without CR or LF, takes the byte paths.
    @Test func plainIsSingleScalarTextWithoutLineBreaks() {
        var random = SplitMix64(seed: 0x71A1)
        for _ in 0..<5_000 {
            let s = Self.text(&random)
            let expected = !s.utf8.contains(0x0A) && !s.utf8.contains(0x0D) && s.unicodeScalars.allSatisfy { $0.value < 0x300 }
            #expect(Self.isPlain(s) == expected, "\(Array(s.unicodeScalars))")
        }
    }

    @Test func headerNamesCompareAsLowerCasedNames() {
        var random = SplitMix64(seed: 0x4E4D)
        let names = ["content-type", "subject", "x-gm-thrid", "k", "ka"]
        for _ in 0..<20_000 {
            let s = Self.text(&random)
            for lower in names + [s.lowercased()] {
                #expect(MailHeaders.isNamed(s, lower) == (s.lowercased() == lower), "\(Array(s.unicodeScalars)) \(lower)")
            }
        }
        #expect(MailHeaders.isNamed("\u{212A}", "k"))
        #expect(MailHeaders.isNamed("Content-TYPE", "content-type"))
        #expect(!MailHeaders.isNamed("Content-Typ", "content-type"))
    }

    /// The early returns of the trimmings give what trimming character by character gives.
    @Test func trimmingsGiveWhatTheirLoopsGive() {
        var random = SplitMix64(seed: 0x7121)
        for _ in 0..<20_000 {
            let s = Self.text(&random)
            #expect(s.trimmingFoldingWhitespace() == s.trimming(anyOf: " \t\r\n"), "\(Array(s.unicodeScalars))")
            var t = Substring(s)
            while let l = t.last, l.isLayoutSpace { t.removeLast() }
            #expect(s.trimmingTrailingWhitespace() == String(t), "\(Array(s.unicodeScalars))")
        }
    }

    /// Encoded words found by the byte search decode as with Foundation's search.
    @Test func encodedWordsDecodeAsWithFoundationsSearch() {
        var random = SplitMix64(seed: 0xE2C0)
        for _ in 0..<5_000 {
            let s = Self.text(&random)
            var rest = Substring(s)
            while let found = MailHeaders.search("=?", in: rest, bytes: true), Self.isPlain(s) {
                #expect(found == rest.range(of: "=?"), "\(Array(s.unicodeScalars))")
                rest = rest[found.upperBound...]
            }
            if Self.isPlain(s) { #expect(rest.range(of: "=?") == nil) }
            #expect(MailHeaders.decodeEncodedWords(s) == MailHeaders.decodeEncodedWords(s, plain: false), "\(Array(s.unicodeScalars))")
        }
    }
}
