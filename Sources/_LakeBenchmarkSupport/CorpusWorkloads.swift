import Foundation
import LakeCorpus

/// Corpus generation as a benchmark workload: a whole `corpus generate` run into a scratch
/// folder that is removed afterwards. Returns the uncompressed bytes generated, so the caller
/// can report MiB/s.
public enum CorpusWorkloads {
    public static func generate(profile: String, scale: String, seed: UInt64 = 1) throws -> Int64 {
        let dir = NSTemporaryDirectory() + "datapunk-bench-corpus-\(getpid())-\(profile)"
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try CorpusGenerator.generate(profile: profile, seed: seed, scale: scale, output: dir).contentBytes
    }
}
