import Benchmark
import Foundation
import _LakeBenchmarkSupport

// The lake layout (issue 18).
// `HotInsert_200k` inserts 200,000 stored rows (a generated Takeout lake's, with new ids) into a fresh
// lake in one transaction, 512 rows announced at a time as the ingest's committer does (by
// statements of 32 rows): custom metric `records_per_s`. `HotInsertRowByRow_200k` one row a
// statement, as before the twenty-fifth session. `HotFirstLoad_200k` the same as a first
// load does it: the deferred record indexes dropped before and built after, in the time.
// `LakeSize_<profile>_<scale>` ingests a generated corpus and reports, in per mille of the
// input's uncompressed bytes, the catalog after ingest (`hot_permille`), the partition files
// after archiving everything warm (`warm_permille`) and cold (`cold_permille`), and the
// catalog left beside the cold files (`cold_catalog_permille`). Scale: LAKE_BENCH_SCALE
// (default 64MB; the README's figures are from 256MB). `SortedRuns_16M`: the duplicate
// stage's external sort (`members_per_s`). `RecordTexts_1M`: the text hashing's last writes, 1 Mi
// `record_texts` rows and their signatures (`rows_per_s`).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds, warmupIterations: 0, scalingFactor: .one,
        maxDuration: .seconds(900), maxIterations: 5)

    let source = try! LakeWorkloads.lake(profile: "google-takeout", scale: "8MB").lake
    let rows = try! LakeWorkloads.rows(of: source, count: 200_000)
    let perSecond = BenchmarkMetric.custom("records_per_s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark("HotInsert_200k", configuration: .init(metrics: [.wallClock, perSecond], warmupIterations: 1, maxIterations: 7)) {
        benchmark in
        let seconds = try LakeWorkloads.insert(rows)
        benchmark.measurement(perSecond, Int(Double(rows.count) / seconds))
    }
    Benchmark("HotInsertRowByRow_200k", configuration: .init(metrics: [.wallClock, perSecond], warmupIterations: 1, maxIterations: 7)) {
        benchmark in
        let seconds = try LakeWorkloads.insert(rows, batch: nil)
        benchmark.measurement(perSecond, Int(Double(rows.count) / seconds))
    }
    Benchmark("HotFirstLoad_200k", configuration: .init(metrics: [.wallClock, perSecond], warmupIterations: 1, maxIterations: 7)) {
        benchmark in
        let seconds = try LakeWorkloads.insert(rows, firstLoad: true)
        benchmark.measurement(perSecond, Int(Double(rows.count) / seconds))
    }

    // The near pass's largest sort: 16 Mi band members through runs on disk (`SortedRuns`).
    let sorted = BenchmarkMetric.custom("members_per_s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark("SortedRuns_16M", configuration: .init(metrics: [.wallClock, sorted], warmupIterations: 1, maxIterations: 7)) { benchmark in
        let (checksum, seconds) = try LakeWorkloads.sortedRuns(count: 16 << 20)
        blackHole(checksum)
        benchmark.measurement(sorted, Int(Double(16 << 20) / seconds))
    }

    // The text hashing's end: 1 Mi text rows and their signatures written (`RecordTextWriter.finish`).
    let textRows = BenchmarkMetric.custom("rows_per_s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark("RecordTexts_1M", configuration: .init(metrics: [.wallClock, textRows], warmupIterations: 1, maxIterations: 7)) { benchmark in
        let (texts, seconds) = try LakeWorkloads.recordTexts(count: 1 << 20)
        blackHole(texts)
        benchmark.measurement(textRows, Int(Double(1 << 20) / seconds))
    }

    let scale = ProcessInfo.processInfo.environment["LAKE_BENCH_SCALE"] ?? "64MB"
    for profile in ["google-takeout", "twitter", "facebook"] {
        let metrics = ["hot_permille", "warm_permille", "cold_permille", "cold_catalog_permille"].map {
            BenchmarkMetric.custom($0, polarity: .prefersSmaller, useScalingFactor: false)
        }
        Benchmark("LakeSize_\(profile)_\(scale)", configuration: .init(metrics: [.wallClock] + metrics, maxIterations: 1)) { benchmark in
            let s = try LakeWorkloads.sizes(profile: profile, scale: scale)
            let input = Double(max(s.inputUncompressed, 1))
            for (metric, bytes) in zip(metrics, [s.hot, s.warm, s.cold, s.coldCatalog]) {
                benchmark.measurement(metric, Int(Double(bytes) * 1000 / input))
            }
            print(
                "LakeSize \(profile) \(scale): records \(s.records), input \(s.inputUncompressed) uncompressed (\(s.inputArchives) as archives), hot \(s.hot), warm files \(s.warm), cold files \(s.cold), catalog beside cold \(s.coldCatalog)"
            )
        }
    }
}
