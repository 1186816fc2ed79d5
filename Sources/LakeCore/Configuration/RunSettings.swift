/// How a run goes, never what it gives: chunking, workers, retries, timeouts, when a job gives
/// up, when an alert is posted. None of it is in the job id, so changing one never starts a
/// new job (`Thresholds` holds what can change the output).
public struct RunSettings: Sendable, Equatable {
    /// Input bytes per chunk: the unit of commit, checkpoint and progress.
    public var chunkSizeBytes: Int64 = 100 * Thresholds.mib
    /// Workers mapping records.
    public var parallelChunks: Int = 4
    /// A libarchive call running longer than this is a stall: the archive is refused and the
    /// process ends (docs/SPEC.md 7).
    public var archiveCallTimeoutSeconds: Double = 60
    /// Retries of transient I/O and network failures, with exponential backoff from the base delay.
    public var retries: Int = 3
    public var retryBaseDelaySeconds: Double = 0.5
    /// A job stops when more than this share of one file's records fail to map (the seed's 5%
    /// failure threshold); failed records below it are reported and skipped.
    public var maxRecordFailureRate: Double = 0.05
    /// Records a file must have before the failure threshold is judged.
    public var failureThresholdMinimumRecords: Int = 20
    /// Alerts: a chunk's error rate over this, a chunk slower than this, resident memory over
    /// this share of MemTotal.
    public var alertErrorRate: Double = 0.05
    public var alertDelaySeconds: Int = 300
    public var alertResourceUse: Double = 0.80
    /// A stored entry read whole is scanned on another thread while the walk reads the next
    /// one (`ArchiveWalk+Completions`); false scans it on the reading thread. The catalog is the
    /// same either way (tests compare the two).
    public var scansBesideReading = true
    /// While a parsed entry's last records are mapped and committed, the walk reads the next
    /// entry's first bytes and starts their scan (`ArchiveWalk+ReadAhead`); false reads each
    /// entry when it comes. The catalog is the same either way (tests compare the two).
    public var readsAhead = true

    public init() {}
}
