// swift-tools-version: 6.1
//
// Benchmarks (package-benchmark), kept out of the root build. Run: bash Scripts/bench.sh
// Each suite is an executable target under Benchmarks/<Suite>/.
import PackageDescription

let package = Package(
    name: "datapunk-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "datapunk-lake", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: ["ParserBenchmarks", "CorpusBenchmarks", "NormalizeBenchmarks", "HardeningBenchmarks", "ValidationBenchmarks", "LakeBenchmarks", "PinnedBenchmarks"].map(suite)
)

/// A benchmark suite: an executable target under Benchmarks/<name>/ run by the plugin.
func suite(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            .product(name: "Benchmark", package: "benchmark"),
            .product(name: "_LakeBenchmarkSupport", package: "datapunk-lake"),
        ],
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}
