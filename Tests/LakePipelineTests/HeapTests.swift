import CKernels
import Foundation
import LakePipeline
import Testing
import _LakeTestSupport

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

    /// A test process is linked without jemalloc: glibc serves malloc, and `Heap` says so
    /// (the `datapunk` command's jemalloc: `HeapEndToEndTests`).
    @Test func theTestProcessRunsOnGlibc() {
        #expect(!Heap.isJemalloc)
        #expect(Heap.allocator == "glibc malloc")
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

    @Test func freedSmallBlocksGoBackToTheSystem() { Self.freedSmallBlocksGoBack() }

    /// jemalloc's purge (the `datapunk` command's allocator) in a copy of this test process
    /// that runs on it (LD_PRELOAD): the same freed pages go back as with glibc's trim.
    @Test func freedSmallBlocksGoBackUnderJemallocToo() throws {
        if ProcessInfo.processInfo.environment["DATAPUNK_TEST_HEAP_CHILD"] == "jemalloc" {
            try #require(Heap.isJemalloc)
            #expect(!Heap.configure(), "glibc's settings are not jemalloc's")
            #expect(Heap.allocator.hasPrefix("jemalloc 5."))
            Self.freedSmallBlocksGoBack()
            return
        }
        let library = try #require(
            ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"].map { $0 + "/libjemalloc.so.2" }
                .first { FileManager.default.fileExists(atPath: $0) }, "libjemalloc2 (Scripts/setup.sh)")
        let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var environment = CommandRunner.environment
        environment["LD_PRELOAD"] = library
        environment["DATAPUNK_TEST_HEAP_CHILD"] = "jemalloc"
        let r = try CommandRunner.run(
            me, ["--testing-library", "swift-testing", "--filter", "freedSmallBlocksGoBackUnderJemallocToo"], environment: environment)
        let output = r.stdoutText + r.stderrText
        #expect(r.status == 0, "\(output)")
        #expect(output.contains("Test run with 1 test"), "\(output)")
    }

    static func freedSmallBlocksGoBack() {
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
