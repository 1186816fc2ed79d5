import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// `SharedBands`: partitions written in blocks, sorted in memory or through runs, and texts
/// numbered past a column's buffer give the shared buckets' members a plain sort gives.
@Suite struct SharedBandsTests {
    /// Texts in signed order, each with a few keys from a small set spread over every
    /// partition; the members of keys that two or more texts have, sorted by text then key.
    static func texts(_ count: Int, seed: UInt64) -> (texts: [(UInt64, [UInt32])], shared: [[UInt64]]) {
        var random = SplitMix64(seed: seed)
        let hashes = (0..<count).map { _ in random.next() }.sorted { Int64(bitPattern: $0) < Int64(bitPattern: $1) }
        var texts: [(UInt64, [UInt32])] = []
        var holders: [UInt32: Int] = [:]
        for hash in hashes {
            // Distinct keys: a text's signature has each key once.
            let keys = Set((0..<3).map { _ in UInt32(truncatingIfNeeded: random.next() % 20_000) &* 0x0034_5679 }).sorted()
            texts.append((hash, keys))
            for key in keys { holders[key, default: 0] += 1 }
        }
        let shared = texts.flatMap { text, keys in keys.filter { holders[$0]! > 1 }.map { [text, UInt64($0)] } }
        return (texts, shared)
    }

    @Test(arguments: [(3, 5), (3, 1 << 22), (2048, 2), (2048, 1 << 22)])
    func sharedMembersAsAPlainSortGivesThem(blockLength: Int, memoryLimit: Int) throws {
        let dir = TestPaths.scratch("shared-bands")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        try lake.makeStagingDirectory()
        // More texts than a column's buffer holds: their hashes are read back from the file.
        let (texts, expected) = Self.texts(ScratchColumn.blockLength + 3_000, seed: 11)
        #expect(expected.count > 1_000 && expected.count < texts.count * 3)
        do {
            let bands = SharedBands(files: lake.scratchFiles, memoryLimit: memoryLimit, blockLength: blockLength)
            for (text, keys) in texts { try bands.add(text: text, bands: keys) }
            #expect(bands.texts == texts.count)
            var got: [[UInt64]] = []
            try bands.forEachShared { got.append([$0, $1]) }
            let signed = expected.sorted {
                $0[0] != $1[0] ? Int64(bitPattern: $0[0]) < Int64(bitPattern: $1[0]) : $0[1] < $1[1]
            }
            #expect(got == signed)
        }
        let left = lake.scratchFiles.all.filter { FileManager.default.fileExists(atPath: $0) }
        #expect(left.isEmpty, "scratch files left: \(left)")
    }

    /// A stop asked for while the texts are read, or between partitions, ends the pass with its
    /// error and leaves no scratch file.
    @Test(arguments: [1, 200]) func aStopEndsThePass(after calls: Int) throws {
        struct Stop: Error {}
        let dir = TestPaths.scratch("shared-bands-stop")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        try lake.inTransaction {
            let writer = try lake.recordTextWriter()
            let (texts, _) = Self.texts(70_000, seed: 5)
            try writer.set(texts.enumerated().map { (Int64($0 + 1), String(repeating: "a", count: 32), $1.0, $1.1) })
            try writer.finish()
        }
        var stops = 0
        #expect(throws: Stop.self) {
            try lake.sharedBandMembers(stop: {
                stops += 1
                if stops == calls { throw Stop() }
            }) { _, _ in Issue.record("no member is given after a stop") }
        }
        let left = lake.scratchFiles.all.filter { FileManager.default.fileExists(atPath: $0) }
        #expect(left.isEmpty, "scratch files left: \(left)")
    }

    /// The band sort is stable: members of one band keep the order they came in (text order).
    @Test func theBandSortKeepsTextOrder() {
        var random = SplitMix64(seed: 3)
        // Bands on both sides of the two passes' digit boundary, below the partition's bits.
        let members = (0..<5_000).map { i in UInt64(UInt32(truncatingIfNeeded: random.next() % 64) << 8) << 32 | UInt64(i) }
        var sorted = members
        SharedBands.sortByBand(&sorted)
        #expect(sorted == members.sorted())
    }

    /// A column gives back every value by its place, from its buffer or from its file, in any order.
    @Test func aColumnGivesBackItsValues() throws {
        let dir = TestPaths.scratch("scratch-column")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for count in [0, 5, ScratchColumn.blockLength, 2 * ScratchColumn.blockLength + 17] {
            let column = ScratchColumn(path: dir + "/column")
            let values = (0..<count).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
            for v in values { try column.append(v) }
            var reader = try column.reader()
            #expect(try values.indices.map { try reader.value(at: $0) } == values)
            #expect(try values.indices.reversed().map { try reader.value(at: $0) } == values.reversed())
        }
    }
}
