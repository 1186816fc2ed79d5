import Foundation
import LakeIngest
import LakeParsers
import LakePipeline

/// The large shapes issue 14 bounds memory on, as benchmark workloads (peak resident memory
/// is what the suite measures): an archive of many tiny entries ingested whole, and a mail
/// message whose folded header runs to tens of megabytes.
public enum HardeningWorkloads {
    /// A zip of `entries` one-byte files, made once per process in a scratch folder.
    public static func manyEntriesZip(entries: Int) throws -> String {
        let path = NSTemporaryDirectory() + "datapunk-bench-entries-\(getpid())-\(entries).zip"
        if FileManager.default.fileExists(atPath: path) { return path }
        let writer = try ArchiveWriter(path: path, format: .zip, compressionLevel: 0)
        for i in 0..<entries { try writer.addFile(String(format: "d%04d/f%07d.txt", i / 1000, i), contents: [0x78]) }
        try writer.close()
        return path
    }

    /// Ingests `zip` into a fresh lake (removed afterwards); returns the entries catalogued.
    public static func ingest(_ zip: String) throws -> Int {
        var options = IngestOptions()
        options.lakeDirectory = NSTemporaryDirectory() + "datapunk-bench-lake-\(getpid())"
        try? FileManager.default.removeItem(atPath: options.lakeDirectory)
        defer { try? FileManager.default.removeItem(atPath: options.lakeDirectory) }
        let summary = try IngestJob(options: options).run(inputs: [zip])
        return summary.inputs.reduce(0) { $0 + $1.files }
    }

    /// A message whose Subject is folded over `bytes` of continuation lines.
    public static func foldedHeaderMessage(bytes: Int) -> [UInt8] {
        var raw = Array("From: a@b.c\nSubject: start\n".utf8)
        let fold = Array(" folded continuation of a very long subject header line\n".utf8)
        raw.reserveCapacity(bytes + 64)
        while raw.count < bytes { raw += fold }
        raw += Array("To: x@y.z\n\nbody\n".utf8)
        return raw
    }
}
