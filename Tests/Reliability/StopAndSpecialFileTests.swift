import Foundation
import Testing
import _LakeTestSupport

/// Inputs that never end and signals that must be honoured (issue 14): devices and pipes are
/// refused, and SIGTERM inside one long entry pauses the job there (not at the entry's end),
/// with nothing of the unfinished chunk kept; `resume` then gives the uninterrupted export.
@Suite struct StopAndSpecialFileTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    @Test func devicesAndPipesAreRefused() throws {
        let dir = TestPaths.scratch("dev")
        defer { TestPaths.remove(dir) }
        for device in ["/dev/zero", "/dev/urandom"] {
            for command in [["ingest", device, "--lake", dir + "/lake"], ["inspect", device]] {
                let r = try Self.dp(command)
                #expect(r.status == 3 && r.stderrText.contains("rule input.special_file"), "\(command): \(r.stderrText)")
            }
        }
        #expect(mkfifo(dir + "/fifo", 0o600) == 0)
        let fifo = try Self.dp(["ingest", dir + "/fifo", "--lake", dir + "/lake"])
        #expect(fifo.status == 3 && fifo.stderrText.contains("is a pipe"), "\(fifo.stderrText)")
    }

    /// One JSON file of 60,000 records, 512 KiB chunks: SIGTERM after its first chunk committed.
    @Test func sigtermInsideALongEntryPausesThereAndResumes() throws {
        let dir = TestPaths.scratch("term")
        defer { TestPaths.remove(dir) }
        var json = "["
        for i in 0..<60_000 { json += (i == 0 ? "" : ",") + "{\"n\":\(i),\"text\":\"record number \(i) of a long file\"}" }
        json += "]"
        try FileManager.default.createDirectory(atPath: dir + "/in/Takeout", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/in/Takeout/long.json", contents: Data(json.utf8))
        #expect(try Self.dp(["ingest", dir + "/in", "--lake", dir + "/ref"]).status == 0)
        let reference = try Self.dp(["export", "--lake", dir + "/ref"]).stdout

        let r = try CommandRunner.runKilling(
            CommandRunner.datapunk, ["ingest", dir + "/in", "--lake", dir + "/lake", "--chunk-size", "512KB", "--progress", "json"],
            after: 1, signal: SIGTERM
        ) { $0.contains("\"event\":\"chunk\"") }
        #expect(r.killed && r.status == 1, "\(r.lines.suffix(3))")
        #expect(r.lines.contains { $0.contains("paused") }, "\(r.lines.suffix(3))")
        // Paused inside the entry: fewer chunks than the file has, the file not yet catalogued.
        let chunks = r.lines.filter { $0.contains("\"event\":\"chunk\"") }.count
        #expect(chunks >= 1 && chunks < 8, "\(chunks) chunks before the stop")
        let partial = try Self.dp(["export", "--lake", dir + "/lake"]).stdoutText.split(separator: "\n").count
        #expect(partial < 60_000)
        let job = try #require(
            r.lines.compactMap { line -> String? in
                guard let range = line.range(of: "\"job\":\"") else { return nil }
                return String(line[range.upperBound...].prefix(36))
            }.first)
        let resumed = try Self.dp(["resume", job, "--lake", dir + "/lake"])
        #expect(resumed.status == 0, "\(resumed.stderrText)")
        #expect(try Self.dp(["export", "--lake", dir + "/lake"]).stdout == reference)
    }
}
