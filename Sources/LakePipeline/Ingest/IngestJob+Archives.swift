import Foundation
import LakeCore
import LakeIngest
import LakeNormalize
import LakeParsers
import LakeStore

/// Before the walk: the survey of an input's headers, and where its entries come from.
extension IngestJob {
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
}
