import Benchmark
import _LakeBenchmarkSupport

// Allocation counts per stage, pinned in Benchmarks/Thresholds/6.3/ and checked by
// Scripts/check-benchmark-thresholds.sh, which CI runs (STYLE rules 22-24). Only malloc counts
// are pinned: they do not depend on the machine or its load. Small inputs, made before the
// measurement starts, so the suite runs in about a minute.
//
// Slack, both ways (an improvement fails the check too, so the pins never go stale):
// - 1% for single-threaded stages: their counts repeat exactly run to run, but the Swift
//   runtime's first-use caches (metadata, conformances) land in the first iteration;
// - 10% for the end-to-end ingest: its workers, committer and Dispatch allocate in an order
//   that depends on scheduling (queues, semaphores, per-thread buffers).
let benchmarks: @Sendable () -> Void = {
    let exact = Benchmark.Configuration(
        metrics: [.mallocCountTotal], warmupIterations: 1, maxDuration: .seconds(60), maxIterations: 3,
        thresholds: [.mallocCountTotal: .init(relative: [.p90: 1.0])])
    let scheduled = Benchmark.Configuration(
        metrics: [.mallocCountTotal], warmupIterations: 1, maxDuration: .seconds(120), maxIterations: 3,
        thresholds: [.mallocCountTotal: .init(relative: [.p90: 10.0])])

    // JSON: a megabyte of Records.json element by element, through the tape and through the reader.
    let records = JSONTapeWorkloads.recordsJSON(bytes: 1 << 20)
    Benchmark("JSONTape_RecordsJSON_1MB", configuration: exact) { _ in blackHole(try JSONTapeWorkloads.tapeElements(records)) }
    Benchmark("JSONReader_RecordsJSON_1MB", configuration: exact) { _ in blackHole(try JSONTapeWorkloads.readerElements(records)) }

    let csv = PinnedWorkloads.csv(bytes: 1 << 20)
    Benchmark("CSV_1MB", configuration: exact) { _ in blackHole(try PinnedWorkloads.readCSV(csv)) }

    Benchmark("Timestamps_ISO8601_10k", configuration: exact) { _ in blackHole(try PinnedWorkloads.timestamps(count: 10_000)) }

    let bytes = [UInt8](repeating: 0x61, count: 4 << 20)
    Benchmark("Hashing_SHA256_XXH64_4MB", configuration: exact) { _ in blackHole(PinnedWorkloads.hash(bytes)) }

    // Mapping: a pass over each family's pool of 1,000 elements (NormalizeWorkloads).
    for family in NormalizeWorkloads.families {
        Benchmark("Map_\(family)_1000", configuration: exact) { benchmark in
            let map = NormalizeWorkloads.mapper(family)
            benchmark.startMeasurement()
            var n = 0
            for i in 0..<1000 { n &+= try map(i).count }
            blackHole(n)
        }
    }

    // The same pool through the tape mapper, as the ingest's workers run it (bytes to stored row).
    for family in ["location", "tweet", "facebook_post", "facebook_message"] {
        Benchmark("MapFromTape_\(family)_1000", configuration: exact) { benchmark in
            let map = NormalizeWorkloads.tapeMapper(family)
            benchmark.startMeasurement()
            var n = 0
            for i in 0..<1000 { n &+= try map(i) }
            blackHole(n)
        }
    }

    let pool = ValidationWorkloads.textPool()
    Benchmark("PIIScan_pool", configuration: exact) { _ in blackHole(ValidationWorkloads.scan(pool)) }

    // The lake: 2,000 stored rows into a fresh lake, and the export of a small lake.
    Benchmark("SQLiteLoad_2000", configuration: exact) { benchmark in
        let (lake, _) = try LakeWorkloads.lake(profile: "google-takeout", scale: "512KB")
        let rows = try LakeWorkloads.rows(of: lake, count: 2000)
        benchmark.startMeasurement()
        blackHole(try LakeWorkloads.insert(rows))
    }
    Benchmark("Export_Takeout_512KB", configuration: exact) { benchmark in
        let (lake, _) = try LakeWorkloads.lake(profile: "google-takeout", scale: "512KB")
        benchmark.startMeasurement()
        blackHole(try PinnedWorkloads.export(lake))
    }

    // End to end: a small generated Takeout ingested with every stage on.
    Benchmark("Ingest_Takeout_512KB", configuration: scheduled) { benchmark in
        let corpus = try ValidationWorkloads.corpus(profile: "google-takeout", scale: "512KB")
        benchmark.startMeasurement()
        blackHole(try ValidationWorkloads.ingest(corpus.inputs, validation: true))
    }
}
