import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

/// The security scan in ingest, through the CLI: what a rule matches is quarantined (kept,
/// never parsed, in no export), the job exits 1 with one line per file, a clean export is
/// untouched, a user's rules count, and a person can list, show and release.
@Suite struct QuarantineEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }
    static let eicar = Array(("X5O!P%@AP[4\\PZX54(P^)7CC)" + "7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").utf8)

    /// An export holding the EICAR file, an ELF named as a photo and a macro document, beside
    /// ordinary files.
    static func hostileExport(_ dir: String) throws -> String {
        let docm = dir + "/report.docm"
        let d = try ArchiveWriter(path: docm, format: .zip)
        try d.addFile("word/document.xml", contents: Array("<w:document/>".utf8))
        try d.addFile("word/vbaProject.bin", contents: [UInt8](repeating: 7, count: 64))
        try d.close()
        let zip = dir + "/export.zip"
        let w = try ArchiveWriter(path: zip, format: .zip)
        try w.addFile("Takeout/notes.json", contents: Array("[{\"text\": \"hello\"}]".utf8))
        try w.addFile("Takeout/eicar.com.txt", contents: eicar)
        try w.addFile("Takeout/Google Photos/IMG_0001.jpg", contents: TestPaths.read("/bin/true"))
        try w.addFile("Takeout/Drive/report.docm", contents: TestPaths.read(docm))
        try w.addFile("Takeout/more.json", contents: Array("[{\"text\": \"world\"}]".utf8))
        try w.close()
        return zip
    }

    @Test func malwareIsQuarantinedNeverLoaded() throws {
        let dir = TestPaths.scratch("quarantine")
        defer { TestPaths.remove(dir) }
        let zip = try Self.hostileExport(dir)
        let r = try Self.dp(["ingest", zip, "--lake", dir + "/lake"])
        #expect(r.status == 1)
        let lines = r.stderrText.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines.allSatisfy { $0.contains("rule security.malware_signature") }, "\(r.stderrText)")
        for (entry, rule) in [
            ("Takeout/eicar.com.txt", "eicar:eicar_test_file"),
            ("Takeout/Google Photos/IMG_0001.jpg", "disguised:elf_executable_disguised"),
            ("Takeout/Drive/report.docm", "office_macros:office_macro_ooxml"),
        ] {
            #expect(lines.contains { $0.contains("entry '\(entry)'") && $0.contains(rule) }, "\(entry)")
        }
        #expect(r.stdoutText.contains("3 quarantined"), "\(r.stdoutText)")
        // Kept byte for byte under its SHA-256, 0600.
        let stored = dir + "/lake/quarantine/" + FileDigester.sha256(Self.eicar)
        #expect(TestPaths.read(stored) == Self.eicar)
        let mode = (try FileManager.default.attributesOfItem(atPath: stored)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        // In no export: the two ordinary files are the records.
        let export = try Self.dp(["export", "--lake", dir + "/lake"]).stdoutText
        #expect(export.split(separator: "\n").count == 2 && export.contains("hello") && export.contains("world"))
        #expect(!export.contains("EICAR") && !export.contains("vbaProject"))

        let list = try Self.dp(["quarantine", "list", "--lake", dir + "/lake"])
        #expect(list.status == 0 && list.stdoutText.split(separator: "\n").count == 3, "\(list.stdoutText)")
        let show = try Self.dp(["quarantine", "show", FileDigester.sha256(Self.eicar), "--lake", dir + "/lake"])
        #expect(show.stdoutText.contains("\"path\":\"Takeout/eicar.com.txt\"") && show.stdoutText.contains("\"engine\":\"yara\""))

        // Released: a copy out, recorded; the quarantined bytes stay. Never into the lake,
        // never over a file, never an unknown file.
        let release = try Self.dp(["quarantine", "release", FileDigester.sha256(Self.eicar), "--to", dir + "/out", "--lake", dir + "/lake"])
        #expect(release.status == 0 && TestPaths.read(dir + "/out/eicar.com.txt") == Self.eicar, "\(release.stderrText)")
        #expect(TestPaths.read(stored) == Self.eicar)
        let again = try Self.dp(["quarantine", "release", FileDigester.sha256(Self.eicar), "--to", dir + "/out", "--lake", dir + "/lake"])
        #expect(again.status == 2 && again.stderrText.contains("rule output.refused"))
        let inside = try Self.dp([
            "quarantine", "release", FileDigester.sha256(Self.eicar), "--to", dir + "/lake/x", "--lake", dir + "/lake",
        ])
        #expect(inside.status == 2 && inside.stderrText.contains("is inside the lake"))
        let unknown = try Self.dp(["quarantine", "show", String(repeating: "0", count: 64), "--lake", dir + "/lake"])
        #expect(unknown.status == 2 && unknown.stderrText.contains("rule quarantine.not_found"))
        #expect(
            try Self.dp(["quarantine", "list", "--json", "--lake", dir + "/lake"]).stdoutText.contains(
                "\"released_to\":\"\(dir)/out/eicar.com.txt\""))
    }

    /// A clean export: nothing quarantined, no quarantine folder, exit 0.
    @Test func aCleanExportIsUntouched() throws {
        let dir = TestPaths.scratch("clean-scan")
        defer { TestPaths.remove(dir) }
        let r = try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/lake"])
        #expect(r.status == 0 && !r.stdoutText.contains("quarantined"), "\(r.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/lake/quarantine"))
    }

    /// `--rules DIR`: a user's rule quarantines what the built-in ones pass, and is part of the
    /// job (another job id); a rule file that does not compile is a usage error before anything
    /// is read.
    @Test func aUsersRules() throws {
        let dir = TestPaths.scratch("user-rules")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/rules", withIntermediateDirectories: true)
        try Data("rule confidential { strings: $m = \"PROJECT-NIGHTJAR\" condition: $m }\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/rules/corp.yar"))
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try Data("[{\"text\": \"about PROJECT-NIGHTJAR\"}]".utf8).write(to: URL(fileURLWithPath: dir + "/in/a.json"))
        try Data("[{\"text\": \"plain\"}]".utf8).write(to: URL(fileURLWithPath: dir + "/in/b.json"))
        let plain = try Self.dp(["ingest", dir + "/in", "--lake", dir + "/lake1"])
        #expect(plain.status == 0, "\(plain.stderrText)")
        let ruled = try Self.dp(["ingest", dir + "/in", "--lake", dir + "/lake2", "--rules", dir + "/rules"])
        #expect(
            ruled.status == 1
                && ruled.stderrText.contains("entry 'a.json': rule security.malware_signature: matched yara rule corp:confidential"))
        let job = { (r: CommandRunner.Result) in r.stdoutText.split(separator: "\n").first.map(String.init) ?? "" }
        #expect(job(plain) != job(ruled))
        try Data("rule broken { condition: nosuch }\n".utf8).write(to: URL(fileURLWithPath: dir + "/rules/zz.yar"))
        let broken = try Self.dp(["ingest", dir + "/in", "--lake", dir + "/lake3", "--rules", dir + "/rules"])
        #expect(broken.status == 2 && broken.stderrText.contains("rule security.rules_invalid") && broken.stderrText.contains("zz.yar:1"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/lake3"))
    }

    /// The generator's answer key: every `security.*` refusal it plants is reported for that
    /// entry with that rule.
    @Test func theAdversarialAnswerKeysSecurityRefusals() throws {
        let dir = TestPaths.scratch("adversarial-security")
        defer { TestPaths.remove(dir) }
        let corpus = TestPaths.corpus + "/generated/adversarial-seed1"
        let manifest = try ManifestFile(path: corpus + "/manifest.json")
        let wanted = (manifest.raw["refused"]?.arrayValue ?? []).filter { $0["rule"]?.stringValue?.hasPrefix("security.") == true }
        #expect(!wanted.isEmpty)
        for refusal in wanted {
            let file = try #require(refusal["file"]?.stringValue)
            let r = try Self.dp(["ingest", corpus + "/" + file, "--lake", dir + "/" + file + ".lake"])
            let line = "entry '\(refusal["entry"]?.stringValue ?? "")': rule \(refusal["rule"]?.stringValue ?? "")"
            #expect(r.status == 1 && r.stderrText.contains(line), "\(file): no `\(line)` in \(r.stderrText)")
        }
    }

    /// The validation events in `--progress json`, and the counts in `metrics`.
    @Test func validationEventsAndMetrics() throws {
        let dir = TestPaths.scratch("validation-events")
        defer { TestPaths.remove(dir) }
        let zip = try Self.hostileExport(dir)
        let r = try Self.dp(["ingest", zip, "--lake", dir + "/lake", "--progress", "json"])
        #expect(r.status == 1)
        let events = r.stderrText.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
            try? JSONValueReader.parse(Array($0.utf8))
        }
        let named = { (name: String) in events.filter { $0["event"]?.stringValue == name } }
        #expect(named("validation_start").count == 1 && named("validation_start").first?["inputs"] == .number("1"))
        let scan = try #require(named("security_scan_complete").first)
        #expect(scan["scanned"] == .number("5") && scan["quarantined"] == .number("3") && scan["input"] == .string("export.zip"))
        #expect(named("format_verification").first?["findings"] == .number("0"))
        #expect(named("entry").filter { $0["status"] == .string("quarantined") }.count == 3)
        let metrics = try Self.dp(["metrics", "--lake", dir + "/lake"]).stdoutText
        #expect(
            metrics.contains("datapunk_quarantined_files 3\n") && metrics.contains("datapunk_files{status=\"quarantined\"} 3\n"),
            "\(metrics)")
        #expect(metrics.contains("datapunk_errors{rule=\"security.malware_signature\"} 3\n"))
    }
}

/// ClamAV as the security scan's second engine, with the test database in Corpus/clamav.
@Suite struct ClamAVEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    static func export(_ dir: String) throws -> String {
        let zip = dir + "/export.zip"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let writer = try ArchiveWriter(path: zip, format: .zip)
        try writer.addFile("notes/marker.json", contents: Array(#"[{"note": "DATAPUNK-CLAMAV-TEST-MARKER-7f3a91"}]"#.utf8))
        try writer.addFile("notes/ok.json", contents: Array(#"[{"note": "fine"}]"#.utf8))
        try writer.close()
        return zip
    }

    @Test func aSignatureMatchIsQuarantinedAndTheEngineIsNamed() throws {
        let dir = TestPaths.scratch("clamav-e2e")
        defer { TestPaths.remove(dir) }
        let zip = try Self.export(dir)
        let r = try Self.dp(["ingest", zip, "--lake", dir + "/lake", "--clamav-db", TestPaths.corpus + "/clamav"])
        #expect(r.status == 1)
        #expect(
            r.stderrText.contains(
                "entry 'notes/marker.json': rule security.malware_signature: matched clamav rule Datapunk.Test.Marker.UNOFFICIAL"))
        #expect(r.stdoutText.contains("1 quarantined") && r.stdoutText.contains("2 signatures from"), "\(r.stdoutText)")
        let export = try Self.dp(["export", "--lake", dir + "/lake"]).stdoutText
        #expect(!export.contains("MARKER") && export.contains("fine"))

        // Without a database ClamAV does not run, and the summary says so; the same zip loads.
        let plain = try Self.dp(["ingest", zip, "--lake", dir + "/plain", "--clamav-db", dir + "/no-such-folder"])
        #expect(plain.status == 2 && plain.stderrText.contains("security.rules_invalid"), "\(plain.stderrText)")
        let off = try Self.dp(["ingest", zip, "--lake", dir + "/off", "--no-clamav"])
        #expect(off.status == 0 && off.stdoutText.contains("clamav: not run (--no-clamav)"), "\(off.stdoutText)")
        // Another engine, another job.
        #expect(r.stdoutText.split(separator: "\n").first != off.stdoutText.split(separator: "\n").first)
    }
}
