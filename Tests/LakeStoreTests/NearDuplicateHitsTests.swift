import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakeStore

/// `NearDuplicateHits` against a plain reduction: each later text's most similar earlier text,
/// the earliest first record on ties (not the lowest hash), pairs found several times counted
/// once.
@Suite struct NearDuplicateHitsTests {
    @Test func eachLaterTextGetsItsBestEarlierOne() throws {
        let dir = TestPaths.scratch("near-hits")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        // Text n's first record is at index 100 - n of one input, so a higher hash is earlier.
        // (Text 9 has no record any more: the pass never compares such a text.)
        func position(_ n: UInt64) -> Lake.ExportPosition? {
            n < 9 ? .init(input: "a.zip", inputSHA256: "", path: "p", index: 100 - Int(n), id: "id\(n)") : nil
        }
        let hits = try NearDuplicateHits(lake: lake)
        var random = SplitMix64(seed: 3)
        var pairs: [(later: UInt64, earlier: UInt64, similarity: Double)] = [
            (1, 2, 0.96), (1, 5, 0.98), (1, 3, 0.98),  // a tie: 5 is the earlier record
            (2, 3, 0.95), (2, 4, 0.95), (2, 8, 0.95),  // a tie of three: 8
            (6, 7, 0.97), (6, 8, 0.96),
        ]
        // Each pair found several times (once per band it shares), in any order.
        pairs = (pairs + pairs + pairs.prefix(3)).sorted { _, _ in random.next() % 2 == 0 }
        for p in pairs { try hits.add(later: p.later, earlier: p.earlier, similarity: p.similarity) }
        var links: [String] = []
        try hits.forEachBest(position: position) { record, target, similarity, _ in links.append("\(record) \(target) \(similarity)") }
        #expect(links == ["id1 id5 0.98", "id2 id8 0.95", "id6 id7 0.97"])
    }
}
