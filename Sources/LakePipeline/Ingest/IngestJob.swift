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
    var backoff: Backoff { options.thresholds.backoff }

    public init(options: IngestOptions) {
        self.options = options
        progress = ProgressReporter(mode: options.progress)
        alerts = options.alertWebhook.map {
            AlertMonitor(webhook: Webhook(url: $0, backoff: options.thresholds.backoff),
                         thresholds: options.thresholds)
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
        removeStaleStdinCopies(lake)
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
                throw LakeError(.init("job.interrupted"), scope: .input, input: input,
                                message: "stopped by a signal while the input was read, before the job started; nothing was recorded")
            }
            batch += r.digest.size
            if batch > t.maxBatchBytes {
                throw LakeError(.batchTooLarge, scope: .input, input: input,
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
            throw LakeError(.init("job.inputs_changed"), scope: .input, input: received.map(\.name).joined(separator: ", "),
                            message: "these inputs make job \(jobID), not \(expected): an input's bytes changed since the job started")
        }
        if try lake.jobState(jobID) == "completed" || lake.jobState(jobID) == "completed_with_errors" {
            return try summary(lake: lake, jobID: jobID, received: received, alreadyComplete: true)
        }
        let inputsJSON: JSONValue = .array(received.map {
            .object([.init("name", .string($0.name)), .init("path", .string(Downloader.redacted($0.original))), .init("sha256", .string($0.digest.sha256)),
                     .init("size", .number(String($0.digest.size)))])
        })
        if options.enqueue {
            try lake.queueJob(jobID, inputs: inputsJSON, configuration: configuration, priority: options.priority)
            return try summary(lake: lake, jobID: jobID, received: received, alreadyComplete: false)
        }
        Self.sayIfBusy(lake)
        do { try lake.startJob(jobID, inputs: inputsJSON, configuration: configuration) } catch let e as LakeError where e.rule == .lakeLocked {
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
            try lake.finishJob(jobID, state: "paused", message: "paused by \(how) at a chunk boundary; continue with `datapunk resume \(jobID)`")
            progress.done(job: jobID, state: "paused")
            return try summary(lake: lake, jobID: jobID, received: received, alreadyComplete: false)
        } catch {
            // The job stops (the failure threshold, an input that turned out unreadable, or a
            // bug): it is marked failed with the reason, never left `running`; what it committed
            // before stays, whole entries only.
            lake.rollback()
            let reason = error as? LakeError ?? (error as? SQLiteError)?.lakeError
            try? lake.finishJob(jobID, state: "failed", message: reason?.description ?? "internal: \(error)")
            progress.done(job: jobID, state: "failed")
            throw reason ?? error
        }
        let errors = try lake.errors(jobID: jobID)
        let state = errors.isEmpty ? "completed" : "completed_with_errors"
        try lake.finishJob(jobID, state: state, message: errors.isEmpty ? nil : "\(errors.count) item(s) rejected")
        progress.done(job: jobID, state: state)
        // Downloads are staged only for the run.
        for r in received where r.path.hasPrefix(staging(lake) + "/") {
            try? FileManager.default.removeItem(atPath: r.path)
        }
        return try summary(lake: lake, jobID: jobID, received: received, alreadyComplete: false)
    }

    private func summary(lake: Lake, jobID: String, received: [Received], alreadyComplete: Bool) throws -> IngestSummary {
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
            jobID: jobID, state: try lake.jobState(jobID) ?? "unknown", inputs: inputs, errors: errors,
            alreadyComplete: alreadyComplete)
        s.findings = try lake.findings(jobID: jobID)
        s.alertsPosted = alerts?.posted.count ?? 0
        s.alertFailures = alerts?.failures ?? []
        return s
    }

    /// A stuck libarchive call cannot be interrupted: the job is marked failed (on a
    /// connection of its own, if the lock allows) and the process ends with status 3.
    private func watchArchives(lakeDirectory: String, jobID: String?) {
        ArchiveWatchdog.shared.configure(limitSeconds: options.thresholds.archiveCallTimeoutSeconds) { stall in
            if let jobID, let lake = try? Lake(directory: lakeDirectory, create: false) {
                lake.database.setBusyTimeout(millis: 2000)
                try? lake.finishJob(jobID, state: "failed", message: String(stall.errorLine.dropFirst("datapunk: ".count)))
            }
            ArchiveWatchdog.reportAndExit(stall)
        }
    }

    // MARK: - Receipt

    /// The rule for a libarchive error: `archive.encrypted` when it is about encryption or a
    /// passphrase, `archive.unsupported` for a feature libarchive lacks (solid RAR4, RAR 1.5…),
    /// else `otherwise`.
    static func rule(for e: ArchiveError, otherwise: LakeError.Rule) -> LakeError.Rule {
        let m = e.message.lowercased()
        if m.contains("encrypt") || m.contains("passphrase") || m.contains("password") || m.contains("decrypt") { return .archiveEncrypted }
        if m.contains("unsupported") || m.contains("unavailable") || m.contains("not supported") { return .archiveUnsupported }
        return otherwise
    }

    /// libarchive's message, with what its RAR reader cannot do said plainly for a RAR input.
    static func message(for e: ArchiveError, _ r: Received) -> String {
        guard r.detection.format == "rar" else { return e.message }
        return e.message + " (libarchive 3.6.2 reads RAR5 and non-solid RAR4 only: not solid RAR4, encrypted RAR or RAR 1.5/2.x)"
    }

    func stdinCopy(_ lake: Lake) -> String { staging(lake) + "/stdin-\(getpid())" }

    /// Where downloads and the copy of standard input go: `--staging` (a folder inside the
    /// lake, relative to it), else `<lake>/staging`.
    func staging(_ lake: Lake) -> String {
        options.stagingFolder.map { lake.directory + "/" + $0 } ?? lake.stagingDirectory
    }

    /// When another writer holds the lake, says so (naming its job) before the 5 s wait.
    static func sayIfBusy(_ lake: Lake) {
        lake.database.setBusyTimeout(millis: 0)
        defer { lake.database.setBusyTimeout(millis: 5000) }
        do {
            try lake.database.execute("BEGIN IMMEDIATE")
            try lake.database.execute("ROLLBACK")
        } catch let e as SQLiteError where e.isTransient {
            let running = ((try? lake.jobs()) ?? []).filter { $0.state == "running" }.map(\.jobID)
            TerminalLine.writeError("datapunk: the lake is busy" + (running.isEmpty ? "" : " (job \(running.joined(separator: ", ")))")
                                    + "; waiting up to 5 s")
        } catch {}
    }

    /// A `lake.locked` error naming the job that holds the lake (the running one: a read still
    /// works while another connection writes), after the 5 s wait.
    static func naming(holderOf lake: Lake, _ e: LakeError) -> LakeError {
        var named = e
        let running = ((try? lake.jobs()) ?? []).filter { $0.state == "running" }
        let holder = running.map { "job \($0.jobID), running since \($0.updatedAt)" }.joined(separator: "; ")
        named.message = "another datapunk is writing to this lake" + (holder.isEmpty ? "" : " (\(holder))")
            + "; waited 5 s. Try again when it is done"
        return named
    }

    /// Whether SIGINT or SIGTERM (or a caller) asked the job to stop.
    func stopRequested() -> Bool { options.stop?.signal != nil }

    /// Folders inside a folder input that are not part of it: a lake (this one, or any other,
    /// with its staging), so that `datapunk ingest .` twice never reads its own catalog back in.
    var notInput: (String) -> Bool {
        let lakeRoot = URL(fileURLWithPath: options.lakeDirectory).resolvingSymlinksInPath().path
        return { folder in Lake.isLake(folder) || URL(fileURLWithPath: folder).resolvingSymlinksInPath().path == lakeRoot }
    }

    /// Copies of standard input left by runs that were killed (`stdin-<pid>` of a process that
    /// no longer exists) are removed: no unfinished job reads them again (a resumed stdin job
    /// reads standard input anew).
    func removeStaleStdinCopies(_ lake: Lake) {
        let folder = staging(lake)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix("stdin-") {
            guard let pid = Int32(name.dropFirst(6)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(atPath: folder + "/" + name) }
        }
    }

    /// The entry name of a bare file on standard input: `stdin` with the extension of the
    /// format its content shows, so it is routed like a file of that name.
    static func stdinEntryName(format: String) -> String {
        let extensions = ["twitter-js": "js", "twitter-manifest": "js", "javascript": "js", "json": "json", "csv": "csv", "ics": "ics",
                          "vcf": "vcf", "mbox": "mbox", "html": "html", "text": "txt"]
        return extensions[format].map { "stdin." + $0 } ?? "stdin"
    }

    static let archiveFormats: Set<String> = ["zip", "gzip", "tar", "7z", "rar", "bzip2", "xz", "zstd"]

    /// libarchive's name for the format of `path` ("iso9660", "cpio (svr4 with no crc)"…),
    /// when one of its readers claims the file (its first header may still be broken: that is
    /// reported when the archive is read); nil when none does.
    static func libarchiveFormat(_ path: String) -> String? {
        guard let reader = try? ArchiveReader(path: path) else { return nil }
        _ = try? reader.nextEntry()
        return reader.formatName?.lowercased()
    }

    private func receive(_ input: String, lake: Lake, magic: MagicDetector) throws -> Received {
        let t = options.thresholds
        var path = input
        var name = (input as NSString).lastPathComponent
        var verifiedSHA256 = false
        if Downloader.isURL(input) {
            let d = Downloader(stagingDirectory: staging(lake), retries: t.retries, baseDelay: t.retryBaseDelaySeconds, caFile: options.caFile)
            d.maxBytes = t.maxFileBytes
            d.netrcFile = options.netrcFile
            let result = try d.download(input, expectedSHA256: options.expectedSHA256)
            verifiedSHA256 = true
            path = result.path
            name = result.name
        }
        // XXH64 of every MiB, kept to say where a changed input first differs (`verifyUnchanged`).
        let chunks = ChunkHasher(chunkBytes: Int(t.contentHashChunkBytes))
        var stdinDigest: FileDigest?
        if input == "-" {
            // Standard input is copied to the staging folder (hashed on the way), read from
            // there like a file, and removed when the job ends.
            path = stdinCopy(lake)
            name = "stdin"
            try? FileManager.default.createDirectory(atPath: staging(lake), withIntermediateDirectories: true)
            stdinDigest = try FileHashing.copyStandardInput(to: path, maxBytes: t.maxFileBytes, chunks: chunks, shouldStop: stopRequested)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LakeError(.inputNotFound, scope: .input, input: input, message: "no such file")
        }
        try FileHashing.requireFileOrFolder(path, input: input)
        if isDirectory.boolValue {
            let digest = try FileHashing.digest(ofFolder: path, skipping: notInput, shouldStop: stopRequested)
            let detection = Detection(format: "folder", mimeType: "inode/directory", encoding: "binary", encodingConfidence: 1, mismatch: nil)
            return Received(original: input, name: name, path: path, digest: digest, detection: detection)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        if size > t.maxFileBytes {
            throw LakeError(.inputTooLarge, scope: .input, input: input, message: "\(size) bytes is over the single-file limit of \(t.maxFileBytes)")
        }
        // Standard input was hashed on its way to the staging copy: not read again.
        let digest = try stdinDigest ?? FileHashing.digest(ofFile: path, backoff: backoff, chunks: chunks, shouldStop: stopRequested)
        // `--sha256` holds for a local file (or standard input) as for a download.
        if let expected = options.expectedSHA256, !verifiedSHA256, expected.lowercased() != digest.sha256 {
            throw LakeError(.inputHashMismatch, scope: .input, input: input, message: "SHA-256 is \(digest.sha256), expected \(expected.lowercased())")
        }
        let sample = try FileHashing.head(ofFile: path, count: t.detectionSampleBytes)
        var detection = ContentSniffer.detect(head: sample, size: digest.size, name: name, magic: magic, sampleBytes: t.detectionSampleBytes)
        if !Self.archiveFormats.contains(detection.format) {
            // Any other format libarchive reads (cpio, ISO 9660, cab, lha, xar…) is an archive too.
            // libarchive's mtree reader claims any text with file-name-like lines: only a file that
            // says `#mtree` is taken as one.
            if let format = Self.libarchiveFormat(path), !format.hasPrefix("mtree") || sample.starts(with: Array("#mtree".utf8)) {
                detection.format = format
            } else {
                // A bare file (tweets.js, a JSON, CSV, mbox, .ics, .vcf or My Activity page): one
                // entry, routed by its name and content as if it sat in its export.
                var received = Received(original: input, name: name, path: path, digest: digest, detection: detection,
                                        chunkHashes: chunks.finish())
                received.singleEntry = input == "-" ? Self.stdinEntryName(format: detection.format) : name
                return received
            }
        }
        if detection.format == "zip", digest.size > t.maxArchiveBytes {
            throw LakeError(.archiveTooLarge, scope: .input, input: name, message: "zip is over the limit of \(t.maxArchiveBytes) bytes")
        }
        return Received(original: input, name: name, path: path, digest: digest, detection: detection, chunkHashes: chunks.finish())
    }

    /// Integrity after processing: a file input is read again; its SHA-256 must be the one
    /// taken at receipt (which is also the one the job id was made from).
    /// - Throws: `LakeError` `input.changed` (scope input) naming the first MiB that differs.
    private func verifyUnchanged(_ r: Received) throws {
        guard r.detection.format != "folder" else { return }
        let chunks = ChunkHasher(chunkBytes: Int(options.thresholds.contentHashChunkBytes))
        let after = try FileHashing.digest(ofFile: r.path, backoff: backoff, chunks: chunks)
        guard after.sha256 != r.digest.sha256 else { return }
        let mib = ChunkHasher.firstDifference(r.chunkHashes, chunks.finish()).map { " (first difference in chunk \($0) of 1 MiB)" } ?? ""
        throw LakeError(.init("input.changed"), scope: .input, input: r.name,
                        message: "the input's bytes changed while it was processed\(mib); SHA-256 at receipt \(r.digest.sha256), now \(after.sha256)")
    }

    // MARK: - Archives

    /// One pass over the archive's headers before loading: the user, from the small metadata
    /// files (account.js, else manifest.js), so it is known before any record is built whatever
    /// order the archive stores its entries in; and, for the progress bar, the uncompressed size
    /// the entries declare. Stops early when neither is needed any more.
    private func survey(_ r: Received) -> (user: String?, declaredBytes: Int64) {
        let wantsTotal = progress.mode == .bar
        var user = options.user
        var fromManifest: String?
        var total: Int64 = 0
        guard user == nil || wantsTotal, let reader = try? entries(of: r) else { return (user, 0) }
        /// Returns false once nothing more is needed. Nested archives are looked into as they are loaded.
        func look(_ reader: EntrySource, depth: Int) -> Bool {
            while let entry = try? reader.nextEntry() {
                total += entry.declaredSize ?? 0
                let base = (entry.path as NSString).lastPathComponent
                if entry.kind == .file, depth < options.thresholds.maxArchiveDepth, Self.isArchiveName(entry.path),
                    let inner = try? ArchiveReader(name: r.name + ":" + entry.path, stream: { try reader.readChunk() }, passphrases: options.passphrases)
                {
                    if !look(inner, depth: depth + 1) { return false }
                    continue
                }
                guard user == nil, entry.kind == .file, base == "account.js" || base == "manifest.js" else { continue }
                guard let file = try? TwitterJSFile(source: { try reader.readChunk() }, limits: JSONLimits(options.thresholds)),
                      let value = try? file.readWholeValue()
                else { continue }
                if base == "account.js", let first = value.arrayValue?.first, let found = TwitterMapper.user(fromAccountElement: first) {
                    user = found
                    if !wantsTotal { return false }
                }
                if base == "manifest.js" { fromManifest = TwitterMapper.user(fromManifest: value) }
            }
            return true
        }
        _ = look(reader, depth: 1)
        return (user ?? fromManifest, total)
    }

    /// The input's entries: a folder's files, else the archive's.
    private func entries(of r: Received) throws -> EntrySource {
        if r.detection.format == "folder" { return try FolderReader(path: r.path, skipping: notInput) }
        if let name = r.singleEntry { return FolderReader(file: r.path, name: name) }
        return try ArchiveReader(path: r.path, passphrases: options.passphrases)
    }

    /// One input being read: what every entry of it needs, nested archives' entries included.
    /// Entry indexes run over the whole input in reading order: a nested archive's entries
    /// follow its own index.
    final class InputWalk {
        let received: Received
        let user: String
        let ring: ShardRing
        let jobID: String
        let lake: Lake
        let magic: MagicDetector
        /// Entries committed by an earlier run.
        let done: Set<Int>
        var nextIndex = 0

        init(received: Received, user: String, ring: ShardRing, jobID: String, lake: Lake, magic: MagicDetector, done: Set<Int>) {
            self.received = received
            self.user = user
            self.ring = ring
            self.jobID = jobID
            self.lake = lake
            self.magic = magic
            self.done = done
        }
    }

    private func processArchive(_ r: Received, jobID: String, lake: Lake, magic: MagicDetector) throws {
        let t = options.thresholds
        let surveyed = survey(r)
        progress.totalBytes += surveyed.declaredBytes
        let walk = InputWalk(received: r, user: surveyed.user ?? "unknown", ring: ShardRing(t), jobID: jobID, lake: lake, magic: magic,
                             done: try lake.finishedEntries(jobID: jobID, input: r.name))
        let reader: EntrySource
        do { reader = try entries(of: r) } catch let e as ArchiveError {
            throw LakeError(Self.rule(for: e, otherwise: .archiveCorrupt), scope: .input, input: r.name, message: Self.message(for: e, r))
        }
        try walkEntries(reader, walk, prefix: "", depth: 1)
    }

    /// Reads the entries of `reader` (the input itself at depth 1, a nested archive deeper),
    /// their paths prefixed with `prefix`.
    private func walkEntries(_ reader: EntrySource, _ w: InputWalk, prefix: String, depth: Int) throws {
        let t = options.thresholds
        let r = w.received
        var first = true
        while true {
            let entry: ArchiveEntry?
            do { entry = try reader.nextEntry() } catch let e as ArchiveError {
                let refusesInput = depth == 1 && first
                let error = LakeError(Self.rule(for: e, otherwise: .archiveCorrupt), scope: refusesInput ? .input : .entry, input: r.name,
                                      entry: e.entry.map { prefix + $0 } ?? (prefix.isEmpty ? nil : String(prefix.dropLast())),
                                      message: Self.message(for: e, r))
                if refusesInput { throw error }
                try w.lake.insertError(jobID: w.jobID, error)
                first = false
                if reader.failed { return }
                w.nextIndex += 1
                continue
            }
            guard var entry else { return }
            first = false
            let index = w.nextIndex
            w.nextIndex += 1
            if options.stop?.signal != nil { throw JobPaused() }
            if index >= t.maxArchiveEntries {
                throw LakeError(.archiveEntryLimit, scope: .input, input: r.name, entry: prefix + entry.path,
                                message: "more than \(t.maxArchiveEntries) entries; the archive is refused from here on")
            }
            entry.path = prefix + entry.path
            // A finished nested archive is still opened: its entries' indexes must be counted.
            if w.done.contains(index) && !Self.isArchiveName(entry.path) {
                try? reader.skipData()
                continue
            }
            try processEntry(entry, index: index, reader: reader, walk: w, depth: depth)
            if reader.failed { return }
        }
    }

    /// Names of entries opened as nested archives (a lone `.gz` is not: it holds one file).
    static func isArchiveName(_ path: String) -> Bool {
        let p = path.lowercased()
        return [".zip", ".7z", ".rar", ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst"]
            .contains { p.hasSuffix($0) }
    }

    /// Path rules for archive entries: relative, no `..` component, no NUL.
    static func unsafePathReason(_ path: String) -> String? {
        if path.hasPrefix("/") || path.hasPrefix("\\") { return "absolute path" }
        if path.utf8.contains(0) { return "NUL in path" }
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if parts.contains("..") { return "`..` in path" }
        if let first = parts.first, first.count == 2, first.hasSuffix(":") { return "drive-letter path" }
        return nil
    }

    /// Link and special-file rules: a symbolic or hard link whose target is absolute or climbs
    /// out of the archive's root (resolved from the link's own folder; a hard link's target is
    /// a path from the root), and devices, pipes and sockets, are refused. Links are never
    /// followed either way; a link that stays inside is catalogued as `skipped`.
    static func unsafeLinkReason(_ entry: ArchiveEntry) -> String? {
        switch entry.kind {
        case .special: return "device, pipe or socket"
        case .symlink, .hardlink:
            guard let target = entry.linkTarget, !target.isEmpty else { return nil }
            if target.hasPrefix("/") || target.hasPrefix("\\") { return "link to an absolute path" }
            var depth = entry.kind == .symlink ? entry.path.split(separator: "/").count - 1 : 0
            for part in target.split(separator: "/") {
                if part == ".." { depth -= 1 } else if part != "." { depth += 1 }
                if depth < 0 { return "link leaving the archive's root" }
            }
            return nil
        default: return nil
        }
    }

    private func processEntry(_ entry: ArchiveEntry, index: Int, reader: EntrySource, walk w: InputWalk, depth: Int) throws {
        let t = options.thresholds
        let (r, user, ring, jobID, lake, magic) = (w.received, w.user, w.ring, w.jobID, w.lake, w.magic)
        var row = Lake.FileRow(input: r.name, entryIndex: index, path: entry.path, kind: entry.kind.rawValue, status: "skipped")
        row.modified = entry.modified
        row.permissions = Int64(entry.permissions)
        // Refused before its data is read: the file row, its error, and the data skipped.
        func refuse(_ rule: LakeError.Rule, size: Int64?, _ message: String) throws {
            // Refused by an earlier run of the job (reached again inside a reopened container).
            if w.done.contains(index) {
                try? reader.skipData()
                return
            }
            row.status = "rejected"
            row.size = size
            var skipError: LakeError?
            do { try reader.skipData() } catch let e as ArchiveError {
                skipError = LakeError(Self.rule(for: e, otherwise: .archiveEntryCorrupt), scope: .entry, input: r.name, entry: entry.path,
                                      message: Self.message(for: e, r))
            }
            try lake.inTransaction {
                try lake.insertFile(jobID: jobID, row)
                try lake.insertError(jobID: jobID, LakeError(rule, scope: .entry, input: r.name, entry: entry.path, message: message))
                if let skipError { try lake.insertError(jobID: jobID, skipError) }
            }
        }
        if let reason = Self.unsafePathReason(entry.path) {
            return try refuse(.archiveUnsafePath, size: nil, "\(reason); entry refused")
        }
        if let reason = Self.unsafeLinkReason(entry) {
            return try refuse(entry.kind == .special ? .archiveSpecialFile : .archiveUnsafeLink, size: nil, "\(reason); entry refused")
        }
        guard entry.kind == .file else {
            try lake.insertFile(jobID: jobID, row)
            return
        }
        if entry.isEncrypted && options.passphrases.isEmpty {
            return try refuse(.archiveEncrypted, size: entry.declaredSize, "the entry is encrypted; give its password with --password-file")
        }
        if let declared = entry.declaredSize, declared > t.maxFileBytes {
            return try refuse(.entryTooLarge, size: declared, "declared size \(declared) is over the single-file limit of \(t.maxFileBytes)")
        }
        let nested = Self.isArchiveName(entry.path)
        if nested && depth >= t.maxArchiveDepth {
            return try refuse(.archiveNestingLimit, size: entry.declaredSize,
                              "an archive nested \(depth + 1) deep; archives are opened to depth \(t.maxArchiveDepth)")
        }

        // Every byte of the entry passes through the digester (on its own thread); the first
        // 4 KB go to detection.
        let digester = BackgroundDigester()
        // The first 64 KiB (detection reads the first 4 KB of it) and the last 64 KiB, for
        // content metadata.
        var kept = HeadAndTail()
        var metadata: JSONValue?
        var actual: Int64 = 0
        var readError: LakeError?
        let retry = backoff
        let rawStart = reader.rawBytesRead ?? 0
        // The first failure is final: later calls throw it again without asking libarchive,
        // which must not be read again after a fatal error (a malformed CAB crashes it).
        var failure: Error?
        let source: JSONReader.ChunkSource = {
            if let failure { throw failure }
            do { return try readEntryChunk() } catch {
                failure = error
                throw error
            }
        }
        func readEntryChunk() throws -> [UInt8]? {
            // A stop (SIGINT, SIGTERM) is honoured inside an entry too, within a chunk read:
            // the entry is left unfinished and the job pauses (`resume` reads it again).
            if stopRequested() { throw JobPaused() }
            // libarchive's ARCHIVE_RETRY on a data read is transient: read again after a pause.
            guard let chunk = try retry.run(isTransient: { ($0 as? ArchiveError)?.code == .retry }, { try reader.readChunk() }) else { return nil }
            digester.update(chunk)
            actual += Int64(chunk.count)
            if actual > t.expansionRatioFloorBytes, let raw = reader.rawBytesRead,
                actual > t.maxExpansionRatio * max(1, raw - rawStart)
            {
                throw LakeError(.archiveRatioLimit, scope: .entry, input: r.name, entry: entry.path,
                                message: "expanded to \(actual) bytes from \(raw - rawStart) compressed, over the \(t.maxExpansionRatio):1 limit")
            }
            if actual > t.maxFileBytes {
                throw LakeError(.entryTooLarge, scope: .entry, input: r.name, entry: entry.path, message: "more than the single-file limit of \(t.maxFileBytes) bytes")
            }
            kept.add(chunk)
            return chunk
        }
        /// Keeps the first failure to read the entry's data.
        func noteReadError(_ error: Error) {
            if let e = error as? LakeError {
                readError = readError ?? e
            } else if let e = error as? ArchiveError {
                readError = readError ?? LakeError(Self.rule(for: e, otherwise: .archiveEntryCorrupt), scope: .entry, input: r.name,
                                                   entry: entry.path, message: entry.isEncrypted ? "cannot be decrypted (\(e.message))" : Self.message(for: e, r))
            } else {
                readError = readError ?? LakeError(.internalError, scope: .internal, input: r.name, entry: entry.path, message: "\(error)")
            }
        }
        func drain() throws {
            do { while try source() != nil {} } catch is JobPaused { throw JobPaused() } catch { noteReadError(error) }
        }

        func describe() {
            let digest = digester.finish()
            row.size = digest.size
            row.sha256 = digest.sha256
            row.xxh64 = digest.xxh64
            let detection = ContentSniffer.detect(head: kept.head, size: digest.size, name: entry.path, magic: magic,
                                                  sampleBytes: t.detectionSampleBytes)
            row.mimeType = detection.mimeType
            row.format = detection.format
            row.encoding = detection.encoding
            row.encodingConfidence = detection.encodingConfidence
            row.mismatch = detection.mismatch
            row.mojibake = detection.mojibake
            if let m = metadata ?? kept.metadata(format: detection.format) {
                row.metadata = CanonicalJSON.string(m)
            }
        }

        let base = (entry.path as NSString).lastPathComponent
        var parseError: LakeError?
        /// Design thresholds the entry went past (recorded with its file row).
        var findings: [Finding] = []
        // Which mapper reads the entry (nil: Twitter `.js`, mbox, or catalogued only): by its
        // name, or by its first bytes where the name tells too little (localized Takeout
        // folders, a message file without an extension). `parsed` replays those bytes.
        var route = ExportMapper.route(path: entry.path)
        var parsed = source
        if !nested, !ContentMetadata.isOfficeDocument(entry.path), ExportMapper.needsContent(path: entry.path, route: route) {
            var head: [UInt8] = []
            do {
                while head.count < ExportMapper.contentHeadBytes, let chunk = try source() { head += chunk }
                route = ExportMapper.route(path: entry.path, head: head)
            } catch {
                noteReadError(error)
                route = nil
            }
            var replayed = false
            parsed = {
                if !replayed {
                    replayed = true
                    if !head.isEmpty { return head }
                }
                return try source()
            }
        }
        if ContentMetadata.isOfficeDocument(entry.path) {
            // An OOXML document is a zip: its docProps/core.xml is read through libarchive as the
            // entry streams by (at most 1 MiB of it); a document libarchive cannot open is only stored.
            if let document = try? ArchiveReader(name: r.name + ":" + entry.path, stream: source) {
                while let part = try? document.nextEntry() {
                    guard part.path == "docProps/core.xml" else { continue }
                    var xml: [UInt8] = []
                    while xml.count < 1 << 20, let c = try? document.readChunk() { xml += c }
                    metadata = ContentMetadata.officeCoreProperties(xml)
                }
            }
        } else if nested {
            // Read in place from the container's data as it streams by, never unpacked.
            do {
                let inner = try ArchiveReader(name: r.name + ":" + entry.path, stream: source, passphrases: options.passphrases)
                try walkEntries(inner, w, prefix: entry.path + "/", depth: depth + 1)
            } catch let e as ArchiveError {
                parseError = LakeError(Self.rule(for: e, otherwise: .archiveCorrupt), scope: .entry, input: r.name, entry: entry.path, message: e.message)
            }
            if w.done.contains(index) {
                // Opened again only to count its entries' indexes; its row is in the catalog.
                try drain()
                return
            }
        } else if base.hasSuffix(".js") || base.hasSuffix(".mbox") || route != nil {
            // Parse while reading, in chunks: each chunk's records commit with a checkpoint; the
            // file row commits when the whole entry is read. An entry rejected part-way loses
            // the chunks it had committed (see below).
            do {
                // Text files in UTF-16 or UTF-32 are read as UTF-8 (an mbox's charsets are its
                // messages' own).
                var declared: ([UInt8]) -> String? = { _ in nil }
                if case .activityHTML? = route { declared = { UnicodeForm.htmlMetaCharset($0) } }
                let text = UnicodeForm.utf8Source(parsed, declared: declared)
                let context = RecordContext(input: r.name, inputSHA256: r.digest.sha256, path: entry.path, user: user, ring: ring)
                /// Loads the elements of a mapped file family and marks the entry loaded.
                func load<Element>(bytesRead: @escaping () -> Int64, elements: ((Int, Element) throws -> Void) throws -> Void,
                                   map: @escaping (Int, Element) throws -> LakeRecord) throws {
                    row.records = try loadInChunks(context: context, entryIndex: index, jobID: jobID, lake: lake, bytesRead: bytesRead,
                                                   elements: elements, map: map)
                    row.status = "loaded"
                }
                if base.hasSuffix(".mbox") {
                    let mbox = MboxReader(source: source)
                    // Metadata: the first 20 messages' subjects and senders, and the count.
                    var subjects: [JSONValue] = [], senders: [JSONValue] = []
                    row.records = try loadInChunks(
                        context: context, entryIndex: index, jobID: jobID, lake: lake, bytesRead: { mbox.offset },
                        elements: { body in
                            while let m = try mbox.next() {
                                if subjects.count < 20 {
                                    let mail = MailMessage.parse(m.raw)
                                    subjects.append(.string(TextCleansing.clean(mail.subject ?? "")))
                                    senders.append(.string(TextCleansing.clean(mail.from ?? "")))
                                }
                                try body(m.index, m)
                            }
                        },
                        map: { _, message in MailMapper.map(message, context: context) })
                    metadata = .object([.init("first_senders", .array(senders)), .init("first_subjects", .array(subjects)),
                                        .init("messages", .number(String(row.records)))])
                    row.status = "loaded"
                } else if case .json(let family)? = route {
                    let reader = JSONReader(source: text, limits: JSONLimits(t))
                    let stream = JSONRecordStream(reader: reader, collections: family.collections)
                    let measured = DesignFindings(t, input: r.name, entry: entry.path)
                    try load(bytesRead: { reader.offset },
                             elements: { body in try stream.forEach { i, e in measured.saw(i, reader); if family.keeps(e) { try body(i, e) } } },
                             map: { i, element in
                                 if let problem = element.problem { throw problem }
                                 if let refusal = measured.refusal(index: i) { throw refusal }
                                 return try ExportMapper.map(family, element, index: i, context: context)
                             })
                    findings = try measured.findings(fileBytes: reader.offset)
                } else if case .message? = route {
                    let message = MboxReader(source: parsed)
                    try load(bytesRead: { message.offset }, elements: Self.counted(message.wholeMessage),
                             map: { _, m in MailMapper.map(m, context: context) })
                } else if case .vcard(let exportKind)? = route {
                    let cards = VCardReader(source: text)
                    try load(bytesRead: { cards.offset }, elements: Self.counted(cards.next),
                             map: { i, card in DocumentMappers.contact(card, index: i, exportKind: exportKind, context: context) })
                } else if case .icalendar(let exportKind)? = route {
                    let calendar = ICalendarReader(source: text)
                    try load(bytesRead: { calendar.offset }, elements: Self.counted(calendar.nextEvent),
                             map: { i, event in try DocumentMappers.event(event, index: i, exportKind: exportKind, context: context) })
                } else if case .activityHTML? = route {
                    let page = TakeoutActivityReader(source: text)
                    try load(bytesRead: { page.offset }, elements: { body in while let a = try page.next() { try body(a.index, a) } },
                             map: { i, a in DocumentMappers.activity(a, index: i, context: context) })
                } else if case .csv(let recordKind, let exportKind)? = route {
                    row.records = try loadCSV(source: text, context: context, entryIndex: index, jobID: jobID, lake: lake,
                                              recordKind: recordKind, exportKind: exportKind)
                    row.status = "loaded"
                } else {
                    let file = try TwitterJSFile(source: text, limits: JSONLimits(t))
                    if let kind = TwitterMapper.fileKind(globalName: file.header.globalName) {
                        let measured = DesignFindings(t, input: r.name, entry: entry.path)
                        row.records = try loadInChunks(
                            context: context, entryIndex: index, jobID: jobID, lake: lake, bytesRead: { file.reader.offset },
                            elements: kind == .manifest
                                ? { body in try body(0, .success(try file.readWholeValue())) }
                                : { body in try Self.twitterElements(file, measured, body) },
                            map: { i, element in
                                if let refusal = measured.refusal(index: i) { throw refusal }
                                return try TwitterMapper.map(kind, try element.get(), index: i, context: context)
                            })
                        findings = try measured.findings(fileBytes: file.reader.offset)
                        row.status = "loaded"
                    } else if file.header.part != nil {
                        // Any other `window.YTD.<name>.partN` file (saved searches, apps, ad
                        // impressions…): generic records of the archive, collection `<name>`.
                        let name = file.header.globalName
                        let measured = DesignFindings(t, input: r.name, entry: entry.path)
                        row.records = try loadInChunks(
                            context: context, entryIndex: index, jobID: jobID, lake: lake, bytesRead: { file.reader.offset },
                            elements: { body in try Self.twitterElements(file, measured, body) },
                            map: { i, element in
                                if let refusal = measured.refusal(index: i) { throw refusal }
                                return try ExportMapper.map(.twitterGeneric, .init(collection: name, value: try element.get()), index: i, context: context)
                            })
                        findings = try measured.findings(fileBytes: file.reader.offset)
                        row.status = "loaded"
                    } else {
                        row.status = "stored"
                    }
                }
                try drain()
                if let readError { throw readError }
                describe()
                try lake.inTransaction {
                    try lake.insertFile(jobID: jobID, row)
                    for f in findings { try lake.insertFinding(jobID: jobID, f) }
                    try lake.clearCheckpoint(jobID: jobID, input: r.name, entryIndex: index)
                }
                progress.entry(input: r.name, entry: entry.path, status: row.status, bytes: actual)
                return
            } catch let e as LakeError where e.scope == .internal {
                lake.rollback()
                throw e
            } catch let e as JSONError {
                parseError = e.lakeError(input: r.name, entry: entry.path)
            } catch let e as CSVError {
                parseError = LakeError(.init(e.rule), scope: .entry, input: r.name, entry: entry.path, location: "record \(e.record), line \(e.line), byte \(e.offset)",
                                       message: "the file does not parse as CSV")
            } catch let e as ParserError {
                parseError = LakeError(.init(e.rule), scope: .entry, input: r.name, entry: entry.path, message: Self.reason(e.description, rule: e.rule))
            } catch let e as MboxReader.FormatError {
                parseError = LakeError(.init(e.rule), scope: .entry, input: r.name, entry: entry.path, location: "byte \(e.offset)",
                                       message: "the file does not start with a `From ` line")
            } catch let e as LakeError {
                parseError = e.located(input: r.name, entry: entry.path)
            } catch let e as ArchiveError {
                // A read failure while parsing is judged like one while storing (a declared-size
                // bomb is reported as such below).
                readError = readError ?? LakeError(Self.rule(for: e, otherwise: .archiveEntryCorrupt), scope: .entry, input: r.name, entry: entry.path,
                                                   message: entry.isEncrypted ? "cannot be decrypted (\(e.message))" : Self.message(for: e, r))
            }
        }
        try drain()
        describe()
        // An entry holding other than what its header declares (a declared-size bomb) is refused
        // as such, unless the archive itself broke off there (truncation).
        let sizeComplaint = readError.map { $0.rule == .archiveEntryCorrupt && $0.message.contains("wrong size") } ?? true
        if let declared = entry.declaredSize, declared > 0, declared != actual, !reader.failed, parseError == nil, sizeComplaint {
            parseError = LakeError(.archiveDeclaredSize, scope: .entry, input: r.name, entry: entry.path,
                                   message: "the header declares \(declared) bytes, the entry holds \(actual)")
        }
        if let problem = parseError ?? readError {
            lake.rollback()
            row.status = "rejected"
            row.records = 0
            try lake.inTransaction {
                // Chunks of this entry committed before the problem showed up go too.
                try lake.deleteRecords(jobID: jobID, input: r.name, path: entry.path)
                try lake.clearCheckpoint(jobID: jobID, input: r.name, entryIndex: index)
                try lake.insertFile(jobID: jobID, row)
                try lake.insertError(jobID: jobID, problem)
            }
            progress.entry(input: r.name, entry: entry.path, status: row.status, bytes: actual)
            // Over the failure threshold: the entry is rejected above, and the job stops.
            if problem.scope == .input { throw problem }
            return
        }
        row.status = nested ? "archive" : "stored"
        try lake.insertFile(jobID: jobID, row)
        progress.entry(input: r.name, entry: entry.path, status: row.status, bytes: actual)
    }

    /// A mapper's failure as the error row of one record: a `LakeError` keeps its rule, a
    /// parser's or timestamp error gets its own, anything else is `record.invalid`; the
    /// location names the record when the mapper did not.
    /// The elements of a Twitter `.js` file, each measured against the design's thresholds;
    /// one past a safety limit is handed on as its failure, to cost that record only.
    static func twitterElements(_ file: TwitterJSFile, _ measured: DesignFindings,
                                _ body: (Int, Result<JSONValue, JSONError>) throws -> Void) throws {
        try file.forEachElement(rejected: { i, e in try body(i, .failure(e)) }) { i, e in
            measured.saw(i, file.reader)
            try body(i, .success(e))
        }
    }

    /// A parser error's text without the rule it starts with (the error line names the rule once).
    static func reason(_ description: String, rule: String) -> String {
        guard description.hasPrefix(rule) else { return description }
        let rest = description.dropFirst(rule.count).drop { $0 == ":" || $0 == " " }
        return rest.isEmpty ? "the file does not parse" : String(rest)
    }

    static func recordError(_ error: Error, index: Int) -> LakeError {
        var e: LakeError
        switch error {
        case let x as LakeError: e = x
        case let x as JSONError:
            e = x.lakeError()
            e.location = "record \(index), byte \(x.offset)"
        case let x as TimestampError: e = x.lakeError()
        case let x as ParserError: e = LakeError(.init(x.rule), scope: .entry, message: reason(x.description, rule: x.rule))
        default: e = LakeError(.recordInvalid, scope: .entry, message: "\(error)")
        }
        e.scope = .entry
        if e.location == nil { e.location = "record \(index)" }
        return e
    }

    /// The `elements` of `loadInChunks` for a reader that hands out one element at a time,
    /// indexed from 0 in the order read.
    static func counted<T>(_ next: @escaping () throws -> T?) -> (((Int, T) throws -> Void) throws -> Void) {
        { body in
            var i = 0
            while let element = try next() {
                try body(i, element)
                i += 1
            }
        }
    }

    /// A CSV entry (docs/SPEC.md 5.5): the dialect sniffed from the first block, the header
    /// row standardized, column types inferred from the first 1000 rows (held while they are
    /// inferred), then every row loaded like the elements of a JSON file.
    private func loadCSV(source: @escaping JSONReader.ChunkSource, context: RecordContext, entryIndex: Int, jobID: String, lake: Lake,
                         recordKind: String, exportKind: String) throws -> Int {
        var first: [UInt8]? = try source()
        let sniffed = CSVSniffer.sniff(first ?? [], isComplete: false)
        let reader = CSVReader(source: {
            if let f = first {
                first = nil
                return f
            }
            return try source()
        }, dialect: sniffed.isConfident ? sniffed.dialect : .rfc4180)
        // A row with nothing in it (Google's CSV files end with blank lines) is no record.
        func nextRow() throws -> [String]? {
            while let row = try reader.nextRecord() {
                if row.contains(where: { !$0.allSatisfy(\.isWhitespace) }) { return row }
            }
            return nil
        }
        let header = try nextRow() ?? []
        var sample: [[String]] = []
        while sample.count < CSVColumns.sampleRows, let row = try nextRow() { sample.append(row) }
        let columns = CSVColumns.infer(header: header, rows: sample)
        return try loadInChunks(
            context: context, entryIndex: entryIndex, jobID: jobID, lake: lake, bytesRead: { reader.offset },
            elements: { body in
                var i = 0
                for row in sample {
                    try body(i, row)
                    i += 1
                }
                sample = []
                while let row = try nextRow() {
                    try body(i, row)
                    i += 1
                }
            },
            map: { i, row in ExportMapper.mapRow(row, columns: columns, index: i, recordKind: recordKind, exportKind: exportKind, context: context) })
    }

    /// Maps and loads the elements of one file in chunks (docs/SPEC.md 7.1). `elements` calls
    /// its body with each element and its 0-based index, in order; `bytesRead` says how much
    /// of the entry the reader has consumed, so a chunk ends at the first element boundary past
    /// `ChunkPlan.chunkBytes`, whatever the read block size.
    ///
    /// Three stages run at once: this thread parses and cuts batches; `thresholds.parallelChunks`
    /// workers map and encode each batch (`Parallel.start`); the committer (a `SerialStage`)
    /// inserts the results in element order and commits each chunk with its checkpoint and
    /// metrics in one transaction. Only the committer touches the lake while the file loads.
    /// A checkpoint left by an interrupted run makes the elements it covers be parsed again but
    /// not loaded again. Returns the entry's record count (earlier runs' chunks included).
    /// `map` throws `LakeError` for an element that cannot be mapped: it becomes an error row,
    /// and the failure threshold is judged at each commit.
    private func loadInChunks<Element>(
        context: RecordContext, entryIndex: Int, jobID: String, lake: Lake, bytesRead: @escaping () -> Int64,
        elements: ((Int, Element) throws -> Void) throws -> Void, map: @escaping (Int, Element) throws -> LakeRecord
    ) throws -> Int {
        let t = options.thresholds
        let resumed = try lake.checkpoint(jobID: jobID, input: context.input, entryIndex: entryIndex)
            ?? Lake.Checkpoint(elements: 0, chunks: 0, records: 0, failures: 0)
        let inserter = try lake.recordInserter(jobID: jobID)
        let committer = SerialStage(label: "datapunk.committer", depth: 2)

        // The committer's state: touched only by work items on the committer's thread.
        var done = resumed
        var open = false
        var chunkRecords = 0
        var chunkFailures = 0
        var failures = resumed.failures

        // This thread's state.
        var plan = ChunkPlan(configured: t.chunkSizeBytes, availableMemory: ProcessMetrics.availableMemoryBytes())
        var batch: [(Int, Element)] = []
        batch.reserveCapacity(ChunkPlan.batchElements)
        var chunkStart = (element: resumed.elements, bytes: bytesRead(), time: DispatchTime.now().uptimeNanoseconds, at: Lake.now())
        var batchStart = chunkStart.bytes
        var lastBytes = chunkStart.bytes
        var nextElement = resumed.elements

        func flush() throws {
            guard !batch.isEmpty else { return }
            let mapped = Parallel.start(batch, workers: t.parallelChunks) { i, element -> Result<(LakeRecord, [UInt8]), LakeError> in
                do {
                    let record = try map(i, element)
                    return .success((record, record.canonicalLine()))
                } catch {
                    // One bad record costs one record, whatever its mapper threw.
                    return .failure(Self.recordError(error, index: i))
                }
            }
            batch = []
            batch.reserveCapacity(ChunkPlan.batchElements)
            batchStart = bytesRead()
            try committer.submit { [self] in
                // After a stop the open chunk is rolled back anyway: its batches are not awaited.
                if stopRequested() { throw JobPaused() }
                if !open {
                    try lake.begin()
                    open = true
                }
                for result in try mapped.wait() {
                    switch result {
                    case .success(let (record, line)):
                        try inserter.insert(record, canonical: line)
                        chunkRecords += 1
                    case .failure(let e):
                        // A failed element becomes an error row of the same chunk.
                        try lake.insertError(jobID: jobID, LakeError(e.rule, scope: .entry, input: context.input, entry: context.path,
                                                                     location: e.location, message: e.message))
                        chunkFailures += 1
                    }
                }
            }
        }
        func commitChunk() throws {
            try flush()
            let start = chunkStart
            let end = (element: nextElement, bytes: bytesRead())
            try committer.submit { [self] in
                guard open else { return }
                if stopRequested() { throw JobPaused() }
                failures += chunkFailures
                done = Lake.Checkpoint(elements: end.element, chunks: done.chunks + 1, records: done.records + chunkRecords, failures: failures)
                let bytes = end.bytes - start.bytes
                var m = Lake.ChunkMetrics(
                    input: context.input, entryIndex: entryIndex, chunk: done.chunks - 1, path: context.path, firstElement: start.element,
                    elements: end.element - start.element, records: chunkRecords, failures: chunkFailures, bytes: bytes, startedAt: start.at,
                    durationMillis: Double(DispatchTime.now().uptimeNanoseconds - start.time) / 1e6)
                let usage = ProcessMetrics.sample()
                m.peakRSSKiB = usage.peakRSSKiB
                m.cpuMillis = usage.cpuMillis
                m.readBytes = usage.readBytes
                m.writeBytes = usage.writeBytes
                try lake.saveCheckpoint(jobID: jobID, input: context.input, entryIndex: entryIndex, done)
                try lake.insertChunk(jobID: jobID, m)
                try lake.commit()
                open = false
                chunkRecords = 0
                chunkFailures = 0
                progress.chunk(job: jobID, input: context.input, entry: context.path, entryIndex: entryIndex, chunk: m.chunk, elements: m.elements,
                               records: m.records, bytes: bytes)
                alerts?.check(job: jobID, chunk: m, usage: usage)
                if options.stop?.signal != nil { throw JobPaused() }
                // The failure threshold, judged on everything this file has had so far.
                let seen = done.records + failures
                if seen >= t.failureThresholdMinimumRecords, Double(failures) > t.maxRecordFailureRate * Double(seen) {
                    throw LakeError(
                        .init("job.failure_threshold"), scope: .input, input: context.input, entry: context.path,
                        message: "\(failures) of \(seen) records failed, more than the \(Int(t.maxRecordFailureRate * 100))% failure threshold; job stopped")
                }
            }
            chunkStart = (end.element, end.bytes, DispatchTime.now().uptimeNanoseconds, Lake.now())
            plan.availableMemory = ProcessMetrics.availableMemoryBytes()
        }

        do {
            try elements { i, element in
                let now = bytesRead()
                plan.saw(elementBytes: now - lastBytes)
                lastBytes = now
                if i < resumed.elements {
                    // Committed by an earlier run: parsed again, not loaded again, not counted.
                    chunkStart.bytes = now
                    batchStart = now
                    return
                }
                batch.append((i, element))
                nextElement = i + 1
                if batch.count >= ChunkPlan.batchElements || now - batchStart >= plan.batchBytes { try flush() }
                if now - chunkStart.bytes >= plan.chunkBytes { try commitChunk() }
            }
            try commitChunk()
            try committer.finish()
        } catch {
            // Whatever failed, the committer is idle before the caller rolls back.
            committer.drain()
            throw committer.error ?? error
        }
        return done.records
    }
}

extension Lake {
    /// `database.inTransaction` with errors turned into pipeline errors.
    func inTransaction(_ body: () throws -> Void) throws {
        try wrap {
            try database.inTransaction {
                try body()
                return .commit
            }
        }
    }
}
