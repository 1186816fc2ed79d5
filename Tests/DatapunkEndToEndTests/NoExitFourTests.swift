import Foundation
import Testing
import _LakeTestSupport

/// No input in the fuzz corpora ends an ingest with exit 4 (an internal error) or a crash:
/// every seed and every fail case, named so that the pipeline routes it to the parser it was
/// found against, is ingested as a user would (issue 13; the real samples and the generated
/// corpora have their own end-to-end suites, the hostile archives theirs).
@Suite struct NoExitFourTests {
    /// Where a fuzz target's inputs go in an export, so that the pipeline parses them.
    static let placement: [String: @Sendable (String) -> String] = [
        "archive": { "archives/\($0).zip" },
        "csv": { "Takeout/sheets/\($0).csv" },
        "html": { "Takeout/My Activity/Search/\($0)/MyActivity.html" },
        "ics": { "calendars/\($0).ics" },
        "json": { "Takeout/Fit/\($0).json" },
        "mbox": { "Takeout/Mail/\($0).mbox" },
        "twitter": { "twitter/data/\($0).js" },
        "vcf": { "contacts/\($0).vcf" },
        "xml": { "Takeout/Maps/\($0).kml" },
        "metadata": { "documents/\($0)" },
    ]

    @Test func fuzzCorporaNeverEndInExitFour() throws {
        let dir = TestPaths.scratch("noexit4")
        defer { TestPaths.remove(dir) }
        var placed = 0
        for (target, path) in Self.placement {
            for folder in [TestPaths.corpus + "/fuzz/" + target, TestPaths.root + "/Tests/Fuzz/FailCases/" + target] {
                for name in TestPaths.listFiles(folder) {
                    let destination = dir + "/export/" + path(name)
                    try FileManager.default.createDirectory(
                        atPath: (destination as NSString).deletingLastPathComponent,
                        withIntermediateDirectories: true)
                    try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: destination)
                    placed += 1
                }
            }
        }
        #expect(placed >= 40)
        let r = try CommandRunner.run(CommandRunner.datapunk, ["ingest", dir + "/export", "--lake", dir + "/lake"])
        #expect(r.status == 0 || r.status == 1, "status \(r.status): \(r.stderrText.suffix(2000))")
        #expect(!r.stderrText.contains("rule internal"), "\(r.stderrText)")
        let jobs = try CommandRunner.run(CommandRunner.datapunk, ["jobs", "--lake", dir + "/lake"]).stdoutText
        #expect(!jobs.contains("running"))
    }
}
