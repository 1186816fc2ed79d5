import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

/// Content validation through the command line: the progress event, the summary line, the
/// metrics, and `--pii-patterns`.
@Suite struct ContentValidationEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    static func notes(_ dir: String) throws -> String {
        let file = dir + "/notes.json"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(
            #"[{"note": "provider NPI 1234567893, mail ana@example.org"}, {"note": "call +44 20 7946 0958"}, {"note": "nothing"}]"#
                .utf8
        ).write(to: URL(fileURLWithPath: file))
        return file
    }

    @Test func eventSummaryAndMetricsCountTheFindings() throws {
        let dir = TestPaths.scratch("content-validation")
        defer { TestPaths.remove(dir) }
        let r = try Self.dp(["ingest", try Self.notes(dir), "--lake", dir + "/lake", "--progress", "json"])
        #expect(r.status == 0, "\(r.stderrText)")
        let event = try #require(
            r.stderrText.split(separator: "\n").compactMap { try? JSONValueReader.parse(Array($0.utf8)) }
                .first { $0["event"]?.stringValue == "content_validation" })
        #expect(event["pii_records"] == .number("2") && event["pii_findings"] == .number("2") && event["input"] == .string("notes.json"))
        #expect(event["personal"] == .number("2") && event["system"] == .number("1") && event["analytics"] == .number("0"))
        #expect(r.stdoutText.contains("  2 records with PII: EMAIL_ADDRESS 1, PHONE_NUMBER 1\n"), "\(r.stdoutText)")
        let metrics = try Self.dp(["metrics", "--lake", dir + "/lake"]).stdoutText
        for line in [
            "datapunk_pii_records 2\n", "datapunk_pii_findings{type=\"EMAIL_ADDRESS\"} 1\n",
            "datapunk_pii_findings{type=\"PHONE_NUMBER\"} 1\n",
            "datapunk_records_by_data_class{class=\"personal\"} 2\n", "datapunk_records_by_data_class{class=\"system\"} 1\n",
        ] {
            #expect(metrics.contains(line), "no \(line) in \(metrics)")
        }
    }

    @Test func userPatternsAreFoundAndArePartOfTheJob() throws {
        let dir = TestPaths.scratch("pii-patterns")
        defer { TestPaths.remove(dir) }
        let input = try Self.notes(dir)
        let patterns = TestPaths.corpus + "/pii/patterns/healthcare.json"
        let plain = try Self.dp(["ingest", input, "--lake", dir + "/a"])
        let custom = try Self.dp(["ingest", input, "--lake", dir + "/b", "--pii-patterns", patterns])
        #expect(plain.status == 0 && custom.status == 0, "\(custom.stderrText)")
        // Other patterns, another job.
        #expect(plain.stdoutText.split(separator: "\n").first != custom.stdoutText.split(separator: "\n").first)
        let export = try Self.dp(["export", "--lake", dir + "/b"]).stdoutText
        #expect(export.contains(#""type":"US_NPI""#) && export.contains(#""type":"EMAIL_ADDRESS""#), "\(export)")
        #expect(!(try Self.dp(["export", "--lake", dir + "/a"]).stdoutText.contains("US_NPI")))

        try Data("{".utf8).write(to: URL(fileURLWithPath: dir + "/bad.json"))
        let bad = try Self.dp(["ingest", input, "--lake", dir + "/c", "--pii-patterns", dir + "/bad.json"])
        #expect(bad.status == 2 && bad.stderrText.contains("pii.patterns_invalid"), "\(bad.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/c/catalog.sqlite"))
    }
}

/// Schemas and CSV headers through the command line (docs/SPEC.md 5.12).
@Suite struct FormatCheckEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// Real archives from peers' fixtures and the hand-written sample break no schema.
    @Test(arguments: [
        "twitter-small", "real/twitter-to-sqlite/zip_contents", "real/google-takeout-to-sqlite/zip_contents", "real/google_takeout_parser",
    ])
    func realFilesFitTheirSchemas(folder: String) throws {
        let dir = TestPaths.scratch("schema-real")
        defer { TestPaths.remove(dir) }
        let path = TestPaths.corpus + "/" + folder
        let inputs = folder == "twitter-small" ? TestPaths.listFiles(path).filter { $0.hasSuffix(".zip") }.map { path + "/" + $0 } : [path]
        let r = try Self.dp(["ingest"] + inputs + ["--lake", dir + "/lake"])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(!r.stdoutText.contains("schema.violation") && !r.stdoutText.contains("csv.header"), "\(r.stdoutText)")
    }

    @Test func brokenElementsAndHeadersAreFindingsAndStillLoad() throws {
        let dir = TestPaths.scratch("schema-broken")
        defer { TestPaths.remove(dir) }
        let zip = dir + "/takeout.zip"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let writer = try ArchiveWriter(path: zip, format: .zip)
        try writer.addFile(
            "Takeout/Chrome/BrowserHistory.json",
            contents: Array(
                #"{"Browser History": [{"url": "https://a.example", "time_usec": 1617404690134513}, {"url": "https://b.example", "time_usec": 1617404690134514, "title": 5, "page_transition": []}]}"#
                    .utf8))
        try writer.addFile(
            "Takeout/YouTube and YouTube Music/subscriptions/subscriptions.csv",
            contents: Array("Channel Id,Channel Title,\nUC1,One,x\n".utf8))
        try writer.close()
        let r = try Self.dp(["ingest", zip, "--lake", dir + "/lake"])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(
            r.stdoutText.contains(
                "finding schema.violation: 'Takeout/Chrome/BrowserHistory.json' 1 record(s), at most 2 problem(s) in one; first at record 1 /title: expected string, got number (schema chrome.history)"
            ), "\(r.stdoutText)")
        #expect(
            r.stdoutText.contains(
                "finding csv.header: 'Takeout/YouTube and YouTube Music/subscriptions/subscriptions.csv' 1 record(s), at most 2 problem(s) in one; first at the header: column 3 has no name"
            ), "\(r.stdoutText)")
        #expect(r.stdoutText.contains("3 records"), "\(r.stdoutText)")
        let metrics = try Self.dp(["metrics", "--lake", dir + "/lake"]).stdoutText
        #expect(
            metrics.contains("datapunk_findings{rule=\"schema.violation\"} 1\n")
                && metrics.contains("datapunk_findings{rule=\"csv.header\"} 1\n"))
    }
}
