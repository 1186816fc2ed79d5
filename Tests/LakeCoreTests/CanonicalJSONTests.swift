@testable import LakeCore
import Testing
import Foundation

@Suite struct CanonicalJSONTests {
    func canon(_ v: JSONValue) -> String { CanonicalJSON.string(v) }

    @Test func keysSortByCodePointNotByUTF16OrSwiftOrder() {
        // U+FF21 (FULLWIDTH A) sorts before U+1F600 by code point, after it in UTF-16 order.
        let v: JSONValue = .object([
            .init("😀", .number("1")), .init("Ａ", .number("2")), .init("z", .number("3")), .init("Z", .number("4")),
            .init("é", .number("5")), .init("", .number("6")),
        ])
        #expect(canon(v) == #"{"":6,"Z":4,"z":3,"é":5,"Ａ":2,"😀":1}"#)
    }

    @Test func minimalEscaping() {
        let s = "q\" b\\ \u{08}\u{0C}\n\r\t \u{01}\u{1F} / \u{7F} \u{2028} é"
        #expect(canon(.string(s)) == "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f / \u{7F} \u{2028} é\"")
    }

    @Test func stringsAndKeysAreNFC() {
        let nfd = "e\u{301}"
        let out = canon(.object([.init(nfd, .string("A\u{30A}"))]))
        #expect(Array(out.utf8) == Array("{\"\u{E9}\":\"\u{C5}\"}".utf8))
    }

    @Test func duplicateKeysLastWinsAfterNFC() {
        let v: JSONValue = .object([
            .init("a", .number("1")), .init("e\u{301}", .number("2")), .init("a", .number("3")), .init("\u{E9}", .number("4")),
        ])
        #expect(canon(v) == "{\"a\":3,\"\u{E9}\":4}")
    }

    @Test func numbersAndLiteralsAsSpelled() {
        let v: JSONValue = .array([
            .number("1.50"), .number("-0"), .number("1e400"), .bool(true), .bool(false), .null, .array([]), .object([]),
        ])
        #expect(canon(v) == "[1.50,-0,1e400,true,false,null,[],{}]")
    }

    @Test func equalityComparesScalarsNotCanonicalEquivalence() {
        #expect(JSONValue.string("e\u{301}") != JSONValue.string("\u{E9}"))
        #expect(JSONValue.string("\u{E9}") == JSONValue.string("\u{E9}"))
    }
    /// A text the normalizer takes in pieces normalizes as it does whole: random texts of Latin
    /// letters, combining marks (ordered and not), Hangul jamo and syllables, emoji, cut into
    /// pieces of a few bytes (the pieces of a real text are 256 MiB).
    @Test func nfcInPiecesIsNFCWhole() {
        let alphabet: [Unicode.Scalar] = [
            "a", "e", " ", "\u{301}", "\u{327}", "\u{323}", "\u{302}", "\u{1100}", "\u{1161}", "\u{11A8}", "\u{AC00}", "😀",
            "\u{212B}", "\u{F900}",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var changed = 0
        for n in 0..<2000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<(next() % 40) { text.append(alphabet[next() % alphabet.count]) }
            let bytes = Array(String(text).utf8)
            let whole = bytes.withUnsafeBufferPointer { CanonicalJSON.nfcBytes($0) } ?? bytes
            #expect(whole == Array(CanonicalJSON.nfc(String(text)).utf8))
            if whole != bytes { changed += 1 }
            for piece in [4, 5, 7, 16, 33] {
                let pieces = bytes.withUnsafeBufferPointer { CanonicalJSON.nfcBytes($0, piece: piece) } ?? bytes
                #expect(pieces == whole, "text \(n), pieces of \(piece)")
            }
        }
        // Most texts change: the comparison is not between texts left as they were.
        #expect(changed > 1000)
    }

    /// The escaper, eight bytes at a time, against the rules byte by byte: every byte that needs
    /// an escape and its neighbours (0x1F, 0x20, 0x21, 0x23, 0x5B, 0x5D), UTF-8 lead and
    /// continuation bytes, and DEL, at every position of texts up to 40 bytes.
    @Test func escapingWordsAtATimeIsEscapingByteByByte() {
        func reference(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for b in bytes {
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x08: out += [0x5C, 0x62]
                case 0x0C: out += [0x5C, 0x66]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                case ..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
                default: out.append(b)
                }
            }
            return out + [0x22]
        }
        let alphabet: [UInt8] = [
            0x00, 0x01, 0x08, 0x09, 0x0A, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x61, 0x7F, 0x80, 0xC3, 0xA9, 0xFF,
        ]
        var rng = SplitMix64(seed: 0xE5C)
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 41)
            // Mostly plain letters, so that whole words pass untouched between escapes.
            let bytes = (0..<length).map { _ in rng.next() % 4 == 0 ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : 0x61 }
            var out: [UInt8] = []
            bytes.withUnsafeBufferPointer { CanonicalJSON.writeEscaped($0, into: &out) }
            #expect(out == reference(bytes), "\(bytes)")
        }
    }
}
