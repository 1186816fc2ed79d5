import LakeCore
import LakeIngest
import LakeParsers
import LakeStore
import LakeValidate

/// Format verification of a stored file: the design's media thresholds (`MediaThresholds`)
/// over its detected format, size and content metadata. Past one, the file is recorded with a
/// finding; under `--strict` it is refused with that rule instead. And an office document's
/// properties, its content metadata.
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

    /// An OOXML document's properties (it is a zip: its docProps/core.xml and app.xml are read
    /// through libarchive as the entry streams by from `source`, at most 1 MiB of each); nil for
    /// a document libarchive cannot open, which is only stored.
    static func officeMetadata(_ source: @escaping JSONReader.ChunkSource, name: String) -> JSONValue? {
        guard let document = try? ArchiveReader(name: name, stream: source) else { return nil }
        var members: [JSONMember] = []
        while let part = try? document.nextEntry() {
            guard ContentMetadata.officeParts.contains(part.path) else { continue }
            var xml: [UInt8] = []
            while xml.count < 1 << 20, let c = try? document.readChunk() { xml += c }
            let read =
                part.path.hasSuffix("core.xml") ? ContentMetadata.officeCoreProperties(xml) : ContentMetadata.officeAppProperties(xml)
            members += (read?.objectMembers ?? []).filter { m in !members.contains { $0.key == m.key } }
        }
        return members.isEmpty ? nil : .object(members)
    }
}
