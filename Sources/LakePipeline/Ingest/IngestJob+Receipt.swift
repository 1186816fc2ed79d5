import Foundation
import LakeCore
import LakeIngest
import LakeNormalize
import LakeParsers
import LakeStore

/// Receipt: each input resolved to a local file (downloaded, copied from standard input,
/// or a folder), hashed, typed and checked before the job starts; its integrity after.
extension IngestJob {
    // MARK: - Receipt

    /// The entry-safety rules under this job's limits and passwords.
    var entryPolicy: EntryPolicy {
        EntryPolicy(
            maxFileBytes: options.thresholds.maxFileBytes, maxDepth: options.thresholds.maxArchiveDepth,
            hasPasswords: !options.passphrases.isEmpty)
    }

    /// libarchive's message, with what its RAR reader cannot do said plainly for a RAR input.
    static func message(for e: ArchiveError, _ r: Received) -> String {
        guard r.detection.format == .rar else { return e.message }
        return e.message + " (libarchive 3.6.2 reads RAR5 and non-solid RAR4 only: not solid RAR4, encrypted RAR or RAR 1.5/2.x)"
    }

    func stdinCopy(_ lake: Lake) -> String { staging(lake) + "/stdin-\(getpid())" }

    /// Where downloads and the copy of standard input go: `--staging` (a folder inside the
    /// lake, relative to it), else `<lake>/staging`.
    func staging(_ lake: Lake) -> String {
        options.stagingFolder.map { lake.directory + "/" + $0 } ?? lake.stagingDirectory
    }

    /// When another writer holds the lake, says so (naming its job) before the 5 s wait,
    /// through `options.notice` (the CLI prints it on stderr).
    func notifyIfBusy(_ lake: Lake) {
        guard lake.isLockedByAnother() else { return }
        options.notice(
            "the lake is busy (" + (lake.describeWriters() ?? "a process that is not a datapunk ingest")
                + " holds its lock); waiting up to 5 s")
    }

    /// A `lake.locked` error naming the live datapunk jobs writing to the lake (their marks,
    /// `Lake.liveWriters`), after the 5 s wait.
    static func naming(holderOf lake: Lake, _ e: LakeError) -> LakeError {
        var named = e
        if let holders = lake.describeWriters() {
            named.message = "the lake is held by \(holders); waited 5 s. Try again when it is done"
        } else {
            named.message = "the lake's lock is held by a process that is not a datapunk ingest (an sqlite3 shell?); waited 5 s"
        }
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

    /// Copies of standard input and of nested zips left by runs that were killed (`stdin-<pid>`,
    /// `nested-<pid>-<depth>.zip` of a process that no longer exists) are removed: no unfinished
    /// job reads them again (a resumed stdin job reads standard input anew).
    func removeStaleCopies(_ lake: Lake) {
        StaleFiles.removeDead(prefix: "stdin-", in: staging(lake))
        StaleFiles.removeDead(prefix: "nested-", in: staging(lake))
    }

    /// The entry name of a bare file on standard input: `stdin` with the extension of the
    /// format its content shows, so it is routed like a file of that name.
    static func stdinEntryName(format: FileFormat) -> String {
        let extensions: [FileFormat: String] = [
            .twitterJS: "js", .twitterManifest: "js", .javascript: "js", .json: "json", .csv: "csv", .ics: "ics", .vcf: "vcf",
            .mbox: "mbox",
            .html: "html", .text: "txt",
        ]
        return extensions[format].map { "stdin." + $0 } ?? "stdin"
    }

    /// libarchive's name for the format of `path` ("iso9660", "cpio (svr4 with no crc)"…),
    /// when one of its readers claims the file (its first header may still be broken: that is
    /// reported when the archive is read); nil when none does.
    static func libarchiveFormat(_ path: String) -> String? {
        guard let reader = try? ArchiveReader(path: path) else { return nil }
        _ = try? reader.nextEntry()
        return reader.formatName?.lowercased()
    }

    func receive(_ input: String, lake: Lake, magic: MagicDetector) throws -> Received {
        let t = options.thresholds
        var path = input
        var name = (input as NSString).lastPathComponent
        var verifiedSHA256 = false
        if Downloader.isURL(input) {
            let d = Downloader(
                stagingDirectory: staging(lake), retries: options.run.retries, baseDelay: options.run.retryBaseDelaySeconds,
                caFile: options.caFile)
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
            let detection = Detection(
                format: .folder, mimeType: "inode/directory", encoding: "binary", encodingConfidence: 1, mismatch: nil)
            return Received(original: input, name: name, path: path, digest: digest, detection: detection)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        if size > t.maxFileBytes {
            throw LakeError(
                .inputTooLarge, scope: .input, input: input, message: "\(size) bytes is over the single-file limit of \(t.maxFileBytes)")
        }
        // Standard input was hashed on its way to the staging copy: not read again.
        let digest = try stdinDigest ?? FileHashing.digest(ofFile: path, backoff: backoff, chunks: chunks, shouldStop: stopRequested)
        // `--sha256` holds for a local file (or standard input) as for a download.
        if let expected = options.expectedSHA256, !verifiedSHA256, expected.lowercased() != digest.sha256 {
            throw LakeError(
                .inputHashMismatch, scope: .input, input: input, message: "SHA-256 is \(digest.sha256), expected \(expected.lowercased())")
        }
        let sample = try FileHashing.head(ofFile: path, count: t.detectionSampleBytes)
        var detection = ContentSniffer.detect(
            head: sample, size: digest.size, name: name, magic: magic, sampleBytes: t.detectionSampleBytes)
        if !FileFormat.archives.contains(detection.format) {
            // Any other format libarchive reads (cpio, ISO 9660, cab, lha, xar…) is an archive too.
            // libarchive's mtree reader claims any text with file-name-like lines: only a file that
            // says `#mtree` is taken as one.
            if let format = Self.libarchiveFormat(path), !format.hasPrefix("mtree") || sample.starts(with: Array("#mtree".utf8)) {
                detection.format = FileFormat(rawValue: format)
            } else {
                // A bare file (tweets.js, a JSON, CSV, mbox, .ics, .vcf or My Activity page): one
                // entry, routed by its name and content as if it sat in its export.
                var received = Received(
                    original: input, name: name, path: path, digest: digest, detection: detection,
                    chunkHashes: chunks.finish())
                received.singleEntry = input == "-" ? Self.stdinEntryName(format: detection.format) : name
                return received
            }
        }
        if detection.format == .zip, digest.size > t.maxArchiveBytes {
            throw LakeError(.archiveTooLarge, scope: .input, input: name, message: "zip is over the limit of \(t.maxArchiveBytes) bytes")
        }
        return Received(original: input, name: name, path: path, digest: digest, detection: detection, chunkHashes: chunks.finish())
    }

    /// Integrity after processing: a file input is read again; its SHA-256 must be the one
    /// taken at receipt (which is also the one the job id was made from).
    /// - Throws: `LakeError` `input.changed` (scope input) naming the first MiB that differs.
    func verifyUnchanged(_ r: Received) throws {
        guard r.detection.format != .folder else { return }
        let chunks = ChunkHasher(chunkBytes: Int(options.thresholds.contentHashChunkBytes))
        let after = try FileHashing.digest(ofFile: r.path, backoff: backoff, chunks: chunks)
        guard after.sha256 != r.digest.sha256 else { return }
        let mib = ChunkHasher.firstDifference(r.chunkHashes, chunks.finish()).map { " (first difference in chunk \($0) of 1 MiB)" } ?? ""
        throw LakeError(
            .inputChanged, scope: .input, input: r.name,
            message: "the input's bytes changed while it was processed\(mib); SHA-256 at receipt \(r.digest.sha256), now \(after.sha256)")
    }
}
