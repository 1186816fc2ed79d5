import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// Entity values cut from a string of the row's data, stored as spans (schema 39,
/// `CompactEntities+Spans`): a mail's sender address inside its `from` header, a link inside
/// its body. Each list expands to its canonical bytes, and `lake_records` cuts the same text.
@Suite struct CompactEntitySpansTests {
    typealias Paths = CompactEntityPathsTests

    /// `list` stored against `data`, as text.
    static func stored(_ list: [UInt8], _ data: [UInt8]) -> String {
        String(decoding: CompactAnnotations.compactEntities(list, data: data), as: UTF8.self)
    }

    /// The entities `lake_records` gives for a row of `data` and `list`, and what the row stores.
    static func viewed(_ list: [UInt8], data: [UInt8], in dir: String) throws -> (view: [UInt8], raw: String?) {
        let lake = try Lake(directory: dir, create: true)
        var line = try JSONValueReader.parse(Array(Paths.lineTemplate.utf8))
        line = line.setting("data", try JSONValueReader.parse(data)).setting("entities", try JSONValueReader.parse(list))
        try lake.inTransaction { try lake.recordInserter(jobID: "j").insert(try RecordRow(line: CanonicalJSON.encode(line))) }
        var raw: String?, view: [UInt8] = []
        try lake.database.prepare("SELECT entities FROM records").forEachRow { raw = $0.text(0) }
        try lake.database.prepare("SELECT entities FROM lake_records").forEachRow { view = $0.bytes(0) }
        var exported: [UInt8] = []
        try lake.export { exported = $0 }
        #expect(try JSONValueReader.parse(exported)["entities"] == JSONValueReader.parse(list))
        return (view, raw)
    }

    /// The address is characters 6 to 20 of `from` (member 1), the link characters 5 to 34 of
    /// the body (member 0; `\n` is one character); the name, 5 bytes as a string, stays one
    /// (its span would be longer).
    @Test func aMailsAddressAndLinkAreStoredAsSpans() throws {
        let data = Array(#"{"body":"Hi\n\nhttps://mail.example.org/r/aEkcMp","from":"Wei <wei@example.org>","subject":"x"}"#.utf8)
        let list = Paths.entities([
            ("email", "header", "wei@example.org"), ("url", "pattern", "https://mail.example.org/r/aEkcMp"), ("person", "header", "Wei"),
        ])
        #expect(Self.stored(list, data) == #"[[3,3,[1,-6,15]],[1,2,[0,-5,33]],[2,3,"Wei"]]"#)
        #expect(CompactAnnotations.expandEntities(CompactAnnotations.compactEntities(list, data: data), data: data) == list)
        let dir = TestPaths.scratch("entity-spans-mail")
        defer { TestPaths.remove(dir) }
        let (view, raw) = try Self.viewed(list, data: data, in: dir)
        #expect(raw == Self.stored(list, data))
        #expect(view == list)
    }

    /// Characters, not bytes: after two CJK characters and a space the link starts at
    /// character 4 (from 1), and SQLite's `substr` cuts the same; an escape counts once.
    @Test func spansCountCharacters() throws {
        let data = Array(#"{"a":"東京 https://example.com/東京/abcdefgh","b":"\t\"q\" https://example.org/abcdefghijk"}"#.utf8)
        let list = Paths.entities([
            ("url", "pattern", "https://example.com/東京/abcdefgh"), ("url", "pattern", #"\"q\" https://example.org/abcdefghijk"#),
        ])
        #expect(Self.stored(list, data) == "[[1,2,[0,-4,31]],[1,2,[1,-2,35]]]")
        #expect(CompactAnnotations.expandEntities(CompactAnnotations.compactEntities(list, data: data), data: data) == list)
        let dir = TestPaths.scratch("entity-spans-characters")
        defer { TestPaths.remove(dir) }
        #expect(try Self.viewed(list, data: data, in: dir).view == list)
    }

    /// The first string in document order holding the value is taken (a member's strings
    /// before a later member), at its first place; a run that starts inside an escape is no
    /// place (`\\nbbb…` holds the bytes of `\nbbb…` from its second byte); a string with a
    /// `\u0000` is never cut (SQLite's text functions stop at a NUL).
    @Test func theFirstPlaceAtACharacterIsTaken() {
        let data = Array(#"{"a":{"b":"see https://x.org/abcdefghij, https://x.org/abcdefghij"},"c":"https://x.org/abcdefghij too"}"#.utf8)
        let link = Paths.entities([("url", "pattern", "https://x.org/abcdefghij")])
        #expect(Self.stored(link, data) == "[[1,2,[0,0,-5,24]]]")
        let escaped = Array(#"{"a":"a\\nbbbbbbbbbbbbbbbbbbbb"}"#.utf8)
        let newline = Paths.entities([("url", "pattern", #"\nbbbbbbbbbbbbbbbbbbbb"#)])
        #expect(Self.stored(newline, escaped) == #"[[1,2,"\nbbbbbbbbbbbbbbbbbbbb"]]"#)
        let real = Array(#"{"a":"a\nbbbbbbbbbbbbbbbbbbbb"}"#.utf8)
        #expect(Self.stored(newline, real) == "[[1,2,[0,-2,21]]]")
        #expect(CompactAnnotations.expandEntities(CompactAnnotations.compactEntities(newline, data: real), data: real) == newline)
        let nul = Array(#"{"a":"\u0000 https://x.org/abcdefghij"}"#.utf8)
        #expect(Self.stored(link, nul) == #"[[1,2,"https://x.org/abcdefghij"]]"#)
    }

    /// A span that passes the end of its string, starts at 0, cuts a number, or is not two
    /// numbers after the steps leaves the list as it is (the record's checksum then fails).
    @Test func aBadSpanExpandsToNothing() {
        let data = Array(#"{"a":"abcdef","b":{"c":"xyz"},"d":7}"#.utf8)
        #expect(
            CompactAnnotations.expandEntities(Array("[[1,1,[0,-2,3]],[1,1,[1,0,-1,3]]]".utf8), data: data)
                == Paths.entities([("url", "source", "bcd"), ("url", "source", "xyz")]))
        for bad in [
            "[[1,1,[0,-5,3]]]", "[[1,1,[0,-7,1]]]", "[[1,1,[0,-0,3]]]", "[[1,1,[0,-1,0]]]", "[[1,1,[2,-1,1]]]", "[[1,1,[1,-1,1]]]",
            "[[1,1,[0,-1]]]", "[[1,1,[-1,1]]]", "[[1,1,[0,-1,1,2]]]", "[[1,1,[0,-1,-1]]]", "[[1,1,[0,1,-1,1]]]",
            "[[1,1,[0,-01,1]]]", "[[1,1,[0,-1000000000,1]]]",
        ] {
            #expect(CompactAnnotations.expandEntities(Array(bad.utf8), data: data) == Array(bad.utf8), "\(bad)")
        }
    }

    /// `characterIndex` searches the bytes and counts characters up to a match; the walk over
    /// every character is the reference. Strings of escapes (a `\\` before `u0000` or `n`),
    /// multi-byte characters and repeats, needles cut from them at any byte (inside an escape
    /// or a character too) or made of the same pieces.
    @Test func theByteSearchFindsWhatTheWalkFinds() {
        let pieces = [
            "a", "b", "ab", "é", "東", "😀", #"\n"#, #"\\"#, #"\""#, #"\u0000"#, #"\u001f"#, "u0000", "n", " ", "https://x.org/",
        ]
        var checked = 0, found = 0
        for seed in SeededRandom.seeds(count: 4_000) {
            var random = SeededRandom(seed: seed)
            let text = (0..<Int.random(in: 0...14, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let quoted = Array(("\"" + text + "\"").utf8)
            var needle: [UInt8]
            if Bool.random(using: &random), quoted.count > 3 {
                let from = Int.random(in: 1..<(quoted.count - 1), using: &random)
                needle = Array(quoted[from..<Int.random(in: (from + 1)...(quoted.count - 1), using: &random)])
            } else {
                needle = Array((0..<Int.random(in: 1...3, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined().utf8)
            }
            quoted.withUnsafeBufferPointer { d in
                needle.withUnsafeBufferPointer { n in
                    let fast = CompactAnnotations.characterIndex(of: n, in: d, 0..<d.count)
                    #expect(fast == CompactAnnotations.characterIndexByWalking(of: n, in: d, 0..<d.count), "seed \(seed): \(text)")
                    if fast != nil { found += 1 }
                }
            }
            checked += 1
        }
        // Both answers occur often: the comparison is not of nils alone.
        #expect(found > checked / 8 && found < checked - checked / 10, "\(found) of \(checked)")
    }
}
