import LakeCore
import LakeIngest
import LakeParsers
import LakeStore
import LakeValidate

/// Format verification of a stored file: the design's media thresholds (`MediaThresholds`)
/// over its detected format, size and content metadata. Past one, the file is recorded with a
/// finding; under `--strict` it is refused with that rule instead.
extension ArchiveWalk {
    /// Records the file; returns the status it was recorded with.
    @discardableResult
    func storeWithMediaChecks(_ row: Lake.FileRow, entry: ArchiveEntry) throws -> FileStatus {
        let t = job.options.thresholds
        let metadata = row.metadata.flatMap { try? JSONReader.parse(Array($0.utf8)) }
        let excesses = MediaThresholds.check(format: row.format ?? "", size: row.size ?? 0, metadata: metadata, thresholds: t)
        mediaFindings += excesses.count
        guard !excesses.isEmpty else {
            try lake.insertFile(jobID: jobID, row)
            return row.status
        }
        var row = row
        if t.strict, let first = excesses.first {
            row.status = .rejected
            try lake.inTransaction {
                try lake.insertFile(jobID: jobID, row)
                try lake.insertError(
                    jobID: jobID,
                    LakeError(
                        first.rule, scope: .entry, input: received.name, entry: entry.path,
                        message: "\(first.measured) is over the design's \(first.threshold) (--strict)"))
            }
            return .rejected
        }
        try lake.inTransaction {
            try lake.insertFile(jobID: jobID, row)
            for e in excesses {
                try lake.insertFinding(
                    jobID: jobID,
                    Finding(
                        input: received.name, entry: entry.path, rule: e.rule.rawValue, count: 1, measured: e.measured,
                        threshold: e.threshold,
                        location: nil))
            }
        }
        return row.status
    }
}
