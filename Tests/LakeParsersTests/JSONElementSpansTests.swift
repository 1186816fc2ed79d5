import Testing
import _LakeTestSupport

@testable import LakeParsers

/// `JSONElementSpans.end` against the rule it implements, read byte by byte: for any bytes at
/// all, valid JSON or not, the same end or the same nil.
@Suite struct JSONElementSpansTests {
    /// The rule, one byte at a time: a string runs to the next quote no backslash escapes (a
    /// backslash takes the byte after it), brackets count outside strings, and at depth 0 a
    /// string, a closing bracket or a comma ends the element (whitespace before it not included).
    static func reference(_ s: [UInt8], from: Int) -> Int? {
        func trimmed(_ end: Int) -> Int {
            var e = end
            while e > from, [0x20, 0x0A, 0x0D, 0x09].contains(s[e - 1]) { e -= 1 }
            return e
        }
        var p = from, depth = 0
        while p < s.count {
            switch s[p] {
            case UInt8(ascii: "\""):
                p += 1
                while p < s.count, s[p] != UInt8(ascii: "\"") { p += s[p] == UInt8(ascii: "\\") ? 2 : 1 }
                guard p < s.count else { return nil }
                if depth == 0 { return trimmed(p + 1) }
            case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 { return trimmed(p) }
                depth -= 1
                if depth == 0 { return p + 1 }
            case UInt8(ascii: ","): if depth == 0 { return trimmed(p) }
            default: break
            }
            p += 1
        }
        return nil
    }

    /// Random bytes from pieces that matter to the rule (quotes, runs of backslashes, brackets,
    /// commas, whitespace, letters, a byte above 0x7F), long enough to span several words.
    static func bytes(_ rng: inout SeededRandom) -> [UInt8] {
        let pieces = [
            "\"", "\\", "\\\\", "\\\"", "[", "]", "{", "}", ",", " ", "\n", "a", "bc", "12", ":", "é", "\"k\":", "[[", "]]",
            "\"\\\\\"", "    ", "null",
        ].map { Array($0.utf8) }
        var out: [UInt8] = [[UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\""), UInt8(ascii: "1")].randomElement(using: &rng)!]
        for _ in 0..<Int.random(in: 0...60, using: &rng) { out += pieces.randomElement(using: &rng)! }
        return out
    }

    @Test func anyBytesEndWhereTheRuleSays() {
        var rng = SeededRandom(seed: 0x5AA5)
        var ended = 0, open = 0
        for n in 0..<20_000 {
            let s = Self.bytes(&rng)
            let expected = Self.reference(s, from: 0)
            let got = s.withUnsafeBufferPointer { JSONElementSpans.end(of: $0, from: 0) }
            #expect(got == expected, "case \(n): \(String(decoding: s, as: UTF8.self))")
            if expected == nil { open += 1 } else { ended += 1 }
        }
        #expect(ended > 2000 && open > 2000, "\(ended) ended, \(open) ran out")
    }

    /// `end` reads eight bytes at a time: with the element at every offset of a word, and with
    /// the bytes ending at every point inside it, a valid element is found whole or not at all.
    @Test func containersAtEveryOffsetAndLength() {
        let element = Array(#"{"a":"x]\"y\\","b":[1,{"c":"}"}],"d":"\\\"","e":{}}"#.utf8)
        for pad in 0..<9 {
            let s = [UInt8](repeating: 0x20, count: pad) + element + Array(", 2]".utf8)
            let end = s.withUnsafeBufferPointer { JSONElementSpans.end(of: $0, from: pad) }
            #expect(end == pad + element.count, "pad \(pad)")
            for cut in pad..<(pad + element.count) {
                let short = Array(s[0..<cut])
                #expect(short.withUnsafeBufferPointer { JSONElementSpans.end(of: $0, from: pad) } == nil, "pad \(pad), cut \(cut)")
            }
        }
    }
}
