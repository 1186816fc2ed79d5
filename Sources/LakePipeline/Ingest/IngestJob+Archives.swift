import Foundation
import LakeCore
import LakeIngest
import LakeNormalize
import LakeParsers
import LakeStore

/// The archive walk: an input's entries (a folder's files, an archive's, nested archives'
/// in place), the survey before loading, and the entry-safety rules.
extension IngestJob {
    // MARK: - Archives

    /// One pass over the archive's headers before loading: the user, from the small metadata
    /// files (account.js, else manifest.js), so it is known before any record is built whatever
    /// order the archive stores its entries in; and, for the progress bar, the uncompressed size
    /// the entries declare. Stops early when neither is needed any more.
    func survey(_ r: Received) -> (user: String?, declaredBytes: Int64) {
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
                if entry.kind == .file, depth < options.thresholds.maxArchiveDepth, EntryPolicy.isArchiveName(entry.path),
                    let inner = try? ArchiveReader(
                        name: r.name + ":" + entry.path, stream: { try reader.readChunk() }, passphrases: options.passphrases)
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
    func entries(of r: Received) throws -> EntrySource {
        if r.detection.format == .folder { return try FolderReader(path: r.path, skipping: notInput) }
        if let name = r.singleEntry { return FolderReader(file: r.path, name: name) }
        return try ArchiveReader(path: r.path, passphrases: options.passphrases, maxEntries: options.thresholds.maxArchiveEntries)
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

    func processArchive(_ r: Received, jobID: String, lake: Lake, magic: MagicDetector) throws {
        let t = options.thresholds
        let surveyed = survey(r)
        progress.totalBytes += surveyed.declaredBytes
        let walk = InputWalk(
            received: r, user: surveyed.user ?? "unknown", ring: ShardRing(t), jobID: jobID, lake: lake, magic: magic,
            done: try lake.finishedEntries(jobID: jobID, input: r.name))
        let reader: EntrySource
        do { reader = try entries(of: r) } catch let e as ArchiveError {
            throw LakeError(e.rule(otherwise: .archiveCorrupt), scope: .input, input: r.name, message: Self.message(for: e, r))
        }
        try walkEntries(reader, walk, prefix: "", depth: 1)
    }

    /// Reads the entries of `reader` (the input itself at depth 1, a nested archive deeper),
    /// their paths prefixed with `prefix`.
    func walkEntries(_ reader: EntrySource, _ w: InputWalk, prefix: String, depth: Int) throws {
        let t = options.thresholds
        let r = w.received
        var first = true
        while true {
            let entry: ArchiveEntry?
            do { entry = try reader.nextEntry() } catch let e as ArchiveError {
                let refusesInput = depth == 1 && first
                let error = LakeError(
                    e.rule(otherwise: .archiveCorrupt), scope: refusesInput ? .input : .entry, input: r.name,
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
                throw LakeError(
                    .archiveEntryLimit, scope: .input, input: r.name, entry: prefix + entry.path,
                    message: "more than \(t.maxArchiveEntries) entries; the archive is refused from here on")
            }
            entry.path = prefix + entry.path
            // A finished nested archive is still opened: its entries' indexes must be counted.
            if w.done.contains(index) && !EntryPolicy.isArchiveName(entry.path) {
                try? reader.skipData()
                continue
            }
            try processEntry(entry, index: index, reader: reader, walk: w, depth: depth)
            if reader.failed { return }
        }
    }
}
