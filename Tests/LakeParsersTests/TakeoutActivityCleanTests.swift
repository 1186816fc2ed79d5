import LakeCore
@testable import LakeParsers
import Testing

/// The byte path of `TakeoutActivityReader.clean` against the path by characters it stands in
/// for: the same text for every string it takes, and it takes only strings whose scalars are
/// all below U+0300.
@Suite struct TakeoutActivityCleanTests {
    /// Pieces a line of a page is made of: words, every space `clean` knows, CR LF, and scalars
    /// that join the one before them into a character (combining marks, ZWJ) or the one after
    /// (an Arabic prepended mark), beside Latin-1, Latin Extended, CJK and an emoji.
    static let pieces: [String] = [
        "\u{2001}", "\u{2004}", "\u{20AC}", "\u{2002}\u{301}",
        "a", "Watched", "Caf\u{E9}", "\u{17E}", "\u{2C0}", "K\u{F6}ln", "\u{5B66}", "\u{1F600}", "-", ":", "&",
        " ", "  ", "\t", "\n", "\r", "\r\n", "\u{A0}", "\u{2002}", "\u{2003}", "\u{202F}", "\u{2009}",
        "\u{301}", "\u{200D}", "\u{600}", "\u{85}", "\u{2FF}", "\u{300}",
    ]

    @Test func bytesGiveWhatCharactersGive() {
        var random = SplitMix64(seed: 47)
        var byBytes = 0
        for _ in 0..<20_000 {
            let count = Int(random.next() % 12)
            let s = (0..<count).map { _ in Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }.joined()
            let expected = TakeoutActivityReader.cleanCharacters(s)
            #expect(TakeoutActivityReader.clean(s) == expected, "\(Array(s.unicodeScalars))")
            var copy = s
            let fast = copy.withUTF8 { TakeoutActivityReader.cleanBytes($0) }
            if let fast {
                byBytes += 1
                #expect(fast == expected)
                // Its bytes, not only an equal string: `==` would let a canonical equivalent pass.
                #expect(Array(fast.utf8) == Array(expected.utf8))
            }
            let spaces: Set<UInt32> = [0x2002, 0x2003, 0x202F]
            #expect((fast != nil) == s.unicodeScalars.allSatisfy { $0.value < 0x300 || spaces.contains($0.value) })
        }
        // Most strings of the pieces below U+0300 go by bytes (not a trivial agreement).
        #expect(byBytes > 2_000)
    }

    /// A tag's class list answers as the set of its space-separated names does.
    @Test func classListsAnswerAsSetsOfNames() {
        let names: [StaticString] = ["outer-cell", "mdl-typography--title", "content-cell", "mdl-cell", "x"]
        let pieces = names.map(\.description) + [" ", "  ", "\t", "\r\n", "outer", "-cell", "\u{301}", "\u{E9}", "outer-cell\u{301}"]
        var random = SplitMix64(seed: 53)
        var found = 0
        for _ in 0..<5_000 {
            let attribute = (0..<Int(random.next() % 6)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let list = TakeoutActivityReader.ClassList(["class": attribute])
            let set = Set(attribute.split(separator: " "))
            for name in names {
                #expect(list.contains(name) == set.contains(Substring(name.description)), "\(attribute.debugDescription) \(name)")
                if list.contains(name) { found += 1 }
            }
        }
        #expect(found > 500)
        #expect(!TakeoutActivityReader.ClassList([:]).contains("outer-cell"))
    }

    @Test func aLineOfAPage() {
        #expect(TakeoutActivityReader.clean("\n  Watched\u{A0} Caf\u{E9}\t&amp;\r\n Code ") == "Watched Caf\u{E9} &amp; Code")
        #expect(TakeoutActivityReader.clean(" \u{A0}\r\n") == "")
        #expect(TakeoutActivityReader.clean("\u{2003}YouTube") == "YouTube")
    }
}
