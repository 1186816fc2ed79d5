import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// `SortedRuns` against a plain sort, with runs short enough that many go to the run file.
@Suite struct SortedRunsTests {
    static func drained(_ s: SortedRuns<(UInt64, UInt64)>) throws -> [[UInt64]] {
        var out: [[UInt64]] = []
        try s.forEachSorted { out.append([$0.0, $0.1]) }
        return out
    }

    @Test(arguments: [1, 2, 7, 100, 5000]) func pairsComeBackInOrderWhateverTheRunLength(runLength: Int) throws {
        let dir = TestPaths.scratch("sorted-pairs-\(runLength)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { TestPaths.remove(dir) }
        var random = SplitMix64(seed: UInt64(runLength))
        let path = dir + "/runs"
        do {
            let sorter = SortedRuns<(UInt64, UInt64)>(path: path, runLength: runLength) { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            for round in 0..<2 {
                var pairs: [[UInt64]] = []
                // Few distinct first keys, so equal keys and equal pairs come from several runs.
                for _ in 0..<(1500 + round * 700) {
                    let pair = [random.next() % 40, random.next() % (random.next() % 2 == 0 ? 3 : UInt64.max)]
                    pairs.append(pair)
                    try sorter.append((pair[0], pair[1]))
                }
                #expect(try Self.drained(sorter) == pairs.sorted { $0.lexicographicallyPrecedes($1) })
                // Drained: it starts over empty.
                #expect(try Self.drained(sorter).isEmpty)
            }
            #expect(FileManager.default.fileExists(atPath: path) == (runLength < 1500))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// The record-text rows (a struct with padding) through runs of 3: every field comes back,
    /// in id order.
    @Test func structsComeBackWhole() throws {
        let dir = TestPaths.scratch("sorted-runs-structs")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { TestPaths.remove(dir) }
        typealias Row = Lake.RecordTextWriter.TextRow
        var random = SplitMix64(seed: 9)
        let rows = (0..<500).map { i in Row(high: random.next() % 7, low: random.next(), hash: UInt64(i), hashed: i % 3 != 0) }
        let sorter = SortedRuns<Row>(path: dir + "/runs", runLength: 3) { $0.high != $1.high ? $0.high < $1.high : $0.low < $1.low }
        for row in rows { try sorter.append(row) }
        var out: [[UInt64]] = []
        try sorter.forEachSorted { out.append([$0.high, $0.low, $0.hash, $0.hashed ? 1 : 0]) }
        #expect(out == rows.map { [$0.high, $0.low, $0.hash, $0.hashed ? 1 : 0] }.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
