import Foundation
import LakeCore
import LakeIngest
@testable import LakePipeline
import LakeStore
import Testing
import _LakeTestSupport

/// The pipeline's reporting pieces on their own: metrics from a lake, progress events, alerts
/// to a webhook on 127.0.0.1.
@Suite struct MonitoringTests {
    static func ingestedLake(_ dir: String) throws -> Lake {
        var options = IngestOptions()
        options.lakeDirectory = dir
        _ = try IngestJob(options: options).run(inputs: [TestPaths.corpus + "/real/mail-parser"])
        return try Lake(directory: dir, create: false)
    }

    /// Families in order with HELP and TYPE lines, every job state present (0 when none), the
    /// counts of the catalog, and the same text twice.
    @Test func prometheusTextFromALake() throws {
        let dir = TestPaths.scratch("metrics")
        defer { TestPaths.remove(dir) }
        let lake = try Self.ingestedLake(dir)
        let text = try PrometheusMetrics.text(lake: lake)
        #expect(try PrometheusMetrics.text(lake: lake) == text)
        let lines = text.split(separator: "\n").map(String.init)
        for state in JobState.allCases {
            let expected = state == .completed ? 1 : 0
            #expect(lines.contains("datapunk_jobs{state=\"\(state.rawValue)\"} \(expected)"), "\(state)")
        }
        #expect(lines.contains("datapunk_records \(try lake.recordCount())"))
        let files = try lake.files(jobID: try lake.jobs()[0].jobID)
        for status in Set(files.map(\.status)) {
            #expect(lines.contains("datapunk_files{status=\"\(status.rawValue)\"} \(files.filter { $0.status == status }.count)"))
        }
        let samples = lines.filter { !$0.hasPrefix("#") }.map { String($0.prefix { $0 != "{" && $0 != " " }) }
        for family in Set(samples) {
            #expect(
                lines.contains { $0.hasPrefix("# HELP \(family) ") } && lines.contains { $0.hasPrefix("# TYPE \(family) ") }, "\(family)")
        }
        #expect(lines.contains { $0.hasPrefix("datapunk_chunks_total ") && $0 != "datapunk_chunks_total 0" })
    }

    /// JSON progress: one canonical object per event, running totals, the job's end state.
    @Test func progressEventsAsJSON() throws {
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        let progress = ProgressReporter(mode: .json) { lines.all.append($0) }
        progress.totalBytes = 300
        progress.chunk(job: "j", input: "in.zip", entry: "a.json", entryIndex: 0, chunk: 0, elements: 10, records: 9, bytes: 100)
        progress.entry(input: "in.zip", entry: "a.json", status: .loaded, bytes: 100)
        progress.entry(input: "in.zip", entry: "b.jpg", status: .stored, bytes: 200)
        progress.done(job: "j", state: .completedWithErrors)
        #expect(lines.all.count == 4 && lines.all.allSatisfy { $0.hasSuffix("\n") })
        let events = try lines.all.map { try JSONValueReader.parse(Array($0.utf8)) }
        #expect(events.map { $0["event"]?.stringValue } == ["chunk", "entry", "entry", "done"])
        #expect(events[0]["records_done"] == .number("9") && events[0]["total_bytes"] == .number("300"))
        #expect(events[2]["status"] == .string("stored") && events[2]["bytes_done"] == .number("300"))
        #expect(events[3]["state"] == .string("completed_with_errors") && events[3]["records_done"] == .number("9"))
        // Canonical: keys sorted, no spaces.
        #expect(lines.all[1].hasPrefix("{\"bytes\":100,\"bytes_done\":100,\"entry\":\"a.json\",\"event\":\"entry\""))
    }

    @Test func nothingIsWrittenWithoutAMode() {
        final class Count: @unchecked Sendable { var n = 0 }
        let count = Count()
        let progress = ProgressReporter(mode: .none) { _ in count.n += 1 }
        progress.entry(input: "i", entry: "e", status: .loaded, bytes: 1)
        progress.done(job: "j", state: .completed)
        #expect(count.n == 0)
    }

    /// A chunk over the error rate and one over the delay: one alert of each kind per file,
    /// posted as canonical JSON; one under both posts nothing.
    @Test func alertsOncePerKindAndFile() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        server.set("/hook", body: Array("ok".utf8))
        var settings = RunSettings()
        settings.alertResourceUse = 1.0
        let monitor = AlertMonitor(
            webhook: Webhook(url: server.url("/hook"), backoff: Backoff(retries: 0, baseDelay: 0)), settings: settings)
        func chunk(_ n: Int, failures: Int, millis: Double, path: String = "a.json") -> Lake.ChunkMetrics {
            Lake.ChunkMetrics(
                input: "in.zip", entryIndex: 0, chunk: n, path: path, firstElement: 0, elements: 100, records: 100 - failures,
                failures: failures, bytes: 1000, startedAt: "2026-01-01T00:00:00.000Z", durationMillis: millis)
        }
        monitor.check(job: "j", chunk: chunk(0, failures: 1, millis: 10), usage: ProcessMetrics())
        #expect(server.requests.isEmpty)
        monitor.check(job: "j", chunk: chunk(1, failures: 6, millis: 10), usage: ProcessMetrics())
        monitor.check(job: "j", chunk: chunk(2, failures: 50, millis: 301_000), usage: ProcessMetrics())
        monitor.check(job: "j", chunk: chunk(3, failures: 50, millis: 10, path: "b.json"), usage: ProcessMetrics())
        let posted = server.requests.filter { $0.method == "POST" }
        #expect(posted.count == 3 && monitor.posted.count == 3 && monitor.failures.isEmpty)
        let alerts = try posted.map { try JSONValueReader.parse($0.body) }
        #expect(alerts.map { $0["alert"]?.stringValue } == ["error_rate", "processing_delay", "error_rate"])
        #expect(
            alerts[0]["value"] == .number("0.060000") && alerts[0]["threshold"] == .number("0.050000") && alerts[0]["chunk"] == .number("1")
        )
        #expect(alerts[2]["entry"] == .string("b.json"))
        #expect(posted.allSatisfy { $0.contentType == "application/json" })
    }
}
