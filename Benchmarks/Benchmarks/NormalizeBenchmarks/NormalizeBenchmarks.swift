import Benchmark
import _LakeBenchmarkSupport

// Normalization throughput in records per second (issue 7): each iteration maps one record of
// a file family and encodes its canonical line; scalingFactor .kilo, so the throughput column
// reads in thousands of records per second. Pools of 1,000 seeded elements per family
// (NormalizeWorkloads). One thread: the pipeline runs this on each of its workers.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .peakMemoryResident],
        timeUnits: .microseconds,
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: .seconds(10),
        maxIterations: 20
    )
    for family in NormalizeWorkloads.families {
        Benchmark("Normalize_\(family)") { benchmark in
            let map = NormalizeWorkloads.mapper(family)
            benchmark.startMeasurement()
            var bytes = 0
            for i in benchmark.scaledIterations {
                bytes &+= try map(i).count
            }
            blackHole(bytes)
        }
    }
}
