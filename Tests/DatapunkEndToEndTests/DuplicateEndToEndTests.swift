import Foundation
import LakeCore
import LakeIngest
import LakeStore
import Testing
import _LakeTestSupport

/// The step names of `--progress json`'s `duplicate_step` events, in order (docs/SPEC.md 5.11).
enum DuplicateLinkerSteps {
    static let names = ["merge", "hash_texts", "identical_texts", "near_texts", "content_hash", "relink", "files"]
}

/// The duplicate stage through the command line (docs/SPEC.md 5.11).
@Suite struct DuplicateEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// A generated Twitter corpus whose tweet files are long enough to hold planted exact and
    /// near pairs.
    static func corpus(_ dir: String) throws -> (folder: String, archives: [String]) {
        let folder = dir + "/corpus"
        let gen = try dp(["corpus", "generate", "--profile", "twitter", "--seed", "8", "--scale", "600KB", "--output", folder])
        #expect(gen.status == 0, "\(gen.stderrText)")
        return (folder, try ManifestFile(path: folder + "/manifest.json").inputs.map { folder + "/" + $0.file })
    }

    @Test func plantedExactAndNearDuplicatesAreLinkedAndNothingElse() throws {
        let dir = TestPaths.scratch("dup-e2e")
        defer { TestPaths.remove(dir) }
        let (folder, archives) = try Self.corpus(dir)
        let r = try Self.dp(["ingest"] + archives + ["--lake", dir + "/lake", "--progress", "json"])
        #expect(r.status == 0, "\(r.stderrText)")
        let events = r.stderrText.split(separator: "\n").compactMap { try? JSONValueReader.parse(Array($0.utf8)) }
        let event = try #require(events.first { $0["event"]?.stringValue == "duplicate_detection" })
        let duplicates = try ManifestFile(path: folder + "/manifest.json").duplicates
        let planted = duplicates.filter { $0.kind == "exact" }.count, near = duplicates.filter { $0.kind == "near" }.count
        #expect(planted >= 2 && event["records"] == .number(String(planted)))
        #expect(near >= 2 && event["near_records"] == .number(String(near)), "\(event)")
        // Each step of the stage told as it ends, in order, with counts that add up to the links.
        let steps = events.filter { $0["event"]?.stringValue == "duplicate_step" }
        #expect(steps.map { $0["step"]?.stringValue ?? "" } == DuplicateLinkerSteps.names)
        func count(_ step: String) -> Int {
            guard case .number(let n)? = steps.first(where: { $0["step"]?.stringValue == step })?["count"] else { return -1 }
            return Int(n) ?? -1
        }
        #expect(count("content_hash") == planted)
        // The planted exact duplicates are tweets: their texts are equal too (the content hash link
        // then replaces the text's).
        #expect(count("identical_texts") + count("near_texts") == near + planted)
        #expect(count("relink") == planted + near && count("merge") == 0 && count("hash_texts") > 0)
        #expect(count("files") > 0)
        try Data(try Self.dp(["export", "--lake", dir + "/lake"]).stdout).write(to: URL(fileURLWithPath: dir + "/export.ndjson"))
        let score = try Self.dp(["corpus", "score", "--manifest", folder + "/manifest.json", "--min", "0.98", dir + "/export.ndjson"])
        #expect(score.status == 0, "\(score.stdoutText)\(score.stderrText)")
        #expect(score.stdoutText.contains("exact_duplicate  tp \(planted) fp 0 fn 0"), "\(score.stdoutText)")
        #expect(score.stdoutText.contains("near_duplicate   tp \(near) fp 0 fn 0"), "\(score.stdoutText)")
        // The two archives' identical media files: each but the first marked, none dropped.
        let db = try SQLiteDatabase(path: dir + "/lake/catalog.sqlite", readOnly: true)
        var marked = 0, sameBytes = 0
        try db.prepare("SELECT count(*) FROM files WHERE duplicate_of IS NOT NULL").forEachRow { marked = Int($0.int(0)) }
        try db.prepare(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM files WHERE kind = 'file' GROUP BY size, xxh64, sha256)"
        ).forEachRow { sameBytes = Int($0.int(0)) }
        #expect(marked > 0 && marked == sameBytes)
    }

    /// The links depend on the lake's records, not on the order jobs brought them: the same
    /// elements in a JSON file and again inside a zip, ingested in both orders.
    @Test func linksDoNotDependOnJobOrder() throws {
        let dir = TestPaths.scratch("dup-order")
        defer { TestPaths.remove(dir) }
        let elements = Array(#"[{"note": "first"}, {"note": "second"}, {"note": "first"}]"#.utf8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(elements).write(to: URL(fileURLWithPath: dir + "/notes.json"))
        let writer = try ArchiveWriter(path: dir + "/bundle.zip", format: .zip)
        try writer.addFile("copy/notes.json", contents: elements)
        try writer.addFile("other.json", contents: Array(#"[{"note": "third"}]"#.utf8))
        try writer.close()
        for (lake, order) in [("ab", ["notes.json", "bundle.zip"]), ("ba", ["bundle.zip", "notes.json"])] {
            for input in order { #expect(try Self.dp(["ingest", dir + "/" + input, "--lake", dir + "/" + lake]).status == 0) }
        }
        let ab = try Self.dp(["export", "--lake", dir + "/ab"]).stdoutText
        let ba = try Self.dp(["export", "--lake", dir + "/ba"]).stdoutText
        let same = ab == ba
        #expect(same, "the two orders give different exports")
        // bundle.zip sorts first: its first "first" is the original, and the three other
        // "first"s link to it; the "second" in notes.json links to the zip's "second".
        let lines = ab.split(separator: "\n").map { try? JSONValueReader.parse(Array($0.utf8)) }
        let links = lines.compactMap { $0?["relationships"]?.arrayValue?.first { $0["type"]?.stringValue == "duplicate_of" } }
        #expect(links.count == 4, "\(ab)")
        let original = lines.first { $0?["source"]?["input"]?.stringValue == "bundle.zip" && $0?["source"]?["index"] == .number("0") }
        #expect(links.filter { $0["target"]?.stringValue == original??["id"]?.stringValue }.count == 3)
    }
}
