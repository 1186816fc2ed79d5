import Foundation
import LakeCore
import LakeIngest
import LakeNormalize
import LakeParsers
import LakeStore

/// What the job's stages share: the receipt and the entry policy under this job's settings,
/// the staging folder and its stale copies, the lake's writers, and libarchive's messages.
extension IngestJob {
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

    /// Receipt (LakeIngest's `Receipt`) under this job's settings, staging folder and stop flag.
    func receipt(_ lake: Lake, magic: MagicDetector) -> Receipt {
        var r = Receipt(magic: magic, stagingDirectory: staging(lake), stdinCopy: stdinCopy(lake))
        r.thresholds = options.thresholds
        r.backoff = backoff
        r.caFile = options.caFile
        r.netrcFile = options.netrcFile
        r.expectedSHA256 = options.expectedSHA256
        r.notInput = notInput
        r.shouldStop = { [options] in options.stop?.signal != nil }
        return r
    }
}
