import Foundation
import LakeCore
import LakeIngest
import LakeNormalize
import LakeParsers
import LakeStore

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
    public let options: IngestOptions
    let progress: ProgressReporter
    let alerts: AlertMonitor?

    /// Retries of transient failures: a busy database, an interrupted read, a network error.
    var backoff: Backoff { options.run.backoff }

    public init(options: IngestOptions) {
        self.options = options
        progress = ProgressReporter(mode: options.progress)
        alerts = options.alertWebhook.map {
            AlertMonitor(webhook: Webhook(url: $0, backoff: options.run.backoff), settings: options.run)
        }
    }

    /// A resolved input: a local file, its name and digest.
    struct Received {
        var original: String
        var name: String
        var path: String
        var digest: FileDigest
        var detection: Detection
        /// XXH64 of every 1 MiB (`contentHashChunkBytes`) of a file input, from its receipt.
        var chunkHashes: [UInt64] = []
        /// A file that is no archive, read as the one entry of its input under this name.
        var singleEntry: String?
    }

    public func run(inputs: [String]) throws -> IngestSummary {
        let t = options.thresholds
        let lake = try Lake(directory: options.lakeDirectory, create: true)
        removeStaleCopies(lake)
        lake.retry = backoff
        // Receipt reads archives too (to recognize formats): the watchdog is armed from here.
        watchArchives(lakeDirectory: options.lakeDirectory, jobID: nil)
        let magic = try MagicDetector()

        // Receipt: every input is resolved, hashed and checked before anything is loaded.
        var received: [Received] = []
        // A copy of standard input lives only as long as the run, whatever way it ends.
        defer { try? FileManager.default.removeItem(atPath: stdinCopy(lake)) }
        var batch: Int64 = 0
        for input in inputs {
            let r: Received
            do { r = try receive(input, lake: lake, magic: magic) } catch is ReadInterrupted {
                throw LakeError(
                    .jobInterrupted, scope: .input, input: input,
                    message: "stopped by a signal while the input was read, before the job started; nothing was recorded")
            }
            batch += r.digest.size
            if batch > t.maxBatchBytes {
                throw LakeError(
                    .batchTooLarge, scope: .input, input: input,
                    message: "the inputs add up to more than the batch limit of \(t.maxBatchBytes) bytes")
            }
            received.append(r)
        }

        // The inputs of a job are a set (Takeout parts may come in any order): they are taken in
        // the order of their names' bytes, then their SHA-256, for the job id and for loading.
        received.sort { a, b in
            a.name == b.name ? a.digest.sha256 < b.digest.sha256 : Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
        // `--user` changes every record's user (and id): it is part of the job's identity.
        var configuration = t.jsonValue
        if let user = options.user { configuration = configuration.adding("user", .string(user)) }
        let jobID = Identity.jobID(inputSHA256: received.map(\.digest.sha256), configuration: configuration)
        if let expected = options.expectedJobID, expected != jobID {
            throw LakeError(
                .jobInputsChanged, scope: .input, input: received.map(\.name).joined(separator: ", "),
                message: "these inputs make job \(jobID), not \(expected): an input's bytes changed since the job started")
        }
        if try lake.jobState(jobID)?.isComplete == true {
            return try summary(lake: lake, jobID: jobID, received: received, alreadyComplete: true)
        }
        let inputsJSON: JSONValue = .array(
            received.map {
                .object([
                    .init("name", .string($0.name)), .init("path", .string(Downloader.redacted($0.original))),
                    .init("sha256", .string($0.digest.sha256)),
                    .init("size", .number(String($0.digest.size))),
                ])
            })
        if options.enqueue {
            try lake.queueJob(jobID, inputs: inputsJSON, configuration: configuration, priority: options.priority)
            return try summary(lake: lake, jobID: jobID, received: received, alreadyComplete: false)
        }
        // Marked as this lake's writer for as long as the job runs (the mark goes with the process).
        let mark = try lake.markWriter(jobID: jobID)
        defer { mark.release() }
        Self.sayIfBusy(lake)
        do { try lake.startJob(jobID, inputs: inputsJSON, configuration: configuration) } catch let e as LakeError
            where e.rule == .lakeLocked
        {
            throw Self.naming(holderOf: lake, e)
        }
        watchArchives(lakeDirectory: options.lakeDirectory, jobID: jobID)
        // Job history is kept 30 days.
        try lake.inTransaction { try lake.pruneHistory(olderThanDays: 30) }

        do {
            for r in received {
                try processArchive(r, jobID: jobID, lake: lake, magic: magic)
                try verifyUnchanged(r)
            }
        } catch is JobPaused {
            // A stop inside an entry leaves its chunk uncommitted: nothing of it stays.
            lake.rollback()
            let how = options.stop?.signal.map { $0 == SIGINT ? "SIGINT" : $0 == SIGTERM ? "SIGTERM" : "request" } ?? "request"
            try lake.finishJob(
                jobID, state: .paused, message: "paused by \(how) at a chunk boundary; continue with `datapunk resume \(jobID)`")
            progress.done(job: jobID, state: .paused)
            return try summary(lake: lake, jobID: jobID, received: received, alreadyComplete: false)
        } catch {
            // The job stops (the failure threshold, an input that turned out unreadable, or a
            // bug): it is marked failed with the reason, never left `running`; what it committed
            // before stays, whole entries only.
            lake.rollback()
            let reason = error as? LakeError ?? (error as? SQLiteError)?.lakeError
            try? lake.finishJob(jobID, state: .failed, message: reason?.description ?? "internal: \(error)")
            progress.done(job: jobID, state: .failed)
            throw reason ?? error
        }
        let errors = try lake.errors(jobID: jobID)
        let state: JobState = errors.isEmpty ? .completed : .completedWithErrors
        try lake.finishJob(jobID, state: state, message: errors.isEmpty ? nil : "\(errors.count) item(s) rejected")
        progress.done(job: jobID, state: state)
        // Downloads are staged only for the run.
        for r in received where r.path.hasPrefix(staging(lake) + "/") {
            try? FileManager.default.removeItem(atPath: r.path)
        }
        return try summary(lake: lake, jobID: jobID, received: received, alreadyComplete: false)
    }

    func summary(lake: Lake, jobID: String, received: [Received], alreadyComplete: Bool) throws -> IngestSummary {
        let errors = try lake.errors(jobID: jobID)
        let inputs = try received.map { r -> IngestSummary.InputSummary in
            // Counted by SQLite: the catalog's rows are not loaded (a million entries).
            let c = try lake.inputCounts(jobID: jobID, input: r.name)
            var summary = IngestSummary.InputSummary(
                name: r.name, sha256: r.digest.sha256, size: r.digest.size, format: r.detection.format,
                files: c.files, parsedFiles: c.loaded, records: c.records, rejectedFiles: c.rejected)
            // An error row of a file that loaded is one rejected record.
            summary.rejectedRecords = c.rejectedRecords
            return summary
        }
        var s = IngestSummary(
            jobID: jobID, state: try lake.jobState(jobID) ?? .failed, inputs: inputs, errors: errors,
            alreadyComplete: alreadyComplete)
        s.findings = try lake.findings(jobID: jobID)
        s.alertsPosted = alerts?.posted.count ?? 0
        s.alertFailures = alerts?.failures ?? []
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
