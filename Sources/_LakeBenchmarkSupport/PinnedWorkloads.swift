import LakeCore
import LakeParsers
import LakeStore

/// The small, single-threaded workloads whose allocation counts are pinned in
/// `Benchmarks/Thresholds/` (PinnedBenchmarks): one per stage the issue names that the other
/// workload files do not already give at a small size.
public enum PinnedWorkloads {
    /// ISO-8601 times with and without fractions and offsets, parsed `count` times in all.
    public static func timestamps(count: Int) throws -> Int64 {
        let texts = ["2021-12-13T03:04:05.678Z", "2021-12-13T03:04:05Z", "2019-06-30T23:59:59+02:00", "2024-02-29T12:00:00.1-05:30"]
        var sum: Int64 = 0
        for i in 0..<count { sum &+= try Timestamp.parseISO8601(texts[i % texts.count]).millis }
        return sum
    }

    /// About `bytes` of a Google-style CSV (quoted fields, commas and doubled quotes inside).
    public static func csv(bytes: Int) -> [UInt8] {
        var out = Array("Time,Title,URL,Notes\r\n".utf8)
        var i = 0
        while out.count < bytes {
            out += Array(
                "2021-03-0\(i % 9 + 1) 10:0\(i % 10):00,\"Video \(i), part \"\"two\"\"\",https://example.org/v/\(i),plain\r\n".utf8)
            i += 1
        }
        return out
    }

    /// Every row of `csv`; returns the fields read.
    public static func readCSV(_ csv: [UInt8]) throws -> Int {
        let reader = CSVReader(bytes: csv)
        var fields = 0
        while let row = try reader.nextRecord() { fields += row.count }
        return fields
    }

    /// SHA-256 and XXH64 of `bytes` in 64 KiB blocks, as receipt hashes an input.
    public static func hash(_ bytes: [UInt8]) -> FileDigest {
        let digest = FileDigester()
        var p = 0
        while p < bytes.count {
            let end = min(p + 65_536, bytes.count)
            bytes[p..<end].withUnsafeBytes { digest.update($0) }
            p = end
        }
        return digest.finish()
    }

    /// Every canonical line of `lake`; returns their bytes.
    public static func export(_ lake: Lake) throws -> Int {
        var bytes = 0
        try lake.export { bytes += $0.count }
        return bytes
    }
}
