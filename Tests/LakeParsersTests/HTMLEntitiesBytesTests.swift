import LakeCore
@testable import LakeParsers
import Testing

/// `HTMLEntities.decode` on bytes against the decoding character by character it stands in for:
/// the same bytes for every text it takes, and it takes only valid UTF-8 whose scalars are all
/// below U+0300.
@Suite struct HTMLEntitiesBytesTests {
    static let pieces: [String] = [
        "&", ";", "&amp;", "&amp", "&eacute;", "&Eacute;", "&nbsp;", "&emsp;", "&NotANamedOne;", "&#65;", "&#x1F600;", "&#X41;",
        "&#0;", "&#xD800;", "&#+5;", "&#-5;", "&#;", "&#x;", "&amp;\u{301}", "&\u{301}amp;", "Caf\u{E9}", "a", " ", "\r\n",
        "\u{2FF}", "\u{300}", "\u{5B66}", "\u{1F600}", "0123456789abcdefghijklmnopqrstuvwxyz", "\u{E9}\u{E9}\u{E9}\u{E9}",
    ]

    @Test func bytesGiveWhatCharactersGive() {
        var random = SplitMix64(seed: 59)
        var byBytes = 0
        for _ in 0..<20_000 {
            var bytes = Array(
                (0..<Int(random.next() % 10)).map { _ in Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }
                    .joined().utf8)
            // Now and then a byte that is no UTF-8 where it stands.
            if random.next() % 10 == 0, !bytes.isEmpty {
                bytes[Int(random.next() % UInt64(bytes.count))] = [0xC3, 0x80, 0xFF][Int(random.next() % 3)]
            }
            let expected = HTMLEntities.decodeCharacters(bytes)
            #expect(Array(HTMLEntities.decode(bytes).utf8) == Array(expected.utf8), "\(bytes)")
            if let fast = HTMLEntities.decodeBytes(bytes) {
                byBytes += 1
                #expect(Array(fast.utf8) == Array(expected.utf8), "\(bytes)")
                #expect(String(validatingUTF8: bytes.map { CChar(bitPattern: $0) } + [0]) != nil)
            }
        }
        #expect(byBytes > 2_000)
    }

    @Test func namesLowerCaseAsUnicodeDoes() {
        var random = SplitMix64(seed: 61)
        let pieces = ["A", "z", "Z", "DIV", "Class", "-", "@", "[", "`", "{", "\u{C9}", "\u{130}", "\u{3A3}", "\u{1E9E}"]
        for _ in 0..<5_000 {
            let name = (0..<Int(random.next() % 6)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            #expect(ASCIICase.lowercased(ArraySlice(name.utf8)) == name.lowercased(), "\(name)")
            if name.utf8.allSatisfy({ $0 < 0x80 }) { #expect(ASCIICase.uppercasedASCII(name.utf8) == name.uppercased(), "\(name)") }
        }
    }

    @Test func referencesDecode() {
        #expect(
            HTMLEntities.decode(Array("Caf&eacute; &amp; Code &#x1F600; &#0; &bogus; &amp".utf8)) == "Café & Code 😀 \u{FFFD} &bogus; &amp")
    }
}
