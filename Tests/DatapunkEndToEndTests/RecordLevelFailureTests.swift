import Foundation
import LakeCore
import Testing
import _LakeTestSupport

/// One bad record costs one record: never its file, never the job, never exit 4; and the
/// design's thresholds are findings unless `--strict`.
@Suite struct RecordLevelFailureTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    static func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    /// A VEVENT with `DTSTART:INVALID-DATE` (the value that once ended a whole ingest with exit 4):
    /// that event is rejected with one line naming input, entry, record and rule; the others load;
    /// the job ends `completed_with_errors`, and running it again does nothing more.
    @Test func anInvalidDateRejectsItsEventOnly() throws {
        let dir = TestPaths.scratch("badvalue")
        defer { TestPaths.remove(dir) }
        try Self.write(
            dir + "/export/Takeout/Calendar/me@example.org.ics",
            """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            BEGIN:VEVENT\r
            UID:one\r
            DTSTART:20240102T100000Z\r
            SUMMARY:Before\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:bad\r
            DTSTART:INVALID-DATE\r
            SUMMARY:Broken\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:three\r
            DTSTART;VALUE=DATE:20240105\r
            SUMMARY:After\r
            END:VEVENT\r
            END:VCALENDAR\r

            """)
        let r = try Self.dp(["ingest", dir + "/export", "--lake", dir + "/lake"])
        #expect(r.status == 1, "\(r.stderrText)")
        let lines = r.stderrText.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "datapunk: input 'export': entry 'Takeout/Calendar/me@example.org.ics': rule timestamp.invalid: "
                    + "DTSTART: not a date or date-time (record 1, line 10)"
            ])
        #expect(r.stdoutText.contains("1 files, 1 parsed, 2 records, 0 rejected, 1 records rejected"), "\(r.stdoutText)")
        let export = try Self.dp(["export", "--lake", dir + "/lake"]).stdoutText.split(separator: "\n")
        #expect(export.count == 2)
        #expect(export.allSatisfy { $0.contains("\"record_kind\":\"calendar_event\"") })
        #expect(export.contains { $0.contains("\"uid\":\"one\"") } && export.contains { $0.contains("\"uid\":\"three\"") })
        let jobs = try Self.dp(["jobs", "--lake", dir + "/lake"]).stdoutText
        #expect(jobs.contains("completed_with_errors") && !jobs.contains("running"))
        let again = try Self.dp(["ingest", dir + "/export", "--lake", dir + "/lake"])
        #expect(again.status == 1 && again.stdoutText.contains("already ingested"))
    }

    /// Records nested past the design's 10 levels (real Facebook posts with photo EXIF nest 12):
    /// loaded, and reported as one finding for the file; `--strict` rejects just those records.
    @Test func designDepthIsAFindingUnlessStrict() throws {
        let dir = TestPaths.scratch("design")
        defer { TestPaths.remove(dir) }
        func nest(_ n: Int) -> String { String(repeating: "{\"k\":", count: n) + "1" + String(repeating: "}", count: n) }
        try Self.write(
            dir + "/your_posts_1.json", "[\(nest(12)), {\"timestamp\": 1700000000, \"data\": [{\"post\": \"flat\"}]}, \(nest(13))]")
        let r = try Self.dp(["ingest", dir + "/your_posts_1.json", "--lake", dir + "/lake"])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stderrText == "")
        #expect(r.stdoutText.contains("1 files, 1 parsed, 3 records, 0 rejected"), "\(r.stdoutText)")
        #expect(r.stdoutText.contains("finding json.depth_over_design: 'your_posts_1.json' 2 over 10 (largest 13, first at record 0)"))
        let rows = try Self.dp(["export", "--lake", dir + "/lake"]).stdoutText.split(separator: "\n")
        #expect(rows.count == 3)

        let strict = try Self.dp(["ingest", dir + "/your_posts_1.json", "--lake", dir + "/strict", "--strict"])
        #expect(strict.status == 1)
        let lines = strict.stderrText.split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.contains("rule json.depth_over_design") })
        #expect(lines.first?.hasSuffix("(record 0)") == true && lines.last?.hasSuffix("(record 2)") == true)
        #expect(try Self.dp(["export", "--lake", dir + "/strict"]).stdoutText.split(separator: "\n").count == 1)
    }

    /// Google's CSV files end with blank lines: they are no records (never empty `{}` ones),
    /// and other Takeout JSON is `google-takeout` too.
    @Test func blankCSVRowsAreNoRecords() throws {
        let dir = TestPaths.scratch("csv")
        defer { TestPaths.remove(dir) }
        try Self.write(
            dir + "/export/Takeout/YouTube/subscriptions/subscriptions.csv",
            "Channel Id,Channel Url,Channel Title\r\nUC1,http://www.youtube.com/channel/UC1,One\r\n\r\nUC2,http://www.youtube.com/channel/UC2,Two\r\n\r\n\r\n"
        )
        try Self.write(dir + "/export/Takeout/Google Play Store/Installs.json", "[{\"install\": {\"doc\": {\"title\": \"App\"}}}]")
        let r = try Self.dp(["ingest", dir + "/export", "--lake", dir + "/lake"])
        #expect(r.status == 0, "\(r.stderrText)")
        let rows = try Self.dp(["export", "--lake", dir + "/lake"]).stdoutText.split(separator: "\n")
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.contains("\"export_kind\":\"google-takeout\"") && !$0.contains("\"data\":{}") })
    }

    /// The safety depth is capped below what the stack of every stage holds: a record nested
    /// at the ceiling goes through every stage on worker threads; past it is a usage error.
    @Test func theSafetyDepthCeilingHolds() throws {
        let dir = TestPaths.scratch("ceiling")
        defer { TestPaths.remove(dir) }
        let record = String(repeating: "[", count: 999) + "1" + String(repeating: "]", count: 999)
        try Self.write(dir + "/deep.json", "[" + Array(repeating: record, count: 8).joined(separator: ",") + "]")
        let r = try Self.dp(["ingest", dir + "/deep.json", "--lake", dir + "/lake", "--max-json-depth", "1000", "--parallel", "4"])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText.contains("8 records"))
        #expect(try Self.dp(["export", "--lake", dir + "/lake"]).status == 0)
        #expect(try Self.dp(["ingest", dir + "/deep.json", "--lake", dir + "/lake2", "--max-json-depth", "1001"]).status == 2)
        let refused = try Self.dp(["ingest", dir + "/deep.json", "--lake", dir + "/lake3"])
        #expect(refused.status == 1 && refused.stderrText.contains("rule json.depth_limit: nesting deeper than the limit of 256"))
    }
    /// A record past a safety limit (nesting deeper than 256) costs that record only, in a JSON
    /// export and in a Twitter `.js` file alike: the records after it load.
    @Test func aRecordPastTheSafetyDepthCostsOnlyItself() throws {
        let dir = TestPaths.scratch("deeprecord")
        defer { TestPaths.remove(dir) }
        let deep = String(repeating: "{\"a\": [", count: 150) + "1" + String(repeating: "]}", count: 150)
        try Self.write(
            dir + "/export/Takeout/Fit/sessions.json",
            "[{\"name\": \"first\"}, {\"x\": \"[{]\\\"\", \"deep\": \(deep)}, {\"name\": \"last\"}]")
        try Self.write(
            dir + "/export/data/saved-search.js",
            "window.YTD.saved_search.part0 = [{\"q\": \"one\"}, \(deep), {\"q\": \"three\"}]")
        let r = try Self.dp(["ingest", dir + "/export", "--lake", dir + "/lake"])
        #expect(r.status == 1, "\(r.stderrText)")
        let lines = r.stderrText.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.allSatisfy { $0.contains("rule json.depth_limit") && $0.contains("record 1, byte") }, "\(lines)")
        let export = try Self.dp(["export", "--lake", dir + "/lake"]).stdoutText
        for text in ["\"first\"", "\"last\"", "\"one\"", "\"three\""] { #expect(export.contains(text), "\(text)") }
        #expect(export.split(separator: "\n").count == 4)
    }
}
