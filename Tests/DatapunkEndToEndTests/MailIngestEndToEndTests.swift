import Foundation
import LakeCore
import LakeCorpus
import LakeIngest
import LakeParsers
import Testing
import _LakeTestSupport

/// Gmail's mbox through the chunked pipeline: the counts of the generator's answer key, the same
/// export for any worker count and chunk size, and resume after SIGKILL inside the mbox.
@Suite(.serialized) struct MailIngestEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// A generated Takeout export's first part (the one holding the mbox) and its manifest.
    static func takeout(_ dir: String, scale: String, seed: UInt64) throws -> (zip: String, manifest: ManifestFile) {
        try CorpusGenerator.generate(profile: "google-takeout", seed: seed, scale: scale, output: dir + "/corpus")
        let manifest = try ManifestFile(path: dir + "/corpus/manifest.json")
        let input = try #require(manifest.inputs.first { $0.entries.contains { $0.recordKind == "email" } })
        return (dir + "/corpus/" + input.file, manifest)
    }

    static func exportLines(_ lake: String) throws -> [JSONValue] {
        let r = try dp(["export", "--lake", lake])
        #expect(r.status == 0, "\(r.stderrText)")
        return try r.stdoutText.split(separator: "\n").map { try JSONReader.parse(Array($0.utf8)) }
    }

    @Test func mboxRecordsMatchTheAnswerKeyForAnyWorkerCountAndChunkSize() throws {
        let dir = TestPaths.scratch("mbox-parallel")
        defer { TestPaths.remove(dir) }
        let (zip, manifest) = try Self.takeout(dir, scale: "2MB", seed: 41)
        let name = (zip as NSString).lastPathComponent
        let mbox = try #require(manifest.inputs.first { $0.file == name }?.entries.first { $0.recordKind == "email" })
        #expect(mbox.records > 100, "the mbox should span several chunks: \(mbox.records) messages")
        var reference: [UInt8]?
        for (i, (parallel, chunk)) in [(1, "1GB"), (3, "8KB"), (8, "1MB")].enumerated() {
            let lake = dir + "/lake\(i)"
            let r = try Self.dp([
                "ingest", zip, "--lake", lake, "--parallel", String(parallel), "--chunk-size", chunk, "--progress", "json",
            ])
            #expect(r.status == 0, "\(r.stderrText)")
            let chunks = r.stderrText.split(separator: "\n").filter { $0.contains("\"event\":\"chunk\"") && $0.contains(".mbox") }.count
            if chunk == "8KB" { #expect(chunks > 5, "\(chunks) chunks") }
            let bytes = try Self.dp(["export", "--lake", lake]).stdout
            if let reference {
                #expect(bytes == reference, "parallel \(parallel), chunk \(chunk): export differs")
            } else {
                reference = bytes
            }
        }
        let records = try Self.exportLines(dir + "/lake0").filter { $0["source"]?["path"]?.stringValue == mbox.path }
        #expect(records.count == mbox.records)
        #expect(records.allSatisfy { $0["record_kind"]?.stringValue == "email" && $0["export_kind"]?.stringValue == "google-takeout" })
        // Indexes are the messages' positions, in order, without gaps.
        #expect(records.map { Int(CanonicalJSON.string($0["source"]!["index"]!)) } == Array(0..<mbox.records))
        // Every generated message has a Date header and a sender address.
        #expect(records.allSatisfy { $0["data"]?["time_source"]?.stringValue == "date_header" && $0["occurred_at"] != .null })
        #expect(records.allSatisfy { r in r["entities"]?.arrayValue?.contains { $0["kind"]?.stringValue == "email" } == true })
    }

    @Test func killedInsideTheMboxAndResumedGivesTheUninterruptedExport() throws {
        let dir = TestPaths.scratch("mbox-kill")
        defer { TestPaths.remove(dir) }
        let (zip, _) = try Self.takeout(dir, scale: "2MB", seed: 42)
        let ref = try Self.dp(["ingest", zip, "--lake", dir + "/ref", "--chunk-size", "8KB"])
        #expect(ref.status == 0, "\(ref.stderrText)")
        let lake = dir + "/lake"
        let (kills, last) = try CommandRunner.killUntilDone(
            after: 3, maxRuns: 40,
            arguments: { run in
                ["ingest", zip, "--lake", lake, "--chunk-size", "8KB", "--progress", "json", "--parallel", String(run % 3 + 1)]
            }
        ) { $0.contains("\"event\":\"chunk\"") && $0.contains(".mbox") }
        #expect(last?.killed == false && last?.status == 0, "\(last?.lines.suffix(3) ?? [])")
        #expect(kills >= 3, "\(kills) kills")
        #expect(try Self.dp(["export", "--lake", lake]).stdout == (try Self.dp(["export", "--lake", dir + "/ref"]).stdout))
    }

    @Test func anMboxWithoutAFromLineIsRejectedAndTheRestLoads() throws {
        let dir = TestPaths.scratch("mbox-bad")
        defer { TestPaths.remove(dir) }
        let zip = dir + "/mail.zip"
        let good = "From a@example.org Mon Jan  1 10:00:00 2024\nFrom: A <a@example.org>\nSubject: hi\n\nbody\n"
        let w = try ArchiveWriter(path: zip, format: .zip)
        try w.addFile("Takeout/Mail/bad.mbox", contents: Array("Subject: no envelope\n\nbody\n".utf8))
        try w.addFile("Takeout/Mail/good.mbox", contents: Array(good.utf8))
        try w.close()
        let r = try Self.dp(["ingest", zip, "--lake", dir + "/lake"])
        #expect(r.status == 1, "\(r.stderrText)")
        #expect(r.stdoutText.contains("mbox.no_from_line") || r.stderrText.contains("mbox.no_from_line"))
        let records = try Self.exportLines(dir + "/lake")
        #expect(records.count == 1 && records[0]["source"]?["path"]?.stringValue == "Takeout/Mail/good.mbox")
        #expect(
            records[0]["data"]?["time_source"]?.stringValue == "envelope"
                && records[0]["occurred_at"]?.stringValue == "2024-01-01T10:00:00.000Z")
    }
}
