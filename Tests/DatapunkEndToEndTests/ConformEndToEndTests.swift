import Foundation
import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

/// `datapunk conform` and the kit's Python runner (docs/SPEC.md 9.2): the reference passes its
/// own kit at every level through both; deliberately wrong candidates get the right verdict and
/// a difference at the right place, the same from both runners.
@Suite(.serialized) struct ConformEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }
    static func python(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run("/usr/bin/python3", args) }
    static let wrong = TestPaths.root + "/Tests/DatapunkEndToEndTests/Candidates/wrong.py"

    static func kit(_ dir: String, cases: [String] = []) throws -> String {
        let kit = dir + "/kit"
        let r = try dp(
            ["conform", "kit", "--output", kit, "--corpus", TestPaths.root + "/Corpus", "--golden", TestPaths.root + "/Golden"]
                + cases.flatMap { ["--case", $0] })
        #expect(r.status == 0, "\(r.stderrText)")
        return kit
    }

    /// Each case's JSON object by name, from `--json` output.
    static func results(_ r: CommandRunner.Result) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for line in r.stdoutText.split(separator: "\n") {
            guard let v = try? JSONReader.parse(Array(line.utf8), limits: JSONLimits()), let name = v["case"]?.stringValue else { continue }
            out[name] = v
        }
        return out
    }

    /// JSONTestSuite's parsing files and csv-spectrum's CSVs through the reference candidate:
    /// records and refusal lines, the goldens the kit's outside-suite cases are made from (each
    /// checked against its suite when the kit is written: `y_` accepted, `n_` refused; every
    /// CSV row's values as csv-spectrum's JSON has them).
    @Test(arguments: [
        ("json-test-suite", "/conformance/JSONTestSuite/test_parsing"), ("csv-spectrum", "/conformance/csv-spectrum/csvs"),
        ("overlapping-takeouts", "/cases/overlapping-takeouts/input"),
    ])
    func theOutsideSuiteCasesMatchTheirGoldens(name: String, folder: String) throws {
        let dir = TestPaths.scratch("conform-\(name)")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let r = try Self.dp(["conform", "candidate", TestPaths.corpus + folder, dir + "/out.ndjson"])
        #expect(r.status == 0, "\(r.stderrText)")
        let outcome = Golden.check(TestPaths.read(dir + "/out.ndjson"), suite: "conformance", name: name + ".ndjson")
        #expect(outcome == .matches, "\(outcome)")
    }

    /// The real-sample suite's fixtures, each folder one input, through the reference candidate:
    /// the goldens of the kit's `real-*` cases (checked against the records the peers' own
    /// tests assert when the kit is written).
    @Test(arguments: [
        "python-icalendar", "twitter-to-sqlite/zip_contents", "google-takeout-to-sqlite/zip_contents", "mail-parser",
        "google_takeout_parser", "ez-vcard", "google-takeout-to-sqlite/mbox_contents",
    ])
    func theRealSampleCasesMatchTheirGoldens(input: String) throws {
        let root = try JSONValueReader.parse(TestPaths.read(TestPaths.corpus + "/real/expected.json"))
        let c = try #require(root["cases"]?.arrayValue?.first { $0["input"]?.stringValue == input })
        let name = "real-" + String((c["name"]?.stringValue ?? "").map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        let dir = TestPaths.scratch("conform-" + name)
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestPaths.corpus + "/real/" + input, toPath: dir + "/in/" + (input as NSString).lastPathComponent)
        let r = try Self.dp(["conform", "candidate", dir + "/in", dir + "/out.ndjson"])
        #expect(r.status == 0, "\(r.stderrText)")
        let outcome = Golden.check(TestPaths.read(dir + "/out.ndjson"), suite: "conformance", name: name + ".ndjson")
        #expect(outcome == .matches, "\(outcome)")
    }

    @Test func theReferencePassesItsOwnKitAtEveryLevelThroughBothRunners() throws {
        let dir = TestPaths.scratch("conform-reference")
        defer { TestPaths.remove(dir) }
        let kit = try Self.kit(dir)
        let manifest = try JSONReader.parse(Array(TestPaths.read(kit + "/manifest.json")), limits: JSONLimits(maxDocumentBytes: 1 << 26))
        let cases = manifest["cases"]?.arrayValue?.count ?? 0
        #expect(cases >= 15)
        // The whole committed corpus through the reference once (`full`), each output also kept
        // by case name; then every level through both runners, the kept output copied in.
        let kept = dir + "/kept"
        try FileManager.default.createDirectory(atPath: kept, withIntermediateDirectories: true)
        let caseName = "$(basename \"$(dirname \"$0\")\")"
        let reference =
            "sh -c '\(CommandRunner.datapunk) conform candidate \"$0\" \"$1\" && cp \"$1\" \(kept)/\(caseName)' {input} {output}"
        let copy = "sh -c 'cp \(kept)/\(caseName) \"$1\"' {input} {output}"
        for (runner, level, candidate) in [("datapunk", "full", reference)]
            + ["parse", "shape", "normalize", "enrich", "full", "refusals"].flatMap({ level in
                [("datapunk", level, copy), ("run.py", level, copy)]
            })
        {
            let args = ["--cases", kit, "--candidate", candidate, "--level", level, "--jobs", "2", "--json"]
            let r = try runner == "datapunk" ? Self.dp(["conform"] + args) : Self.python([kit + "/run.py"] + args)
            #expect(r.status == 0, "\(runner) \(level): \(r.stdoutText)\(r.stderrText)")
            let verdicts = Self.results(r).mapValues { $0["verdict"]?.stringValue ?? "" }
            #expect(verdicts.count == cases && verdicts.values.allSatisfy { $0 == "pass" }, "\(runner) \(level): \(verdicts)")
        }
        // The refusals come from the answer keys: a candidate that loads the same records but
        // reports no refusal fails the cases with refusals there (adversarial, JSONTestSuite),
        // and only those.
        let silent = "sh -c 'grep -v refused \(kept)/\(caseName) > \"$1\"' {input} {output}"
        let quiet = try Self.dp(["conform", "--cases", kit, "--candidate", silent, "--level", "refusals", "--json"])
        let verdicts = Self.results(quiet).mapValues { $0["verdict"]?.stringValue ?? "" }
        #expect(
            quiet.status == 1 && verdicts["adversarial-seed1"] == "fail" && verdicts["json-test-suite"] == "fail", "\(quiet.stdoutText)")
        #expect(verdicts.filter { $0.value == "pass" }.count == cases - 2, "\(verdicts)")
        // The kit checks its own files.
        #expect(manifest["spec_version"]?.stringValue == SpecVersion.current)
        let files = manifest["files"]?.arrayValue ?? []
        #expect(files.count > 20)
        for f in files {
            let path = f["path"]?.stringValue ?? ""
            #expect(FileDigester.sha256(TestPaths.read(kit + "/" + path)) == f["sha256"]?.stringValue, "\(path)")
        }
    }

    /// `(mode, verdict, what the difference must show)`.
    static let wrongCandidates: [(String, String, @Sendable (JSONValue) -> Bool)] = [
        ("shift-time", "fail", { d in pointers(d).contains("/occurred_at") }),
        ("camel-key", "fail", { d in pointers(d).contains("/data/fullText") && pointers(d).contains("/data/full_text") }),
        ("drop", "fail", { d in (d["missing"]?.arrayValue ?? []).count == 1 && (d["extra"]?.arrayValue ?? []).isEmpty }),
        ("add", "fail", { d in (d["extra"]?.arrayValue ?? []).count == 1 && (d["missing"]?.arrayValue ?? []).isEmpty }),
        ("reorder", "fail", { d in d["line"] == .number("1") && pointers(d).isEmpty && (d["missing"]?.arrayValue ?? []).isEmpty }),
        ("crash", "crash", { _ in true }),
        ("hang", "timeout", { _ in true }),
        ("invalid-json", "fail", { d in d["line"] == .number("2") }),
        ("no-output", "missing", { _ in true }),
    ]

    static func pointers(_ difference: JSONValue) -> [String] {
        (difference["fields"]?.arrayValue ?? []).compactMap { $0["pointer"]?.stringValue }
    }

    @Test func wrongCandidatesGetTheRightVerdictFromBothRunners() throws {
        let dir = TestPaths.scratch("conform-wrong")
        defer { TestPaths.remove(dir) }
        let kit = try Self.kit(dir, cases: ["twitter-small"])
        // Below `full` the expected side has no ids: records are matched by position there.
        let runs = Self.wrongCandidates.flatMap { c in (c.1 == "fail" ? ["full", "normalize"] : ["full"]).map { (c, $0) } }
        for ((mode, verdict, shows), level) in runs {
            let candidate = "python3 \(Self.wrong) \(mode) \(CommandRunner.datapunk) {input} {output}"
            let junit = dir + "/\(mode).xml"
            let compare = level == "full" ? "bytes" : "semantic"
            let common = ["--candidate", candidate, "--level", level, "--compare", compare, "--timeout", "3", "--json", "--junit", junit]
            let swift = try Self.dp(["conform", "--cases", kit] + common)
            let py = try Self.python([kit + "/run.py"] + common)
            for (runner, r) in [("datapunk", swift), ("run.py", py)] {
                #expect(r.status == 1, "\(mode) at \(level) via \(runner): \(r.stdoutText)\(r.stderrText)")
                let result = try #require(
                    Self.results(r)["twitter-small"], "\(mode) at \(level) via \(runner): \(r.stdoutText)\(r.stderrText)")
                #expect(result["verdict"]?.stringValue == verdict, "\(mode) at \(level) via \(runner): \(result)")
                if verdict == "fail" {
                    let d = try #require(result["difference"], "\(mode) at \(level) via \(runner)")
                    #expect(shows(d), "\(mode) at \(level) via \(runner): \(d)")
                }
            }
            let xml = String(decoding: TestPaths.read(junit), as: UTF8.self)
            #expect(xml.contains(verdict == "fail" ? "<failure type=\"fail\"" : "<error type=\"\(verdict)\""), "\(mode): \(xml)")
        }
    }
}
