import Foundation
import LakeCore
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

    /// A Google Photos export of about `bytes`: photos of 2 to 8 MB (a JPEG's first bytes, then
    /// bytes that do not compress, as a JPEG's do not), each followed by its JSON sidecar, stored
    /// in a zip as Takeout stores them. Made once per process in a scratch folder.
    public static func photosZip(bytes: Int) throws -> String {
        let path = NSTemporaryDirectory() + "datapunk-bench-photos-\(getpid())-\(bytes).zip"
        if FileManager.default.fileExists(atPath: path) { return path }
        let writer = try ArchiveWriter(path: path, format: .zip, compressionLevel: 0)
        var rng = SplitMix64(seed: 42)
        func next() -> UInt64 { rng.next() }
        var written = 0, n = 0
        while written < bytes {
            let size = 2_000_000 + Int(next() % 6_000_000)
            var photo = [UInt8](repeating: 0, count: size)
            photo.withUnsafeMutableBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for i in 0..<words.count { words[i] = next() }
            }
            photo.replaceSubrange(0..<11, with: [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF\u{0}".utf8))
            let name = String(format: "Takeout/Google Photos/Photos from 2021/IMG_%05d.jpg", n)
            try writer.addFile(name, contents: photo)
            let taken = 1_609_459_200 + n * 3_600
            let sidecar =
                #"{"title":"\#((name as NSString).lastPathComponent)","description":"","imageViews":"3","creationTime":{"timestamp":"\#(taken + 60)","formatted":""},"photoTakenTime":{"timestamp":"\#(taken)","formatted":""},"geoData":{"latitude":48.1,"longitude":11.5,"altitude":500.0,"latitudeSpan":0.0,"longitudeSpan":0.0},"url":"https://photos.google.com/photo/\#(n)"}"#
            try writer.addFile(name + ".json", contents: Array(sidecar.utf8))
            written += size
            n += 1
        }
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
