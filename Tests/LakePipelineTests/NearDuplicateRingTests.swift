import LakeStore
import LakeValidate
import Testing
import _LakeTestSupport

@testable import LakePipeline

/// The near pass's ring of bucket members against a plain array of the last `window` members:
/// the same near members with the same similarities, through replacements and the arena's
/// compactions (thousands of members of up to 300 shingles each), and fingerprints that rule
/// out most pairs but never a near one.
@Suite struct NearDuplicateRingTests {
    /// A member: shingles from a small alphabet so that some pairs are near, or no record.
    static func member(_ n: Int, _ rng: inout SeededRandom) -> NearDuplicateScratch.First? {
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
        return .init(
            position: .init(input: "in", inputSHA256: "", path: "p", index: n, id: String(n)),
            shingles: Array(Set(shingles)).sorted())
    }

    @Test(arguments: [1, 7, 100])
    func findsWhatAPlainWindowFinds(window: Int) {
        var rng = SeededRandom(seed: UInt64(window))
        var ring = NearDuplicateRing(window: window)
        var plain: [NearDuplicateScratch.First?] = []
        var hits = 0
        for n in 0..<3000 {
            if n == 1500 {
                ring.removeAll()
                plain.removeAll()
            }
            let first = Self.member(n, &rng)
            let print = first.map { NearDuplicateRing.fingerprint($0.shingles) } ?? .init()
            if let first {
                var got: [String] = []
                ring.forEachNear(first.shingles, fingerprint: print) { got.append("\(ring.position($0).index) \($1)") }
                var expected: [String] = []
                for m in plain.suffix(window) {
                    guard let m, let s = NearDuplicates.similarityIfNear(m.shingles, first.shingles) else { continue }
                    expected.append("\(m.position.index) \(s)")
                }
                #expect(got.sorted() == expected.sorted(), "member \(n)")
                hits += got.count
                let members = (0..<ring.count).compactMap { ring.member($0)?.position.index }
                #expect(members.sorted() == plain.suffix(window).compactMap { $0?.position.index }.sorted())
            }
            ring.add(first, text: UInt64(n), fingerprint: print)
            plain.append(first)
        }
        #expect(hits > 0)
    }
}
