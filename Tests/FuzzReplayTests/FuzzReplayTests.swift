import Foundation
import Testing
import _LakeFuzzTargets
import _LakeTestSupport

/// Every fuzz target over its committed seed corpus (Corpus/fuzz/<target>/) and every fail
/// case ever found (Tests/Fuzz/FailCases/<target>/): no crash and no broken property. This is
/// how the targets stay compiled and how old findings stay fixed in every CI run.
@Suite struct FuzzReplayTests {
    static let names = FuzzTargets.all.map(\.name)

    static func inputs(_ name: String) -> [String] {
        var files: [String] = []
        for folder in [TestPaths.corpus + "/fuzz/" + name, TestPaths.root + "/Tests/Fuzz/FailCases/" + name] {
            files += TestPaths.listFiles(folder).map { folder + "/" + $0 }
        }
        return files
    }

    @Test(arguments: names)
    func replaySeedsAndFailCases(_ name: String) throws {
        let target = try #require(FuzzTargets.target(named: name))
        let files = Self.inputs(name)
        #expect(!files.isEmpty, "no seeds for \(name)")
        for file in files {
            if let finding = target(TestPaths.read(file)) {
                Issue.record("\(name) \(file): \(finding)")
            }
        }
    }

    /// The outside suites are good extra seeds: all of JSONTestSuite through the JSON target,
    /// csv-spectrum through the CSV target.
    @Test func outsideSuitesThroughTheirTargets() {
        let json = TestPaths.conformance + "/JSONTestSuite/test_parsing"
        for f in TestPaths.listFiles(json) {
            if let finding = FuzzTargets.json(TestPaths.read(json + "/" + f)) { Issue.record("json \(f): \(finding)") }
        }
        let csv = TestPaths.conformance + "/csv-spectrum/csvs"
        for f in TestPaths.listFiles(csv) {
            if let finding = FuzzTargets.csv(TestPaths.read(csv + "/" + f)) { Issue.record("csv \(f): \(finding)") }
        }
    }
}
