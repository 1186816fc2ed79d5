import Foundation
import LakeCore
import LakeStore
import Testing
import _LakeTestSupport

/// Monthly partitions in their tiers through the command line (docs/SPEC.md 7, "Tiers"):
/// `archive` and `restore` never change an export's bytes, the same lake and date give the same
/// files, a record archived is not stored again, new records of an archived month join it, and
/// a kill -9 at any committed step leaves a whole lake.
@Suite(.serialized) struct TierEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// Byte equality as a Boolean: Swift Testing diffs two unequal arrays element by element,
    /// which takes minutes for two exports.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool { a == b }

    /// A generated Takeout export (records from 2017 to 2024) and the Twitter sample.
    static func inputs(_ dir: String) throws -> (takeout: [String], twitter: String) {
        let folder = dir + "/takeout"
        let gen = try dp(["corpus", "generate", "--profile", "google-takeout", "--seed", "1", "--scale", "256KB", "--output", folder])
        #expect(gen.status == 0, "\(gen.stderrText)")
        return (try ManifestFile(path: folder + "/manifest.json").inputs.map { folder + "/" + $0.file }, TestPaths.sampleZip)
    }

    static func export(_ lake: String) throws -> [UInt8] {
        let r = try dp(["export", "--lake", lake])
        #expect(r.status == 0, "\(r.stderrText)")
        return r.stdout
    }

    static func check(_ lake: String) throws {
        let db = try SQLiteDatabase(path: lake + "/catalog.sqlite", readOnly: true)
        var result = ""
        try db.prepare("PRAGMA integrity_check").forEachRow { result = $0.text(0) ?? "" }
        #expect(result == "ok")
    }

    @Test func archiveAndRestoreKeepEveryExportByteForByte() throws {
        let dir = TestPaths.scratch("tiers")
        defer { TestPaths.remove(dir) }
        let (takeout, twitter) = try Self.inputs(dir)
        let lake = dir + "/lake"
        #expect(try Self.dp(["ingest"] + takeout + ["--lake", lake]).status <= 1)
        let before = try Self.export(lake)
        let archived = try Self.dp(["archive", "--lake", lake, "--as-of", "2024-06-15"])
        #expect(archived.status == 0, "\(archived.stderrText)")
        let store = try Lake(directory: lake, create: false)
        let tiers = Set(try store.partitions().map(\.tier))
        #expect(tiers == ["warm", "cold"], "\(tiers)")
        // Hot: the three newest months up to June 2024, and undated records.
        #expect(Set(try store.hotPartitionCounts().keys).isSubset(of: ["2024-04", "2024-05", "2024-06", "undated"]))
        #expect(try Self.same(Self.export(lake), before))
        #expect(try Self.same(Self.dp(["export", "--lake", lake, "--user", "unknown"]).stdout, before))
        // Each file matches the hashes the catalog holds.
        for p in try store.partitions() {
            let bytes = TestPaths.read(lake + "/partitions/" + p.file)
            #expect(FileDigester.sha256(bytes) == p.fileSHA256 && Int64(bytes.count) == p.bytes)
        }
        // A damaged file is `lake.corrupt` (exit 3), cold or warm, wherever the damage is.
        for tier in ["cold", "warm"] {
            let copy = dir + "/damaged-\(tier)"
            // Copied by another process: closing a descriptor of a database this process has
            // open would drop SQLite's POSIX locks on it (and let the next writer damage it).
            #expect(try CommandRunner.run("/bin/cp", ["-a", lake, copy]).status == 0)
            let file = try #require(try store.partitions().filter { $0.tier == tier }.max { $0.bytes < $1.bytes }).file
            var bytes = TestPaths.read(copy + "/partitions/" + file)
            for i in (bytes.count / 2)..<(bytes.count / 2 + min(64, bytes.count / 4)) { bytes[i] ^= 0x5A }
            try Data(bytes).write(to: URL(fileURLWithPath: copy + "/partitions/" + file))
            let r = try Self.dp(["export", "--lake", copy])
            #expect(r.status == 3 && r.stderrText.contains("lake.corrupt"), "\(tier): \(r.status) \(r.stderrText)")
        }
        // The same files again, as another job (one part alone), add nothing, though most of
        // their records sit in partition files.
        let count = try store.recordCount()
        #expect(try Self.dp(["ingest", takeout[0], "--lake", lake]).status <= 1)
        #expect(try Lake(directory: lake, create: false).jobs().count == 2)
        #expect(try Lake(directory: lake, create: false).recordCount() == count)
        #expect(try Self.same(Self.export(lake), before))

        // The same lake and date give the same files, byte for byte.
        let twin = dir + "/twin"
        #expect(try Self.dp(["ingest"] + takeout + ["--lake", twin]).status <= 1)
        #expect(try Self.dp(["archive", "--lake", twin, "--as-of", "2024-06-15"]).status == 0)
        let hashes = { (l: String) in
            try Lake(directory: l, create: false).partitions().map { [$0.name, $0.tier, $0.rawSHA256, $0.fileSHA256] }
        }
        #expect(try hashes(twin) == hashes(lake))

        // New records of archived months join their partitions at the next archive.
        #expect(try Self.dp(["ingest", twitter, "--lake", lake]).status == 0)
        #expect(try Self.dp(["archive", "--lake", lake, "--as-of", "2024-06-15"]).status == 0)
        let both = dir + "/both"
        #expect(try Self.dp(["ingest"] + takeout + ["--lake", both]).status <= 1)
        #expect(try Self.dp(["ingest", twitter, "--lake", both]).status == 0)
        #expect(try Self.same(Self.export(lake), Self.export(both)))

        // Everything back: the export is the same again, and no file is left.
        for p in try Lake(directory: lake, create: false).partitions() {
            let r = try Self.dp(["restore", "--lake", lake, p.name])
            #expect(r.status == 0 && r.stdoutText.contains("\(p.records) records"), "\(r.stdoutText)\(r.stderrText)")
        }
        #expect(try Self.same(Self.export(lake), Self.export(both)))
        #expect(try Lake(directory: lake, create: false).partitions().isEmpty)
        #expect(TestPaths.listFiles(lake + "/partitions").isEmpty)
        #expect(try Self.dp(["restore", "--lake", lake, "2019-01"]).status == 2)
        try Self.check(lake)
        let audit = try Lake(directory: lake, create: false).audit().map(\.command)
        #expect(audit.filter { $0 == "archive" }.count == 2 && audit.filter { $0 == "restore" }.count > 0)
    }

    /// Killed with SIGKILL after each committed partition, archive leaves a lake that opens,
    /// passes integrity_check and exports the same bytes; run again it finishes the job, and
    /// no file the catalog does not name is left.
    @Test func archiveKilledAtEveryPartitionLeavesWholePartitions() throws {
        let dir = TestPaths.scratch("tiers-kill")
        defer { TestPaths.remove(dir) }
        let (takeout, _) = try Self.inputs(dir)
        let lake = dir + "/lake"
        #expect(try Self.dp(["ingest"] + takeout + ["--lake", lake]).status <= 1)
        let before = try Self.export(lake)
        var rng = SeededRandom(seed: 18)
        let (kills, last) = try CommandRunner.killUntilDone(
            after: Int.random(in: 4...12, using: &rng), maxRuns: 200,
            arguments: { _ in ["archive", "--lake", lake, "--as-of", "2026-01-01", "--progress"] },
            isMark: { $0.hasPrefix("archive: ") && $0.hasSuffix(" committed") })
        #expect(kills >= 3, "the archive ended before it was killed")
        #expect(last?.killed == false && last?.status == 0)
        try Self.check(lake)
        #expect(try Self.same(Self.export(lake), before))
        let named = Set(try Lake(directory: lake, create: false).partitions().map(\.file))
        #expect(Set(TestPaths.listFiles(lake + "/partitions")) == named)
        #expect(try Lake(directory: lake, create: false).hotPartitionCounts().keys.allSatisfy { $0 >= "2025-11" || $0 == "undated" })
    }

    /// Killed at each step of an erase (rows removed but not committed, committed, compacted),
    /// the lake is whole and exports either all it held or all but the user. The process kills
    /// itself right after the step (`DATAPUNK_TEST_KILL_AFTER_STEP`): a signal sent on reading
    /// the step's line could land after the commit on a busy machine (it did, in CI).
    @Test func eraseKilledAtEveryStepIsAllOrNothing() throws {
        let dir = TestPaths.scratch("erase-kill")
        defer { TestPaths.remove(dir) }
        let (takeout, twitter) = try Self.inputs(dir)
        let base = dir + "/base"
        #expect(try Self.dp(["ingest"] + takeout + ["--lake", base, "--user", "carol"]).status <= 1)
        #expect(try Self.dp(["ingest", twitter, "--lake", base, "--user", "dave"]).status == 0)
        #expect(try Self.dp(["archive", "--lake", base, "--as-of", "2024-06-15"]).status == 0)
        let all = try Self.export(base)
        let dave = try Self.dp(["export", "--lake", base, "--user", "dave"]).stdout
        #expect(all != dave && !dave.isEmpty)
        for step in ["rows", "committed", "compacted"] {
            let lake = dir + "/lake-" + step
            try FileManager.default.copyItem(atPath: base, toPath: lake)
            var env = CommandRunner.environment
            env["DATAPUNK_TEST_KILL_AFTER_STEP"] = step
            let r = try CommandRunner.run(CommandRunner.datapunk, ["erase", "--lake", lake, "--user", "carol"], environment: env)
            #expect(r.status != 0 && r.status != 1, "step \(step): not killed: \(r.stderrText)")
            try Self.check(lake)
            #expect(try Self.same(Self.export(lake), step == "rows" ? all : dave), "step \(step)")
            // Run again, the erase completes.
            #expect(try Self.dp(["erase", "--lake", lake, "--user", "carol"]).status == 0)
            #expect(try Self.same(Self.export(lake), dave), "step \(step)")
            let named = Set(try Lake(directory: lake, create: false).partitions().map(\.file))
            #expect(Set(TestPaths.listFiles(lake + "/partitions")) == named)
        }
    }

    /// `partitions` lists every tier; `rebalance --shards` moves users in every tier, changes
    /// nothing but `shard`, and later ingests use the new count.
    @Test func partitionsAndRebalanceThroughTheCommandLine() throws {
        let dir = TestPaths.scratch("rebalance-cli")
        defer { TestPaths.remove(dir) }
        let (takeout, twitter) = try Self.inputs(dir)
        let lake = dir + "/lake"
        #expect(try Self.dp(["ingest"] + takeout + ["--lake", lake, "--user", "erin"]).status <= 1)
        #expect(try Self.dp(["archive", "--lake", lake, "--as-of", "2024-06-15"]).status == 0)
        let listed = try Self.dp(["partitions", "--lake", lake]).stdoutText.split(separator: "\n")
        #expect(listed.contains { $0.contains("  hot  ") } && listed.contains { $0.contains("  warm  ") })
        #expect(listed.contains { $0.contains("  cold  ") && $0.contains("sha256 ") })
        let before = try Self.export(lake)
        let r = try Self.dp(["rebalance", "--lake", lake, "--shards", "5"])
        #expect(r.status == 0 && r.stdoutText.contains("users 1, moved 1"), "\(r.stdoutText)\(r.stderrText)")
        let after = try Self.export(lake)
        let a = before.split(separator: 0x0A).map { try? JSONValueReader.parse(Array($0)) }
        let b = after.split(separator: 0x0A).map { try? JSONValueReader.parse(Array($0)) }
        #expect(a.count == b.count && a.count > 100)
        for (x, y) in zip(a, b) {
            #expect(x?.setting("shard", .null) == y?.setting("shard", .null))
            #expect(x?["shard"] != y?["shard"])
            #expect(
                (y?["shard"]?["primary"]).flatMap { if case .number(let n) = $0 { return Int(n) } else { return nil } }.map { $0 < 5 }
                    == true)
        }
        try Self.check(lake)
        // A later ingest into this lake places its user on the 5-shard ring too.
        #expect(try Self.dp(["ingest", twitter, "--lake", lake, "--user", "erin"]).status == 0)
        let shards = Set(
            try Self.export(lake).split(separator: 0x0A).compactMap { try? JSONValueReader.parse(Array($0))["shard"] }
                .map { CanonicalJSON.string($0) })
        #expect(shards.count == 1, "\(shards)")
    }
}
