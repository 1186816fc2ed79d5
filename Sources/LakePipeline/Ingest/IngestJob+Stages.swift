import Foundation
import LakeCore
import LakeIngest
import LakeStore
import LakeValidate

/// The stages `run` calls in order, each a step of the job's life.
extension IngestJob {
    /// What names a job: the id, the configuration it was made under, and its inputs as stored.
    struct JobIdentity {
        var id: String
        var configuration: JSONValue
        var inputs: JSONValue
    }

    /// The lake, created if missing, with stale copies of killed runs removed; the archive
    /// watchdog is armed from here (receipt reads archives too, to recognize formats).
    func openLake() throws -> Lake {
        // The security scan's rules compile before anything is read: a broken `--rules` file is
        // a usage error, not a failed job.
        _ = try securityScanner()
        let patterns = try options.piiPatternFiles.flatMap { try CustomPIIPattern.load(file: $0) }
        if !patterns.isEmpty { validator = ContentValidator(scanner: PIIScanner(custom: patterns)) }
        let lake = try Lake(directory: options.lakeDirectory, create: true)
        // A lake rebalanced to another shard count places new users on that ring too.
        if let shards = try lake.shardCount() { options.thresholds.shardCount = shards }
        removeStaleCopies(lake)
        lake.retry = backoff
        watchArchives(lakeDirectory: options.lakeDirectory, jobID: nil)
        return lake
    }

    /// How many local inputs are hashed at once at receipt.
    static let receiptWorkers = 2

    /// Receipt: every input resolved, hashed and checked before anything is loaded, within the
    /// batch limit; then put in the order of their names' bytes, then SHA-256 (the inputs of a
    /// job are a set: Takeout parts may come in any order). Local files are hashed two at a
    /// time (a Takeout comes in parts of 2 to 50 GB); what fails is reported in the order given.
    func receiveAll(_ inputs: [String], lake: Lake, magic: MagicDetector) throws -> [Received] {
        let t = options.thresholds
        let receipt = receipt(lake, magic: magic)
        let local = !inputs.contains { $0 == "-" || Downloader.isURL($0) }
        let results = try Parallel.map(inputs, workers: local ? Self.receiptWorkers : 1) { input in
            Result { try receipt.receive(input) }
        }
        var received: [Received] = []
        var batch: Int64 = 0
        for (input, result) in zip(inputs, results) {
            let r: Received
            do { r = try result.get() } catch is ReadInterrupted {
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
        return received.sorted { a, b in
            a.name == b.name ? a.digest.sha256 < b.digest.sha256 : Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
    }

    /// The job's id from its inputs' SHA-256 and the settings that can change its output
    /// (`--user` included: it changes every record's user and id). `resume` insists on the id
    /// it was given.
    func identify(_ received: [Received]) throws -> JobIdentity {
        var configuration = options.thresholds.jsonValue
        if let user = options.user { configuration = configuration.adding("user", .string(user)) }
        // A user's own rules can quarantine other files: they are part of the job.
        if options.securityScan, !options.ruleFolders.isEmpty {
            configuration = configuration.adding("security_rules", .string(try SecurityScanner.digest(ofRuleFolders: options.ruleFolders)))
        }
        // ClamAV's signatures quarantine files too, when it runs.
        if let clamav = try securityScanner()?.clamav { configuration = configuration.adding("security_clamav", .string(clamav.identity)) }
        // So can a user's PII patterns change every record's findings.
        if !options.piiPatternFiles.isEmpty {
            configuration = configuration.adding("pii_patterns", .string(try CustomPIIPattern.digest(ofFiles: options.piiPatternFiles)))
        }
        let id = Identity.jobID(inputSHA256: received.map(\.digest.sha256), configuration: configuration)
        if let expected = options.expectedJobID, expected != id {
            throw LakeError(
                .jobInputsChanged, scope: .input, input: received.map(\.name).joined(separator: ", "),
                message: "these inputs make job \(id), not \(expected): an input's bytes changed since the job started")
        }
        let inputs: JSONValue = .array(
            received.map {
                .object([
                    .init("name", .string($0.name)), .init("path", .string(Downloader.redacted($0.original))),
                    .init("sha256", .string($0.digest.sha256)), .init("size", .number(String($0.digest.size))),
                ])
            })
        return JobIdentity(id: id, configuration: configuration, inputs: inputs)
    }

    /// Marks this process as the lake's writer (for as long as the returned mark is held),
    /// says so when another holds the lake, and records the job as running; history older
    /// than 30 days goes.
    func start(_ job: JobIdentity, lake: Lake) throws -> Lake.WriterMark {
        let mark = try lake.markWriter(jobID: job.id)
        notifyIfBusy(lake)
        do { try lake.startJob(job.id, inputs: job.inputs, configuration: job.configuration) } catch let e as LakeError
            where e.rule == .lakeLocked
        {
            throw Self.naming(holderOf: lake, e)
        }
        watchArchives(lakeDirectory: options.lakeDirectory, jobID: job.id)
        try lake.inTransaction { try lake.pruneHistory(olderThanDays: 30) }
        // Indexes a first load stopped half way left unbuilt (`Lake.buildRecordIndexes`).
        try lake.buildRecordIndexes()
        return mark
    }

    /// The archive walk and loading of every input, then the job's end state: `paused` on a
    /// stop (the open chunk rolled back), `failed` with its reason on an error that ends the
    /// job (what it committed before stays, whole entries only), else `completed` or
    /// `completed_with_errors`.
    func load(_ received: [Received], jobID: String, lake: Lake, magic: MagicDetector) throws {
        progress.validation("validation_start", job: jobID, input: nil, counts: [("inputs", received.count)])
        let receipt = receipt(lake, magic: magic)
        // Each input is read again for its SHA-256 (`Receipt.verifyUnchanged`) on another thread
        // while the next one is walked; the last is waited for before the duplicate stage.
        var verifying: Parallel.Pending<Void>?
        defer { _ = try? verifying?.wait() }
        /// Waits for the check running, if any (a pending result is waited for once).
        func verified() throws {
            let running = verifying
            verifying = nil
            _ = try running?.wait()
        }
        do {
            // A first load builds records_content_hash once its rows are in (`Lake+BulkIndexes`).
            _ = try lake.deferRecordIndexesIfEmpty()
            for r in received {
                try ArchiveWalk.run(r, job: self, jobID: jobID, lake: lake, magic: magic)
                try verified()
                verifying = Parallel.start([r], workers: 1) { try receipt.verifyUnchanged($0) }
            }
            try verified()
            if stopRequested() { throw JobPaused() }
            // Duplicates, over the whole lake, once every input is in.
            var prepared = DuplicateLinker.Counts(), linked = prepared
            var linker = DuplicateLinker(lake: lake, near: options.nearDuplicates) { [self] in
                if TestHooks.stopsAt(step: "duplicates") { options.stop?.request(signal: SIGTERM) }
                if stopRequested() { throw JobPaused() }
            }
            // What loading and each step freed goes back to the system before the next step
            // (`Heap`): the arenas kept it, and it made the peak at 10 GB.
            Heap.release()
            linker.onStep = { [progress] in
                Heap.release()
                progress.duplicateStep(job: jobID, step: $0.rawValue, count: $1)
            }
            // The text records are read and hashed on another thread while this one builds the
            // indexes a first load deferred and merges (`NearDuplicateFinder.TextHashing`).
            let hashing = options.nearDuplicates ? try linker.finder.startHashing() : nil
            defer { hashing?.cancel() }
            linker.measures = hashing?.measures
            try lake.buildRecordIndexes()
            // Two transactions: merging and hashing, then linking. The first's rows (gigabytes at
            // 10 GB) are checkpointed out of the WAL in between: read through the WAL inside one
            // transaction, each page looked up in every one of its index blocks.
            try lake.inTransaction { prepared = try linker.prepare(hashing: hashing) }
            // Partition files written again without records merged into hot ones.
            try lake.removeOrphanPartitionFiles(among: prepared.replacedFiles)
            try lake.checkpointWAL()
            linker.linksAfterCommit = true
            if TestHooks.stopsAt(step: "links") { options.stop?.request(signal: SIGTERM) }
            try lake.inTransaction { linked = try linker.link(prepared) }
            progress.validation(
                "duplicate_detection", job: jobID, input: nil,
                counts: [
                    ("records", linked.records), ("near_records", linked.near), ("texts_hashed", linked.textsHashed),
                    ("files", linked.files), ("merged", linked.merged), ("sightings", linked.sightings),
                ])
        } catch is JobPaused {
            lake.rollback()
            let how = options.stop?.signal.map { $0 == SIGINT ? "SIGINT" : $0 == SIGTERM ? "SIGTERM" : "request" } ?? "request"
            try lake.finishJob(
                jobID, state: .paused, message: "paused by \(how) at a chunk boundary; continue with `datapunk resume \(jobID)`")
            try audit(lake, jobID: jobID, state: .paused)
            progress.done(job: jobID, state: .paused)
            return
        } catch {
            lake.rollback()
            let reason = error as? LakeError ?? (error as? SQLiteError)?.lakeError
            try? lake.finishJob(jobID, state: .failed, message: reason?.description ?? "internal: \(error)")
            try? audit(lake, jobID: jobID, state: .failed)
            progress.done(job: jobID, state: .failed)
            throw reason ?? error
        }
        let errors = try lake.errors(jobID: jobID)
        let state: JobState = errors.isEmpty ? .completed : .completedWithErrors
        try lake.finishJob(jobID, state: state, message: errors.isEmpty ? nil : "\(errors.count) item(s) rejected")
        try audit(lake, jobID: jobID, state: state)
        progress.done(job: jobID, state: state)
    }

    /// The job's row in the audit log: `ingest` or `resume`, how it ended, and its counts.
    func audit(_ lake: Lake, jobID: String, state: JobState) throws {
        let row = try lake.jobs().first { $0.jobID == jobID }
        try lake.appendAudit(
            command: "\(options.expectedJobID == nil ? "ingest" : "resume") (\(state.rawValue))", jobID: jobID, user: options.user,
            counts: [("files", row?.files ?? 0), ("records", row?.records ?? 0), ("rejected", row?.rejected ?? 0)])
    }

    /// Downloads are staged only for the run.
    func removeDownloads(_ received: [Received], lake: Lake) {
        for r in received where r.path.hasPrefix(staging(lake) + "/") {
            try? FileManager.default.removeItem(atPath: r.path)
        }
    }
}
