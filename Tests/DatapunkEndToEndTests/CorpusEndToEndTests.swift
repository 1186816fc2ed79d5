import Foundation
import LakeCore
import Testing
import _LakeTestSupport

/// `datapunk corpus generate`, then `datapunk ingest` of what it made: the lake holds exactly
/// the tweets and accounts the manifest announces, per file.
@Suite(.serialized) struct CorpusEndToEndTests {
    @Test func generatedTwitterCorpusIngestsToTheManifestCounts() throws {
        let dir = TestPaths.scratch("corpus-e2e")
        defer { TestPaths.remove(dir) }
        let gen = try CommandRunner.run(CommandRunner.datapunk, ["corpus", "generate", "--profile", "twitter", "--seed", "11", "--scale", "300KB", "--output", dir + "/corpus"])
        #expect(gen.status == 0, "\(gen.stderrText)")
        #expect(gen.stdoutText.contains("planted PII values"))
        let manifest = try JSONValueReader.parse(TestPaths.read(dir + "/corpus/manifest.json"))
        let inputs = try #require(manifest["inputs"]?.arrayValue)
        #expect(inputs.count == 2)
        for input in inputs {
            let file = try #require(input["file"]?.stringValue)
            let r = try CommandRunner.run(CommandRunner.datapunk, ["ingest", dir + "/corpus/" + file, "--lake", dir + "/lake"])
            #expect(r.status == 0, "\(r.stderrText)")
        }
        let export = try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", dir + "/lake"])
        var counts: [String: Int] = [:]
        for line in export.stdoutText.split(separator: "\n") {
            let v = try JSONValueReader.parse(Array(line.utf8))
            counts[(v["source"]?["input"]?.stringValue ?? "") + "|" + (v["source"]?["path"]?.stringValue ?? ""), default: 0] += 1
        }
        var expected: [String: Int] = [:]
        for input in inputs {
            for e in input["entries"]?.arrayValue ?? [] where ["tweet", "account", "like", "dm_conversation", "follower"].contains(e["record_kind"]?.stringValue ?? "") {
                expected[(input["file"]?.stringValue ?? "") + "|" + (e["path"]?.stringValue ?? "")] = Int(CanonicalJSON.string(e["records"] ?? .null))
            }
        }
        #expect(counts == expected)
    }

    @Test func unknownProfileIsAUsageError() throws {
        let r = try CommandRunner.run(CommandRunner.datapunk, ["corpus", "generate", "--profile", "instagram", "--output", "/tmp/never"])
        #expect(r.status == 2)
        #expect(r.stderrText.contains("rule corpus.profile: unknown profile 'instagram'; available: twitter, facebook, google-takeout, adversarial, mixed"))
    }
}

/// Golden/generated/<case>.ndjson: the canonical export of every committed generated case of a
/// profile the pipeline maps today (twitter). Facebook cases are regenerated and checked by
/// GeneratedCorpusTests; their goldens come with the Facebook mappers.
@Suite(.serialized) struct GeneratedCorpusGoldenTests {
    @Test func everyCommittedCaseMatchesItsGolden() throws {
        let cases = String(decoding: TestPaths.read(TestPaths.corpus + "/generated/cases.txt"), as: UTF8.self)
            .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .filter { $0.count == 4 && $0[1] == "twitter" }.map { $0[0] }
        #expect(!cases.isEmpty)
        for name in cases {
            let lake = TestPaths.scratch("golden-lake")
            defer { TestPaths.remove(lake) }
            let folder = TestPaths.corpus + "/generated/" + name
            for zip in TestPaths.listFiles(folder) where zip.hasSuffix(".zip") {
                let r = try CommandRunner.run(CommandRunner.datapunk, ["ingest", folder + "/" + zip, "--lake", lake])
                #expect(r.status == 0, "\(name)/\(zip): \(r.stderrText)")
            }
            let export = try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", lake])
            let outcome = Golden.check(export.stdout, suite: "generated", name: name + ".ndjson")
            #expect(outcome == .matches, "\(name): \(outcome)")
        }
    }
}
