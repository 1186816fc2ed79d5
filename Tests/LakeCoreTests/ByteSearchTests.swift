import LakeCore
import Testing
import _LakeTestSupport

/// `ByteSearch.first` against a search that compares at every index, and `ByteSearch.contains`
/// against the string's own view.
@Suite struct ByteSearchTests {
    /// Random haystacks and needles over a three-byte alphabet (so matches, near misses and
    /// overlaps are common), needles longer than the haystack, starts past a match and past
    /// the end, and the empty needle (no match).
    @Test func theFirstMatchAtOrAfterTheStart() {
        func naive(_ n: [UInt8], _ h: [UInt8], _ from: Int) -> Int? {
            guard !n.isEmpty, from >= 0 else { return nil }
            var i = from
            while i + n.count <= h.count {
                if Array(h[i..<(i + n.count)]) == n { return i }
                i += 1
            }
            return nil
        }
        var hits = 0
        for seed in SeededRandom.seeds(count: 3_000) {
            var random = SeededRandom(seed: seed)
            let h = (0..<Int.random(in: 0...30, using: &random)).map { _ in UInt8.random(in: 0x61...0x63, using: &random) }
            let n = (0..<Int.random(in: 0...4, using: &random)).map { _ in UInt8.random(in: 0x61...0x63, using: &random) }
            let from = Int.random(in: -1...(h.count + 1), using: &random)
            let found = h.withUnsafeBufferPointer { hb in n.withUnsafeBufferPointer { ByteSearch.first($0, in: hb, from: from) } }
            #expect(found == naive(n, h, from), "seed \(seed)")
            if found != nil { hits += 1 }
        }
        #expect(hits > 500)
    }

    /// A byte in a string: small and large strings, ASCII and not, a byte at the first and last
    /// place, a byte inside a multi-byte scalar, and a string made from a substring: the answer
    /// is always the view's.
    @Test func aByteInAStringAsItsViewHasIt() {
        let strings = [
            "", "&", "a&", "&a", "no entity here", String(repeating: "x", count: 200) + "&", "café &amp; thé", "\u{1F600}",
            String("prefix & suffix".dropFirst(3)), String(repeating: "é", count: 40),
        ]
        var hits = 0
        for s in strings {
            for byte: UInt8 in [0x26, 0x61, 0xA9, 0x98, 0x00, 0x78] {
                #expect(ByteSearch.contains(byte, in: s) == s.utf8.contains(byte), "\(s) \(byte)")
                if ByteSearch.contains(byte, in: s) { hits += 1 }
            }
        }
        #expect(hits > 10)
    }
}
