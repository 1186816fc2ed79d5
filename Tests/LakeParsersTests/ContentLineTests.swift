import LakeCore
import Testing

@testable import LakeParsers

/// Content lines parsed from their bytes (`ContentLine.parseASCIIHead`) against the general
/// parse by `Character`s, on seeded random lines over quotes, colons, semicolons, dots, equals
/// signs, line breaks, accented letters and combining marks (which join the character before
/// them: a colon followed by one is not a separator for the general parse).
@Suite struct ContentLineTests {
    static let alphabet = [
        "N", "a", "m", "E", "-", ".", ";", "=", ":", "\"", ",", " ", "1", "\r\n", "\\", "é", "\u{301}", "ß", "日", "\u{2FF}", "\u{300}",
        "\u{AD}", "\u{1F600}",
    ]

    @Test func theByteParseIsTheCharacterParse() {
        var random = SplitMix64(seed: 5)
        var fast = 0, found = 0
        for n in 0..<20_000 {
            let length = Int(random.next() % 24)
            // Mostly ASCII, so that both paths are taken often.
            let line = (0..<length).map { _ in
                let i = Int(random.next() % UInt64(Self.alphabet.count))
                return i >= 15 && random.next() % 3 != 0 ? "x" : Self.alphabet[i]
            }.joined()
            let general = ContentLine.parseCharacters(line)
            if let bytes = ContentLine.parseASCIIHead(line) {
                fast += 1
                #expect(bytes == general, "line \(n): \(line.debugDescription)")
            }
            #expect(ContentLine.parse(line) == general, "line \(n): \(line.debugDescription)")
            if general != nil { found += 1 }
        }
        // Both paths, and lines that parse as well as lines that do not.
        #expect(fast > 7_000 && fast < 19_000, "\(fast) by bytes")
        #expect(found > 4_000 && found < 19_000, "\(found) parsed")
    }

    @Test func namesParametersAndValuesFromEitherPath() {
        let ascii = ContentLine.parse("item1.tel;type=\"home,voice\";PREF:+49 30 1234:5")
        #expect(ascii == ContentLine(name: "TEL", parameters: ["TYPE": "home,voice,PREF"], value: "+49 30 1234:5"))
        let accented = ContentLine.parse("SUMMARY;LANGUAGE=de:Café am Fluß")
        #expect(accented == ContentLine(name: "SUMMARY", parameters: ["LANGUAGE": "de"], value: "Café am Fluß"))
        #expect(ContentLine.parse("NOTE;X-É=1:x") == ContentLine(name: "NOTE", parameters: ["X-É": "1"], value: "x"))
        #expect(ContentLine.parse("no colon here") == nil)
    }
}
