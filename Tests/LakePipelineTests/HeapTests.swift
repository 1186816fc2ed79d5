import LakePipeline
import Testing

/// `Heap`'s policy, through glibc's own counters (mallinfo2). The counters are the process's,
/// shared with the suites running beside this one, so each check is one no other suite can
/// make pass: the blocks checked are larger than any other suite keeps mapped at once.
@Suite struct HeapTests {
    static let block = 4 << 20
    static let count = 32

    static func allocate() -> [UnsafeMutableRawPointer] {
        (0..<count).map { _ in
            let p = UnsafeMutableRawPointer.allocate(byteCount: block, alignment: 16)
            p.storeBytes(of: 1, as: UInt8.self)
            return p
        }
    }

    /// Without the fixed threshold, freeing the first blocks raises glibc's threshold to their
    /// size and the second ones land in an arena, kept after they are freed.
    @Test func largeBlocksStayMappedAfterOthersOfTheirSizeWereFreed() throws {
        try #require(Heap.configure())
        for p in Self.allocate() { p.deallocate() }
        let again = Self.allocate()
        defer { for p in again { p.deallocate() } }
        #expect(Heap.mappedBytes >= Self.block * Self.count)
    }

    @Test func freedSmallBlocksGoBackToTheSystem() throws {
        // 64 MiB of 1 KiB blocks, freed under one that stays, so the arena cannot shrink from
        // its top: only `release` gives the hole back.
        var small = (0..<65_536).map { _ in UnsafeMutableRawPointer.allocate(byteCount: 1_024, alignment: 16) }
        let kept = UnsafeMutableRawPointer.allocate(byteCount: 1_024, alignment: 16)
        defer { kept.deallocate() }
        for p in small { p.deallocate() }
        small = []
        #expect(Heap.freeBytes >= 32 << 20)
        // The arena keeps the free blocks (its counters stay); their pages leave the process.
        let before = try #require(ProcessMetrics.sample().residentKiB)
        #expect(Heap.release())
        let after = try #require(ProcessMetrics.sample().residentKiB)
        #expect(before - after >= 16 << 10)
    }
}
