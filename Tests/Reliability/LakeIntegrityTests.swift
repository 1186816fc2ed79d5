import Foundation
import LakeCore
import LakeStore
@testable import LakeCorpus
import Testing
import _LakeTestSupport

/// Data integrity under the mistakes users make (issue 14): the lake inside the folder being
/// ingested, `--output` pointed at the wrong place, another `--user`, a folder that is no lake.
@Suite struct LakeIntegrityTests {
    static func dp(_ args: [String], in folder: String? = nil) throws -> CommandRunner.Result {
        // `datapunk ingest .` from inside the folder, default lake `./lake`: the child runs
        // there; the test process's own directory, which parallel tests share, never changes.
        try CommandRunner.run(CommandRunner.datapunk, args, currentDirectory: folder)
    }

    static func copySample(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestPaths.corpus + "/real/mail-parser", toPath: folder + "/mail")
    }

    /// `datapunk ingest .` three times: the default lake `./lake` sits inside the input, and is
    /// never read back in; the job is the same job, the records are not duplicated.
    @Test func ingestingTheFolderThatHoldsTheLake() throws {
        let dir = TestPaths.scratch("dot")
        defer { TestPaths.remove(dir) }
        try Self.copySample(to: dir)
        var jobs: Set<String> = []
        for _ in 0..<3 {
            let r = try Self.dp(["ingest", "."], in: dir)
            #expect(r.status == 0, "\(r.stderrText)")
            jobs.insert(String(r.stdoutText.split(separator: "\n").first?.split(separator: " ")[1] ?? ""))
        }
        #expect(jobs.count == 1)
        let export = try Self.dp(["export", "--lake", dir + "/lake"])
        #expect(export.stdoutText.split(separator: "\n").count == 4)
        #expect(!export.stdoutText.contains("catalog.sqlite"))
        // Another lake inside the folder is left out too.
        _ = try Self.dp(["ingest", dir + "/mail", "--lake", dir + "/other-lake"])
        let r = try Self.dp(["ingest", dir, "--lake", dir + "/lake"])
        #expect(!r.stderrText.contains("other-lake"))
        #expect(try !Self.dp(["export", "--lake", dir + "/lake"]).stdoutText.contains("other-lake"))
    }

    @Test func exportOutputErrorsAreErrors() throws {
        let dir = TestPaths.scratch("out")
        defer { TestPaths.remove(dir) }
        try Self.copySample(to: dir + "/in")
        #expect(try Self.dp(["ingest", dir + "/in", "--lake", dir + "/lake"]).status == 0)
        let catalog = TestPaths.read(dir + "/lake/catalog.sqlite")
        for (output, rule) in [
            ("", "--output"), (dir, "output.refused"), (dir + "/lake/catalog.sqlite", "output.refused"),
            (dir + "/lake/x.ndjson", "output.refused"), (dir + "/missing/x.ndjson", "output.write_failed"),
        ] {
            let r = try Self.dp(["export", "--lake", dir + "/lake", "--output", output])
            #expect(r.status == (rule == "output.write_failed" ? 3 : 2), "\(output): \(r.stderrText)")
            #expect(r.stderrText.contains(rule), "\(output): \(r.stderrText)")
        }
        #expect(TestPaths.read(dir + "/lake/catalog.sqlite") == catalog)
        #expect(!FileManager.default.fileExists(atPath: dir + "/lake/x.ndjson"))
        // A full device: exit 3 with one line, no trap; a device is written in place, never replaced.
        let full = try Self.dp(["export", "--lake", dir + "/lake", "--output", "/dev/full"])
        #expect(full.status == 3 && full.stderrText.contains("rule output.write_failed"), "\(full.stderrText)")
        var st = stat()
        #expect(stat("/dev/full", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
        // A good one: whole, 0600, no temporary file left.
        let good = try Self.dp(["export", "--lake", dir + "/lake", "--output", dir + "/export.ndjson"])
        #expect(good.status == 0)
        #expect(stat(dir + "/export.ndjson", &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(!TestPaths.listFiles(dir).contains { $0.contains(".tmp-datapunk") })
        // A temporary file left by a killed export (its process gone) goes with the next export.
        FileManager.default.createFile(atPath: dir + "/export.ndjson.tmp-datapunk-99999999", contents: Data("half".utf8))
        #expect(try Self.dp(["export", "--lake", dir + "/lake", "--output", dir + "/export.ndjson"]).status == 0)
        #expect(!TestPaths.listFiles(dir).contains { $0.contains(".tmp-datapunk") })
    }

    /// Standard output that cannot be written (`> /dev/full`): exit 3 and one line, for every
    /// command that prints, never a trap (SIGILL, 132).
    @Test func aFullStandardOutputIsAnError() throws {
        let dir = TestPaths.scratch("full")
        defer { TestPaths.remove(dir) }
        try Self.copySample(to: dir + "/in")
        #expect(try Self.dp(["ingest", dir + "/in", "--lake", dir + "/lake"]).status == 0)
        for args in [["export"], ["jobs"], ["metrics"]] {
            let status = try Self.shell("'\(CommandRunner.datapunk)' \(args[0]) --lake '\(dir)/lake' > /dev/full 2> '\(dir)/err'")
            let err = String(decoding: TestPaths.read(dir + "/err"), as: UTF8.self)
            #expect(status == 3, "\(args): \(err)")
            #expect(err.split(separator: "\n").count == 1 && err.contains("rule output.write_failed"), "\(args): \(err)")
        }
    }

    static func shell(_ command: String) throws -> Int32 {
        try CommandRunner.run("/bin/sh", ["-c", command]).status
    }

    /// The same export ingested for another `--user` is another job, and that user's records.
    @Test func userIsPartOfTheJob() throws {
        let dir = TestPaths.scratch("user")
        defer { TestPaths.remove(dir) }
        try Self.copySample(to: dir + "/in")
        let ana = try Self.dp(["ingest", dir + "/in", "--lake", dir + "/lake", "--user", "ana"])
        let bob = try Self.dp(["ingest", dir + "/in", "--lake", dir + "/lake", "--user", "bob"])
        #expect(ana.status == 0 && bob.status == 0)
        #expect(!bob.stdoutText.contains("already ingested"), "\(bob.stdoutText)")
        #expect(try Self.dp(["export", "--lake", dir + "/lake", "--user", "bob"]).stdoutText.split(separator: "\n").count == 4)
        #expect(try Self.dp(["export", "--lake", dir + "/lake", "--user", "ana"]).stdoutText.split(separator: "\n").count == 4)
    }

    /// A lake's folder and files are its owner's alone, whatever the umask; a folder holding
    /// other files is refused as a lake.
    @Test func lakesArePrivateAndOnlyLakes() throws {
        let dir = TestPaths.scratch("perm")
        defer { TestPaths.remove(dir) }
        try Self.copySample(to: dir + "/in")
        let status = try Self.shell("umask 022; '\(CommandRunner.datapunk)' ingest '\(dir)/in' --lake '\(dir)/lake' > /dev/null")
        #expect(status == 0)
        var st = stat()
        #expect(stat(dir + "/lake", &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(stat(dir + "/lake/catalog.sqlite", &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(Lake.isLake(dir + "/lake") && !Lake.isLake(dir + "/in"))
        let r = try Self.dp(["ingest", dir + "/in", "--lake", dir + "/in/mail"])
        #expect(r.status == 2 && r.stderrText.contains("rule lake.not_a_lake"), "\(r.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/in/mail/catalog.sqlite"))
    }

    /// Entry names from an archive cannot forge stderr lines or send terminal escapes: one
    /// error is one line, control characters escaped.
    @Test func hostileEntryNamesStayOnOneLine() throws {
        let dir = TestPaths.scratch("names")
        defer { TestPaths.remove(dir) }
        let name = "x\ndatapunk: input 'fake': rule forged: \u{1B}[31mred.json"
        try FileManager.default.createDirectory(atPath: dir + "/in/Takeout", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/in/Takeout/" + name, contents: Data("{broken".utf8))
        let r = try Self.dp(["ingest", dir + "/in", "--lake", dir + "/lake"])
        #expect(r.status == 1)
        let lines = r.stderrText.split(separator: "\n")
        #expect(lines.count == 1, "\(lines)")
        #expect(!r.stderrText.contains("\u{1B}") && r.stderrText.contains("\\u{A}datapunk"))
    }
}

@Suite struct ErrorLineTests {
    /// Each error line names its rule once (it once read `csv.csv.field_count_limit` and
    /// `ics.structure: ics.structure:`).
    @Test func rulesAreNamedOnce() throws {
        let dir = TestPaths.scratch("rules")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/in/a.csv", contents: Data("a,b\n\"open,2\n".utf8))
        FileManager.default.createFile(atPath: dir + "/in/b.ics", contents: Data("BEGIN:VCALENDAR\nEND:VEVENT\n".utf8))
        let r = try CommandRunner.run(CommandRunner.datapunk, ["ingest", dir + "/in", "--lake", dir + "/lake"])
        #expect(r.status == 1)
        let lines = r.stderrText.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(lines)")
        for line in lines {
            let rule = try #require(line.range(of: "rule ").map { String(line[$0.upperBound...].prefix { $0 != ":" }) })
            #expect(line.components(separatedBy: rule).count == 2, "\(line)")
            #expect(!rule.hasPrefix("csv.csv"), "\(line)")
        }
    }
}

@Suite struct PlantedFileTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// Symbolic links planted in a lake (the catalog, the staging folder) are refused, and
    /// nothing is written where they point.
    @Test func plantedLinksAreNeverFollowed() throws {
        let dir = TestPaths.scratch("links")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/outside", withIntermediateDirectories: true)
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/lake"]).status == 0)
        try FileManager.default.removeItem(atPath: dir + "/lake/catalog.sqlite")
        try FileManager.default.createSymbolicLink(
            atPath: dir + "/lake/catalog.sqlite", withDestinationPath: dir + "/outside/catalog.sqlite")
        for args in [["ingest", TestPaths.sampleZip, "--lake", dir + "/lake"], ["export", "--lake", dir + "/lake"]] {
            let r = try Self.dp(args)
            #expect(r.status == 3 && r.stderrText.contains("rule lake.unsafe_link"), "\(args): \(r.stderrText)")
        }
        #expect(TestPaths.listFiles(dir + "/outside").isEmpty)

        let lake2 = dir + "/lake2"
        try FileManager.default.createDirectory(atPath: lake2, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: lake2 + "/staging", withDestinationPath: dir + "/outside")
        let staged = try Self.dp(["ingest", TestPaths.sampleZip, "--lake", lake2])
        #expect(staged.status == 3 && staged.stderrText.contains("rule lake.unsafe_link"), "\(staged.stderrText)")
        #expect(TestPaths.listFiles(dir + "/outside").isEmpty)
    }

    @Test func sha256IsCheckedForLocalFilesToo() throws {
        let dir = TestPaths.scratch("sha")
        defer { TestPaths.remove(dir) }
        let wrong = String(repeating: "0", count: 64)
        let r = try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/lake", "--sha256", wrong])
        #expect(r.status == 3 && r.stderrText.contains("rule input.sha256_mismatch"), "\(r.stderrText)")
        let right = FileDigester.sha256(TestPaths.read(TestPaths.sampleZip))
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/lake", "--sha256", right]).status == 0)
    }

    /// A copy of standard input or of a nested zip left by a killed run (`staging/stdin-<pid>`,
    /// `staging/nested-<pid>-<depth>.zip` of a process that is gone) is removed by the next run.
    @Test func staleStandardInputCopiesAreRemoved() throws {
        let dir = TestPaths.scratch("stale")
        defer { TestPaths.remove(dir) }
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/lake"]).status == 0)
        try FileManager.default.createDirectory(atPath: dir + "/lake/staging", withIntermediateDirectories: true)
        // A pid that cannot be running (above the kernel's pid_max).
        FileManager.default.createFile(atPath: dir + "/lake/staging/stdin-99999999", contents: Data(repeating: 1, count: 1024))
        // And a nested zip's copy (`nested-<pid>-<depth>.zip`), and a file of another name that stays.
        FileManager.default.createFile(atPath: dir + "/lake/staging/nested-99999999-2.zip", contents: Data(repeating: 1, count: 1024))
        FileManager.default.createFile(atPath: dir + "/lake/staging/nested-99999999x", contents: Data(repeating: 1, count: 16))
        _ = try Self.dp(["ingest", TestPaths.corpus + "/real/mail-parser", "--lake", dir + "/lake"])
        #expect(!FileManager.default.fileExists(atPath: dir + "/lake/staging/stdin-99999999"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/lake/staging/nested-99999999-2.zip"))
        #expect(FileManager.default.fileExists(atPath: dir + "/lake/staging/nested-99999999x"))
    }
}

@Suite struct DuplicateEntryNameTests {
    /// A zip with two entries of one name and different contents (crafted: zip tools replace
    /// such an entry): both load, and the export is the same bytes for any worker count (the
    /// order ends on the record id).
    @Test func duplicateNamesExportInOneOrder() throws {
        let dir = TestPaths.scratch("dup")
        defer { TestPaths.remove(dir) }
        var zip = ZipCrafter()
        zip.entries.append(.init(name: "Takeout/x.json", data: Array("[{\"v\": \"first\"}]".utf8)))
        zip.entries.append(.init(name: "Takeout/x.json", data: Array("[{\"v\": \"second\"}]".utf8)))
        try Data(zip.bytes()).write(to: URL(fileURLWithPath: dir + "/dup.zip"))
        var exports: Set<[UInt8]> = []
        for run in 0..<3 {
            let r = try CommandRunner.run(
                CommandRunner.datapunk, ["ingest", dir + "/dup.zip", "--lake", dir + "/lake\(run)", "--parallel", String(run + 1)])
            #expect(r.status == 0, "\(r.stderrText)")
            exports.insert(try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", dir + "/lake\(run)"]).stdout)
        }
        #expect(exports.count == 1)
        let text = String(decoding: exports.first ?? [], as: UTF8.self)
        #expect(text.contains("\"first\"") && text.contains("\"second\""))
    }
}
