import CKernels
import Foundation
import LakePipeline
import Testing

/// `Heap`'s policy, checked on the test's own blocks (the suites beside it share the heap's
/// counters and arenas, so nothing here reads a process-wide figure).
@Suite(.serialized) struct HeapTests {
    static let block = 4 << 20
    static let count = 64

    static func allocate() -> [UnsafeMutableRawPointer] {
        (0..<count).map { _ in
            let p = UnsafeMutableRawPointer.allocate(byteCount: block, alignment: 16)
            p.storeBytes(of: 1, as: UInt8.self)
            return p
        }
    }

    /// Without the fixed threshold, freeing the first blocks raises glibc's threshold to their
    /// size and the second ones come from an arena, kept there after they are freed. (An
    /// arena with free room left by other suites may still serve some of the 256 MiB: at least
    /// half must be mapped.)
    @Test func largeBlocksStayMappedAfterOthersOfTheirSizeWereFreed() throws {
        try #require(Heap.configure())
        for p in Self.allocate() { p.deallocate() }
        let again = Self.allocate()
        defer { for p in again { p.deallocate() } }
        // A block mapped on its own is rounded up to whole pages, one from an arena by a few bytes.
        let mapped = again.filter { dp_heap_usable_size($0) >= Self.block + 4_000 }.count
        #expect(mapped >= Self.count / 2, "\(mapped) of \(Self.count) mapped")
    }

    /// The share of `pages` (page-aligned addresses) resident now (`mincore`).
    static func residentShare(_ pages: [UInt]) -> Double {
        let size = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector: UInt8 = 0
        let resident = pages.filter { page in
            mincore(UnsafeMutableRawPointer(bitPattern: page), size, &vector) == 0 && vector & 1 == 1
        }
        return Double(resident.count) / Double(max(1, pages.count))
    }

    @Test func freedSmallBlocksGoBackToTheSystem() {
        // 32 MiB of 1 KiB blocks, written, then freed under one that stays, so the arena cannot
        // shrink from its top: only `release` gives the hole's pages back.
        let size = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let small = (0..<32_768).map { _ in
            let p = UnsafeMutableRawPointer.allocate(byteCount: 1_024, alignment: 16)
            p.initializeMemory(as: UInt8.self, repeating: 7, count: 1_024)
            return p
        }
        let kept = UnsafeMutableRawPointer.allocate(byteCount: 1_024, alignment: 16)
        defer { kept.deallocate() }
        let pages = Array(Set(small.map { UInt(bitPattern: $0) / size * size })).sorted()
        #expect(Self.residentShare(pages) > 0.9)
        for p in small { p.deallocate() }
        #expect(Heap.release())
        // Pages another suite's blocks took meanwhile stay; most of the hole has left.
        #expect(Self.residentShare(pages) < 0.5)
    }
}
