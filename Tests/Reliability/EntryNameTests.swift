import Foundation
import LakeIngest
@testable import LakeCorpus
import Testing
import _LakeTestSupport

/// Names libarchive cannot report faithfully (issue 14): a NUL inside a zip entry's name (it
/// returns names as C strings, so `evil\0.json` came back as `evil` and loaded), and a central
/// directory that names an entry differently from its local header (libarchive reads the local
/// name, `unzip` and Python the central one, so two tools saw two different files).
@Suite struct EntryNameTests {
    static func write(_ zip: ZipCrafter, _ path: String, prefix: [UInt8] = []) throws {
        try Data(prefix + zip.bytes()).write(to: URL(fileURLWithPath: path))
    }

    static func json(_ v: Int) -> [UInt8] { Array("[{\"v\": \(v)}]".utf8) }

    /// Ingests `zip` (written to `dir/name`) into `dir/lake`: exit 1 and exactly one error line,
    /// returned with the export's lines.
    static func ingestOneRefusal(_ zip: ZipCrafter, _ dir: String, _ name: String) throws -> (line: String, export: [Substring]) {
        try write(zip, dir + "/" + name)
        let r = try CommandRunner.run(CommandRunner.datapunk, ["ingest", dir + "/" + name, "--lake", dir + "/lake"])
        #expect(r.status == 1)
        let lines = r.stderrText.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stderrText)")
        let export = try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", dir + "/lake"]).stdoutText
        return (String(lines.first ?? ""), export.split(separator: "\n"))
    }

    @Test func aNulInANameIsRefusedNotCut() throws {
        let dir = TestPaths.scratch("nul-name")
        defer { TestPaths.remove(dir) }
        var zip = ZipCrafter()
        zip.entries = [.init(name: "ok.json", data: Self.json(1)), .init(name: "evil\0.json", data: Self.json(2))]
        let (line, export) = try Self.ingestOneRefusal(zip, dir, "nul.zip")
        #expect(line.contains("entry 'evil'") && line.contains("rule archive.unsafe_path") && line.contains("evil\\0.json"), "\(line)")
        #expect(export.count == 1 && export[0].contains("\"v\":1"), "\(export)")
    }

    /// The central directory out of the local headers' order, the disagreeing entry in the
    /// middle of the reading order, a ZIP64 offset field: only that entry is refused, and the
    /// message names both names.
    @Test func aNameTheCentralDirectoryDisagreesOnIsRefused() throws {
        let dir = TestPaths.scratch("mismatch")
        defer { TestPaths.remove(dir) }
        var zip = ZipCrafter()
        zip.entries = [
            .init(name: "a.json", data: Self.json(1)),
            .init(name: "safe.json", data: Self.json(2), localName: "../../evil.json"),
            .init(name: "c.json", data: Self.json(3), zip64Offset: true),
        ]
        zip.centralOrder = [2, 0, 1]
        let (line, export) = try Self.ingestOneRefusal(zip, dir, "mm.zip")
        #expect(
            line.contains("rule archive.name_mismatch") && line.contains("'safe.json'") && line.contains("'../../evil.json'"), "\(line)")
        #expect(export.count == 2 && !export.contains { $0.contains("\"v\":2") }, "\(export)")

        let inspect = try CommandRunner.run(CommandRunner.datapunk, ["inspect", "--json", dir + "/mm.zip"]).stdoutText
        #expect(inspect.contains("\"central_name\":\"safe.json\"") && inspect.contains("\"name_problem\":\"mismatch\""), "\(inspect)")
    }

    /// A zip inside a zip is copied to staging and audited like the outer one (read as a
    /// stream, libarchive would never see its central directory); the copy is gone afterwards.
    @Test func nestedZipsAreAuditedToo() throws {
        let dir = TestPaths.scratch("nested-names")
        defer { TestPaths.remove(dir) }
        var inner = ZipCrafter()
        inner.entries = [
            .init(name: "ok.json", data: Self.json(1)), .init(name: "evil\0.json", data: Self.json(2)),
            .init(name: "safe.json", data: Self.json(3), localName: "other.json"),
        ]
        var outer = ZipCrafter()
        outer.entries = [.init(name: "exports/inner.zip", data: inner.bytes()), .init(name: "top.json", data: Self.json(4))]
        try Self.write(outer, dir + "/outer.zip")
        let r = try CommandRunner.run(CommandRunner.datapunk, ["ingest", dir + "/outer.zip", "--lake", dir + "/lake"])
        #expect(r.status == 1)
        let lines = r.stderrText.split(separator: "\n").sorted()
        #expect(lines.count == 2, "\(r.stderrText)")
        #expect(lines.first?.contains("entry 'exports/inner.zip/evil': rule archive.unsafe_path") == true, "\(lines)")
        #expect(lines.last?.contains("entry 'exports/inner.zip/other.json': rule archive.name_mismatch") == true, "\(lines)")
        let export = try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", dir + "/lake"]).stdoutText
        #expect(export.split(separator: "\n").count == 2, "\(export)")
        #expect(TestPaths.listFiles(dir + "/lake/staging").isEmpty)
    }

    /// Findings land on the entry libarchive reports, in its reading order (ascending local
    /// header offset), whatever the central directory's order or a self-extractor's stub.
    @Test func findingsAreKeyedByReadingOrder() throws {
        let dir = TestPaths.scratch("audit")
        defer { TestPaths.remove(dir) }
        var zip = ZipCrafter()
        zip.entries = (0..<6).map { .init(name: "f\($0).json", data: Self.json($0)) }
        zip.entries[4].localName = "g4.json"
        zip.entries[1].name = "f\0.json"
        zip.centralOrder = [5, 4, 3, 2, 1, 0]
        try Self.write(zip, dir + "/stub.zip", prefix: Array("#!/bin/sh\nexec unzip \"$0\"\n".utf8))
        let audit = ZipNameAudit(path: dir + "/stub.zip", maxEntries: 1_000_000)
        #expect(audit.findings.keys.sorted() == [1, 4])
        #expect(audit.findings[1]?.problem == EntryNameProblem(kind: .nul, central: "f\\0.json", local: "f\\0.json"))
        #expect(audit.findings[4]?.problem == EntryNameProblem(kind: .mismatch, central: "f4.json", local: "g4.json"))
        let reader = try ArchiveReader(path: dir + "/stub.zip")
        var seen: [String] = []
        while let entry = try reader.nextEntry() { seen.append(entry.path + ":" + (entry.nameProblem?.kind.rawValue ?? "-")) }
        #expect(seen == ["f0.json:-", "f:nul", "f2.json:-", "f3.json:-", "g4.json:mismatch", "f5.json:-"])
        // Past the entry limit nothing is read.
        #expect(ZipNameAudit(path: dir + "/stub.zip", maxEntries: 1).findings.isEmpty)
    }

    /// A ZIP64 archive from Info-ZIP (`zip -fz`: a ZIP64 end record and size fields), one
    /// local name changed in place.
    @Test func zip64ArchivesAreAudited() throws {
        let dir = TestPaths.scratch("zip64")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        for name in ["one", "two"] { FileManager.default.createFile(atPath: dir + "/in/\(name).json", contents: Data("{}".utf8)) }
        let zipped = try CommandRunner.run(
            "/usr/bin/zip", ["-q", "-fz", dir + "/z.zip", "one.json", "two.json"], currentDirectory: dir + "/in")
        #expect(zipped.status == 0, "\(zipped.stderrText)")
        var bytes = TestPaths.read(dir + "/z.zip")
        #expect(bytes.firstRange(of: [0x50, 0x4B, 6, 6]) != nil)
        let at = try #require(bytes.firstRange(of: Array("two.json".utf8)))
        bytes.replaceSubrange(at.lowerBound..<at.lowerBound + 3, with: Array("six".utf8))
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/z.zip"))
        let audit = ZipNameAudit(path: dir + "/z.zip", maxEntries: 10)
        #expect(audit.findings.mapValues(\.problem) == [1: EntryNameProblem(kind: .mismatch, central: "two.json", local: "six.json")])
    }

    /// No false alarms: every zip in the corpus (generated, hand-written and real) audits clean.
    @Test func everyCorpusZipAuditsClean() throws {
        let zips = TestPaths.listFiles(TestPaths.corpus).filter { $0.hasSuffix(".zip") }.map { TestPaths.corpus + "/" + $0 }
        #expect(zips.count >= 5)
        for zip in zips where !zip.hasSuffix("/truncated.zip") {
            let audit = ZipNameAudit(path: zip, maxEntries: 1_000_000)
            #expect(audit.audited > 0 && audit.findings.isEmpty, "\(zip): \(audit.audited) records, \(audit.findings)")
        }
    }
}
