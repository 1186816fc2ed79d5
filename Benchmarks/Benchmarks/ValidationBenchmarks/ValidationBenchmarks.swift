import Benchmark
import Foundation
import _LakeBenchmarkSupport

// Content validation (issue 16). `PIIScan_text` gives PII detection's throughput in MB/s of
// text (custom metric `MBps`, UTF-8 bytes scanned over the wall time of the call);
// `MinHash_signatures` the near-duplicate text hashing's signatures per second (`sigs_per_s`).
// `Ingest_<profile>_20MB_validation_on|off` ingest the same generated corpus with content
// validation on and off, alternating, so the difference of their medians is its share of an
// ingest (the output differs when off: benchmarks only). `Ingest_<profile>_20MB_near_duplicates_off`
// is the `on` ingest without near-duplicate detection: the difference is that pass's share.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [
            .wallClock, .peakMemoryResident, .custom("MBps", polarity: .prefersLarger, useScalingFactor: false),
            .custom("sigs_per_s", polarity: .prefersLarger, useScalingFactor: false),
        ],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(300),
        maxIterations: 5
    )

    let pool = ValidationWorkloads.textPool()
    Benchmark("PIIScan_text", configuration: .init(maxIterations: 30)) { benchmark in
        let start = BenchmarkClock.now
        var bytes = 0
        for _ in 0..<25 { bytes += ValidationWorkloads.scan(pool) }
        let seconds = Double((BenchmarkClock.now - start).nanoseconds()) / 1e9
        benchmark.measurement(.custom("MBps", polarity: .prefersLarger, useScalingFactor: false), Int(Double(bytes) / 1e6 / seconds))
    }

    // The text hashing's MinHash signatures (256 permutations) of the pool's texts, in
    // signatures per second (`sigs_per_s`): the kernel this processor runs (`dp_minhash`:
    // AVX-512, AVX2 or plain C).
    let sets = ValidationWorkloads.shingleSets(pool)
    Benchmark("MinHash_signatures", configuration: .init(maxIterations: 30)) { benchmark in
        let start = BenchmarkClock.now
        var signed = 0
        for _ in 0..<10 { signed += ValidationWorkloads.sign(sets) }
        let seconds = Double((BenchmarkClock.now - start).nanoseconds()) / 1e9
        benchmark.measurement(.custom("sigs_per_s", polarity: .prefersLarger, useScalingFactor: false), Int(Double(signed) / seconds))
    }

    for profile in ["twitter", "google-takeout"] {
        // Generated once per suite run into $TMPDIR/datapunk-bench-validation-<profile>, replaced by the next run.
        let corpus = try! ValidationWorkloads.corpus(profile: profile, scale: "20MB")
        for validation in [true, false] {
            Benchmark("Ingest_\(profile)_20MB_validation_\(validation ? "on" : "off")") { benchmark in
                let records = try ValidationWorkloads.ingest(corpus.inputs, validation: validation)
                blackHole(records)
            }
        }
        // Near duplicates' share: the same ingest without them (validation on).
        Benchmark("Ingest_\(profile)_20MB_near_duplicates_off") { benchmark in
            blackHole(try ValidationWorkloads.ingest(corpus.inputs, validation: true, nearDuplicates: false))
        }
    }
}
