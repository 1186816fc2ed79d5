import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// `SortedPairs` against a plain sort, with runs short enough that many go to the run file.
@Suite struct SortedPairsTests {
    static func drained(_ s: SortedPairs) throws -> [[UInt64]] {
        var out: [[UInt64]] = []
        try s.forEachSorted { out.append([$0, $1]) }
        return out
    }

    @Test(arguments: [1, 2, 7, 100, 5000]) func pairsComeBackInOrderWhateverTheRunLength(runLength: Int) throws {
        let dir = TestPaths.scratch("sorted-pairs-\(runLength)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { TestPaths.remove(dir) }
        var random = SplitMix64(seed: UInt64(runLength))
        let path = dir + "/runs"
        do {
            let sorter = SortedPairs(path: path, runLength: runLength)
            for round in 0..<2 {
                var pairs: [[UInt64]] = []
                // Few distinct first keys, so equal keys and equal pairs come from several runs.
                for _ in 0..<(1500 + round * 700) {
                    let pair = [random.next() % 40, random.next() % (random.next() % 2 == 0 ? 3 : UInt64.max)]
                    pairs.append(pair)
                    try sorter.append(pair[0], pair[1])
                }
                #expect(try Self.drained(sorter) == pairs.sorted { $0.lexicographicallyPrecedes($1) })
                // Drained: it starts over empty.
                #expect(try Self.drained(sorter).isEmpty)
            }
            #expect(FileManager.default.fileExists(atPath: path) == (runLength < 1500))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
