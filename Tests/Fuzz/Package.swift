// swift-tools-version: 6.1
//
// libFuzzer executables, one per input surface, built only by Scripts/fuzz.sh with
// `--sanitize=fuzzer --sanitize=address` (a separate package so the root build never sees
// the sanitizer flags). Their bodies live in the root package's `_LakeFuzzTargets`, which the
// ordinary test run replays over Corpus/fuzz and Tests/Fuzz/FailCases.
import PackageDescription

let surfaces = [
    "JSON", "CSV", "Timestamp", "Twitter", "Archive", "Mbox", "ICS", "VCF", "HTML", "XML", "Metadata", "Normalize", "Security", "PII",
    "Schema", "Annotations",
]

let package = Package(
    name: "datapunk-fuzz",
    dependencies: [.package(name: "datapunk-lake", path: "../..")],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "_LakeFuzzTargets", package: "datapunk-lake")]
        )
    ]
        + surfaces.map { surface in
            .executableTarget(
                name: "Fuzz\(surface)",
                dependencies: ["FuzzSupport"],
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]
            )
        }
)
