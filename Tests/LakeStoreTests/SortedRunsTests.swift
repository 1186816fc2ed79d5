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
            let sorter = SortedRuns<(UInt64, UInt64)>(path: path, runLength: runLength, key: { $0.0 }) {
                $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1
            }
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

    /// A cursor gives what `forEachSorted` gives, one value at a time, from memory (one run)
    /// or the run file; values appended while it is read go to runs of their own.
    @Test(arguments: [3, 5000]) func aCursorGivesTheSameOrder(runLength: Int) throws {
        let dir = TestPaths.scratch("sorted-cursor-\(runLength)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { TestPaths.remove(dir) }
        var random = SplitMix64(seed: 41)
        let sorter = SortedRuns<(UInt64, UInt64)>(path: dir + "/runs", runLength: runLength, key: { $0.0 }) {
            $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1
        }
        let pairs = (0..<2000).map { _ in [random.next() % 50, random.next()] }
        for p in pairs { try sorter.append((p[0], p[1])) }
        var cursor = try sorter.sorted()
        var out: [[UInt64]] = []
        while let v = try cursor.next() {
            out.append([v.0, v.1])
            if out.count % 100 == 0 { try sorter.append((UInt64(out.count), 7)) }
        }
        #expect(out == pairs.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(try cursor.next() == nil)
        #expect(try Self.drained(sorter) == (1...20).map { [UInt64($0 * 100), 7] })
        // Values appended while `forEachSorted` reads stay for the next drain, whole.
        for p in pairs { try sorter.append((p[0], p[1])) }
        var drained = 0
        try sorter.forEachSorted { _ in
            drained += 1
            if drained % 50 == 0 { try sorter.append((UInt64(drained), 9)) }
        }
        #expect(drained == pairs.count)
        for p in pairs.prefix(10) { try sorter.append((p[0], p[1])) }
        let expected = ((1...40).map { [UInt64($0 * 50), 9] } + pairs.prefix(10)).sorted { $0.lexicographicallyPrecedes($1) }
        #expect(try Self.drained(sorter) == expected)
    }

    /// The record-text rows (a struct with padding) through runs of 3: every field comes back,
    /// in rowid order.
    @Test func structsComeBackWhole() throws {
        let dir = TestPaths.scratch("sorted-runs-structs")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { TestPaths.remove(dir) }
        typealias Row = Lake.RecordTextWriter.TextRow
        var random = SplitMix64(seed: 9)
        var rows: [Row] = []
        for i in 0..<500 {
            let rowid = Int64(i * 7919 % 500) + 1
            rows.append(Row(rowid: rowid, high: random.next(), low: random.next(), hash: UInt64(i), hashed: i % 3 != 0))
        }
        let sorter = SortedRuns<Row>(path: dir + "/runs", runLength: 3, key: { UInt64($0.rowid) }) { $0.rowid < $1.rowid }
        for row in rows { try sorter.append(row) }
        var out: [[UInt64]] = []
        func fields(_ r: Row) -> [UInt64] {
            [UInt64(r.rowid), r.high, r.low, r.hash, r.hashed ? 1 : 0]
        }
        try sorter.forEachSorted { out.append(fields($0)) }
        #expect(out == rows.map(fields).sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// Values of 80 bytes (text signatures) are read back 819 at a time (64 KiB), not 4,096:
    /// runs of 2,000 over several blocks each come back whole and in order.
    @Test func largeValuesComeBackThroughSmallerBlocks() throws {
        let dir = TestPaths.scratch("sorted-runs-large")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { TestPaths.remove(dir) }
        typealias Row = Lake.RecordTextWriter.SignatureRow
        #expect(RunReader<Row>.blockLength == 819)
        var random = SplitMix64(seed: 10)
        let rows = (0..<6_000).map { _ in
            Lake.RecordTextWriter.signature(random.next(), (0..<16).map { _ in UInt32(truncatingIfNeeded: random.next()) })
        }
        let sorter = SortedRuns<Row>(path: dir + "/runs", runLength: 2_000, key: { $0.hash }) { $0.hash < $1.hash }
        for row in rows { try sorter.append(row) }
        var out: [[UInt64]] = []
        try sorter.forEachSorted { row in out.append([row.hash] + (0..<row.count).map { UInt64(row.keys[$0]) }) }
        let expected = rows.map { row in [row.hash] + (0..<row.count).map { UInt64(row.keys[$0]) } }
        #expect(out == expected.sorted { $0[0] < $1[0] })
        #expect(out.allSatisfy { $0.count == 17 })
    }

    /// The radix sort is the comparison sort: on keys of every width (all 64 bits, high bits
    /// only, low bits only, one value), with ties broken by the full order, and through
    /// `SortedRuns` with full-width keys over several runs.
    @Test func radixSortIsTheComparisonSort() throws {
        var random = SplitMix64(seed: 31)
        let widths: [(UInt64) -> UInt64] = [{ $0 }, { $0 & 0xFFF0_0000_0000_0000 }, { $0 & 0x7FF }, { _ in 5 }, { $0 % 3 }]
        for (w, width) in widths.enumerated() {
            for n in [0, 1, 2, 3, 50, 4096, 20_000] {
                var values = (0..<n).map { _ in (width(random.next()), random.next() % 4) }
                let expected = values.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                RadixSort.sort(&values, key: { $0.0 }) { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                #expect(values.map { [$0.0, $0.1] } == expected.map { [$0.0, $0.1] }, "width \(w), \(n) values")
            }
        }
        let dir = TestPaths.scratch("sorted-runs-wide")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { TestPaths.remove(dir) }
        let sorter = SortedRuns<(UInt64, UInt64)>(path: dir + "/runs", runLength: 3000, key: { $0.0 }) {
            $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1
        }
        var pairs: [[UInt64]] = []
        for i in 0..<20_000 {
            // Every fifth key repeats an earlier one, so ties meet across runs.
            let pair = [i % 5 == 0 && !pairs.isEmpty ? pairs[Int(random.next() % UInt64(pairs.count))][0] : random.next(), random.next()]
            pairs.append(pair)
            try sorter.append((pair[0], pair[1]))
        }
        #expect(try Self.drained(sorter) == pairs.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
