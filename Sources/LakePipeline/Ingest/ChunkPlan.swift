/// How much input a chunk and a batch take: the configured chunk size, adjusted to the records
/// being read and to the memory the machine has left (docs/SPEC.md 7.1). None of this changes
/// what is loaded, only where commits and checkpoints fall.
///
/// ```swift
/// var plan = ChunkPlan(configured: 100 << 20, availableMemory: ProcessMetrics.availableMemoryBytes())
/// plan.saw(elementBytes: 40 << 20)
/// plan.chunkBytes  // at least 4 × the largest element, at most available memory / 16
/// ```
struct ChunkPlan: Equatable {
    /// Elements per batch handed to the workers.
    static let batchElements = 512
    /// Input bytes per batch when memory is plentiful; a batch also ends at this many bytes.
    static let batchBytesCeiling: Int64 = 4 << 20
    static let batchBytesFloor: Int64 = 256 << 10
    /// Batches being mapped at once: each holds its elements and their tapes.
    static let mappingBatches = 3
    /// The input bytes of the mapped batches the committer may hold, queued or being inserted
    /// (`committerWeight`). While a commit writes its chunk and SQLite checkpoints the WAL (a
    /// quarter to a third of a second for 100 MB), the workers map on into this instead of
    /// waiting for the commit: 4 MiB is about 11,000 location points, a third of a second of
    /// mapping on one core.
    static let committerBytes = Int(batchBytesCeiling)

    /// What a batch of `bytes` input bytes weighs against `committerBytes`: at most half of it,
    /// so two batches of any size may wait, as many as before the budget.
    static func committerWeight(bytes: Int64) -> Int { Int(clamping: min(bytes, Int64(committerBytes / 2))) }

    /// A chunk holds at least this many of the largest element seen, so checkpoints stay
    /// cheap next to the work they cover when records are large.
    static let elementsPerChunkFloor: Int64 = 4
    /// Chunks never shrink below this for lack of memory.
    static let chunkBytesFloor: Int64 = 1 << 20

    let configured: Int64
    /// Bytes of memory the process can still use (MemAvailable, or the cgroup's headroom), or nil when unknown.
    var availableMemory: Int64?
    private(set) var largestElement: Int64 = 0

    init(configured: Int64, availableMemory: Int64?) {
        self.configured = configured
        self.availableMemory = availableMemory
    }

    mutating func saw(elementBytes: Int64) { largestElement = max(largestElement, elementBytes) }

    /// A chunk ends at the first element boundary past this many input bytes: the configured
    /// size, raised to 4 elements of the largest seen, then capped at 1/16 of the available
    /// memory (short of memory, a process the kernel kills redoes less), never below 1 MiB.
    var chunkBytes: Int64 {
        var target = max(configured, Self.elementsPerChunkFloor * largestElement)
        if let m = availableMemory { target = min(target, max(Self.chunkBytesFloor, m / 16)) }
        return max(1, target)
    }

    /// A batch ends after 512 elements or this many input bytes: 4 MiB, or 1/256 of the
    /// available memory when that is less, never below 256 KiB. Parsed elements take several
    /// times their input size, and three batches are mapped at once.
    var batchBytes: Int64 {
        guard let m = availableMemory else { return Self.batchBytesCeiling }
        return min(Self.batchBytesCeiling, max(Self.batchBytesFloor, m / 256))
    }
}
