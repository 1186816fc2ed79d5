import LakeCore
import LakeNormalize
import LakeParsers
import LakeValidate

/// An entry's catalog writes, queued: the walk reads on while they wait their turn. An entry
/// that is only stored (a photo, a video: no route parses it) and that the security scan's
/// window holds whole needs nothing more from the archive once it is read, but its scan (YARA
/// reads about 400 MB/s here) decides whether it is stored or quarantined. The scan runs on
/// another thread and the walk goes on to the next entries: reading them (inflating, checking
/// CRCs), parsing them and committing their chunks. Each entry's end (its file row, errors,
/// findings, quarantine and progress event) is queued behind the entries before it, and the
/// oldest are written when the queue holds more than `queuedEntries` entries or
/// `queuedScanBytes` of scanned bytes, and all of them when an input ends or the job pauses.
///
/// So the `files` rows, and the entries' own errors and findings, keep the entries' order;
/// the record errors a chunk commits may come before the rows of entries still queued. Where
/// that happens depends on the entries and the bounds, never on threads: the queue is written
/// at the same points in every run. A queued write runs on the walk's thread, where no chunk
/// is open. `RunSettings.scansBesideReading` false writes every entry's end at once, as before.
extension ArchiveWalk {
    /// At most this many entries wait; beyond it the oldest is written (waiting for its scan).
    static let queuedEntries = 16
    /// At most this many bytes of scanned entries (held for quarantine) wait.
    static let queuedScanBytes = 32 << 20

    /// One entry's end: `write` records it (waiting for its scan first, if it has one);
    /// `cancel` waits for the threads still working on it and records nothing.
    struct Completion {
        let bytes: Int
        let write: () throws -> Void
        let cancel: () -> Void
    }

    /// Queues an entry's end, then writes the oldest while the queue is over its bounds.
    func complete(bytes: Int = 0, cancel: @escaping () -> Void = {}, _ write: @escaping () throws -> Void) throws {
        completions.append(Completion(bytes: bytes, write: write, cancel: cancel))
        queuedBytes += bytes
        let queues = job.options.run.scansBesideReading
        while !completions.isEmpty,
            completions.count > (queues ? Self.queuedEntries : 0) || queuedBytes > (queues ? Self.queuedScanBytes : 0)
        {
            try writeOldest()
        }
    }

    /// Writes every queued entry, oldest first.
    func completeAll() throws {
        while !completions.isEmpty { try writeOldest() }
    }

    /// Takes the oldest entry off the queue and writes it.
    private func writeOldest() throws {
        let first = completions.removeFirst()
        queuedBytes -= first.bytes
        try first.write()
    }

    /// Drops the queue after a failure, once its threads are done: a resumed job reads those
    /// entries again.
    func cancelAll() {
        for c in completions { c.cancel() }
        completions = []
        queuedBytes = 0
    }

    /// Whether an entry at `path` is only stored: no route reads it, by name or by content.
    static func isStoredOnly(_ path: String) -> Bool {
        !ContentMetadata.isOfficeDocument(path) && ExportMapper.route(path: path) == nil
            && !ExportMapper.needsContent(path: path, route: nil)
    }

    /// `scanner`'s matches for `window`, worked out on another thread.
    static func startScan(_ scanner: SecurityScanner, _ window: [UInt8], path: String) -> Parallel.Pending<[SecurityScanner.Match]> {
        Parallel.start([window], workers: 1) { try scanner.scan($0, path: path) }
    }
}
