import Foundation
import LakeCore
import LakeIngest
import LakeNormalize
import LakeParsers
import LakeStore
import LakeValidate

/// One entry: refused by the safety rules, or read once as it streams by: hashed, typed,
/// routed (by name or content) and parsed into records loaded in chunks.
extension ArchiveWalk {
    /// How many first bytes format verification looks at (every signature it knows ends sooner;
    /// tar's `ustar` is at 257).
    static let signatureBytes = 512

    func processEntry(_ entry: ArchiveEntry, index: Int, reader: EntrySource, depth: Int) throws {
        let t = job.options.thresholds
        let r = received
        var row = Lake.FileRow(input: r.name, entryIndex: index, path: entry.path, kind: entry.kind.rawValue, status: .skipped)
        row.modified = entry.modified
        row.permissions = Int64(entry.permissions)
        // Refused before its data is read: the file row, its error, and the data skipped.
        func refuse(_ rule: LakeError.Rule, size: Int64?, _ message: String) throws {
            // Refused by an earlier run of the job (reached again inside a reopened container).
            if done.contains(index) {
                try? reader.skipData()
                return
            }
            row.status = .rejected
            row.size = size
            var skipError: LakeError?
            do { try reader.skipData() } catch let e as ArchiveError {
                skipError = LakeError(
                    e.rule(otherwise: .archiveEntryCorrupt), scope: .entry, input: r.name, entry: entry.path,
                    message: IngestJob.message(for: e, r))
            }
            let row = row
            try complete { [self] in
                try lake.inTransaction {
                    try lake.insertFile(jobID: jobID, row)
                    try lake.insertError(jobID: jobID, LakeError(rule, scope: .entry, input: r.name, entry: entry.path, message: message))
                    if let skipError { try lake.insertError(jobID: jobID, skipError) }
                }
            }
        }
        let nested: Bool
        switch job.entryPolicy.decide(entry, depth: depth) {
        case .refuse(let rule, let size, let message): return try refuse(rule, size: size, message)
        case .catalogue:
            let row = row
            return try complete { [self] in try lake.insertFile(jobID: jobID, row) }
        case .read(let nestedArchive): nested = nestedArchive
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
        let retry = job.backoff
        let rawStart = reader.rawBytesRead ?? 0
        // The first failure is final: later calls throw it again without asking libarchive,
        // which must not be read again after a fatal error (a malformed CAB crashes it).
        var failure: Error?
        var source: JSONReader.ChunkSource = {
            if let failure { throw failure }
            do { return try readEntryChunk() } catch {
                failure = error
                throw error
            }
        }
        func readEntryChunk() throws -> [UInt8]? {
            // A stop (SIGINT, SIGTERM) is honoured inside an entry too, within a chunk read:
            // the entry is left unfinished and the job pauses (`resume` reads it again).
            if job.stopRequested() { throw JobPaused() }
            // libarchive's ARCHIVE_RETRY on a data read is transient: read again after a pause.
            guard let chunk = try retry.run(isTransient: { ($0 as? ArchiveError)?.code == .retry }, { try reader.readChunk() }) else {
                return nil
            }
            digester.update(chunk)
            actual += Int64(chunk.count)
            if actual > t.expansionRatioFloorBytes, let raw = reader.rawBytesRead,
                actual > t.maxExpansionRatio * max(1, raw - rawStart)
            {
                throw LakeError(
                    .archiveRatioLimit, scope: .entry, input: r.name, entry: entry.path,
                    message: "expanded to \(actual) bytes from \(raw - rawStart) compressed, over the \(t.maxExpansionRatio):1 limit")
            }
            if actual > t.maxFileBytes {
                throw LakeError(
                    .entryTooLarge, scope: .entry, input: r.name, entry: entry.path,
                    message: "more than the single-file limit of \(t.maxFileBytes) bytes")
            }
            kept.add(chunk)
            return chunk
        }
        /// A failure to read the entry's data. An encrypted entry that fails is `archive.encrypted`:
        /// with ZipCrypto about 1 wrong password in 256 passes the check byte and then decrypts
        /// to data that does not inflate.
        func readFailure(_ e: ArchiveError) -> LakeError {
            LakeError(
                e.rule(otherwise: entry.isEncrypted ? .archiveEncrypted : .archiveEntryCorrupt), scope: .entry, input: r.name,
                entry: entry.path, message: entry.isEncrypted ? "cannot be decrypted (\(e.message))" : IngestJob.message(for: e, r))
        }
        /// Keeps the first failure to read the entry's data.
        func noteReadError(_ error: Error) {
            if let e = error as? LakeError {
                readError = readError ?? e
            } else if let e = error as? ArchiveError {
                readError = readError ?? readFailure(e)
            } else {
                readError = readError ?? LakeError(.internalError, scope: .internal, input: r.name, entry: entry.path, message: "\(error)")
            }
        }
        func drain() throws {
            do { while try source() != nil {} } catch is JobPaused { throw JobPaused() } catch { noteReadError(error) }
        }

        // libmagic's answer, asked on another thread once the security scan has the first bytes.
        var mime: PendingMime?
        /// Whether the entry's end was queued (`complete`): it waits for libmagic itself.
        var queued = false
        defer { if !queued { mime?.wait() } }
        /// Queues the entry's end (`ArchiveWalk+Completions`); `scan`, a scan still running.
        func queue(bytes: Int = 0, scan: Parallel.Pending<[SecurityScanner.Match]>? = nil, _ write: @escaping () throws -> Void) throws {
            queued = true
            try complete(
                bytes: bytes,
                cancel: {
                    _ = try? scan?.wait()
                    mime?.wait()
                    _ = digester.finish()
                }, write)
        }
        func describe() {
            let digest = digester.finish()
            row.size = digest.size
            row.sha256 = digest.sha256
            row.xxh64 = digest.xxh64
            let detection = ContentSniffer.detect(
                head: kept.head, size: digest.size, name: entry.path, magic: magic,
                sampleBytes: t.detectionSampleBytes, mime: mime?.value)
            row.mimeType = detection.mimeType
            row.format = detection.format.rawValue
            row.encoding = detection.encoding
            row.encodingConfidence = detection.encodingConfidence
            row.mismatch = detection.mismatch
            row.mojibake = detection.mojibake
            if let m = metadata ?? kept.metadata(format: detection.format.rawValue) {
                row.metadata = CanonicalJSON.string(m)
            }
        }

        var parseError: LakeError?
        /// The entry's end once it is read whole: its file row (stored, an archive, or rejected
        /// with its problem) and its progress event. `readerFailed`: whether the archive broke
        /// off (then a size that differs from the header's is the break's, not a bomb's).
        func record(readerFailed: Bool) throws {
            describe()
            // An entry holding other than what its header declares (a declared-size bomb) is
            // refused as such, unless the archive itself broke off there (truncation).
            let sizeComplaint = readError.map { $0.rule == .archiveEntryCorrupt && $0.message.contains("wrong size") } ?? true
            if let declared = entry.declaredSize, declared > 0, declared != actual, !readerFailed, parseError == nil, sizeComplaint {
                parseError = LakeError(
                    .archiveDeclaredSize, scope: .entry, input: r.name, entry: entry.path,
                    message: "the header declares \(declared) bytes, the entry holds \(actual)")
            }
            if let problem = parseError ?? readError {
                row.status = .rejected
                row.records = 0
                try lake.inTransaction {
                    // Chunks of this entry committed before the problem showed up go too.
                    try lake.deleteRecords(jobID: jobID, input: r.name, path: entry.path)
                    try lake.clearCheckpoint(jobID: jobID, input: r.name, entryIndex: index)
                    try lake.insertFile(jobID: jobID, row)
                    try lake.insertError(jobID: jobID, problem)
                }
                job.progress.entry(input: r.name, entry: entry.path, status: row.status, bytes: actual)
                // Over the failure threshold: the entry is rejected above, and the job stops.
                if problem.scope == .input { throw problem }
                return
            }
            row.status = nested ? .archive : .stored
            let status = try storeWithMediaChecks(row, entry: entry)
            job.progress.entry(input: r.name, entry: entry.path, status: status, bytes: actual)
        }

        // The security scan, before a byte is parsed: the first `SecurityScanner.window` bytes
        // (the whole of most files). A match is quarantined, never parsed; otherwise the
        // scanned bytes are replayed to whatever reads the entry.
        /// The entry's first bytes, when a stage before parsing read them (format verification
        /// looks at them again instead of reading them a second time).
        var firstBytes: [UInt8]?
        if !nested, let scanner = try job.securityScanner() {
            let read = source
            var window: [UInt8] = []
            // Sized once (the declared size, up to the window): no doubling while it fills.
            window.reserveCapacity(Int(min(max(entry.declaredSize ?? 0, 64 << 10), Int64(SecurityScanner.window))))
            var whole = false
            do {
                while window.count < SecurityScanner.window {
                    guard let c = try read() else {
                        whole = true
                        break
                    }
                    window += c
                }
            } catch let e as JobPaused { throw e } catch { noteReadError(error) }
            // The scan reads the whole entry or more than `kept.head` holds, so these are the
            // bytes `describe` would ask libmagic about.
            if readError == nil {
                mime = PendingMime(Array(window.prefix(min(t.detectionSampleBytes, ContentMetadata.headBytes))), magic: magic)
            }
            if readError == nil, whole, job.options.run.scansBesideReading, Self.isStoredOnly(entry.path) {
                // Read whole and only stored: scanned on another thread while the walk reads
                // on; nothing more is read from the archive for it (`ArchiveWalk+Completions`).
                scanned += 1
                let scan = takeScanAhead(window, path: entry.path) ?? Self.startScan(scanner, window, path: entry.path)
                source = { nil }
                let readerFailed = reader.failed
                return try queue(bytes: window.count, scan: scan) { [self] in
                    var matches: [SecurityScanner.Match] = []
                    do { matches = try scan.wait().first ?? [] } catch let e as LakeError {
                        noteReadError(e.located(input: r.name, entry: entry.path))
                    }
                    if matches.isEmpty { return try record(readerFailed: readerFailed) }
                    try quarantine(
                        entry, index: index, row: row, window: window, rest: { nil }, matches: matches,
                        describe: {
                            describe(); return row
                        })
                }
            }
            if readError == nil {
                let matches: [SecurityScanner.Match]
                scanned += 1
                do {
                    let ahead = takeScanAhead(window, path: entry.path)
                    matches = try ahead.map { try $0.wait().first ?? [] } ?? scanner.scan(window, path: entry.path)
                } catch let e as LakeError {
                    matches = []
                    noteReadError(e.located(input: r.name, entry: entry.path))
                }
                if !matches.isEmpty {
                    // The entries before are recorded first: this one reads the rest of its data now.
                    try completeAll()
                    return try quarantine(
                        entry, index: index, row: row, window: window, rest: read, matches: matches,
                        describe: {
                            describe(); return row
                        })
                }
            }
            // Replayed to whatever reads the entry, then let go.
            if readError == nil { firstBytes = Array(window.prefix(Self.signatureBytes)) }
            source = IngestJob.replaying(window, then: read)
            window = []
        }

        /// Design thresholds the entry went past (recorded with its file row).
        var findings: [Finding] = []
        // Which route reads the entry (nil: catalogued only): by its
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
            parsed = IngestJob.replaying(head, then: source)
        }
        if ContentMetadata.isOfficeDocument(entry.path) {
            metadata = Self.officeMetadata(source, name: r.name + ":" + entry.path)
        } else if nested {
            // Read in place from the container's data as it streams by, never unpacked; a zip
            // is copied to staging first (`IngestJob+Spool`).
            let name = r.name + ":" + entry.path
            let copy = IngestJob.spoolsNested(entry.path) ? job.nestedCopy(lake, depth: depth + 1) : nil
            defer { copy.map { _ = unlink($0) } }
            if let copy {
                // The lake's own storage failing stops the job; the entry's data failing is the entry's.
                do { try job.spool(source, to: copy) } catch let e as LakeError where e.scope == .input { throw e } catch let e as JobPaused
                {
                    throw e
                } catch { noteReadError(error) }
            }
            do {
                if readError == nil {
                    let inner =
                        try copy.map {
                            try ArchiveReader(path: $0, name: name, passphrases: job.options.passphrases, maxEntries: t.maxArchiveEntries)
                        }
                        ?? ArchiveReader(name: name, stream: source, passphrases: job.options.passphrases)
                    try walkEntries(inner, prefix: entry.path + "/", depth: depth + 1)
                }
            } catch let e as ArchiveError {
                parseError = LakeError(
                    e.rule(otherwise: .archiveCorrupt), scope: .entry, input: r.name, entry: entry.path, message: e.message)
            }
            if done.contains(index) {
                // Opened again only to count its entries' indexes; its row is in the catalog.
                try drain()
                return
            }
        } else if let route {
            // Parse while reading, in chunks: each chunk's records commit with a checkpoint; the
            // file row commits when the whole entry is read. An entry rejected part-way loses
            // the chunks it had committed (see below). The route table names the reader.
            do {
                // Format verification: a file read by its name must not carry another format's
                // signature (PNG bytes named .json). The first bytes are those the security scan
                // read; without it, they are read here and replayed to the reader.
                var head = firstBytes ?? []
                if firstBytes == nil {
                    while head.count < Self.signatureBytes, let c = try parsed() { head += c }
                    parsed = IngestJob.replaying(head, then: parsed)
                }
                if let actual = ContentSniffer.signature(head) {
                    throw LakeError(
                        .detectionExtensionMismatch, scope: .entry, location: "byte 0",
                        message: "its name says \((entry.path as NSString).pathExtension), its bytes are \(actual.rawValue); not parsed")
                }
                let loader = route.loader
                let context = RecordContext(input: r.name, inputSHA256: r.digest.sha256, path: entry.path, user: user, ring: ring)
                let loaded = try loader.load(
                    EntryToLoad(raw: parsed, text: loader.text(parsed), context: context, thresholds: t),
                    into: ChunkedLoader(
                        job: job, context: context, entryIndex: index, jobID: jobID, lake: lake,
                        whileFinishing: reader === readAhead ? { [self] in readNextEntryAhead() } : nil))
                row.records = loaded.records
                row.status = .loaded
                findings = loaded.findings
                if let m = loaded.metadata { metadata = m }
                try drain()
                if let readError { throw readError }
                return try queue { [self] in
                    describe()
                    try lake.inTransaction {
                        try lake.insertFile(jobID: jobID, row)
                        for f in findings { try lake.insertFinding(jobID: jobID, f) }
                        try lake.clearCheckpoint(jobID: jobID, input: r.name, entryIndex: index)
                    }
                    job.progress.entry(input: r.name, entry: entry.path, status: row.status, bytes: actual)
                }
            } catch let e as LakeError where e.scope == .internal {
                lake.rollback()
                throw e
            } catch let e as JSONError {
                parseError = e.lakeError(input: r.name, entry: entry.path)
            } catch let e as CSVError {
                parseError = LakeError(
                    .init(e.rule), scope: .entry, input: r.name, entry: entry.path,
                    location: "record \(e.record), line \(e.line), byte \(e.offset)",
                    message: "the file does not parse as CSV")
            } catch let e as ParserError {
                parseError = LakeError(
                    .init(e.rule), scope: .entry, input: r.name, entry: entry.path, message: IngestJob.reason(e.description, rule: e.rule))
            } catch let e as MboxReader.FormatError {
                parseError = LakeError(
                    .init(e.rule), scope: .entry, input: r.name, entry: entry.path, location: "byte \(e.offset)",
                    message: "the file does not start with a `From ` line")
            } catch let e as LakeError {
                parseError = e.located(input: r.name, entry: entry.path)
            } catch let e as ArchiveError {
                // A read failure while parsing is judged like one while storing (a declared-size
                // bomb is reported as such below).
                readError = readError ?? readFailure(e)
            }
        }
        try drain()
        let readerFailed = reader.failed
        // A problem found while parsing: the open chunk (if any) goes now, the rest is queued.
        if parseError ?? readError != nil { lake.rollback() }
        try queue { try record(readerFailed: readerFailed) }
        // Past the failure threshold the job stops, once this entry and those before are recorded.
        if (parseError ?? readError)?.scope == .input { try completeAll() }
    }
}
