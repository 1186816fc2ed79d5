import Benchmark
import _LakeBenchmarkSupport
import LakeParsers

// Memory on the large shapes of issue 14, against the 256 MB ceiling: a zip of 1,000,000
// one-byte entries ingested whole (the entry limit), and a mail message with a 45 MB folded
// header. Peak resident memory is the claim; wall-clock time is reported beside it.
// Measured once by hand (release build, /usr/bin/time): 203 MB and 142 MB.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.peakMemoryResident, .wallClock],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        scalingFactor: .one,
        maxDuration: .seconds(900),
        maxIterations: 1,
        thresholds: [.peakMemoryResident: .init(absolute: [.p90: 256_000_000])]
    )

    Benchmark("Ingest_1M_archive_entries") { benchmark in
        let zip = try HardeningWorkloads.manyEntriesZip(entries: 1_000_000)
        benchmark.startMeasurement()
        blackHole(try HardeningWorkloads.ingest(zip))
        benchmark.stopMeasurement()
    }

    Benchmark("Mail_45MB_folded_header") { benchmark in
        let raw = HardeningWorkloads.foldedHeaderMessage(bytes: 45_000_000)
        benchmark.startMeasurement()
        blackHole(MailMessage.parse(raw))
        benchmark.stopMeasurement()
    }
}
