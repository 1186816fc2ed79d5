import Foundation
import LakeCore
import LakeIngest
import LakeNormalize
import LakeParsers
import LakeStore
import LakeValidate

/// The archive walk, one input at a time: its entries in reading order (a folder's files, an
/// archive's, nested archives' in place), each judged by `EntryPolicy`, then hashed, typed and
/// read through its route (`processEntry`). Entry indexes run over the whole input: a nested
/// archive's entries follow its own index.
final class ArchiveWalk {
    let job: IngestJob
    let received: IngestJob.Received
    /// Whose records these are: `--user`, else the account the survey found.
    let user: String
    let ring: ShardRing
    let jobID: String
    let lake: Lake
    let magic: MagicDetector
    /// Entries committed by an earlier run of the job.
    let done: Set<Int>
    var nextIndex = 0
    /// Validation counts of this input, for the progress events: entries scanned, quarantined,
    /// and media findings.
    var scanned = 0
    var quarantined = 0
    var mediaFindings = 0
    /// Entries read whose catalog writes wait their turn, oldest first (`ArchiveWalk+Completions`).
    var completions: [Completion] = []
    var queuedBytes = 0
    /// The input's entries, read ahead while a parsed entry's last records are mapped and
    /// committed (`ArchiveWalk+ReadAhead`); nil when `RunSettings.readsAhead` is off.
    var readAhead: ReadAheadSource?
    var scanAhead: ScanAhead?

    init(job: IngestJob, received: IngestJob.Received, user: String, jobID: String, lake: Lake, magic: MagicDetector) throws {
        self.job = job
        self.received = received
        self.user = user
        ring = ShardRing(job.options.thresholds)
        self.jobID = jobID
        self.lake = lake
        self.magic = magic
        done = try lake.finishedEntries(jobID: jobID, input: received.name)
    }

    /// Walks one input: the survey (the user, and the declared size for the progress bar),
    /// then every entry.
    static func run(_ r: IngestJob.Received, job: IngestJob, jobID: String, lake: Lake, magic: MagicDetector) throws {
        let surveyed = job.survey(r)
        job.progress.totalBytes += surveyed.declaredBytes
        let walk = try ArchiveWalk(job: job, received: r, user: surveyed.user ?? "unknown", jobID: jobID, lake: lake, magic: magic)
        var reader: EntrySource
        do { reader = try job.entries(of: r) } catch let e as ArchiveError {
            throw LakeError(e.rule(otherwise: .archiveCorrupt), scope: .input, input: r.name, message: IngestJob.message(for: e, r))
        }
        if job.options.run.readsAhead {
            let ahead = ReadAheadSource(reader)
            walk.readAhead = ahead
            reader = ahead
        }
        do {
            try walk.walkEntries(reader, prefix: "", depth: 1)
            try walk.completeAll()
        } catch let paused as JobPaused {
            // Paused: the entries read before the pause are recorded, after the open chunk (if
            // any) is rolled back, so that their rows are not rolled back with it.
            lake.rollback()
            try walk.completeAll()
            throw paused
        } catch {
            walk.cancelAll()
            throw error
        }
        job.progress.validation(
            "security_scan_complete", job: jobID, input: r.name,
            counts: [
                ("scanned", walk.scanned), ("quarantined", walk.quarantined),
                ("clamav_signatures", try job.securityScanner()?.clamav?.signatures ?? 0),
            ])
        job.progress.validation("format_verification", job: jobID, input: r.name, counts: [("findings", walk.mediaFindings)])
        let v = try lake.validationCounts(jobID: jobID, input: r.name)
        job.progress.validation(
            "content_validation", job: jobID, input: r.name,
            counts: [("pii_records", v.piiRecords), ("pii_findings", v.findings)]
                + ["personal", "analytics", "system"].map { ($0, v.recordsByDataClass[$0] ?? 0) })
    }

    /// Reads the entries of `reader` (the input itself at depth 1, a nested archive deeper),
    /// their paths prefixed with `prefix`.
    func walkEntries(_ reader: EntrySource, prefix: String, depth: Int) throws {
        let t = job.options.thresholds
        let r = received
        var first = true
        while true {
            let entry: ArchiveEntry?
            do { entry = try reader.nextEntry() } catch let e as ArchiveError {
                let refusesInput = depth == 1 && first
                let error = LakeError(
                    e.rule(otherwise: .archiveCorrupt), scope: refusesInput ? .input : .entry, input: r.name,
                    entry: e.entry.map { prefix + $0 } ?? (prefix.isEmpty ? nil : String(prefix.dropLast())),
                    message: IngestJob.message(for: e, r))
                if refusesInput { throw error }
                try complete { [lake, jobID] in try lake.insertError(jobID: jobID, error) }
                first = false
                if reader.failed { return }
                nextIndex += 1
                continue
            }
            guard var entry else { return }
            first = false
            let index = nextIndex
            nextIndex += 1
            if job.options.stop?.signal != nil { throw JobPaused() }
            if index >= t.maxArchiveEntries {
                throw LakeError(
                    .archiveEntryLimit, scope: .input, input: r.name, entry: prefix + entry.path,
                    message: "more than \(t.maxArchiveEntries) entries; the archive is refused from here on")
            }
            entry.path = prefix + entry.path
            // A finished nested archive is still opened: its entries' indexes must be counted.
            if done.contains(index) && !EntryPolicy.isArchiveName(entry.path) {
                try? reader.skipData()
                continue
            }
            try processEntry(entry, index: index, reader: reader, depth: depth)
            if reader.failed { return }
        }
    }
}
