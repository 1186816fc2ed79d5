import LakeCore
import LakeStore

/// What `datapunk ingest` was asked to do.
public struct IngestOptions: Sendable {
    public var lakeDirectory: String = Lake.defaultDirectory
    /// Overrides the user an export names.
    public var user: String?
    /// Expected SHA-256 of a URL input's bytes.
    public var expectedSHA256: String?
    /// PEM certificate authorities for https inputs (`--ca-file`), instead of the system's.
    public var caFile: String?
    /// A netrc file with the credentials of URL inputs (they are never stored or printed).
    public var netrcFile: String?
    /// Folders of the user's own YARA rules (`--rules`), compiled after the built-in ones.
    public var ruleFolders: [String] = []
    /// The user's PII pattern files (`--pii-patterns`), searched with the built-in types.
    public var piiPatternFiles: [String] = []
    /// Content validation (PII, data class) runs on every record unless this is false: only
    /// for the benchmark that measures its share of an ingest (the output then differs).
    public var contentValidation = true
    /// Near-duplicate detection runs in the duplicate stage unless this is false: likewise only
    /// for the benchmark that measures its share.
    public var nearDuplicates = true
    /// ClamAV in the security scan: `auto` runs it when the default signature database is
    /// there (and says it did not when it is not), `database` names the folder, `off` skips it.
    public enum ClamAVChoice: Sendable, Equatable {
        case auto, off
        case database(String)
    }
    public var clamav = ClamAVChoice.auto
    /// The security scan runs on every entry unless this is false (tests of other stages).
    public var securityScan = true
    /// What can change the output: in the job id.
    public var thresholds = Thresholds()
    /// How the run goes (chunk size, workers, retries, timeouts, alerts): not in the job id.
    public var run = RunSettings()
    public var progress: ProgressMode = .none
    /// Where a note for the person running the job goes (the lake is busy, waiting): the CLI
    /// prints it as a `datapunk:` line on stderr; by default it goes nowhere.
    public var notice: @Sendable (String) -> Void = { _ in }
    /// For `datapunk resume`: the job the inputs must still make (their bytes unchanged).
    public var expectedJobID: String?
    /// Only record the job as `queued` (inputs received and hashed), to be run later by
    /// `datapunk resume --queued` in priority order.
    public var enqueue = false
    /// critical, high, normal or low.
    public var priority = JobPriority.normal
    /// Set to pause the job at the next chunk boundary (the CLI sets it on SIGINT and SIGTERM).
    public var stop: StopRequest?
    /// Where alerts are posted (http or https URL), or nil for none.
    public var alertWebhook: String?
    /// Passphrases for encrypted archive entries, tried in order (`--password-file`, one per
    /// line). Never stored in the job.
    public var passphrases: [String] = []
    /// The staging folder for downloads and standard input, relative to the lake (nil: `staging`).
    public var stagingFolder: String?

    public init() {}
}

/// How an ingest ended, for the summary and the exit status.
public struct IngestSummary: Sendable {
    public struct InputSummary: Sendable {
        public var name: String
        public var sha256: String
        public var size: Int64
        public var format: String
        public var files: Int
        public var parsedFiles: Int
        public var records: Int
        public var rejectedFiles: Int
        /// Records rejected one by one inside files that loaded (one bad record costs one record).
        public var rejectedRecords = 0
        /// Files the security scan quarantined (also counted in neither parsed nor rejected).
        public var quarantinedFiles = 0
        /// Of `records`, those merged into the same record of another export (sightings,
        /// docs/SPEC.md 5.11).
        public var mergedRecords = 0
        /// Content validation: records with PII, findings by type, records by data class.
        public var validation = Lake.ValidationCounts()
    }

    public var jobID: String
    public var state: JobState
    public var inputs: [InputSummary]
    public var errors: [LakeError]
    /// Design thresholds the inputs went past (measured, not refused).
    public var findings: [Finding] = []
    /// True when the job had already completed and nothing was done again.
    public var alreadyComplete: Bool
    /// Alerts posted to the webhook, and alerts that could not be delivered.
    public var alertsPosted = 0
    public var alertFailures: [LakeError] = []
    /// The security scan's engines as they ran: `yara: N rules`, `clamav …` or `clamav: not run (why)`.
    public var securityEngines: [String] = []

    public var records: Int { inputs.reduce(0) { $0 + $1.records } }
}
