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
        #expect(MailHeaders.isNamed("K\u{212A}", "kk") && !MailHeaders.isNamed("kk\u{212A}", "kk"))
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

    /// Header values of address and parameter text decode as by the character path.
    @Test func encodedWordsDecodeAsByCharactersInHeaderText() {
        var random = SplitMix64(seed: 0xE2C0)
        for _ in 0..<5_000 {
            let s = Self.text(&random)
            #expect(MailHeaders.decodeEncodedWords(s) == MailHeaders.decodeEncodedWordsByCharacters(s), "\(Array(s.unicodeScalars))")
        }
    }

    /// Plain text is decoded on its bytes (`decodeEncodedWords(bytes:)`); the character path
    /// is the reference. Random texts of the pieces encoded words are made of: well-formed
    /// words in B and Q, either case, charsets with `*` language tags (and empty pieces),
    /// stray `=?`, `?` and `?=`, spaces and tabs between words, payloads with a space, an
    /// unknown encoding, accented and CJK text around them.
    @Test func encodedWordsDecodeOnBytesAsByCharacters() {
        let pieces = [
            "=?utf-8?B?Q2Fmw6k=?=", "=?UTF-8*en?b?w6k=?=", "=?*iso-8859-1?Q?Caf=E9?=", "=?iso-8859-1**de?q?a_b=E9?=", "=?", "?=", "?", "*",
            "utf-8", "B", "Q", "X", "Q2Fmw6k=", "Caf=E9", " ", "\t", "x", "\u{E9}", "\u{6771}", "=?utf-8?X?abc?=", "=?utf-8?Q?a b?=",
            "=?utf-8?Q??=", "=??Q?a?=",
        ]
        var random = SplitMix64(seed: 0xE3D5)
        var decoded = 0
        for _ in 0..<8_000 {
            let s = (0..<Int(random.next() % 8)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let byBytes = MailHeaders.decodeEncodedWords(s)
            #expect(byBytes == MailHeaders.decodeEncodedWordsByCharacters(s), "\(Array(s.unicodeScalars))")
            if byBytes != s { decoded += 1 }
        }
        #expect(decoded > 2_000)
    }

    /// Multipart bodies are cut into parts by byte ranges; the line-by-line split (each line a
    /// slice, appended to its part) is the reference. Random bodies of boundary lines (closing,
    /// with trailing blanks, longer, indented), text lines that start like one, CRLF and LF,
    /// and no final line break.
    @Test func multipartPartsAreTheLineByLineSplit() {
        func reference(_ body: [UInt8], boundary: String) -> [[UInt8]] {
            let marker = Array(("--" + boundary).utf8)
            func dropBreak(_ p: [UInt8]) -> [UInt8] {
                var p = p
                if p.last == 0x0A { p.removeLast() }
                if p.last == 0x0D { p.removeLast() }
                return p
            }
            var lines: [ArraySlice<UInt8>] = []
            var start = 0
            for i in 0..<body.count where body[i] == 0x0A {
                lines.append(body[start...i])
                start = i + 1
            }
            if start < body.count { lines.append(body[start...]) }
            var parts: [[UInt8]] = []
            var current: [UInt8]?
            for line in lines {
                var content = line
                while let l = content.last, l == 0x0A || l == 0x0D || l == 0x20 || l == 0x09 { content.removeLast() }
                if content.starts(with: marker) {
                    let tail = content.dropFirst(marker.count)
                    if tail.elementsEqual([0x2D, 0x2D]) {
                        if let c = current { parts.append(dropBreak(c)) }
                        return parts
                    }
                    if tail.isEmpty {
                        if let c = current { parts.append(dropBreak(c)) }
                        current = []
                        continue
                    }
                }
                current?.append(contentsOf: line)
            }
            if let c = current { parts.append(dropBreak(c)) }
            return parts
        }
        let pieces = ["--b", "--b--", "--b \t", "--b-- ", "--bx", " --b", "--", "-", "text", "", "é", "\r", "--b--x"]
        var random = SplitMix64(seed: 0x6D70)
        var split = 0
        for _ in 0..<5_000 {
            let lines = (0..<Int(random.next() % 9)).map { _ in
                pieces[Int(random.next() % UInt64(pieces.count))] + ["\n", "\r\n", "\n\n", ""][Int(random.next() % 4)]
            }
            let body = Array(lines.joined().utf8)
            let parts = MailMessage.Collector.splitMultipart(body, boundary: "b")
            #expect(parts == reference(body, boundary: "b"), "\(String(decoding: body, as: UTF8.self).debugDescription)")
            if parts.count > 1 { split += 1 }
        }
        #expect(split > 100)
    }
}
