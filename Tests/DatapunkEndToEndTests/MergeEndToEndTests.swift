import Foundation
import LakeCore
import LakeIngest
import LakeStore
import Testing
import _LakeTestSupport

/// Overlapping exports of one account merged (docs/SPEC.md 5.11, "Records, seen again"): three
/// Takeouts a month apart, each holding the searches of the one before and some new ones.
@Suite struct MergeEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// Search `n`: its own title and minute; 2 appears twice in every export (an exact copy).
    static func search(_ n: Int) -> String {
        let t = String(format: "2024-03-01T10:%02d:00.000Z", n)
        return #"{"header":"Search","title":"Searched for place number \#(n) in the old town","time":"\#(t)","products":["Search"]}"#
    }

    static let months: [(name: String, searches: [Int])] = [
        ("takeout-2026-10.zip", [0, 1, 2, 3, 4, 5, 2]),
        ("takeout-2026-11.zip", [9, 0, 1, 2, 3, 4, 5, 2, 6, 7]),
        ("takeout-2026-12.zip", [9, 0, 1, 2, 3, 4, 5, 2, 6, 7, 10]),
    ]

    static func write(_ dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for m in months {
            let writer = try ArchiveWriter(path: dir + "/" + m.name, format: .zip)
            let body = "[" + m.searches.map(search).joined(separator: ",") + "]"
            try writer.addFile("Takeout/My Activity/Search/MyActivity.json", contents: Array(body.utf8))
            try writer.close()
        }
    }

    static func records(_ lake: String) throws -> [JSONValue] {
        let out = try dp(["export", "--lake", lake])
        #expect(out.status == 0, "\(out.stderrText)")
        return try out.stdoutText.split(separator: "\n").map { try JSONValueReader.parse(Array($0.utf8)) }
    }

    /// A record without what merging and linking change: id, source, duplicate links and steps.
    static func essence(_ r: JSONValue) -> [UInt8] {
        let relationships = (r["relationships"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != "duplicate_of" }
        let lineage = (r["lineage"]?.arrayValue ?? []).filter {
            !["validate.duplicates", "merge.seen_again"].contains($0["step"]?.stringValue ?? "")
        }
        return CanonicalJSON.encode(
            r.setting("id", .null).setting("source", .null).setting("relationships", .array(relationships))
                .setting("lineage", .array(lineage)))
    }

    static func withoutSteps(_ r: JSONValue) -> JSONValue {
        r.setting("lineage", .array((r["lineage"]?.arrayValue ?? []).filter { $0["step"]?.stringValue != "merge.seen_again" }))
    }

    static func steps(_ r: JSONValue) -> [JSONValue] {
        (r["lineage"]?.arrayValue ?? []).filter { $0["step"]?.stringValue == "merge.seen_again" }
    }

    @Test func overlappingExportsKeepEachRecordOnceWhateverTheOrder() throws {
        let dir = TestPaths.scratch("merge-e2e")
        defer { TestPaths.remove(dir) }
        try Self.write(dir)
        let names = Self.months.map(\.name)
        var merged: [String: Int] = [:]
        var summaries: [String: String] = [:]
        for (lake, order) in [("in-order", [0, 1, 2]), ("backwards", [1, 2, 0]), ("alone-10", [0]), ("alone-11", [1])] {
            for i in order {
                let r = try Self.dp(["ingest", dir + "/" + names[i], "--lake", dir + "/" + lake, "--user", "alice", "--progress", "json"])
                #expect(r.status == 0, "\(r.stderrText)")
                summaries[lake + "/" + names[i]] = r.stdoutText
                let event = r.stderrText.split(separator: "\n").first { $0.contains(#""event":"duplicate_detection""#) } ?? ""
                if case .number(let n)? = (try? JSONValueReader.parse(Array(event.utf8)))?["merged"] {
                    merged[lake + "/" + names[i]] = Int(n)
                }
            }
        }
        // The summary says how many of an input's records were merged.
        let summary = summaries["in-order/takeout-2026-11.zip"] ?? ""
        #expect(summary.contains("10 records, 0 rejected, 7 merged into the same records of another export"), "\(summary)")
        // The same bytes whatever order the jobs came in.
        let inOrder = try Self.dp(["export", "--lake", dir + "/in-order"]).stdout
        #expect(inOrder == (try Self.dp(["export", "--lake", dir + "/backwards"]).stdout))
        // 11 distinct elements (search 2 twice): 11 records; October's 7 kept, November's 3
        // new ones, December's 1.
        let records = try Self.records(dir + "/in-order")
        #expect(records.count == 11)
        #expect(merged["in-order/takeout-2026-11.zip"] == 7 && merged["in-order/takeout-2026-12.zip"] == 10, "\(merged)")
        #expect(merged["backwards/takeout-2026-10.zip"] == 7, "\(merged)")
        let inputs = records.map { $0["source"]?["input"]?.stringValue ?? "" }
        #expect(inputs.filter { $0 == names[0] }.count == 7 && inputs.filter { $0 == names[1] }.count == 3)
        // Nothing lost: October's records are what October alone gives, plus the steps.
        let october = try Self.records(dir + "/alone-10")
        let byID = Dictionary(records.map { ($0["id"]?.stringValue ?? "", $0) }) { a, _ in a }
        for o in october {
            let kept = try #require(byID[o["id"]?.stringValue ?? ""])
            #expect(Self.withoutSteps(kept) == o)
            // Each names its November and December sightings, in export order.
            let steps = Self.steps(kept)
            #expect(steps.map { $0["source"]?["input"]?.stringValue ?? "" } == [names[1], names[2]], "\(steps)")
        }
        // Every November record is kept whole or named by a step with its id, job and source.
        let sightings = Dictionary(
            records.flatMap { r in Self.steps(r).map { ($0["id"]?.stringValue ?? "", (r, $0)) } }, uniquingKeysWith: { a, _ in a })
        var jobs: Set<String> = []
        for n in try Self.records(dir + "/alone-11") {
            let id = n["id"]?.stringValue ?? ""
            if let whole = byID[id] {
                #expect(Self.withoutSteps(whole) == n)
                continue
            }
            let (kept, step) = try #require(sightings[id], "November's \(id) is neither kept nor a sighting")
            #expect(step["source"] == n["source"])
            #expect(Self.essence(kept) == Self.essence(n))
            jobs.insert(step["job"]?.stringValue ?? "")
        }
        #expect(jobs.count == 1 && jobs.first?.count == 36)
        // The sightings view, and a re-run of a merged export that adds nothing.
        let db = try SQLiteDatabase(path: dir + "/in-order/catalog.sqlite", readOnly: true)
        var viewRows = 0
        try db.prepare("SELECT count(*) FROM sightings WHERE user = 'alice' AND length(record_id) = 32").forEachRow {
            viewRows = Int($0.int(0))
        }
        #expect(viewRows == 17)
        #expect(try Self.dp(["ingest", dir + "/" + names[1], "--lake", dir + "/in-order", "--user", "alice"]).status == 0)
        #expect(try Self.dp(["export", "--lake", dir + "/in-order"]).stdout == inOrder)
    }

    /// A record that equals an archived one merges with it as with a hot one: the archived one
    /// stays when it sorts first, and leaves its partition file (written again) when it does not.
    @Test func archivedRecordsMergeAsHotOnesDo() throws {
        let dir = TestPaths.scratch("merge-archived")
        defer { TestPaths.remove(dir) }
        try Self.write(dir)
        let names = Self.months.map(\.name)
        func ingest(_ i: Int, _ lake: String) throws {
            let r = try Self.dp(["ingest", dir + "/" + names[i], "--lake", dir + "/" + lake, "--user", "alice"])
            #expect(r.status == 0, "\(r.stderrText)")
        }
        func archive(_ lake: String) throws {
            let r = try Self.dp(["archive", "--as-of", "2026-12-01", "--lake", dir + "/" + lake])
            #expect(r.status == 0, "\(r.stderrText)")
        }
        for i in [0, 1, 2] { try ingest(i, "hot") }
        try ingest(0, "forwards")
        try archive("forwards")
        try ingest(1, "forwards")
        try ingest(2, "forwards")
        try ingest(1, "backwards")
        try archive("backwards")
        try ingest(2, "backwards")
        try archive("backwards")
        try ingest(0, "backwards")
        let hot = try Self.dp(["export", "--lake", dir + "/hot"]).stdout
        #expect(try Self.records(dir + "/hot").count == 11)
        for lake in ["forwards", "backwards"] {
            #expect(try Self.dp(["export", "--lake", dir + "/" + lake]).stdout == hot, "\(lake) differs from the lake never archived")
            let db = try SQLiteDatabase(path: dir + "/\(lake)/catalog.sqlite", readOnly: true)
            var named: [String] = [], sightings = 0
            try db.prepare("SELECT file FROM partitions").forEachRow { named.append($0.text(0) ?? "") }
            try db.prepare("SELECT count(*) FROM record_sightings").forEachRow { sightings = Int($0.int(0)) }
            #expect(sightings == 17 && !named.isEmpty)
            // The file written again replaced the old one: no file the catalog does not name.
            let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/\(lake)/partitions")
            #expect(Set(files) == Set(named), "\(files) against \(named)")
        }
    }

    /// Killed after the merge wrote a partition file again but before the catalog named it:
    /// the lake is whole (the old file still named and read), and a re-run finishes the merge.
    @Test func aKillWhileMergingWithArchivedRecordsLeavesTheLakeWhole() throws {
        let dir = TestPaths.scratch("merge-kill")
        defer { TestPaths.remove(dir) }
        try Self.write(dir)
        let names = Self.months.map(\.name)
        let lake = dir + "/lake", reference = dir + "/reference"
        for (i, target) in [(1, lake), (1, reference), (0, reference)] {
            #expect(try Self.dp(["ingest", dir + "/" + names[i], "--lake", target, "--user", "alice"]).status == 0)
        }
        #expect(try Self.dp(["archive", "--as-of", "2026-12-01", "--lake", lake]).status == 0)
        let ingestOctober = ["ingest", dir + "/" + names[0], "--lake", lake, "--user", "alice"]
        var env = ProcessInfo.processInfo.environment
        env["DATAPUNK_TEST_KILL_IN_MERGE"] = "1"
        let killed = try CommandRunner.run(CommandRunner.datapunk, ingestOctober, environment: env)
        #expect(killed.status != 0 && killed.status != 1, "the ingest was not killed: \(killed.stderrText)")
        var integrity = ""
        try SQLiteDatabase(path: lake + "/catalog.sqlite", readOnly: true).prepare("PRAGMA integrity_check").forEachRow {
            integrity = $0.text(0) ?? ""
        }
        #expect(integrity == "ok")
        // October's records are in (its chunks committed), not yet merged; November's are read
        // from the file the catalog still names; the file written for the merge is an orphan.
        #expect(try Self.records(lake).count == 17)
        let named = { Set(try Lake(directory: lake, create: false).partitions().map(\.file)) }
        #expect(Set(TestPaths.listFiles(lake + "/partitions")).isStrictSuperset(of: try named()))
        #expect(try Self.dp(ingestOctober).status == 0)
        #expect(try Self.dp(["export", "--lake", lake]).stdout == (try Self.dp(["export", "--lake", reference]).stdout))
        #expect(Set(TestPaths.listFiles(lake + "/partitions")) == (try named()))
    }

    @Test func eraseTakesTheSightingsAndTheirJobs() throws {
        let dir = TestPaths.scratch("merge-erase")
        defer { TestPaths.remove(dir) }
        try Self.write(dir)
        for name in Self.months.map(\.name).prefix(2) {
            #expect(try Self.dp(["ingest", dir + "/" + name, "--lake", dir + "/lake", "--user", "alice"]).status == 0)
        }
        let before = try SQLiteDatabase(path: dir + "/lake/catalog.sqlite", readOnly: true)
        var sightings = 0
        try before.prepare("SELECT count(*) FROM record_sightings").forEachRow { sightings = Int($0.int(0)) }
        #expect(sightings == 7)
        #expect(try Self.dp(["erase", "--user", "alice", "--lake", dir + "/lake"]).status == 0)
        let db = try SQLiteDatabase(path: dir + "/lake/catalog.sqlite", readOnly: true)
        for table in ["records", "record_sightings", "record_sources", "record_owners", "jobs", "files"] {
            var n = -1
            try db.prepare("SELECT count(*) FROM \(table)").forEachRow { n = Int($0.int(0)) }
            #expect(n == 0, "\(table) holds \(n) rows")
        }
    }
}
