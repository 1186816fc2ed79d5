/// The words the catalog stores for a job's state, a file's status and a job's priority. The
/// raw values are what `jobs.state`, `files.status` and `jobs.priority` hold and what
/// `datapunk jobs`, `metrics` and the summaries print (SPEC 7); nothing else spells them.

/// Where a job is.
public enum JobState: String, CaseIterable, Sendable, Codable {
    /// Recorded by `ingest --enqueue`, run later by `resume --queued`.
    case queued
    case running
    /// Stopped at a chunk boundary by SIGINT or SIGTERM; `resume` goes on.
    case paused
    /// Stopped by an error that ends the job (its message says which).
    case failed
    case completed
    /// Finished, with errors recorded against entries or records.
    case completedWithErrors = "completed_with_errors"

    /// Finished one way or the other: never run again, and forgotten after 30 days.
    public var isFinished: Bool { self == .completed || self == .completedWithErrors || self == .failed }
    /// Finished with every input read (a re-run of the job only reports it).
    public var isComplete: Bool { self == .completed || self == .completedWithErrors }
}

/// What became of one file (an archive entry, or the input itself).
public enum FileStatus: String, CaseIterable, Sendable, Codable {
    /// Read by a parser; its records are committed.
    case loaded
    /// Hashed and catalogued; nothing parses it.
    case stored
    /// A nested archive: its entries follow it in the catalog.
    case archive
    /// Refused or failed; an error row says why.
    case rejected
    /// Matched by the security scan: never parsed, its bytes kept in the lake's quarantine.
    case quarantined
    /// Directories and links that stay inside the archive: catalogued, never read.
    case skipped
}

/// How soon a queued job runs: `resume --queued` takes the most urgent first.
public enum JobPriority: String, CaseIterable, Sendable, Codable, Comparable {
    case critical, high, normal, low

    /// Most urgent first, as declared.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: JobPriority, b: JobPriority) -> Bool { a.rank < b.rank }
}
