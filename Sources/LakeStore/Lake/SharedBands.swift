import Foundation
import LakeCore

/// The members of the band buckets that two or more texts share (`Lake.sharedBandMembers`).
///
/// Every text has up to 16 band keys and nearly all of them are its own: on a 1 GB Twitter
/// corpus 16,040,320 members of 1,002,520 texts, 1,820,955 of them in shared buckets. Those
/// members used to be sorted all together by band through runs on disk (16 bytes each) and
/// merged, on one thread: 60% of the near pass. Here each member is 8 bytes, the band and the
/// text's ordinal in text order (`band << 32 | ordinal`), put in one of 1,024 partitions by the
/// band's top 10 bits; a partition is then sorted in memory by its band's other 22 bits alone
/// (its members came in text order, and the sort is stable), two partitions at a time. Only the
/// shared members go on, sorted by text. At 10 GB (160 million keys) a partition is about 1.2
/// MB, so the two sorts hold about 5 MB; with 256 partitions they held 20 MB.
final class SharedBands {
    static let partitionBits = 10
    static var partitions: Int { 1 << partitionBits }
    /// Members a partition holds before they go to the file as one block (8 KiB; 8 MiB held for
    /// all the partitions).
    static let defaultBlockLength = 1024
    /// The band bits below a partition's, sorted in two passes of `digitBits`.
    static let digitBits = (32 - partitionBits) / 2
    private let files: Lake.ScratchFiles
    /// Members of one partition sorted in memory at most (`Lake.sharedBandsMemoryLimit`); a
    /// larger partition is sorted through runs on disk (`SortedRuns`), so memory stays bounded
    /// whatever the lake holds.
    private let memoryLimit: Int
    private let blockLength: Int
    /// The partitions' members not yet written, `blockLength` places per partition.
    private var held: [UInt64]
    private var fill: [Int]
    /// Each partition's blocks in the file, by their first member's place in it.
    private var blocks: [[Int]]
    private var file: ScratchFile?
    private var written = 0
    /// The texts' hashes by ordinal.
    private let hashes: ScratchColumn

    /// `blockLength`: members of a block (smaller for a test).
    init(files: Lake.ScratchFiles, memoryLimit: Int = Lake.sharedBandsMemoryLimit, blockLength: Int = defaultBlockLength) {
        self.files = files
        self.memoryLimit = max(2, memoryLimit)
        self.blockLength = max(1, blockLength)
        held = [UInt64](repeating: 0, count: Self.partitions * self.blockLength)
        fill = [Int](repeating: 0, count: Self.partitions)
        blocks = [[Int]](repeating: [], count: Self.partitions)
        hashes = ScratchColumn(path: files.textHashes)
        // What a killed pass left (the files are made again only when needed).
        unlink(files.textBands)
        unlink(files.textHashes)
    }

    /// How many texts were added.
    var texts: Int { hashes.count }

    /// Adds the next text (in ascending order, as signed integers) and its band keys.
    func add(text: UInt64, bands: [UInt32]) throws {
        let ordinal = hashes.count
        guard ordinal <= Int(UInt32.max) else {
            throw LakeError(
                .lakeStorage, scope: .input, input: files.textBands,
                message: "more than \(UInt32.max) texts with band keys: the near pass numbers texts in 32 bits")
        }
        try hashes.append(text)
        for band in bands {
            let p = Int(band >> UInt32(32 - Self.partitionBits))
            held[p * blockLength + fill[p]] = UInt64(band) << 32 | UInt64(ordinal)
            fill[p] += 1
            if fill[p] == blockLength { try writeBlock(p) }
        }
    }

    private func writeBlock(_ p: Int) throws {
        if file == nil { file = try ScratchFile(path: files.textBands) }
        try held.withUnsafeBytes { raw in
            try file!.write(UnsafeRawBufferPointer(rebasing: raw[(p * blockLength * 8)...].prefix(blockLength * 8)), at: written * 8)
        }
        blocks[p].append(written)
        written += blockLength
        fill[p] = 0
    }

    /// Calls `body` with every member of a shared bucket: the text's hash and the band key, in
    /// text order (signed), then band order; `stop` between partitions. Once: the partitions
    /// are let go before the members are handed on.
    func forEachShared(stop: () throws -> Void = {}, _ body: (UInt64, UInt64) throws -> Void) throws {
        let byText = SortedRuns<UInt64>(path: files.textBandsShared, key: { $0 }, by: <)
        // Two partitions at a time, one per thread; their shared members go on by text.
        for first in stride(from: 0, to: Self.partitions, by: 2) {
            let found = try Parallel.map([first, first + 1], workers: 2) { try self.shared(inPartition: $0) }
            for members in found { for m in members { try byText.append(m) } }
            try stop()
        }
        // The partitions are done with: their buffers (8 MiB) and file go before the members
        // are handed on (the near pass's memory peaks while it measures them).
        (held, fill, blocks, file) = ([], [], [], nil)
        var hashes = try self.hashes.reader()
        try byText.forEachSorted { m in try body(try hashes.value(at: Int(m >> 32)), m & 0xFFFF_FFFF) }
    }

    /// Partition `p`'s members in shared buckets, as `ordinal << 32 | band`.
    private func shared(inPartition p: Int) throws -> [UInt64] {
        var buckets = Buckets()
        let count = blocks[p].count * blockLength + fill[p]
        if count <= memoryLimit {
            var members = try self.members(of: p, count: count)
            Self.sortByBand(&members)
            for m in members { buckets.add(m) }
        } else {
            let runs = SortedRuns<UInt64>(path: files.textBandRuns(lane: p % 2), runLength: memoryLimit, key: { $0 }, by: <)
            for block in blocks[p] {
                for m in try read(block, count: blockLength) { try runs.append(m) }
            }
            for i in 0..<fill[p] { try runs.append(held[p * blockLength + i]) }
            try runs.forEachSorted { buckets.add($0) }
        }
        buckets.end()
        return buckets.shared
    }

    private func read(_ start: Int, count: Int) throws -> [UInt64] {
        var values = [UInt64](repeating: 0, count: count)
        try values.withUnsafeMutableBytes { try file!.read(into: $0, at: start * 8) }
        return values
    }

    /// Partition `p`'s `count` members in the order added (text order): each block read from
    /// the file straight into its place, then the members still held.
    private func members(of p: Int, count: Int) throws -> [UInt64] {
        let whole = blocks[p].count * blockLength
        precondition(count == whole + fill[p], "a partition's members are its blocks and those held")
        guard count > 0 else { return [] }
        var members = [UInt64](repeating: 0, count: count)
        let tail = p * blockLength
        try members.withUnsafeMutableBytes { raw in
            for (k, block) in blocks[p].enumerated() {
                let place = k * blockLength * 8
                try file!.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[place..<(place + blockLength * 8)]), at: block * 8)
            }
            held.withUnsafeBytes { from in
                let bytes = fill[p] * 8
                raw.baseAddress!.advanced(by: whole * 8).copyMemory(from: from.baseAddress!.advanced(by: tail * 8), byteCount: bytes)
            }
        }
        return members
    }

    /// Sorts members of one partition, added in text order, by band: a stable radix sort of the
    /// band's 22 bits below the partition's 10, in two passes of 11 bits.
    static func sortByBand(_ members: inout [UInt64]) {
        let n = members.count
        guard n > 1 else { return }
        var other = [UInt64](repeating: 0, count: n)
        let mask = UInt64((1 << digitBits) - 1)
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        for shift in [UInt64(32), UInt64(32 + digitBits)] {
            members.withUnsafeBufferPointer { from in
                other.withUnsafeMutableBufferPointer { to in
                    counts.withUnsafeMutableBufferPointer { at in
                        for i in at.indices { at[i] = 0 }
                        for m in from { at[Int((m >> shift) & mask)] += 1 }
                        var total = 0
                        for i in at.indices { (at[i], total) = (total, total + at[i]) }
                        for m in from {
                            let d = Int((m >> shift) & mask)
                            to[at[d]] = m
                            at[d] += 1
                        }
                    }
                }
            }
            swap(&members, &other)
        }
    }

    /// Members in band order, one bucket held at a time: a bucket of two or more goes to
    /// `shared`, each member as `ordinal << 32 | band`.
    struct Buckets {
        var shared: [UInt64] = []
        private var bucket: [UInt64] = []

        mutating func add(_ member: UInt64) {
            if let first = bucket.first, first >> 32 != member >> 32 { end() }
            bucket.append(member)
        }

        mutating func end() {
            if bucket.count > 1 { for m in bucket { shared.append(m << 32 | m >> 32) } }
            bucket.removeAll(keepingCapacity: true)
        }
    }
}
