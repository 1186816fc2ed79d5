// swift-tools-version: 6.1
//
// datapunk-lake: the reference implementation of the Datapunk Lake pipeline.
// One library target per pipeline stage; dependencies point one way only:
//   LakeCore <- LakeParsers <- LakeNormalize
//   LakeCore <- LakeIngest; LakeCore, LakeParsers <- LakeStore (it reads stored lines back)
//   all of them <- LakePipeline <- datapunk (the CLI)
// C libraries come in through one system-library target each (C<Lib>).
import PackageDescription

let package = Package(
    name: "datapunk-lake",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "datapunk", targets: ["datapunk"]),
        .library(name: "LakePipeline", targets: ["LakePipeline"]),
        // Not API: for the fuzz package in Tests/Fuzz only.
        .library(name: "_LakeFuzzTargets", targets: ["_LakeFuzzTargets"]),
        // Not API: generated workloads for the Benchmarks package.
        .library(name: "_LakeBenchmarkSupport", targets: ["_LakeBenchmarkSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        // MARK: - C libraries (system-library shims)
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CMagic", pkgConfig: "libmagic", providers: [.apt(["libmagic-dev"])]),
        .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // OpenSSL's libcrypto: record ids' SHA-256 from a C context copied on the stack.
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // The lake's tiers: LZ4 batches in warm partition files, zstd streams for cold ones.
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // jemalloc serves every malloc of the `datapunk` command (DatapunkHeap links it and
        // gives its settings); the libraries and tests keep the C library's malloc.
        .systemLibrary(name: "CJemalloc", pkgConfig: "jemalloc", providers: [.apt(["libjemalloc-dev"])]),
        .target(name: "DatapunkHeap", dependencies: ["CJemalloc"], linkerSettings: [.linkedLibrary("jemalloc")]),
        // ICU (libicu-dev, installed by Scripts/setup.sh) through a small C target of our own:
        // Foundation's private copy of ICU's headers forbids a module map of the system ones
        // (see Sources/CICU/include/dp_icu.h).
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),

        // YARA (libyara-dev) through a small C target of our own: its rule lists are walked with
        // C macros (see Sources/CYara/include/dp_yara.h).
        .target(name: "CYara", linkerSettings: [.linkedLibrary("yara")]),
        // ClamAV (libclamav-dev) likewise: its scan options are a struct set with macros.
        .target(name: "CClamAV", linkerSettings: [.linkedLibrary("clamav")]),
        // Hot loops of our own in C, where Swift cannot ask for a processor's vector
        // instructions at run time (the MinHash minimums on AVX-512).
        .target(name: "CKernels"),

        // MARK: - Pipeline stages
        .target(
            name: "LakeCore",
            dependencies: ["CXXHash", "CICU", "CLibCrypto", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "LakeParsers", dependencies: ["LakeCore", "CICU"]),
        .target(
            name: "LakeIngest",
            dependencies: ["LakeCore", "CArchive", "CMagic", "CCurl"]
        ),
        .target(name: "LakeNormalize", dependencies: ["LakeCore", "LakeParsers"]),
        .target(name: "LakeStore", dependencies: ["LakeCore", "LakeParsers", "CSQLite", "CLZ4", "CZstd"]),
        // The validation stage: the security scan, PII detection, the design's thresholds.
        .target(
            name: "LakeValidate", dependencies: ["LakeCore", "LakeParsers", "CYara", "CClamAV", "CKernels"],
            resources: [.copy("Rules"), .copy("Schemas")]),
        .target(
            name: "LakeCorpus",
            dependencies: ["LakeCore", "LakeParsers", "LakeIngest"]
        ),
        .target(name: "LakeConform", dependencies: ["LakeCore", "LakeParsers", "LakeCorpus", "LakeNormalize"], resources: [.copy("Kit")]),
        .target(
            name: "LakePipeline",
            dependencies: ["LakeCore", "LakeParsers", "LakeIngest", "LakeNormalize", "LakeStore", "LakeValidate", "CKernels"]
        ),
        .executableTarget(
            name: "datapunk",
            // Every module it imports, declared (not reached through LakePipeline's).
            dependencies: [
                "LakeCore", "LakeParsers", "LakeIngest", "LakeStore", "LakeCorpus", "LakePipeline", "LakeValidate", "LakeConform",
                "DatapunkHeap", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Test support (underscored: not API)
        .target(
            name: "_LakeTestSupport",
            dependencies: ["LakeCore", "LakeParsers"]
        ),

        // The fuzz targets' bodies: built here so they never rot, driven by libFuzzer from
        // Tests/Fuzz (its own package) and replayed over seeds and fail cases by FuzzReplayTests.
        .target(
            name: "_LakeFuzzTargets",
            dependencies: ["LakeCore", "LakeParsers", "LakeIngest", "LakeNormalize", "LakeStore", "LakeValidate"]
        ),

        .target(
            name: "_LakeBenchmarkSupport",
            dependencies: [
                "LakeCore", "LakeParsers", "LakeCorpus", "LakeNormalize", "LakeIngest", "LakePipeline", "LakeValidate", "LakeStore",
            ]),

        // MARK: - Tests
        .testTarget(name: "LakeCoreTests", dependencies: ["LakeCore", "_LakeTestSupport"]),
        .testTarget(
            name: "LakeParsersTests",
            dependencies: ["LakeParsers", "LakeCore", "LakeCorpus", "LakeIngest", "_LakeTestSupport", "_LakeBenchmarkSupport"]),
        .testTarget(
            name: "FuzzReplayTests",
            dependencies: ["_LakeFuzzTargets", "_LakeTestSupport"]
        ),
        .testTarget(name: "LakeIngestTests", dependencies: ["LakeIngest", "LakeCore", "_LakeTestSupport"]),
        .testTarget(name: "LakeNormalizeTests", dependencies: ["LakeNormalize", "LakeCore", "LakeParsers", "_LakeTestSupport"]),
        .testTarget(
            name: "LakePipelineTests",
            dependencies: [
                "LakePipeline", "LakeCore", "LakeIngest", "LakeNormalize", "LakeParsers", "LakeStore", "LakeValidate", "CKernels",
                "_LakeTestSupport",
            ]),
        .testTarget(
            name: "LakeValidateTests",
            dependencies: ["LakeValidate", "CKernels", "LakeCore", "LakeParsers", "LakeIngest", "_LakeTestSupport"]),
        .testTarget(name: "LakeStoreTests", dependencies: ["LakeStore", "LakeCore", "LakeParsers", "_LakeTestSupport"]),
        .testTarget(name: "LakeCorpusTests", dependencies: ["LakeCorpus", "LakeCore", "LakeParsers", "LakeIngest", "_LakeTestSupport"]),
        .testTarget(name: "LakeConformTests", dependencies: ["LakeConform", "LakeCore", "LakeParsers", "_LakeTestSupport"]),
        .testTarget(
            name: "DatapunkEndToEndTests",
            // They run the `datapunk` command that `swift build --build-tests` (Scripts/test.sh)
            // builds beside them; depending on its target would link its allocator (jemalloc)
            // into the test process, whose own tests expect the C library's malloc (`HeapTests`).
            dependencies: [
                "LakePipeline", "LakeNormalize", "LakeCore", "LakeIngest", "LakeParsers", "LakeCorpus", "LakeStore", "_LakeTestSupport",
            ],
            // Candidates/: the deliberately wrong candidates the conformance tests run (Python).
            exclude: ["Candidates"]
        ),
        // Hostile and unlucky conditions (issue 14), built by the tests themselves, through the CLI.
        .testTarget(
            name: "Reliability", dependencies: ["LakeCore", "LakeIngest", "LakeStore", "LakeCorpus", "_LakeTestSupport"],
            path: "Tests/Reliability"),
    ]
)
// The record path's modules see a member of another module only where a file imports it: one
// file's `import Foundation` made Foundation's `String` methods (`range(of:)`,
// `replacingOccurrences`, which bridge every string to an `NSString`) the ones picked in every
// file of the module, unseen, in per-record code.
for t in package.targets where ["LakeCore", "LakeParsers", "LakeNormalize", "LakeStore", "LakeValidate", "LakePipeline"].contains(t.name) {
    t.swiftSettings = (t.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
// Release builds optimize across modules: the record path crosses six of them per record
// (tape, mapper, validator, row, store), and a generic or small function of one module
// was a call, not inlined code, in the next. On the 256 MB Takeout zip, 5% less CPU time
// (3% on a 64 MB Takeout of many files, 12% less for its export), the same exports
// (docs/BENCHMARKS-HEAP.md).
// They also leave out the run-time exclusivity checks (`swift_beginAccess`, a thread-local
// look-up per access to a class's stored property or a global): 1.9% of an ingest's
// instructions (docs/BENCHMARKS-RECORD-PATH.md). Debug builds, which the tests run, keep them,
// so an overlapping access still traps there.
for t in package.targets where t.type == .regular || t.type == .executable {
    t.swiftSettings =
        (t.swiftSettings ?? []) + [
            .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release))
        ]
}
