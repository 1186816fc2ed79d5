import Foundation
import LakeCore
import LakeCorpus
import LakePipeline
import LakeStore

/// Workloads of the lake layout (issue 18): hot-tier inserts and the lake's size against its
/// input, hot and cold.
public enum LakeWorkloads {
    static func scratch(_ label: String) -> String {
        let dir = NSTemporaryDirectory() + "datapunk-bench-lake-\(label)"
        try? FileManager.default.removeItem(atPath: dir)
        return dir
    }

    /// A generated corpus of `profile` ingested into a lake under the temporary folder.
    public static func lake(profile: String, scale: String, seed: UInt64 = 3) throws -> (lake: Lake, inputs: [String]) {
        let dir = scratch("\(profile)-\(scale)")
        let manifest = try CorpusGenerator.generate(profile: profile, seed: seed, scale: scale, output: dir + "/corpus")
        let inputs = manifest.inputs.map { dir + "/corpus/" + $0.file }
        var options = IngestOptions()
        options.lakeDirectory = dir + "/lake"
        // Real Records.json files pass the design's 100 MB: measured, not refused (SPEC 10.1).
        options.thresholds.maxJSONBytes = 1 << 40
        _ = try IngestJob(options: options).run(inputs: inputs)
        return (try Lake(directory: options.lakeDirectory, create: false), inputs)
    }

    /// `count` stored rows made from a lake's records (read from its export), cycling through them
    /// with new ids so that each is a new record, and each cycle after the first from files of
    /// new names (`… (copy N)`), as new exports bring them: a file read again would have the
    /// load build `records_id` (`Lake+BulkIndexes`). Each row carries its stored annotations, as
    /// an ingest's mapping workers hand rows to the committer: the inserter only binds them.
    public static func rows(of lake: Lake, count: Int) throws -> [Lake.HeldRow] {
        var base: [RecordRow] = []
        try lake.export { base.append(try RecordRow(line: $0)) }
        precondition(!base.isEmpty)
        return (0..<count).map { i in
            var r = base[i % base.count]
            if i >= base.count { r.source.path += " (copy \(i / base.count))" }
            let a = XXH64.hash(Array("\(i)".utf8)), b = XXH64.hash(Array("id \(i)".utf8))
            r.columns.id = Hex.string(a) + Hex.string(b)
            r.makeStoredForms()
            return Lake.HeldRow(r)
        }
    }

    /// Inserts `rows` into a fresh lake in one transaction; returns the seconds it took.
    /// With `firstLoad`, as an ingest into an empty lake does it: the deferred record index
    /// (`Lake.deferredRecordIndexes`) dropped first and built after the rows, in the time.
    /// `batch`: rows announced at a time, as the ingest's committer does
    /// (`Lake.RecordInserter.insertBatch`, by multi-row statements); nil, one row a statement.
    public static func insert(_ rows: [Lake.HeldRow], firstLoad: Bool = false, batch: Int? = 512) throws -> Double {
        let dir = scratch("insert-\(getpid())")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lake = try Lake(directory: dir, create: true)
        let start = DispatchTime.now().uptimeNanoseconds
        if firstLoad { _ = try lake.deferRecordIndexesIfEmpty() }
        try lake.begin()
        let inserter = try lake.recordInserter(jobID: "bench")
        if let batch {
            try inserter.insert(rows, batch: batch)
        } else {
            for r in rows { try r.insert(into: inserter) }
        }
        try lake.commit()
        if firstLoad { try lake.buildRecordIndexes() }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Sizes in bytes: the input's files uncompressed (entries as the catalog lists them), the
    /// zipped input, the catalog after ingest, the catalog and partition files after everything
    /// older than the hot months is archived (warm), and after everything is cold.
    public struct Sizes: Sendable {
        public var inputUncompressed: Int64 = 0
        public var inputArchives: Int64 = 0
        public var hot: Int64 = 0
        public var warm: Int64 = 0
        public var cold: Int64 = 0
        public var coldCatalog: Int64 = 0
        public var records = 0
    }

    static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    public static func sizes(profile: String, scale: String) throws -> Sizes {
        let (lake, inputs) = try lake(profile: profile, scale: scale)
        var s = Sizes()
        s.inputArchives = inputs.reduce(0) { $0 + size($1) }
        s.inputUncompressed = try lake.uncompressedInputBytes()
        s.records = try lake.recordCount()
        try lake.compact()
        s.hot = size(lake.catalogPath)
        func partitionBytes() throws -> Int64 { try lake.partitions().reduce(0) { $0 + $1.bytes } }
        // Warm: every month but the newest three of 2100, i.e. all but future ones, as warm.
        var warm = Lake.TierPolicy()
        warm.coldAfterDays = Int.max / 2
        _ = try lake.archive(asOf: (2100, 1, 1), policy: warm)
        s.warm = try partitionBytes()
        var cold = Lake.TierPolicy()
        cold.coldAfterDays = 0
        _ = try lake.archive(asOf: (2100, 1, 1), policy: cold)
        s.cold = try partitionBytes()
        s.coldCatalog = size(lake.catalogPath)
        try? FileManager.default.removeItem(atPath: (lake.directory as NSString).deletingLastPathComponent)
        return s
    }
}

extension LakeWorkloads {
    /// `count` pairs shaped like the near pass's band members (a 4-byte band key and a 64-bit
    /// text hash, both pseudo-random) through `SortedRuns` at its default run length, sorted
    /// and read back; returns a checksum of the order (so nothing is skipped) and the seconds.
    public static func sortedRuns(count: Int) throws -> (checksum: UInt64, seconds: Double) {
        let dir = scratch("sorted-runs-\(getpid())")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let start = DispatchTime.now().uptimeNanoseconds
        let runs = SortedRuns<(UInt64, UInt64)>(
            path: dir + "/runs", key: { Lake.bandTextKey(band: $0.0, text: $0.1) }
        ) { $0.0 != $1.0 ? $0.0 < $1.0 : Lake.signedOrder($0.1) < Lake.signedOrder($1.1) }
        var random = SplitMix64(seed: 11)
        for _ in 0..<count {
            let x = random.next()
            try runs.append((x >> 32, random.next()))
        }
        var checksum: UInt64 = 0
        try runs.forEachSorted { checksum = (checksum &* 31) &+ $0.0 &+ $0.1 }
        return (checksum, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// `count` text rows (each its own record, one text in four shared) and their signatures of
    /// 16 band keys written by a `RecordTextWriter` into a new lake, as the duplicate stage's
    /// `hash_texts` step ends: the seconds `finish` takes (the rows into `record_texts`, its
    /// index built, the signatures into `text_signatures`) and the texts read back.
    public static func recordTexts(count: Int) throws -> (texts: Int, seconds: Double) {
        let dir = scratch("record-texts-\(getpid())")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lake = try Lake(directory: dir, create: true)
        var random = SplitMix64(seed: 12)
        var seconds = 0.0
        try lake.inTransaction {
            let writer = try lake.recordTextWriter()
            var batch: [(rowid: Int64, id: String, hash: UInt64?, bands: [UInt32])] = []
            for n in 0..<count {
                let hash = n % 4 == 0 ? random.next() % UInt64(count / 4 + 1) : random.next()
                let id = String(format: "%016llx%016llx", random.next(), random.next())
                batch.append((Int64(n + 1), id, hash, (0..<16).map { UInt32(truncatingIfNeeded: hash &* 0x9E37_79B9 &+ UInt64($0)) }))
                if batch.count == 4096 {
                    try writer.set(batch)
                    batch = []
                }
            }
            try writer.set(batch)
            let start = DispatchTime.now().uptimeNanoseconds
            try writer.finish()
            seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var texts = 0
        try lake.forEachTextSignature { _, _ in texts += 1 }
        return (texts, seconds)
    }
}
