import CKernels
import Foundation

/// How this process's heap gives memory back (glibc malloc; nothing elsewhere).
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
    /// where glibc's malloc is not the allocator.
    @discardableResult
    public static func configure() -> Bool { dp_heap_configure(mappedFrom, Int32(arenas)) == 1 }

    /// Returns the arenas' free memory to the system, between stages. True when some was.
    @discardableResult
    public static func release() -> Bool { dp_heap_release() == 1 }
}
