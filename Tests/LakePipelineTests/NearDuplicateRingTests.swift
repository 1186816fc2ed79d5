import CKernels
import LakeStore
import LakeValidate
import Testing
import _LakeTestSupport

@testable import LakePipeline

/// The near pass's ring of bucket members against a plain array of the last `window` members,
/// through replacements (thousands of members of up to 300 shingles each): the ring holds the
/// same members, and its candidates include every near member while the fingerprints rule out
/// most of the rest.
@Suite struct NearDuplicateRingTests {
    /// A member's sorted shingles, from a small alphabet so that some pairs are near; nil for no
    /// record.
    static func member(_ rng: inout SeededRandom) -> [UInt64]? {
        if rng.next() % 17 == 0 { return nil }
        let base = UInt64(rng.next() % 3) * 1000
        let size = 20 + Int(rng.next() % 280)
        var shingles = (0..<UInt64(size)).map { base + $0 }
        // A few shingles replaced: near the others from the same base and of close size, or not.
        for _ in 0..<Int(rng.next() % 4) { shingles[Int(rng.next() % UInt64(size))] = 10_000 + rng.next() % 50 }
        // Spread over 64 bits as hashes are, so that the fingerprints tell pairs apart.
        shingles = shingles.map { x in
            let m = (x &+ 1) &* 0x9E37_79B9_7F4A_7C15
            return m ^ (m >> 29)
        }
        return Array(Set(shingles)).sorted()
    }

    @Test(arguments: [1, 7, 100])
    func keepsEveryNearMemberAmongItsCandidates(window: Int) {
        var rng = SeededRandom(seed: UInt64(window))
        var ring = NearDuplicateRing(window: window)
        var plain: [(text: UInt64, shingles: [UInt64]?)] = []
        var near = 0, candidates = 0, pairs = 0
        for n in 0..<3000 {
            if n == 1500 {
                ring.removeAll()
                plain.removeAll()
            }
            let shingles = Self.member(&rng)
            let print = shingles.map { NearDuplicateRing.fingerprint($0) } ?? .init()
            if let shingles {
                var got: Set<UInt64> = []
                ring.forEachCandidate(size: shingles.count, fingerprint: print) { got.insert(ring.text($0)) }
                for m in plain.suffix(window) {
                    guard let other = m.shingles else {
                        #expect(!got.contains(m.text), "member \(n): a text with no record is no candidate")
                        continue
                    }
                    pairs += 1
                    if NearDuplicates.similarityIfNear(other, shingles) != nil {
                        near += 1
                        #expect(got.contains(m.text), "member \(n): near member \(m.text) ruled out")
                    }
                }
                candidates += got.count
                let members = (0..<ring.count).map { "\(ring.text($0)) \(ring.size($0))" }
                #expect(members.sorted() == plain.suffix(window).map { "\($0.text) \($0.shingles?.count ?? -1)" }.sorted())
            }
            ring.add(text: UInt64(n), size: shingles?.count ?? -1, fingerprint: print)
            plain.append((UInt64(n), shingles))
        }
        #expect(near > 0)
        // The fingerprints rule out most pairs that are not near.
        #expect(candidates - near < (pairs - near) / 4, "\(candidates) candidates, \(near) near, \(pairs) pairs")
    }

    /// The C ring test: the dispatched loop (AVX-512 here when the processor has it, else the
    /// plain one built for POPCNT), the plain one, and the one built for POPCNT give the slots of
    /// a plain Swift definition, for every count up to 40 (the vector loop's tail lanes) and
    /// sizes around the allowed range, with fingerprints a few bits apart.
    @Test func theKernelsAreTheDefinition() {
        var rng = SeededRandom(seed: 7)
        let lo: Int64 = 90, hi: Int64 = 99
        let slackA = (lo...hi).map { _ in Int64(rng.next() % 5) }, slackB = (lo...hi).map { _ in Int64(rng.next() % 5) }
        var total = 0
        for count in 0...40 {
            for _ in 0..<50 {
                let pb = (0..<4).map { _ in rng.next() }
                let sizes = (0..<count).map { _ in Int64(85 + rng.next() % 20) }
                // Each slot's words: the probe's with up to four bits flipped at random.
                var words = (0..<4).map { _ in [UInt64](repeating: 0, count: count) }
                for i in 0..<count {
                    for w in 0..<4 { words[w][i] = pb[w] }
                    for _ in 0..<Int(rng.next() % 5) { words[Int(rng.next() % 4)][i] ^= 1 << (rng.next() % 64) }
                }
                var expected: [UInt32] = []
                for i in 0..<count where sizes[i] >= lo && sizes[i] <= hi {
                    let onlyA = (0..<4).reduce(0) { $0 + (words[$1][i] & ~pb[$1]).nonzeroBitCount }
                    let onlyB = (0..<4).reduce(0) { $0 + (pb[$1] & ~words[$1][i]).nonzeroBitCount }
                    if onlyA <= slackA[Int(sizes[i] - lo)] && onlyB <= slackB[Int(sizes[i] - lo)] { expected.append(UInt32(i)) }
                }
                total += expected.count
                let kernels = [
                    ("dispatched", dp_near_candidates), ("scalar", dp_near_candidates_scalar), ("POPCNT", dp_near_candidates_popcnt),
                ]
                for (name, kernel) in kernels {
                    var out = [UInt32](repeating: .max, count: count + 1)
                    let found = kernel(
                        sizes, words[0], words[1], words[2], words[3], count, pb[0], pb[1], pb[2], pb[3], lo, hi, slackA, slackB, &out)
                    #expect(
                        Array(out[0..<found]) == expected,
                        "\(name) loop, count \(count), vectorized here: \(dp_near_candidates_vectorized())")
                }
            }
        }
        #expect(total > 1000)
    }

    /// A fingerprint has, for each shingle, the bit its top two bits (the word) and next six
    /// bits (the bit in it) name, and no other.
    @Test func aFingerprintSetsTheBitEachShingleNames() {
        var rng = SeededRandom(seed: 7)
        for count in [0, 1, 2, 5, 40, 300] {
            let shingles = (0..<count).map { _ in rng.next() }
            var words = [UInt64](repeating: 0, count: 4)
            for h in shingles { words[Int(h / (1 << 62))] |= 1 << ((h / (1 << 56)) % 64) }
            let print = NearDuplicateRing.fingerprint(shingles)
            #expect([print[0], print[1], print[2], print[3]] == words, "\(count) shingles")
        }
        let one = NearDuplicateRing.fingerprint([(2 << 62) | (5 << 56) | 12_345])
        #expect(one == NearDuplicateRing.Fingerprint(0, 0, 1 << 5, 0))
    }
}
