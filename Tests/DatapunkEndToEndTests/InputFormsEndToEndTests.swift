import Foundation
import LakeCore
import LakeCorpus
import LakeIngest
import LakeParsers
import Testing
import _LakeTestSupport

/// Every input form gives the same records as the archive: an unpacked folder, standard input,
/// and Takeout parts given in any order.
@Suite struct InputFormsEndToEndTests {
    static func dp(_ args: [String], stdin: String? = nil) throws -> CommandRunner.Result {
        guard let stdin else { return try CommandRunner.run(CommandRunner.datapunk, args) }
        // Through a shell, so the file is the child's standard input.
        return try CommandRunner.run("/bin/sh", ["-c", "exec \"$0\" \"$@\" < \"$DP_STDIN\"", CommandRunner.datapunk] + args,
                                     environment: CommandRunner.environment.merging(["DP_STDIN": stdin]) { $1 })
    }

    /// Export lines without the fields that name the input (name, SHA-256, id).
    static func records(_ lake: String) throws -> [String] {
        try ArchiveFormatsEndToEndTests.records(lake)
    }

    @Test func anUnpackedFolderGivesTheArchivesRecords() throws {
        let dir = TestPaths.scratch("folder")
        defer { TestPaths.remove(dir) }
        let folder = dir + "/twitter-export"
        for (name, bytes) in try ArchiveFormatsEndToEndTests.sampleEntries() {
            let path = folder + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
        }
        // A link out of the folder is refused, never followed; one inside is catalogued.
        try FileManager.default.createSymbolicLink(atPath: folder + "/escape", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: folder + "/data/up", withDestinationPath: "../../outside")
        try FileManager.default.createSymbolicLink(atPath: folder + "/data/same", withDestinationPath: "../data/tweets.js")
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/ref"]).status == 0)
        let r = try Self.dp(["ingest", folder, "--lake", dir + "/lake"])
        #expect(r.status == 1, "\(r.stderrText)")
        let refused = r.stderrText.split(separator: "\n").filter { $0.contains("rule archive.unsafe_link") }
        #expect(refused.count == 2 && refused.contains { $0.contains("'escape'") && $0.contains("absolute") }
                && refused.contains { $0.contains("'data/up'") && $0.contains("leaving") }, "\(refused)")
        #expect(r.stdoutText.contains("input twitter-export: folder"))
        #expect(try Self.records(dir + "/lake") == (try Self.records(dir + "/ref")))
        // The folder's digest is that of its sha256sum-style listing, so the job is the same next time.
        let again = try Self.dp(["ingest", folder, "--lake", dir + "/lake"])
        #expect(again.stdoutText.contains("already ingested"))
        let digest = try FileHashing.digest(ofFolder: folder)
        #expect(r.stdoutText.contains(digest.sha256))
    }

    @Test func standardInputIsStagedReadAndRemoved() throws {
        let dir = TestPaths.scratch("stdin")
        defer { TestPaths.remove(dir) }
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/ref"]).status == 0)
        let r = try Self.dp(["ingest", "-", "--lake", dir + "/lake"], stdin: TestPaths.sampleZip)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText.contains("input stdin: zip"))
        #expect(try Self.records(dir + "/lake") == (try Self.records(dir + "/ref")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/lake/staging").isEmpty, "the stdin copy is removed")
        // Not an archive on stdin: refused, and the copy is removed too.
        FileManager.default.createFile(atPath: dir + "/text", contents: Data("hello\n".utf8))
        let refused = try Self.dp(["ingest", "-", "--lake", dir + "/lake"], stdin: dir + "/text")
        #expect(refused.status == 3 && refused.stderrText.contains("input.unsupported_format"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/lake/staging").isEmpty)
    }

    @Test func takeoutPartsInAnyOrderMakeOneJobAndOneExport() throws {
        let dir = TestPaths.scratch("parts")
        defer { TestPaths.remove(dir) }
        try CorpusGenerator.generate(profile: "google-takeout", seed: 5, scale: "256KB", output: dir + "/corpus")
        let manifest = try ManifestFile(path: dir + "/corpus/manifest.json")
        let user = manifest.inputs[0].user
        let parts = manifest.inputs.filter { $0.user == user }.map { dir + "/corpus/" + $0.file }
        #expect(parts.count >= 3)
        var jobs: [String] = []
        var exports: [[UInt8]] = []
        for (i, order) in [parts, parts.reversed(), Array(parts.dropFirst()) + [parts[0]]].enumerated() {
            let r = try Self.dp(["ingest"] + order + ["--lake", dir + "/lake\(i)"])
            #expect(r.status == 0, "\(r.stderrText)")
            jobs.append(String(r.stdoutText.split(separator: " ")[1].dropLast()))
            exports.append(try Self.dp(["export", "--lake", dir + "/lake\(i)"]).stdout)
        }
        #expect(Set(jobs).count == 1, "\(jobs)")
        #expect(exports.allSatisfy { $0 == exports[0] } && !exports[0].isEmpty)
    }
}
