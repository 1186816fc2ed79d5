import Foundation
import LakeCore
import LakeIngest
import LakeStore
import Testing
import _LakeTestSupport

/// `datapunk erase --user` and the audit log through the command line (docs/SPEC.md 7): after
/// an erase no byte of the user's data is anywhere in the lake folder, the other user's export
/// is unchanged, and the audit log holds one row per command that changed the lake.
@Suite struct EraseEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// Every file under `folder`, its bytes searched for `needle`.
    static func filesHolding(_ needle: String, in folder: String) -> [String] {
        let bytes = Array(needle.utf8)
        return TestPaths.listFiles(folder).filter { file in
            let content = TestPaths.read(folder + "/" + file)
            guard content.count >= bytes.count else { return false }
            return (0...(content.count - bytes.count)).contains { i in
                content[i] == bytes[0] && Array(content[i..<(i + bytes.count)]) == bytes
            }
        }
    }

    @Test func anErasedUserLeavesNoByteAndTheOtherUserIsUntouched() throws {
        let dir = TestPaths.scratch("erase")
        defer { TestPaths.remove(dir) }
        let lake = dir + "/lake"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Alice: the sample Twitter archive plus a Takeout part with planted values and a
        // quarantined file.
        let planted = ["planted-note-3f9e1c for alice", "alice.planted.7d2@example.org"]
        let takeout = dir + "/alice-takeout.zip"
        let w = try ArchiveWriter(path: takeout, format: .zip)
        try w.addFile("Takeout/notes.json", contents: Array("[{\"text\": \"\(planted[0])\", \"mail\": \"\(planted[1])\"}]".utf8))
        try w.addFile("Takeout/eicar.com.txt", contents: QuarantineEndToEndTests.eicar)
        try w.close()
        let alice = "alice-erasure-0b5"
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", lake, "--user", alice]).status == 0)
        #expect(try Self.dp(["ingest", takeout, "--lake", lake, "--user", alice]).status == 1)
        let corpus = dir + "/bob"
        #expect(try Self.dp(["corpus", "generate", "--profile", "twitter", "--scale", "200KB", "--output", corpus]).status == 0)
        let bobInputs = try ManifestFile(path: corpus + "/manifest.json").inputs.map { corpus + "/" + $0.file }
        #expect(try Self.dp(["ingest"] + bobInputs + ["--lake", lake, "--user", "bob"]).status == 0)

        let aliceBefore = try Self.dp(["export", "--lake", lake, "--user", alice]).stdoutText
        let bobBefore = try Self.dp(["export", "--lake", lake, "--user", "bob"]).stdout
        // Values only Alice's records hold: texts of her tweets, and what was planted.
        let bobText = String(decoding: bobBefore, as: UTF8.self)
        let texts = aliceBefore.split(separator: "\n").compactMap {
            try? JSONValueReader.parse(Array($0.utf8))["data"]?["full_text"]?.stringValue
        }
        .filter { $0.count >= 8 && !bobText.contains($0) && !$0.contains("\"") && !$0.contains("\\") }
        let needles = planted + Array(texts.prefix(4)) + [alice]
        #expect(texts.count >= 3)
        for n in needles { #expect(!Self.filesHolding(n, in: lake).isEmpty, "\(n) not in the lake before the erase") }
        #expect(FileManager.default.fileExists(atPath: lake + "/quarantine/" + FileDigester.sha256(QuarantineEndToEndTests.eicar)))

        let erased = try Self.dp(["erase", "--lake", lake, "--user", alice])
        #expect(erased.status == 0, "\(erased.stderrText)")
        #expect(erased.stdoutText.contains("jobs=2") && erased.stdoutText.contains("quarantined=1"), "\(erased.stdoutText)")
        for n in needles { #expect(Self.filesHolding(n, in: lake).isEmpty, "\(n) is still in \(Self.filesHolding(n, in: lake))") }
        #expect(!FileManager.default.fileExists(atPath: lake + "/quarantine/" + FileDigester.sha256(QuarantineEndToEndTests.eicar)))
        #expect(try Self.dp(["export", "--lake", lake, "--user", alice]).stdout.isEmpty)
        #expect(try Self.dp(["export", "--lake", lake, "--user", "bob"]).stdout == bobBefore)
        #expect(try Self.dp(["export", "--lake", lake]).stdout == bobBefore)
        let jobs = try Self.dp(["jobs", "--lake", lake]).stdoutText
        #expect(jobs.split(separator: "\n").count == 1, "\(jobs)")

        // The audit log: three ingests and the erase, the user named by SHA-256 only.
        let store = try Lake(directory: lake, create: false)
        let audit = try store.audit()
        #expect(audit.map(\.command) == ["ingest (completed)", "ingest (completed_with_errors)", "ingest (completed)", "erase"])
        #expect(audit[3].subject == Lake.auditSubject(alice) && audit[3].counts.contains("\"records\":"))
        #expect(audit.allSatisfy { !$0.actor.isEmpty && !$0.at.isEmpty })
        // Append-only: SQLite itself refuses to change or remove a row.
        let db = try SQLiteDatabase(path: lake + "/catalog.sqlite")
        #expect(throws: SQLiteError.self) { try db.execute("UPDATE audit SET command = 'x'") }
        #expect(throws: SQLiteError.self) { try db.execute("DELETE FROM audit") }
    }
}
