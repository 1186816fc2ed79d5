import Foundation
import LakeCore
import LakeNormalize
import Testing
import _LakeTestSupport

/// `datapunk corpus generate`, then `datapunk ingest` of what it made: the lake holds exactly
/// the records the manifest announces, per file, for every profile the pipeline maps.
@Suite(.serialized) struct CorpusEndToEndTests {
    /// The lake's record count per `input|path`, and the manifest's for the files we map.
    static func counts(lake: String, manifest: JSONValue) throws -> (got: [String: Int], want: [String: Int]) {
        let export = try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", lake])
        var got: [String: Int] = [:]
        for line in export.stdoutText.split(separator: "\n") {
            let v = try JSONValueReader.parse(Array(line.utf8))
            got[(v["source"]?["input"]?.stringValue ?? "") + "|" + (v["source"]?["path"]?.stringValue ?? ""), default: 0] += 1
        }
        var want: [String: Int] = [:]
        for input in manifest["inputs"]?.arrayValue ?? [] {
            for e in input["entries"]?.arrayValue ?? [] {
                let path = e["path"]?.stringValue ?? ""
                // An entry with no records (an empty like.js) has no line in the export to count.
                let records = Int(CanonicalJSON.string(e["records"] ?? .null))
                if records != 0 { want[(input["file"]?.stringValue ?? "") + "|" + path] = records }
            }
        }
        return (got, want)
    }

    @Test(arguments: [("twitter", "300KB"), ("facebook", "300KB"), ("google-takeout", "300KB")])
    func generatedCorpusIngestsToTheManifestCounts(profile: String, scale: String) throws {
        let dir = TestPaths.scratch("corpus-e2e")
        defer { TestPaths.remove(dir) }
        let gen = try CommandRunner.run(
            CommandRunner.datapunk,
            ["corpus", "generate", "--profile", profile, "--seed", "11", "--scale", scale, "--output", dir + "/corpus"])
        #expect(gen.status == 0, "\(gen.stderrText)")
        #expect(gen.stdoutText.contains("planted PII values"))
        let manifest = try JSONValueReader.parse(TestPaths.read(dir + "/corpus/manifest.json"))
        let inputs = try #require(manifest["inputs"]?.arrayValue)
        #expect(inputs.count >= 2)
        // Each user's export is one ingest (Takeout parts together).
        for r in try CommandRunner.ingestCorpus(dir + "/corpus", manifest: manifest, lake: dir + "/lake") {
            #expect(r.status == 0, "\(r.stderrText)")
        }
        let (got, want) = try Self.counts(lake: dir + "/lake", manifest: manifest)
        #expect(!want.isEmpty)
        #expect(got == want)
    }

    @Test func unknownProfileIsAUsageError() throws {
        let r = try CommandRunner.run(CommandRunner.datapunk, ["corpus", "generate", "--profile", "instagram", "--output", "/tmp/never"])
        #expect(r.status == 2)
        #expect(
            r.stderrText.contains(
                "rule corpus.profile: unknown profile 'instagram'; available: twitter, facebook, google-takeout, adversarial, mixed"))
    }
}

/// Golden/generated/<case>.ndjson: the canonical export of every committed generated case
/// (Corpus/generated/cases.txt), its record counts checked against the case's manifest first.
/// A user's inputs are ingested together; the adversarial case's archives one by one, each
/// refused in part or whole (HostileArchiveConformanceTests checks how), and its golden holds
/// whatever the refusals left.
@Suite(.serialized) struct GeneratedCorpusGoldenTests {
    @Test func everyCommittedCaseMatchesItsGolden() throws {
        let cases = String(decoding: TestPaths.read(TestPaths.corpus + "/generated/cases.txt"), as: UTF8.self)
            .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .filter { $0.count == 4 }
        #expect(cases.count >= 4)
        for c in cases {
            let (name, profile) = (c[0], c[1])
            let lake = TestPaths.scratch("golden-lake")
            defer { TestPaths.remove(lake) }
            let folder = TestPaths.corpus + "/generated/" + name
            let manifest = try JSONValueReader.parse(TestPaths.read(folder + "/manifest.json"))
            if profile == "adversarial" {
                for file in TestPaths.listFiles(folder) where file != "manifest.json" {
                    _ = try CommandRunner.run(CommandRunner.datapunk, ["ingest", folder + "/" + file, "--lake", lake])
                }
            } else {
                for r in try CommandRunner.ingestCorpus(folder, manifest: manifest, lake: lake) {
                    #expect(r.status == 0, "\(name): \(r.stderrText)")
                }
                let (got, want) = try CorpusEndToEndTests.counts(lake: lake, manifest: manifest)
                #expect(got == want, "\(name)")
            }
            let export = try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", lake])
            let outcome = Golden.check(export.stdout, suite: "generated", name: name + ".ndjson")
            #expect(outcome == .matches, "\(name): \(outcome)")
            if profile != "adversarial" { try Self.plantedContactsAreEntities(export.stdoutText, manifest: manifest, name: name) }
        }
    }

    /// Every valid e-mail address and phone number the generator planted (the manifest's
    /// `pii` answer key) is an entity of a record of the entry it was planted in.
    static func plantedContactsAreEntities(_ ndjson: String, manifest: JSONValue, name: String) throws {
        var entities: [String: Set<String>] = [:]
        for line in ndjson.split(separator: "\n") {
            let r = try JSONValueReader.parse(Array(line.utf8))
            let key = (r["source"]?["input"]?.stringValue ?? "") + "|" + (r["source"]?["path"]?.stringValue ?? "")
            for e in r["entities"]?.arrayValue ?? [] {
                entities[key, default: []].insert((e["kind"]?.stringValue ?? "") + ":" + (e["value"]?.stringValue ?? ""))
            }
        }
        var planted = 0
        for p in manifest["pii"]?.arrayValue ?? [] {
            guard let type = p["type"]?.stringValue, type == "email" || type == "phone", p["valid"] == .bool(true),
                let value = p["value"]?.stringValue
            else { continue }
            let key = (p["file"]?.stringValue ?? "") + "|" + (p["entry"]?.stringValue ?? "")
            let wanted = type + ":" + (type == "phone" ? PhoneNumbers.normalize(value) ?? value : value)
            #expect(entities[key]?.contains(wanted) == true, "\(name): \(wanted) not an entity of \(key)")
            planted += 1
        }
        #expect(planted > 0, "\(name): no planted e-mail or phone")
    }
}

/// `datapunk export --redact` over a generated corpus: no valid planted value is left.
@Suite struct RedactedExportTests {
    @Test func noPlantedValueSurvivesRedaction() throws {
        let dir = TestPaths.scratch("redact")
        defer { TestPaths.remove(dir) }
        let folder = dir + "/corpus", lake = dir + "/lake"
        let gen = try CommandRunner.run(
            CommandRunner.datapunk, ["corpus", "generate", "--profile", "twitter", "--seed", "5", "--scale", "400KB", "--output", folder])
        #expect(gen.status == 0, "\(gen.stderrText)")
        let manifest = try JSONValueReader.parse(TestPaths.read(folder + "/manifest.json"))
        for r in try CommandRunner.ingestCorpus(folder, manifest: manifest, lake: lake) { #expect(r.status == 0, "\(r.stderrText)") }
        let plain = try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", lake])
        let redacted = try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", lake, "--redact"])
        #expect(redacted.status == 0)
        let planted = try ManifestFile(path: folder + "/manifest.json").pii.filter(\.valid)
        // Every type is planted at this scale.
        #expect(Set(planted.map(\.type)) == ["email", "phone", "credit_card", "ssn", "iban", "ip_address"])
        for p in planted {
            #expect(plain.stdoutText.contains(p.value), "\(p.value) not in the plain export")
            #expect(!redacted.stdoutText.contains(p.value), "\(p.type) \(p.value) survived --redact")
        }
        #expect(redacted.stdoutText.split(separator: "\n").count == plain.stdoutText.split(separator: "\n").count)
    }
}
