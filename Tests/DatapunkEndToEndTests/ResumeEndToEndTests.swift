import Foundation
import LakeCore
import LakeStore
import LakeCorpus
import LakeIngest
import LakeParsers
import Testing
import _LakeTestSupport

/// Chunks, workers, checkpoints and resume, through the built binary: the export must not
/// depend on `--parallel`, on the chunk size, or on how many times the ingest was killed.
@Suite(.serialized) struct ResumeEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// A generated Twitter export (the larger, modern archive of the corpus).
    static func export(_ dir: String, scale: String, seed: UInt64) throws -> String {
        try CorpusGenerator.generate(profile: "twitter", seed: seed, scale: scale, output: dir + "/corpus")
        let zip = TestPaths.listFiles(dir + "/corpus").first { $0.hasPrefix("twitter-2024") }!
        return dir + "/corpus/" + zip
    }

    static func exported(_ lake: String) throws -> [UInt8] {
        let r = try dp(["export", "--lake", lake])
        #expect(r.status == 0, "\(r.stderrText)")
        return r.stdout
    }

    @Test func exportIsTheSameForAnyWorkerCountAndChunkSize() throws {
        let dir = TestPaths.scratch("parallel")
        defer { TestPaths.remove(dir) }
        let zip = try Self.export(dir, scale: "1MB", seed: 21)
        var reference: [UInt8]?
        var chunkCounts: [Int] = []
        for (i, (parallel, chunk)) in [(1, "1GB"), (2, "1MB"), (3, "16KB"), (8, "4KB"), (4, "100MB")].enumerated() {
            let lake = dir + "/lake\(i)"
            let r = try Self.dp([
                "ingest", zip, "--lake", lake, "--parallel", String(parallel), "--chunk-size", chunk, "--progress", "json",
            ])
            #expect(r.status == 0, "\(r.stderrText)")
            chunkCounts.append(r.stderrText.split(separator: "\n").filter { $0.contains("\"event\":\"chunk\"") }.count)
            let bytes = try Self.exported(lake)
            #expect(!bytes.isEmpty)
            if let reference {
                #expect(bytes == reference, "parallel \(parallel), chunk \(chunk): export differs")
            } else {
                reference = bytes
            }
        }
        // Smaller chunks really made more chunks (one per mapped file at 1GB: two tweet files, account, like,
        // direct-messages, follower and the manifest).
        #expect(chunkCounts[0] == 7 && chunkCounts[3] > chunkCounts[2] && chunkCounts[2] > chunkCounts[1], "\(chunkCounts)")
    }

    @Test func killedOverTwentyTimesAndResumedGivesTheUninterruptedExport() throws {
        let dir = TestPaths.scratch("kill")
        defer { TestPaths.remove(dir) }
        let zip = try Self.export(dir, scale: "3MB", seed: 22)
        let chunk = "16KB"
        // The uninterrupted run.
        let ref = try Self.dp(["ingest", zip, "--lake", dir + "/ref", "--chunk-size", chunk, "--progress", "json"])
        #expect(ref.status == 0, "\(ref.stderrText)")
        let chunks = ref.stderrText.split(separator: "\n").filter { $0.contains("\"event\":\"chunk\"") }.count
        let reference = try Self.exported(dir + "/ref")

        // Killed after a few chunks each time, then resumed, until a run gets to the end.
        let perRun = max(1, chunks / 30)
        let lake = dir + "/lake"
        var jobID: String?
        var kills = 0
        var runs = 0
        while runs < 200 {
            var args =
                jobID.map { runs % 2 == 0 ? ["resume", $0, "--lake", lake] : ["ingest", zip, "--lake", lake] } ?? [
                    "ingest", zip, "--lake", lake,
                ]
            args += ["--chunk-size", chunk, "--progress", "json", "--parallel", String(runs % 4 + 1)]
            // The first run dies at its first event of any kind, before any chunk committed.
            let r = try CommandRunner.runKilling(CommandRunner.datapunk, args, after: runs == 0 ? 1 : perRun) { line in
                runs == 0 ? line.hasPrefix("{") : line.contains("\"event\":\"chunk\"")
            }
            runs += 1
            if jobID == nil, let line = r.lines.first(where: { $0.contains("\"job\":") }),
                let value = try? JSONReader.parse(Array(line.utf8)), let job = value["job"]?.stringValue
            {
                jobID = job
            }
            if !r.killed {
                #expect(r.status == 0, "\(r.lines.suffix(3))")
                break
            }
            kills += 1
            // After each kill -9 the lake opens, passes integrity_check, and holds whole chunks
            // only: its records are exactly those of the chunks it committed.
            if FileManager.default.fileExists(atPath: lake + "/catalog.sqlite") {
                let db = try SQLiteDatabase(path: lake + "/catalog.sqlite")
                var integrity = "", records: Int64 = -1, chunked: Int64 = -2
                try db.prepare("PRAGMA integrity_check").forEachRow { integrity = $0.text(0) ?? "" }
                try db.prepare("SELECT count(*) FROM records").forEachRow { records = $0.int(0) }
                try db.prepare("SELECT ifnull(sum(records), 0) FROM chunks").forEachRow { chunked = $0.int(0) }
                #expect(
                    integrity == "ok" && records == chunked, "after kill \(kills): \(integrity), \(records) records, \(chunked) in chunks")
            }
        }
        #expect(kills >= 20 && runs < 200, "\(kills) kills in \(runs) runs for \(chunks) chunks")
        #expect(try Self.exported(lake) == reference, "export after \(kills) kills differs from the uninterrupted one")
        // Nothing is left half done: no checkpoints, and the job is complete.
        let jobs = try Self.dp(["jobs", "--lake", lake])
        #expect(jobs.stdoutText.contains("completed"))
        let again = try Self.dp(["ingest", zip, "--lake", lake])
        #expect(again.stdoutText.contains("already ingested"))
    }

    /// An ingest of `zip` in 8 KB chunks sent SIGTERM after its third chunk: its run and its
    /// `done` event.
    /// A zip at `path` holding one file.
    static func zip(_ path: String, _ name: String, _ contents: String) throws {
        let writer = try ArchiveWriter(path: path, format: .zip)
        try writer.addFile(name, contents: Array(contents.utf8))
        try writer.close()
    }

    static func pausedAfterThreeChunks(_ zip: String, lake: String) throws -> (CommandRunner.KillResult, JSONValue) {
        let r = try CommandRunner.runKilling(
            CommandRunner.datapunk, ["ingest", zip, "--lake", lake, "--chunk-size", "8KB", "--progress", "json"], after: 3, signal: SIGTERM
        ) { $0.contains("\"event\":\"chunk\"") }
        #expect(r.killed && r.status == 1, "\(r.lines.suffix(3))")
        let done = try #require(r.lines.compactMap { try? JSONReader.parse(Array($0.utf8)) }.last { $0["event"]?.stringValue == "done" })
        return (r, done)
    }

    @Test func sigtermPausesAtAChunkBoundaryAndResumeFinishes() throws {
        let dir = TestPaths.scratch("pause")
        defer { TestPaths.remove(dir) }
        let zip = try Self.export(dir, scale: "1MB", seed: 24)
        let ref = try Self.dp(["ingest", zip, "--lake", dir + "/ref", "--chunk-size", "8KB"])
        #expect(ref.status == 0)
        let lake = dir + "/lake"
        let (r, done) = try Self.pausedAfterThreeChunks(zip, lake: lake)
        #expect(done["state"]?.stringValue == "paused")
        #expect(r.lines.contains { $0.contains("paused; continue with `datapunk resume") })
        let job = try #require(done["job"]?.stringValue)
        let jobs = try JSONReader.parse(Array(try Self.dp(["jobs", "--lake", lake, "--json"]).stdout))
        #expect(jobs["state"]?.stringValue == "paused" && jobs["message"]?.stringValue?.contains("SIGTERM") == true)
        // The first load paused before building its deferred record index; resume builds it.
        #expect(try !Self.recordIndexes(lake).contains("records_content_hash"))
        #expect(try Self.recordIndexes(lake).count == 4 - Lake.deferredRecordIndexes.count)
        let resumed = try Self.dp(["resume", job, "--lake", lake])
        #expect(resumed.status == 0, "\(resumed.stderrText)")
        #expect(try Self.exported(lake) == (try Self.exported(dir + "/ref")))
        #expect(try Self.recordIndexes(lake) == Self.recordIndexes(dir + "/ref"))
        // records_order, records_time, records_kind and records_content_hash: no records_id.
        #expect(try Self.recordIndexes(lake).count == 4)
    }

    /// A stop asked for inside the duplicate stage (`DATAPUNK_TEST_STOP_AT_STEP`, as SIGTERM
    /// would) pauses the job with the stage rolled back and no scratch left; resume runs the
    /// stage again and the lake exports what an uninterrupted ingest does.
    /// A stop at the duplicate stage's first check (`duplicates`: inside its first transaction,
    /// merging and hashing) or at the first check of its second (`links`: the hashing committed).
    @Test(arguments: ["duplicates", "links"]) func aStopInTheDuplicateStagePausesAndResumeRunsItAgain(step: String) throws {
        let dir = TestPaths.scratch("pause-\(step)")
        defer { TestPaths.remove(dir) }
        let zip = try Self.export(dir, scale: "1MB", seed: 31)
        let ref = try Self.dp(["ingest", zip, "--lake", dir + "/ref"])
        #expect(ref.status == 0, "\(ref.stderrText)")
        let lake = dir + "/lake"
        var env = CommandRunner.environment
        env["DATAPUNK_TEST_STOP_AT_STEP"] = step
        let paused = try CommandRunner.run(
            CommandRunner.datapunk, ["ingest", zip, "--lake", lake, "--progress", "json"], environment: env)
        #expect(paused.status == 1, "\(paused.stderrText.suffix(500))")
        let events = paused.stderrText.split(separator: "\n").compactMap { try? JSONReader.parse(Array($0.utf8)) }
        let done = try #require(events.last { $0["event"]?.stringValue == "done" })
        #expect(done["state"]?.stringValue == "paused")
        // Loading finished (every input's content validation) before the stop.
        #expect(events.contains { $0["event"]?.stringValue == "content_validation" })
        #expect(!events.contains { $0["event"]?.stringValue == "duplicate_detection" })
        let job = try #require(done["job"]?.stringValue)
        // The paused job left everything it committed in the catalog file: the immutable
        // reader below reads that file only.
        let wal = (try? FileManager.default.attributesOfItem(atPath: lake + "/catalog.sqlite-wal"))?[.size] as? NSNumber
        #expect((wal?.intValue ?? 0) == 0, "catalog.sqlite-wal holds \(wal?.intValue ?? 0) bytes")
        let db = try SQLiteDatabase(path: lake + "/catalog.sqlite", readOnly: true)
        var texts = -1, links = -1
        try db.prepare("SELECT count(*) FROM record_texts").forEachRow { texts = Int($0.int(0)) }
        try db.prepare("SELECT count(*) FROM record_duplicates").forEachRow { links = Int($0.int(0)) }
        // Rolled back: the whole stage, or its second part only (the texts hashed stay).
        #expect(step == "duplicates" ? texts == 0 : texts > 0)
        #expect(links == 0)
        let staging = (try? FileManager.default.contentsOfDirectory(atPath: lake + "/staging")) ?? []
        #expect(!staging.contains { $0.hasPrefix("near-duplicates") || $0.hasPrefix("text-") || $0.hasPrefix("links") }, "\(staging)")
        let resumed = try Self.dp(["resume", job, "--lake", lake])
        #expect(resumed.status == 0, "\(resumed.stderrText)")
        #expect(try Self.exported(lake) == (try Self.exported(dir + "/ref")))
    }

    /// The names of the indexes on `records` in the lake at `lake`.
    static func recordIndexes(_ lake: String) throws -> Set<String> {
        let db = try SQLiteDatabase(path: lake + "/catalog.sqlite", readOnly: true)
        var out = Set<String>()
        try db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'").forEachRow {
            out.insert($0.text(0) ?? "")
        }
        return out
    }

    /// The lines naming schema `name` in the output of an ingest of a zip holding `file` and
    /// of one paused after three chunks and resumed; the two lakes export the same bytes.
    static func schemaFindingsAcrossAPause(_ label: String, file: String, contents: String, schema name: String) throws -> (
        ref: [Substring], resumed: [Substring]
    ) {
        let dir = TestPaths.scratch(label)
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let zip = dir + "/export.zip"
        try Self.zip(zip, file, contents)
        func findings(_ r: CommandRunner.Result) -> [Substring] {
            #expect(r.status == 0, "\(r.stderrText)")
            return r.stdoutText.split(separator: "\n").filter { $0.contains("(schema \(name))") }
        }
        let ref = findings(try Self.dp(["ingest", zip, "--lake", dir + "/ref", "--chunk-size", "8KB"]))
        let lake = dir + "/lake"
        let (_, done) = try Self.pausedAfterThreeChunks(zip, lake: lake)
        let resumed = findings(try Self.dp(["resume", try #require(done["job"]?.stringValue), "--lake", lake]))
        #expect(try Self.exported(lake) == (try Self.exported(dir + "/ref")))
        return (ref, resumed)
    }

    /// Schema findings do not depend on interruptions: an element that breaks the schema in a
    /// chunk committed before a pause is checked again when the resumed job skips it (for a
    /// family whose elements workers read from the tape, on the reader's thread).
    @Test func schemaFindingsSurviveAPause() throws {
        let points = (0..<3000).map { i in
            let lat = i == 1 ? #""north""# : String(400_000_000 + i)
            return
                #"{"latitudeE7": \#(lat), "longitudeE7": \#(-700_000_000 - i), "timestampMs": "\#(1_500_000_000_000 + i * 1000)", "source": "WIFI"}"#
        }
        let (ref, resumed) = try Self.schemaFindingsAcrossAPause(
            "pause-schema", file: "Takeout/Location History (Timeline)/Records.json",
            contents: "{\"locations\": [\n" + points.joined(separator: ",\n") + "]}", schema: "takeout.location_records")
        let finding = "first at record 1 /latitudeE7: expected integer, got string (schema takeout.location_records)"
        #expect(ref.count == 1 && ref[0].contains(finding), "\(ref)")
        #expect(resumed == ref)
    }

    /// The same for tweets, whose elements workers also read from the tape: a tweet breaking
    /// the `twitter.tweets` schema in a chunk committed before the pause is still reported.
    @Test func tweetSchemaFindingsSurviveAPause() throws {
        let tweets = (0..<3000).map { i in
            let count = i == 1 ? "true" : #""\#(i % 7)""#
            return #"{"tweet": {"id_str": "\#(1_050_118_621_198_921_728 + i)", "created_at": "Wed Oct 10 20:19:24 +0000 2018", "#
                + #""full_text": "Fish &amp; chips number \#(i)", "favorite_count": \#(count), "lang": "en"}}"#
        }
        let (ref, resumed) = try Self.schemaFindingsAcrossAPause(
            "pause-tweets", file: "data/tweets.js", contents: "window.YTD.tweets.part0 = [\n" + tweets.joined(separator: ",\n") + "]",
            schema: "twitter.tweets")
        #expect(ref.count == 1 && ref[0].contains("record 1"), "\(ref)")
        #expect(resumed == ref)
    }

    @Test func resumeRefusesAnUnknownJob() throws {
        let dir = TestPaths.scratch("resume-unknown")
        defer { TestPaths.remove(dir) }
        let zip = try Self.export(dir, scale: "64KB", seed: 23)
        #expect(try Self.dp(["ingest", zip, "--lake", dir + "/lake"]).status == 0)
        let r = try Self.dp(["resume", "00000000-0000-4000-8000-000000000000", "--lake", dir + "/lake"])
        #expect(r.status == 2 && r.stderrText.contains("job.not_found"))
    }
}

@Suite struct QueueEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    @Test func queuedJobsRunMostUrgentFirst() throws {
        let dir = TestPaths.scratch("queue")
        defer { TestPaths.remove(dir) }
        let lake = dir + "/lake"
        var byPriority: [String: String] = [:]  // job id → priority
        for (seed, priority) in [(31, "low"), (32, "critical"), (33, "normal"), (34, "high")] {
            let zip = try ResumeEndToEndTests.export(dir + "/\(seed)", scale: "64KB", seed: UInt64(seed))
            let r = try Self.dp(["ingest", zip, "--lake", lake, "--enqueue", "--priority", priority])
            #expect(r.status == 0, "\(r.stderrText)")
            let id = try #require(r.stdoutText.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
            byPriority[id] = priority
            #expect(r.stdoutText.contains(": queued"))
        }
        #expect(try Self.dp(["export", "--lake", lake]).stdout.isEmpty, "queueing loads nothing")
        let jobs = try Self.dp(["jobs", "--lake", lake]).stdoutText
        #expect(jobs.split(separator: "\n").allSatisfy { $0.contains("  queued  ") })
        let run = try Self.dp(["resume", "--queued", "--lake", lake, "--progress", "json"])
        #expect(run.status == 0, "\(run.stderrText)")
        let order = run.stderrText.split(separator: "\n").compactMap { try? JSONReader.parse(Array($0.utf8)) }
            .filter { $0["event"]?.stringValue == "done" }.compactMap { $0["job"]?.stringValue }
        #expect(order.map { byPriority[$0] ?? "?" } == ["critical", "high", "normal", "low"])
        #expect(try Self.dp(["jobs", "--lake", lake]).stdoutText.split(separator: "\n").allSatisfy { $0.contains("  completed  ") })
        #expect(try Self.dp(["resume", "--lake", lake]).status == 2, "a job id or --queued is required")
        #expect(try Self.dp(["ingest", "x.zip", "--priority", "urgent"]).status == 2)
    }
}
