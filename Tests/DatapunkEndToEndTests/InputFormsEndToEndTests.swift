import Foundation
import LakeCore
import LakeCorpus
import LakeIngest
import LakeParsers
import LakeStore
import Testing
import _LakeTestSupport

/// Every input form gives the same records as the archive: an unpacked folder, standard input,
/// and Takeout parts given in any order.
@Suite struct InputFormsEndToEndTests {
    static func dp(_ args: [String], stdin: String? = nil) throws -> CommandRunner.Result {
        guard let stdin else { return try CommandRunner.run(CommandRunner.datapunk, args) }
        // Through a shell, so the file is the child's standard input.
        return try CommandRunner.run(
            "/bin/sh", ["-c", "exec \"$0\" \"$@\" < \"$DP_STDIN\"", CommandRunner.datapunk] + args,
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
        #expect(
            refused.count == 2 && refused.contains { $0.contains("'escape'") && $0.contains("absolute") }
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
        // A bare file on stdin: read as one entry named for its content, and the copy is removed too.
        FileManager.default.createFile(atPath: dir + "/text", contents: Data("hello\n".utf8))
        let bare = try Self.dp(["ingest", "-", "--lake", dir + "/lake"], stdin: dir + "/text")
        #expect(bare.status == 0 && bare.stdoutText.contains("input stdin: text"), "\(bare.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/lake/staging").isEmpty)
        // Another staging folder inside the lake: used, and left empty; outside the lake: refused.
        let other = try Self.dp(["ingest", "-", "--lake", dir + "/lake2", "--staging", "tmp/in"], stdin: TestPaths.sampleZip)
        #expect(other.status == 0, "\(other.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/lake2/tmp/in").isEmpty)
        #expect(try Self.dp(["ingest", "-", "--lake", dir + "/lake3", "--staging", "../out"], stdin: TestPaths.sampleZip).status == 2)
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

/// Integrity: an input's bytes are hashed at receipt and again after processing; a change in
/// between fails the job and says where.
@Suite struct InputIntegrityTests {
    @Test func anInputChangedWhileItIsProcessedFailsTheJob() throws {
        let dir = TestPaths.scratch("changed")
        defer { TestPaths.remove(dir) }
        let zip = try ResumeEndToEndTests.export(dir, scale: "3MB", seed: 26)
        let size = try FileManager.default.attributesOfItem(atPath: zip)[.size] as! Int
        // At the first committed chunk the process is stopped, a byte is appended to the
        // zip (after its end record, so reading goes on), and the process continues.
        let r = try CommandRunner.runKilling(
            CommandRunner.datapunk, ["ingest", zip, "--lake", dir + "/lake", "--chunk-size", "64KB", "--progress", "json"], after: 1,
            whileStopped: {
                let h = try #require(FileHandle(forWritingAtPath: zip))
                try h.seekToEnd()
                try h.write(contentsOf: Data([0x0A]))
                try h.close()
            }
        ) { $0.contains("\"event\":\"chunk\"") }
        #expect(r.status == 3, "\(r.lines.suffix(3))")
        let line = try #require(r.lines.first { $0.contains("rule input.changed") })
        #expect(line.contains("first difference in chunk \(size / (1 << 20)) of 1 MiB"), "\(line)")
        let jobs = try CommandRunner.run(CommandRunner.datapunk, ["jobs", "--lake", dir + "/lake", "--json"])
        let job = try JSONReader.parse(Array(jobs.stdout))
        #expect(job["state"]?.stringValue == "failed" && job["message"]?.stringValue?.contains("input.changed") == true)
    }

    @Test func chunkHashesFindTheFirstDifference() {
        func hashes(_ bytes: [UInt8]) -> [UInt64] {
            let h = ChunkHasher(chunkBytes: 4)
            bytes.withUnsafeBytes { h.update($0) }
            return h.finish()
        }
        let a = hashes(Array("abcdefghij".utf8))
        #expect(a.count == 3 && a[0] == XXH64.hash(Array("abcd".utf8)) && a[2] == XXH64.hash(Array("ij".utf8)))
        #expect(ChunkHasher.firstDifference(a, hashes(Array("abcdefgXij".utf8))) == 1)
        #expect(ChunkHasher.firstDifference(a, hashes(Array("abcdefghijk".utf8))) == 2)
        #expect(ChunkHasher.firstDifference(a, hashes(Array("abcdefghijkl".utf8))) == 2)
        #expect(ChunkHasher.firstDifference(a, a) == nil)
    }
}

/// Content metadata and the mojibake flag reach the catalog's `files` rows.
@Suite struct EntryMetadataEndToEndTests {
    @Test func catalogRowsCarryContentMetadata() throws {
        let dir = TestPaths.scratch("metadata")
        defer { TestPaths.remove(dir) }
        let docx = dir + "/notes.docx"
        let d = try ArchiveWriter(path: docx, format: .zip)
        try d.addFile("[Content_Types].xml", contents: Array("<Types/>".utf8))
        try d.addFile(
            "docProps/core.xml",
            contents: Array(
                #"<cp:coreProperties xmlns:cp="a" xmlns:dc="b"><dc:title>Notes</dc:title><dc:creator>Ada</dc:creator></cp:coreProperties>"#
                    .utf8))
        try d.addFile("word/document.xml", contents: Array("<w:document/>".utf8))
        try d.close()
        let zip = dir + "/export.zip"
        let w = try ArchiveWriter(path: zip, format: .zip)
        try w.addFile("docs/notes.docx", fromFile: docx)
        try w.addFile("docs/report.pdf", contents: Array("%PDF-1.4\n<< /Title (Report) >>\n%%EOF\n".utf8))
        try w.addFile(
            "Takeout/Mail/inbox.mbox",
            contents: Array("From a@b Mon Jan  1 10:00:00 2024\nFrom: Ada <a@b.org>\nSubject: Hello\n\nhi\n".utf8))
        try w.addFile("posts/your_posts_1.json", contents: Array(#"[{"title": "Caf\u00c3\u00a9"}]"#.utf8))
        try w.close()
        let r = try CommandRunner.run(CommandRunner.datapunk, ["ingest", zip, "--lake", dir + "/lake"])
        #expect(r.status == 0, "\(r.stderrText)")
        let lake = try Lake(directory: dir + "/lake", create: false)
        let job = try JSONReader.parse(
            Array(try CommandRunner.run(CommandRunner.datapunk, ["jobs", "--lake", dir + "/lake", "--json"]).stdout))
        let files = try lake.files(jobID: try #require(job["job"]?.stringValue ?? job["job_id"]?.stringValue))
        func row(_ path: String) -> Lake.FileRow? { files.first { $0.path == path } }
        #expect(row("docs/notes.docx")?.metadata == #"{"creator":"Ada","title":"Notes"}"#)
        #expect(row("docs/report.pdf")?.metadata == #"{"title":"Report"}"#)
        #expect(row("Takeout/Mail/inbox.mbox")?.metadata == #"{"first_senders":["Ada <a@b.org>"],"first_subjects":["Hello"],"messages":1}"#)
        #expect(row("posts/your_posts_1.json")?.mojibake == true && row("docs/report.pdf")?.mojibake == false)
    }
}
