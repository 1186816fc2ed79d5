import CKernels
import Foundation

/// How this process's heap gives memory back: jemalloc's when the executable links it (the
/// `datapunk` command does, Sources/DatapunkHeap), else glibc malloc's; nothing elsewhere.
///
/// A long ingest frees far more than it keeps: each stage's buffers, runs and page batches are
/// freed when it ends, on whichever thread made them. glibc keeps freed memory in the arena it
/// came from (up to eight per core), and raises its threshold for mapping a block on its own
/// each time such a block is freed, so later large buffers land in the arenas for good. On the
/// 10 GB Twitter corpus that retained memory made the peak: 184 MB held by the arenas against
/// 84 MB in use as the near pass began; `malloc_trim` gave 76 MB of it back at once
/// (docs/BENCHMARKS-AFTER-LOADING.md, "The heap's retained memory").
public enum Heap {
    /// Blocks of this size or more are mapped on their own and unmapped when freed: a stage's
    /// buffers (runs, pages, batches) are, a record's small values are not.
    public static let mappedFrom = 256 << 10

    /// At most one arena per core (at least two): the workers are about as many.
    public static var arenas: Int { max(2, ProcessInfo.processInfo.activeProcessorCount) }

    /// Sets the policy above for the whole process; call once, before the work starts. False
    /// where glibc's malloc is not the allocator (jemalloc took its settings before main).
    @discardableResult
    public static func configure() -> Bool { dp_heap_configure(mappedFrom, Int32(arenas)) == 1 }

    /// Returns the arenas' free memory to the system, between stages. True when some was
    /// (jemalloc: when every arena's purge ran).
    @discardableResult
    public static func release() -> Bool { dp_heap_release() == 1 }

    /// Whether jemalloc serves this process's malloc: linked, and found serving a block.
    public static var isJemalloc: Bool { dp_heap_is_jemalloc() == 1 }

    /// The allocator serving malloc, for `datapunk --version`: `jemalloc 5.3.0-…, 2 arenas`,
    /// or `glibc malloc`.
    public static var allocator: String {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = dp_heap_describe(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
