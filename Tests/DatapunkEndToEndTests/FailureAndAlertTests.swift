import Foundation
import LakeCore
import LakeIngest
import LakeParsers
import LakeStore
import Testing
import _LakeTestSupport

/// Record-level failures, the 5% failure threshold, alerts to a webhook, and `metrics`.
@Suite struct FailureAndAlertTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// A Twitter archive whose tweets.js has `count` tweets; those in `bad` have no created_at.
    static func archive(_ path: String, count: Int, bad: Set<Int>) throws {
        var items: [String] = []
        for i in 0..<count {
            let id = String(1_700_000_000_000_000_000 + i)
            items.append(
                bad.contains(i)
                    ? "{\"tweet\" : {\"id_str\" : \"\(id)\", \"full_text\" : \"no time here\"}}"
                    : "{\"tweet\" : {\"id_str\" : \"\(id)\", \"id\" : \"\(id)\", \"created_at\" : \"Mon Jan 01 12:00:00 +0000 2024\", \"full_text\" : \"tweet number \(i) with some words to make it longer\", \"lang\" : \"en\"}}"
            )
        }
        let w = try ArchiveWriter(path: path, format: .zip)
        try w.addFile("data/tweets.js", contents: Array(("window.YTD.tweets.part0 = [ " + items.joined(separator: ", ") + " ]").utf8))
        try w.close()
    }

    @Test func failedRecordsUnderTheThresholdAreReportedAndSkipped() throws {
        let dir = TestPaths.scratch("failures")
        defer { TestPaths.remove(dir) }
        try Self.archive(dir + "/a.zip", count: 40, bad: [7])  // 2.5%
        let r = try Self.dp(["ingest", dir + "/a.zip", "--lake", dir + "/lake", "--user", "u", "--chunk-size", "2KB"])
        #expect(r.status == 1, "\(r.stderrText)")
        #expect(r.stdoutText.contains("completed_with_errors") && r.stdoutText.contains("39 records"))
        #expect(r.stderrText.contains("twitter.record") && r.stderrText.contains("element 7"))
        let metrics = try Self.dp(["metrics", "--lake", dir + "/lake"]).stdoutText
        #expect(metrics.contains("datapunk_chunk_failures_total 1\n") && metrics.contains("datapunk_records 39\n"))
        #expect(metrics.contains("datapunk_errors{rule=\"twitter.record\"} 1\n"))
        #expect(metrics.contains("datapunk_jobs{state=\"completed_with_errors\"} 1\n"))
    }

    @Test func overTheThresholdTheJobStopsAndKeepsNothingOfTheFile() throws {
        let dir = TestPaths.scratch("threshold")
        defer { TestPaths.remove(dir) }
        try Self.archive(dir + "/a.zip", count: 40, bad: [3, 17, 30])  // 7.5%
        let r = try Self.dp(["ingest", dir + "/a.zip", "--lake", dir + "/lake", "--user", "u", "--chunk-size", "2KB"])
        #expect(r.status == 3, "\(r.stdoutText) \(r.stderrText)")
        #expect(r.stderrText.contains("job.failure_threshold"))
        let jobs = try Self.dp(["jobs", "--lake", dir + "/lake", "--json"]).stdoutText
        let job = try JSONReader.parse(Array(jobs.utf8))
        #expect(job["state"]?.stringValue == "failed")
        #expect(job["message"]?.stringValue?.contains("failure threshold") == true)
        // Chunks committed before the threshold was crossed are gone with the file.
        #expect(try Self.dp(["export", "--lake", dir + "/lake"]).stdout.isEmpty)
        // Just under it (2 of 40 = 5%) the job completes.
        try Self.archive(dir + "/b.zip", count: 40, bad: [3, 17])
        #expect(try Self.dp(["ingest", dir + "/b.zip", "--lake", dir + "/lake2", "--user", "u"]).status == 1)
    }

    @Test func alertsArePostedToTheWebhookOncePerKind() throws {
        let dir = TestPaths.scratch("alerts")
        defer { TestPaths.remove(dir) }
        let server = try HTTPTestServer()
        defer { server.stop() }
        // The first post fails with 503 and is retried.
        server.plan("/hook", [.status(503)])
        try Self.archive(dir + "/a.zip", count: 60, bad: [50, 51])  // a small chunk where both fail; 2 of 60 overall
        let r = try Self.dp([
            "ingest", dir + "/a.zip", "--lake", dir + "/lake", "--user", "u", "--chunk-size", "300",
            "--alert-webhook", server.url("/hook"),
        ])
        #expect(r.status == 1, "\(r.stderrText)")
        let posts = server.requests.filter { $0.path == "/hook" && $0.method == "POST" }
        #expect(posts.count == 2, "one refused by the 503, then the retry")
        let alert = try JSONReader.parse(try #require(posts.last).body)
        #expect(alert["alert"]?.stringValue == "error_rate" && alert["entry"]?.stringValue == "data/tweets.js")
        #expect(alert["threshold"] == .number("0.050000"))
        #expect(posts.last?.contentType == "application/json")
        #expect(!r.stderrText.contains("alert not delivered"))
    }

    @Test func anUndeliverableAlertIsReportedButDoesNotStopTheJob() throws {
        let dir = TestPaths.scratch("alerts-down")
        defer { TestPaths.remove(dir) }
        let server = try HTTPTestServer()
        defer { server.stop() }
        server.plan("/hook", [.status(404)])
        try Self.archive(dir + "/a.zip", count: 60, bad: [50, 51])
        let r = try Self.dp([
            "ingest", dir + "/a.zip", "--lake", dir + "/lake", "--user", "u", "--chunk-size", "300",
            "--alert-webhook", server.url("/hook"),
        ])
        #expect(r.status == 1)
        #expect(r.stderrText.contains("alert not delivered") && r.stderrText.contains("alert.webhook_failed"))
        #expect(r.stdoutText.contains("58 records"))
    }

    /// A lake written by a later datapunk (a later schema) is refused by every command with
    /// exit 3 and `lake.newer_version`, and left at its version.
    @Test func aLakeOfALaterVersionIsRefusedWithExitThree() throws {
        let dir = TestPaths.scratch("newer-lake")
        defer { TestPaths.remove(dir) }
        try Self.archive(dir + "/a.zip", count: 3, bad: [])
        #expect(try Self.dp(["ingest", dir + "/a.zip", "--lake", dir + "/lake"]).status == 0)
        let later = Lake.schemaVersion + 1
        try SQLiteDatabase(path: dir + "/lake/catalog.sqlite").execute("PRAGMA user_version = \(later)")
        for args in [["export"], ["ingest", dir + "/a.zip"], ["jobs"]] {
            let r = try Self.dp(args + ["--lake", dir + "/lake"])
            #expect(r.status == 3, "\(args): \(r.stderrText)")
            #expect(r.stderrText.contains("rule lake.newer_version: the lake's catalog is version \(later)"), "\(args)")
        }
        var version: Int64 = 0
        try SQLiteDatabase(path: dir + "/lake/catalog.sqlite", readOnly: true).prepare("PRAGMA user_version").forEachRow {
            version = $0.int(0)
        }
        #expect(version == Int64(later))
    }
}
