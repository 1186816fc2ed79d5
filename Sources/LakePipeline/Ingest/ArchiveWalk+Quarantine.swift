#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import LakeCore
import LakeIngest
import LakeParsers
import LakeStore
import LakeValidate

/// An entry the security scan matched: its bytes go to `<lake>/quarantine/<sha256>` (the
/// scanned window, then the rest as it streams), its file row is `quarantined`, an error row
/// `security.malware_signature` names the rules, and a quarantine row keeps where it came
/// from. It is never parsed.
extension ArchiveWalk {
    func quarantine(
        _ entry: ArchiveEntry, index: Int, row: Lake.FileRow, window: [UInt8], rest: @escaping JSONReader.ChunkSource,
        matches: [SecurityScanner.Match], describe: () -> Lake.FileRow
    ) throws -> Void {
        // Refused by an earlier run of the job: already quarantined and recorded.
        if done.contains(index) {
            while try rest() != nil {}
            return
        }
        try lake.makeQuarantineFolder()
        let incoming = lake.quarantineDirectory + "/.incoming-\(getpid())"
        // What could be read is kept; a failure to read the rest is noted, and the entry is
        // recorded as quarantined all the same. The lake's storage failing stops the job.
        var readFailure: Error?
        let bytes = IngestJob.replaying(window) {
            do { return try rest() } catch let e as JobPaused { throw e } catch {
                readFailure = error
                return nil
            }
        }
        try job.spool(bytes, to: incoming)
        var row = describe()
        row.status = .quarantined
        let sha256 = row.sha256 ?? "unknown"
        let stored = lake.quarantinePath(sha256: sha256)
        if rename(incoming, stored) != 0 { throw IngestJob.storageError(stored, errno) }
        let rules = matches.map(\.rule).joined(separator: ", ")
        let engines = Set(matches.map(\.engine)).sorted().joined(separator: ",")
        var message = "matched \(engines) rule \(rules); quarantined as quarantine/\(sha256), never parsed"
        if let readFailure { message += " (the entry could not be read to its end: \(readFailure))" }
        try lake.inTransaction {
            try lake.insertFile(jobID: jobID, row)
            try lake.insertError(
                jobID: jobID, LakeError(.securityMalwareSignature, scope: .entry, input: received.name, entry: entry.path, message: message)
            )
            try lake.insertQuarantine(
                Lake.QuarantineRow(
                    sha256: sha256, jobID: jobID, input: received.name, entryIndex: index, path: entry.path, size: row.size ?? 0,
                    xxh64: row.xxh64 ?? "", engine: engines, rules: matches.map(\.rule).joined(separator: ",")))
        }
        quarantined += 1
        job.progress.entry(input: received.name, entry: entry.path, status: .quarantined, bytes: row.size ?? 0)
    }
}
