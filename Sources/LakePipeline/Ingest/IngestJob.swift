import Foundation
import LakeCore
import LakeIngest
import LakeNormalize
import LakeParsers
import LakeStore
import LakeValidate

/// Runs an ingest through every stage: receipt (hashes, job id), preprocess (libarchive,
/// libmagic, content checks), parse, normalize, load (one SQLite transaction per entry).
///
/// ```swift
/// let summary = try IngestJob(options: options).run(inputs: ["twitter.zip"])
/// ```
/// - Throws: `LakeError` with scope `.input` when an input is refused as a whole (nothing of
///   the job is loaded then), `.internal` for lake failures. Errors about single entries do
///   not throw; they are in the summary.
public final class IngestJob {
    public internal(set) var options: IngestOptions
    let progress: ProgressReporter
    let alerts: AlertMonitor?
    /// The security scan's compiled rules, made at the first entry that needs them.
    private var scanner: SecurityScanner?
    /// Content validation (PII, data class) of every mapped record, with the user's patterns
    /// (read by `openLake`).
    var validator = ContentValidator()
    /// Entries whose security scan was started while the entry before was finishing
    /// (`ArchiveWalk+ReadAhead`), and whose answer was taken.
    var scansTakenAhead = 0

    /// Retries of transient failures: a busy database, an interrupted read, a network error.
    var backoff: Backoff { options.run.backoff }

    public init(options: IngestOptions) {
        self.options = options
        progress = ProgressReporter(mode: options.progress)
        alerts = options.alertWebhook.map {
            AlertMonitor(webhook: Webhook(url: $0, backoff: options.run.backoff), settings: options.run)
        }
    }

    /// The security scanner under this job's rules (nil when the scan is off). Compiled once.
    /// - Throws: `LakeError` `security.rules_invalid` for a `--rules` file that does not compile.
    func securityScanner() throws -> SecurityScanner? {
        guard options.securityScan else { return nil }
        if let scanner { return scanner }
        let made = try SecurityScanner(userRuleFolders: options.ruleFolders, clamav: try clamav())
        scanner = made
        return made
    }

    /// What the security scan ran with, for the summary: `yara: N rules`, and ClamAV's line
    /// (`clamav: N signatures from DIR` or `clamav: not run (why)`).
    private(set) var securityEngines: [String] = []

    /// ClamAV as `options.clamav` asks: nil when it is off or (by default) when no signature
    /// database is there; a database the user named that does not load is a usage error.
    private func clamav() throws -> ClamAVEngine? {
        let folder: String
        switch options.clamav {
        case .off:
            securityEngines = ["clamav: not run (--no-clamav)"]
            return nil
        case .auto: folder = ClamAVEngine.defaultDatabase
        case .database(let f): folder = f
        }
        do {
            let engine = try ClamAVEngine(folder: folder)
            securityEngines = ["clamav \(ClamAVEngine.version): \(engine.signatures) signatures from \(folder)"]
            return engine
        } catch let e as ClamAVEngine.Unavailable {
            if case .database = options.clamav {
                throw LakeError(.securityRulesInvalid, scope: .usage, input: folder, message: "ClamAV: \(e.description)")
            }
            securityEngines = ["clamav: not run (\(e.description))"]
            return nil
        }
    }

    /// A resolved input (LakeIngest's `Receipt` makes them).
    typealias Received = ReceivedInput

    /// The job, stage by stage: open the lake; receive every input (resolve, hash, type); name
    /// the job; start it (or find it done, or queue it); walk and load each input; finish.
    public func run(inputs: [String]) throws -> IngestSummary {
        let lake = try openLake()
        // However the run ends (done, paused, failed), the catalog file holds everything
        // committed: a reading connection of a stage thread may outlive this one to the exit,
        // and then no close is the last to copy the WAL back (an immutable reader, as a lake
        // in a read-only folder is opened, saw none of the job: 1 paused run in 16).
        defer { try? lake.checkpointWAL() }
        let magic = try MagicDetector()
        // A copy of standard input lives only as long as the run, whatever way it ends.
        defer { try? FileManager.default.removeItem(atPath: stdinCopy(lake)) }
        let received = try receiveAll(inputs, lake: lake, magic: magic)
        let job = try identify(received)
        if try lake.jobState(job.id)?.isComplete == true {
            return try summary(lake: lake, jobID: job.id, received: received, alreadyComplete: true)
        }
        if options.enqueue {
            try lake.queueJob(job.id, inputs: job.inputs, configuration: job.configuration, priority: options.priority)
            return try summary(lake: lake, jobID: job.id, received: received, alreadyComplete: false)
        }
        let mark = try start(job, lake: lake)
        defer { mark.release() }
        try load(received, jobID: job.id, lake: lake, magic: magic)
        removeDownloads(received, lake: lake)
        return try summary(lake: lake, jobID: job.id, received: received, alreadyComplete: false)
    }

    func summary(lake: Lake, jobID: String, received: [Received], alreadyComplete: Bool) throws -> IngestSummary {
        let errors = try lake.errors(jobID: jobID)
        let inputs = try received.map { r -> IngestSummary.InputSummary in
            // Counted by SQLite: the catalog's rows are not loaded (a million entries).
            let c = try lake.inputCounts(jobID: jobID, input: r.name)
            var summary = IngestSummary.InputSummary(
                name: r.name, sha256: r.digest.sha256, size: r.digest.size, format: r.detection.format.rawValue,
                files: c.files, parsedFiles: c.loaded, records: c.records, rejectedFiles: c.rejected)
            // An error row of a file that loaded is one rejected record.
            summary.rejectedRecords = c.rejectedRecords
            summary.quarantinedFiles = c.quarantined
            summary.mergedRecords = try lake.sightingCount(jobID: jobID, input: r.name)
            summary.validation = try lake.validationCounts(jobID: jobID, input: r.name)
            return summary
        }
        var s = IngestSummary(
            jobID: jobID, state: try lake.jobState(jobID) ?? .failed, inputs: inputs, errors: errors,
            alreadyComplete: alreadyComplete)
        s.findings = try lake.findings(jobID: jobID)
        s.alertsPosted = alerts?.posted.count ?? 0
        s.alertFailures = alerts?.failures ?? []
        if let scanner = try securityScanner() { s.securityEngines = ["yara: \(scanner.ruleCount) rules"] + securityEngines }
        return s
    }

    /// A stuck libarchive call cannot be interrupted: the job is marked failed (on a
    /// connection of its own, if the lock allows), then the process's stall handler ends it.
    func watchArchives(lakeDirectory: String, jobID: String?) {
        ArchiveWatchdog.shared.configure(limitSeconds: options.run.archiveCallTimeoutSeconds)
        ArchiveWatchdog.shared.setCleanup { stall in
            if let jobID, let lake = try? Lake(directory: lakeDirectory, create: false) {
                lake.setBusyTimeout(millis: 2000)
                try? lake.finishJob(jobID, state: .failed, message: stall.error.description)
            }
        }
    }
}
