import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

/// The built `datapunk` binary, run with a fixed environment; stdout, stderr and exit status checked.
@Suite(.serialized) struct IngestEndToEndTests {
    let bin = CommandRunner.datapunk

    func run(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(bin, args) }

    func ingestAndExport(_ input: String, extra: [String] = []) throws -> (CommandRunner.Result, CommandRunner.Result, String) {
        let lake = TestPaths.scratch("lake")
        let ingest = try run(["ingest", input, "--lake", lake] + extra)
        let export = try run(["export", "--lake", lake])
        return (ingest, export, lake)
    }

    @Test func sampleExportMatchesGolden() throws {
        let (ingest, export, lake) = try ingestAndExport(TestPaths.sampleZip)
        defer { TestPaths.remove(lake) }
        #expect(ingest.status == 0, "\(ingest.stderrText)")
        #expect(ingest.stderrText == "")
        #expect(ingest.stdoutText.contains("8 files, 5 parsed, 11 records, 0 rejected"), "\(ingest.stdoutText)")
        #expect(export.status == 0)
        #expect(export.stderrText == "")
        let outcome = Golden.check(export.stdout, suite: "twitter-small", name: "export.ndjson")
        #expect(outcome == .matches, "\(outcome)")
        // Every line is canonical: parse and re-encode gives the same bytes.
        for line in export.stdoutText.split(separator: "\n") {
            let v = try JSONValueReader.parse(Array(line.utf8))
            #expect(CanonicalJSON.encode(v) == Array(line.utf8))
        }
    }

    @Test func twoFreshLakesGiveIdenticalBytesAndReRunsChangeNothing() throws {
        let (i1, e1, l1) = try ingestAndExport(TestPaths.sampleZip)
        let (i2, e2, l2) = try ingestAndExport(TestPaths.sampleZip)
        defer { TestPaths.remove(l1); TestPaths.remove(l2) }
        #expect(i1.status == 0 && i2.status == 0)
        #expect(e1.stdout == e2.stdout)
        #expect(!e1.stdout.isEmpty)
        let again = try run(["ingest", TestPaths.sampleZip, "--lake", l1])
        #expect(again.status == 0)
        #expect(again.stdoutText.contains("already ingested"))
        #expect(try run(["export", "--lake", l1]).stdout == e1.stdout)
        let jobs = try run(["jobs", "--lake", l1, "--json"])
        #expect(jobs.stdoutText.split(separator: "\n").count == 1)
        #expect(jobs.stdoutText.contains("\"state\":\"completed\""))
    }

    @Test func userFlagAndOutputFile() throws {
        let dir = TestPaths.scratch("lake")
        defer { TestPaths.remove(dir) }
        let lake = dir + "/lake"
        #expect(try run(["ingest", TestPaths.sampleZip, "--lake", lake, "--user", "someone-else"]).status == 0)
        let out = dir + "/out.ndjson"
        let e = try run(["export", "--lake", lake, "--output", out, "--user", "someone-else"])
        #expect(e.status == 0 && e.stdout.isEmpty)
        let lines = String(decoding: TestPaths.read(out), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines.allSatisfy { $0.contains("\"user\":\"someone-else\"") })
        #expect(try run(["export", "--lake", lake, "--user", "ada_punk"]).stdout.isEmpty)
    }

    /// Every export file carries the SPEC version it follows in its manifest, with its record
    /// count and SHA-256 (docs/SPEC.md 7); a standard-output export gets one with `--manifest`.
    @Test func exportsCarryAManifestWithTheSpecVersion() throws {
        let dir = TestPaths.scratch("lake")
        defer { TestPaths.remove(dir) }
        let lake = dir + "/lake"
        #expect(try run(["ingest", TestPaths.sampleZip, "--lake", lake]).status == 0)
        let out = dir + "/out.ndjson"
        #expect(try run(["export", "--lake", lake, "--output", out, "--redact"]).status == 0)
        let bytes = TestPaths.read(out)
        let sidecar = TestPaths.read(out + ".manifest.json")
        let m = try JSONValueReader.parse(sidecar)
        #expect(m["spec_version"] == .string(SpecVersion.current))
        #expect(m["records"] == .number("11") && m["bytes"] == .number(String(bytes.count)) && m["redacted"] == .bool(true))
        #expect(m["sha256"] == .string(FileDigester.sha256(bytes)) && m["user"] == .null)
        #expect(CanonicalJSON.encode(m) + [0x0A] == sidecar)
        // The same lake gives the same manifest; to standard output, where it is asked for.
        let stdout = try run(["export", "--lake", lake, "--redact", "--manifest", dir + "/m.json"])
        #expect(stdout.stdout == bytes && TestPaths.read(dir + "/m.json") == sidecar)
        #expect(try run(["export", "--lake", lake, "--output", dir + "/bare.ndjson", "--no-manifest"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir + "/bare.ndjson.manifest.json"))
        // Never inside the lake.
        let inside = try run(["export", "--lake", lake, "--manifest", lake + "/m.json"])
        #expect(inside.status == 2 && inside.stdout.isEmpty && !FileManager.default.fileExists(atPath: lake + "/m.json"))
    }

    @Test func missingFileIsRefusedAsAWhole() throws {
        let lake = TestPaths.scratch("lake")
        defer { TestPaths.remove(lake) }
        let r = try run(["ingest", lake + "/nope.zip", "--lake", lake])
        #expect(r.status == 3)
        #expect(r.stdoutText == "")
        #expect(r.stderrText == "datapunk: input '\(lake)/nope.zip': rule input.not_found: no such file\n")
    }

    /// A file that is no archive is its input's one entry: catalogued (a text file gives no
    /// records), routed by name like the same file inside its export.
    @Test func aBareFileIsItsInputsOneEntry() throws {
        let lake = TestPaths.scratch("lake")
        defer { TestPaths.remove(lake) }
        let r = try run(["ingest", TestPaths.corpus + "/twitter-small/src/data/README.txt", "--lake", lake])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText.contains("input README.txt: text") && r.stdoutText.contains("1 files, 0 parsed, 0 records, 0 rejected"))
        #expect(try run(["export", "--lake", lake]).stdout.isEmpty)
        // tweets.js alone gives the tweets the archive gives from it.
        let tweets = try run(["ingest", TestPaths.corpus + "/twitter-small/src/data/tweets.js", "--lake", lake + "/t"])
        #expect(tweets.status == 0, "\(tweets.stderrText)")
        let full = try run(["ingest", TestPaths.sampleZip, "--lake", lake + "/z"])
        #expect(full.status == 0)
        func texts(_ l: String) throws -> [String] {
            try run(["export", "--lake", l]).stdoutText.split(separator: "\n").filter {
                $0.contains("\"record_kind\":\"tweet\"") && $0.contains("\"path\":\"")
            }
            .compactMap { $0.components(separatedBy: "\"full_text\":").dropFirst().first.map { String($0.prefix(60)) } }
        }
        let alone = try texts(lake + "/t")
        #expect(!alone.isEmpty)
        #expect(Set(alone).isSubset(of: Set(try texts(lake + "/z"))))
    }

    @Test func zipCutInsideItsFirstHeaderIsRefusedAsAWhole() throws {
        let lake = TestPaths.scratch("lake")
        defer { TestPaths.remove(lake) }
        let bytes = TestPaths.read(TestPaths.sampleZip)
        let cut = lake + "/cut.zip"
        _ = FileManager.default.createFile(atPath: cut, contents: Data(bytes.prefix(20)))
        let r = try run(["ingest", cut, "--lake", lake + "/lake"])
        #expect(r.status == 3)
        #expect(r.stderrText.hasPrefix("datapunk: input 'cut.zip': rule archive.corrupt: "))
        #expect(r.stderrText.split(separator: "\n").count == 1)
        #expect(try run(["export", "--lake", lake + "/lake"]).stdout.isEmpty)
    }

    /// A zip cut two thirds of the way: the entries before the cut load (partial recovery),
    /// the cut entry is reported by name, and none of its records is committed.
    @Test func truncatedZipKeepsCompleteEntriesAndNamesTheBrokenOne() throws {
        let lake = TestPaths.scratch("lake")
        defer { TestPaths.remove(lake) }
        let bytes = TestPaths.read(TestPaths.sampleZip)
        let cut = lake + "/cut.zip"
        _ = FileManager.default.createFile(atPath: cut, contents: Data(bytes.prefix(bytes.count * 2 / 3)))
        let r = try run(["ingest", cut, "--lake", lake + "/lake"])
        #expect(r.status == 1)
        let lines = r.stderrText.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("datapunk: input 'cut.zip': entry 'data/manifest.js': rule archive.entry_corrupt: ") == true)
        let export = try run(["export", "--lake", lake + "/lake"]).stdoutText
        let paths = Set(
            export.split(separator: "\n").compactMap { line in
                line.components(separatedBy: "\"path\":\"").dropFirst().first?.prefix(while: { $0 != "\"" })
            }.map(String.init))
        #expect(paths == ["data/tweets.js", "data/tweets-part1.js", "data/like.js", "data/account.js"])
        #expect(export.split(separator: "\n").count == 10)
    }

    /// A safety limit is judged per record: each tweet nested past `--max-json-depth` is
    /// rejected alone (one line each, naming its record); the manifest, read as one value, is
    /// rejected whole; everything else loads.
    @Test func jsonOverALimitRejectsThoseRecordsOnly() throws {
        let lake = TestPaths.scratch("lake")
        defer { TestPaths.remove(lake) }
        let r = try run(["ingest", TestPaths.sampleZip, "--lake", lake, "--max-json-depth", "4"])
        #expect(r.status == 1)
        let errors = r.stderrText.split(separator: "\n").map(String.init)
        // Tweets nest 5 deep (array, tweet wrapper, tweet, entities, hashtags...); manifest.js
        // as well (dataTypes, a type, files, a file).
        let tweets = errors.filter { $0.contains("entry 'data/tweets") }
        #expect(
            !tweets.isEmpty && tweets.allSatisfy { $0.contains("rule json.depth_limit: nesting deeper than the limit of 4 (record ") },
            "\(errors)")
        #expect(errors.filter { $0.contains("entry 'data/manifest.js': rule json.depth_limit") }.count == 1, "\(errors)")
        #expect(errors.count == tweets.count + 1, "\(errors)")
        let export = try run(["export", "--lake", lake]).stdoutText
        // The account and the two likes load; no tweet was deep enough to pass.
        #expect(export.split(separator: "\n").count == 3)
        #expect(export.contains("\"record_kind\":\"account\"") && !export.contains("\"record_kind\":\"tweet\""))
    }

    /// `--max-json-bytes` is a safety limit per record: a file of small records loads whatever
    /// its size; a record over the limit is rejected alone.
    @Test func recordSizeLimit() throws {
        let lake = TestPaths.scratch("lake")
        defer { TestPaths.remove(lake) }
        let r = try run(["ingest", TestPaths.sampleZip, "--lake", lake, "--max-json-bytes", "2000"])
        #expect(r.status == 0, "\(r.stderrText)")
        let small = try run(["ingest", TestPaths.sampleZip, "--lake", lake + "/small", "--max-json-bytes", "100"])
        #expect(small.status == 1)
        #expect(
            small.stderrText.contains("entry 'data/tweets.js': rule json.record_size_limit: one record larger than the limit of 100 bytes"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try run(["ingest"]).status == 2)
        #expect(try run(["ingest", "x.zip", "--sha256", "abc"]).status == 2)
        let missing = try run(["export", "--lake", "/nonexistent-lake"])
        #expect(missing.status == 2)
        #expect(missing.stderrText.contains("rule lake.not_found"))
    }

    @Test func urlInputDownloadsResumesAndMatchesTheFileIngest() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let zip = TestPaths.read(TestPaths.sampleZip)
        server.set("/twitter-2024-01-15-sample.zip", body: zip, plan: [.dropAfter(bytes: 1000)])
        let (ingest, export, lake) = try ingestAndExport(
            server.url("/twitter-2024-01-15-sample.zip"), extra: ["--sha256", FileDigester.sha256(zip)])
        defer { TestPaths.remove(lake) }
        #expect(ingest.status == 0, "\(ingest.stderrText)")
        #expect(server.requests.map(\.range) == [nil, "bytes=1000-"])
        #expect(Golden.check(export.stdout, suite: "twitter-small", name: "export.ndjson") == .matches)
        #expect(TestPaths.listFiles(lake + "/staging").isEmpty)

        let bad = try run([
            "ingest", server.url("/twitter-2024-01-15-sample.zip"), "--lake", lake, "--sha256", String(repeating: "a", count: 64),
        ])
        #expect(bad.status == 3)
        #expect(bad.stderrText.contains("rule input.sha256_mismatch"))
    }

    @Test func httpsInputWithACAFileMatchesTheFileIngest() throws {
        let www = TestPaths.scratch("www")
        defer { TestPaths.remove(www) }
        try FileManager.default.copyItem(atPath: TestPaths.sampleZip, toPath: www + "/twitter-2024-01-15-sample.zip")
        let server = try TLSTestServer(root: www)
        defer { server.stop() }
        let (ingest, export, lake) = try ingestAndExport(
            server.url("/twitter-2024-01-15-sample.zip"), extra: ["--ca-file", server.certificate])
        defer { TestPaths.remove(lake) }
        #expect(ingest.status == 0, "\(ingest.stderrText)")
        #expect(Golden.check(export.stdout, suite: "twitter-small", name: "export.ndjson") == .matches)
        let untrusted = try run(["ingest", server.url("/twitter-2024-01-15-sample.zip"), "--lake", lake + "-untrusted"])
        defer { TestPaths.remove(lake + "-untrusted") }
        #expect(untrusted.status == 3, "\(untrusted.stderrText)")
        #expect(untrusted.stderrText.contains("rule download.failed"), "\(untrusted.stderrText)")
        let missing = try run(["ingest", server.url("/x.zip"), "--ca-file", "/nonexistent.pem"])
        #expect(missing.status == 2)
    }

    @Test func inspectJSON() throws {
        let r = try run(["inspect", TestPaths.sampleZip, "--json"])
        #expect(r.status == 0)
        let v = try JSONValueReader.parse(r.stdout.dropLast().map { $0 })
        #expect(v["mime_type"] == .string("application/zip"))
        #expect(v["format"] == .string("zip"))
        #expect(v["sha256"] == .string(FileDigester.sha256(TestPaths.read(TestPaths.sampleZip))))
        #expect(v["size"] == .number(String(TestPaths.read(TestPaths.sampleZip).count)))
        let entries = v["entries"]?.arrayValue ?? []
        #expect(entries.count == 8)
        let tweets = entries.first { $0["path"] == .string("data/tweets.js") }
        #expect(tweets?["format"] == .string("twitter-js"))
        #expect(tweets?["encoding"] == .string("utf-8"))
        #expect(tweets?["sha256"] == .string(FileDigester.sha256(TestPaths.read(TestPaths.corpus + "/twitter-small/src/data/tweets.js"))))
        let missing = try run(["inspect", "/nonexistent"])
        #expect(missing.status == 3)
    }
}
