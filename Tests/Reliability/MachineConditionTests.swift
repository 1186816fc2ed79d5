import Foundation
import Testing
import _LakeTestSupport

/// The machine's conditions, built by the tests (issue 14): a full file system (a 2 MiB tmpfs),
/// a read-only lake (the tmpfs remounted read-only), a damaged catalog, a locked lake. Each is
/// a rule, one line and exit 3, never exit 4 or a crash. Mounting needs root (as in CI); where
/// it is not allowed the two mount cases are reported as skipped, not passed.
@Suite(.serialized) struct MachineConditionTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }
    static func sh(_ command: String) throws -> CommandRunner.Result { try CommandRunner.run("/bin/sh", ["-c", command]) }

    static let canMount: Bool = {
        let dir = TestPaths.scratch("mountprobe")
        defer { _ = try? sh("umount '\(dir)' 2>/dev/null"); TestPaths.remove(dir) }
        return (try? sh("mount -t tmpfs -o size=64k tmpfs '\(dir)'"))?.status == 0
    }()

    static func lines(_ r: CommandRunner.Result) -> [Substring] { r.stderrText.split(separator: "\n") }

    @Test(.enabled(if: canMount)) func aFullFileSystem() throws {
        let dir = TestPaths.scratch("fullfs")
        defer { _ = try? Self.sh("umount '\(dir)/mnt'"); TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/mnt", withIntermediateDirectories: true)
        #expect(try Self.sh("mount -t tmpfs -o size=1m tmpfs '\(dir)/mnt'").status == 0)
        // 40,000 CSV rows into a 1 MiB file system: the catalog cannot grow.
        var csv = "name,email,note\n"
        for i in 0..<40_000 { csv += "person \(i),p\(i)@example.org,a note that takes some room \(i)\n" }
        try FileManager.default.createDirectory(atPath: dir + "/in/Takeout", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/in/Takeout/people.csv", contents: Data(csv.utf8))
        let r = try Self.dp(["ingest", dir + "/in", "--lake", dir + "/mnt/lake"])
        #expect(r.status == 3, "\(r.status): \(r.stderrText)")
        #expect(Self.lines(r).count == 1 && r.stderrText.contains("rule lake.disk_full"), "\(r.stderrText)")
        #expect(!r.stderrText.contains("rule internal"))
    }

    @Test(.enabled(if: canMount)) func aReadOnlyLakeIsStillRead() throws {
        let dir = TestPaths.scratch("rofs")
        defer { _ = try? Self.sh("umount '\(dir)/mnt'"); TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/mnt", withIntermediateDirectories: true)
        #expect(try Self.sh("mount -t tmpfs -o size=8m tmpfs '\(dir)/mnt'").status == 0)
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/mnt/lake"]).status == 0)
        let writable = try Self.dp(["export", "--lake", dir + "/mnt/lake"]).stdout
        #expect(try Self.sh("mount -o remount,ro '\(dir)/mnt'").status == 0)
        let export = try Self.dp(["export", "--lake", dir + "/mnt/lake"])
        #expect(export.status == 0 && export.stdout == writable, "\(export.stderrText)")
        #expect(try Self.dp(["jobs", "--lake", dir + "/mnt/lake"]).status == 0)
        #expect(try Self.dp(["metrics", "--lake", dir + "/mnt/lake"]).status == 0)
        let ingest = try Self.dp(["ingest", TestPaths.corpus + "/real/mail-parser", "--lake", dir + "/mnt/lake"])
        #expect(ingest.status == 3, "\(ingest.stderrText)")
        #expect(Self.lines(ingest).count == 1 && ingest.stderrText.contains("rule lake.read_only"), "\(ingest.stderrText)")
    }

    @Test func aCatalogCutToNothingIsDamagedNotEmpty() throws {
        let dir = TestPaths.scratch("cut")
        defer { TestPaths.remove(dir) }
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/lake"]).status == 0)
        #expect(truncate(dir + "/lake/catalog.sqlite", 0) == 0)
        for command in ["export", "jobs", "metrics"] {
            let r = try Self.dp([command, "--lake", dir + "/lake"])
            #expect(r.status == 3 && r.stdout.isEmpty, "\(command): \(r.stderrText)")
            #expect(r.stderrText.contains("rule lake.corrupt"), "\(command): \(r.stderrText)")
        }
        // Garbage in place of the catalog is damaged too.
        FileManager.default.createFile(atPath: dir + "/lake/catalog.sqlite", contents: Data(repeating: 0x41, count: 8192))
        let r = try Self.dp(["export", "--lake", dir + "/lake"])
        #expect(r.status == 3 && r.stderrText.contains("rule lake.corrupt"), "\(r.stderrText)")
    }

    /// One byte flipped inside a stored record: export stops at that record with
    /// `lake.corrupt` (the record's checksum, kept since schema 6), never wrong data with exit 0.
    @Test func aFlippedByteInARecordIsCaught() throws {
        let dir = TestPaths.scratch("flip")
        defer { TestPaths.remove(dir) }
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/lake"]).status == 0)
        let path = dir + "/lake/catalog.sqlite"
        var bytes = TestPaths.read(path)
        let needle = Array("A liked tweet".utf8)
        let at = try #require((0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
        bytes[at] = UInt8(ascii: "B")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = try Self.dp(["export", "--lake", dir + "/lake"])
        #expect(r.status == 3, "\(r.stderrText)")
        #expect(r.stderrText.contains("rule lake.corrupt") && r.stderrText.contains("no longer matches its checksum"), "\(r.stderrText)")
        #expect(!r.stdoutText.contains("B liked tweet"))
    }

    /// Another writer holds the lake (here the sqlite3 shell, in an exclusive transaction): the
    /// ingest waits (5 s) and exits 3 with `lake.locked`, on one line.
    @Test func aLockedLake() throws {
        let dir = TestPaths.scratch("locked")
        defer { TestPaths.remove(dir) }
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/lake"]).status == 0)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = [
            "-c",
            "(echo 'BEGIN EXCLUSIVE;'; echo 'SELECT 1;'; sleep 12; echo 'COMMIT;') | sqlite3 '\(dir)/lake/catalog.sqlite' > '\(dir)/held' 2>&1",
        ]
        try holder.run()
        defer { holder.terminate() }
        // Wait until the shell holds the lock (it printed the SELECT's row).
        var waited = 0
        while waited < 100, TestPaths.read(dir + "/held").isEmpty {
            usleep(50_000)
            waited += 1
        }
        let r = try Self.dp(["ingest", TestPaths.corpus + "/real/mail-parser", "--lake", dir + "/lake"])
        #expect(r.status == 3, "\(r.status): \(r.stderrText)")
        // A line saying it waits, then the error.
        #expect(
            Self.lines(r).count == 2 && r.stderrText.contains("the lake is busy") && r.stderrText.contains("waiting up to 5 s"),
            "\(r.stderrText)")
        #expect(r.stderrText.contains("rule lake.locked"), "\(r.stderrText)")
    }

    /// A real datapunk holds the lock: an ingest stopped (SIGSTOP, by its test hook) inside its
    /// first write transaction. The second ingest waits, then exits 3 naming that job and its
    /// pid; once the first goes on, both finish.
    @Test func aLockedLakeNamesTheHoldingJob() throws {
        let dir = TestPaths.scratch("holder")
        defer { TestPaths.remove(dir) }
        let first = Process()
        first.executableURL = URL(fileURLWithPath: CommandRunner.datapunk)
        first.arguments = ["ingest", TestPaths.sampleZip, "--lake", dir + "/lake"]
        first.environment = CommandRunner.environment.merging(["DATAPUNK_TEST_STOP_IN_TRANSACTION": "1"]) { $1 }
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { kill(first.processIdentifier, SIGCONT); first.terminate() } }
        let pid = first.processIdentifier
        // Wait (up to 60 s) until it has stopped itself: state `T` in /proc/<pid>/stat.
        func stopped() -> Bool {
            let stat = String(decoding: TestPaths.read("/proc/\(pid)/stat"), as: UTF8.self)
            return stat.split(separator: ")").last?.split(separator: " ").first == "T"
        }
        var waited = 0
        while waited < 1200, !stopped() {
            usleep(50_000)
            waited += 1
        }
        try #require(stopped())
        let jobID = String(decoding: TestPaths.read(dir + "/lake/writers/\(pid)"), as: UTF8.self).trimmingCharacters(in: .newlines)
        #expect(jobID.count == 36)

        let second = try Self.dp(["ingest", TestPaths.corpus + "/real/mail-parser", "--lake", dir + "/lake"])
        #expect(second.status == 3, "\(second.stderrText)")
        let lines = Self.lines(second)
        #expect(lines.count == 2, "\(second.stderrText)")
        #expect(
            lines.first?.contains("the lake is busy (job \(jobID) (pid \(pid)) holds its lock); waiting up to 5 s") == true,
            "\(second.stderrText)")
        #expect(lines.last?.contains("rule lake.locked: the lake is held by job \(jobID) (pid \(pid))") == true, "\(second.stderrText)")

        kill(pid, SIGCONT)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: dir + "/lake/writers/\(pid)"))
        #expect(try Self.dp(["ingest", TestPaths.corpus + "/real/mail-parser", "--lake", dir + "/lake"]).status == 0)
    }

    /// The mark of a writer that was killed is not a holder: it is removed, and never named.
    @Test func aKilledWritersMarkIsNotAHolder() throws {
        let dir = TestPaths.scratch("deadmark")
        defer { TestPaths.remove(dir) }
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/lake"]).status == 0)
        // A mark as a killed process leaves it: the file, with no lock on it.
        FileManager.default.createFile(atPath: dir + "/lake/writers/99999999", contents: Data("dead-job\n".utf8))
        let r = try Self.dp(["ingest", TestPaths.corpus + "/real/mail-parser", "--lake", dir + "/lake"])
        #expect(r.status == 0 && !r.stderrText.contains("dead-job"), "\(r.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/lake/writers/99999999"))
    }
}
