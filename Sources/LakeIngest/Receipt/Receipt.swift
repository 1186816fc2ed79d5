import Foundation
import LakeCore

/// A resolved input: a local file or folder, its name, digest and detection.
public struct ReceivedInput: Sendable {
    /// As the user gave it (a path, `-`, or a URL; credentials are stripped before storing).
    public var original: String
    public var name: String
    public var path: String
    public var digest: FileDigest
    public var detection: Detection
    /// XXH64 of every 1 MiB (`contentHashChunkBytes`) of a file input, from its receipt.
    public var chunkHashes: [UInt64] = []
    /// A file that is no archive, read as the one entry of its input under this name.
    public var singleEntry: String?

    public init(original: String, name: String, path: String, digest: FileDigest, detection: Detection, chunkHashes: [UInt64] = []) {
        self.original = original
        self.name = name
        self.path = path
        self.digest = digest
        self.detection = detection
        self.chunkHashes = chunkHashes
    }
}

/// Receipt, the first stage: each input resolved to a local file (a URL downloaded, standard
/// input copied to staging), hashed (SHA-256, XXH64 per MiB) and typed, before anything is
/// loaded; and its integrity checked again after processing.
///
/// ```swift
/// let receipt = Receipt(magic: try MagicDetector(), stagingDirectory: "lake/staging", stdinCopy: "lake/staging/stdin-1")
/// let input = try receipt.receive("twitter.zip")     // input.detection.format == .zip
/// ```
public struct Receipt {
    public var thresholds = Thresholds()
    /// Retries of downloads and interrupted reads.
    public var backoff = Backoff()
    public var caFile: String?
    public var netrcFile: String?
    /// `--sha256`: the input's bytes must hash to this (a file, standard input or a download).
    public var expectedSHA256: String?
    /// Folders inside a folder input that are not part of it (a lake).
    public var notInput: (String) -> Bool = { _ in false }
    /// Asked during long reads; true ends them with `ReadInterrupted`.
    public var shouldStop: () -> Bool = { false }
    public let magic: MagicDetector
    public let stagingDirectory: String
    /// Where standard input is copied (and removed by the caller when the job ends).
    public let stdinCopy: String

    public init(magic: MagicDetector, stagingDirectory: String, stdinCopy: String) {
        self.magic = magic
        self.stagingDirectory = stagingDirectory
        self.stdinCopy = stdinCopy
    }

    /// Resolves `input` (a path, `-`, or a URL) to a local file or folder, hashes and types it.
    /// - Throws: `LakeError` (`input.*`, `download.failed`, `archive.too_large`), or
    ///   `ReadInterrupted` when `shouldStop` says so during a long read.
    public func receive(_ input: String) throws -> ReceivedInput {
        let t = thresholds
        var path = input
        var name = (input as NSString).lastPathComponent
        var verifiedSHA256 = false
        if Downloader.isURL(input) {
            let d = Downloader(
                stagingDirectory: stagingDirectory, retries: backoff.retries, baseDelay: backoff.baseDelay, caFile: caFile)
            d.maxBytes = t.maxFileBytes
            d.netrcFile = netrcFile
            let result = try d.download(input, expectedSHA256: expectedSHA256)
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
            path = stdinCopy
            name = "stdin"
            try? FileManager.default.createDirectory(atPath: stagingDirectory, withIntermediateDirectories: true)
            stdinDigest = try FileHashing.copyStandardInput(to: path, maxBytes: t.maxFileBytes, chunks: chunks, shouldStop: shouldStop)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LakeError(.inputNotFound, scope: .input, input: input, message: "no such file")
        }
        try FileHashing.requireFileOrFolder(path, input: input)
        if isDirectory.boolValue {
            let digest = try FileHashing.digest(ofFolder: path, skipping: notInput, shouldStop: shouldStop)
            let detection = Detection(
                format: .folder, mimeType: "inode/directory", encoding: "binary", encodingConfidence: 1, mismatch: nil)
            return ReceivedInput(original: input, name: name, path: path, digest: digest, detection: detection)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        if size > t.maxFileBytes {
            throw LakeError(
                .inputTooLarge, scope: .input, input: input, message: "\(size) bytes is over the single-file limit of \(t.maxFileBytes)")
        }
        // Standard input was hashed on its way to the staging copy: not read again.
        let digest = try stdinDigest ?? FileHashing.digest(ofFile: path, backoff: backoff, chunks: chunks, shouldStop: shouldStop)
        // `--sha256` holds for a local file (or standard input) as for a download.
        if let expected = expectedSHA256, !verifiedSHA256, expected.lowercased() != digest.sha256 {
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
                var received = ReceivedInput(
                    original: input, name: name, path: path, digest: digest, detection: detection,
                    chunkHashes: chunks.finish())
                received.singleEntry = input == "-" ? Self.stdinEntryName(format: detection.format) : name
                return received
            }
        }
        if detection.format == .zip, digest.size > t.maxArchiveBytes {
            throw LakeError(.archiveTooLarge, scope: .input, input: name, message: "zip is over the limit of \(t.maxArchiveBytes) bytes")
        }
        return ReceivedInput(original: input, name: name, path: path, digest: digest, detection: detection, chunkHashes: chunks.finish())
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

    /// Integrity after processing: a file input is read again; its SHA-256 must be the one
    /// taken at receipt (which is also the one the job id was made from).
    /// - Throws: `LakeError` `input.changed` (scope input) naming the first MiB that differs.
    public func verifyUnchanged(_ r: ReceivedInput) throws {
        guard r.detection.format != .folder else { return }
        let chunks = ChunkHasher(chunkBytes: Int(thresholds.contentHashChunkBytes))
        let after = try FileHashing.digest(ofFile: r.path, backoff: backoff, chunks: chunks)
        guard after.sha256 != r.digest.sha256 else { return }
        let mib = ChunkHasher.firstDifference(r.chunkHashes, chunks.finish()).map { " (first difference in chunk \($0) of 1 MiB)" } ?? ""
        throw LakeError(
            .inputChanged, scope: .input, input: r.name,
            message: "the input's bytes changed while it was processed\(mib); SHA-256 at receipt \(r.digest.sha256), now \(after.sha256)")
    }
}
