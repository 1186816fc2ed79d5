import Foundation
import LakeCore
import LakeParsers

/// Writes a self-contained conformance kit from the repository's committed cases and goldens
/// (docs/SPEC.md 9.2): `cases/<name>/input/` (the export files), `cases/<name>/expected/<level>.ndjson`
/// (the golden projected to each level), `manifest.json` (SPEC version, cases, SHA-256 of every
/// file), `run.py` (a runner in Python's standard library) and `README.md`.
public enum ConformKit {
    /// A case the repository holds: its export files and its golden export.
    public struct Source: Sendable {
        public var name: String
        public var inputs: [String]
        public var golden: String
        /// The case's answer key (`manifest.json`), whose `refused` list is the expected
        /// refusals; nil for an outside suite, whose golden holds its refusal lines and whose
        /// file names are its key (JSONTestSuite: `y_` accepted, `n_` refused).
        public var manifest: String?
        /// For csv-spectrum: the folder of its expected JSON, one file per CSV.
        public var spectrum: String? = nil
        /// For a real fixture: its case of `Corpus/real/expected.json`.
        public var real: JSONValue? = nil
        /// For the merge case: its answer key (`expected.json`: the records kept and their sightings).
        public var merges: String? = nil
    }

    /// JSONTestSuite's parsing cases (`Corpus/conformance/JSONTestSuite/test_parsing`): the
    /// reference's output, records and refusals, in `Golden/conformance/json-test-suite.ndjson`.
    public static let jsonTestSuite = (name: "json-test-suite", folder: "/conformance/JSONTestSuite/test_parsing")
    /// csv-spectrum (`Corpus/conformance/csv-spectrum`): its CSVs, checked against its JSON.
    public static let csvSpectrum = (name: "csv-spectrum", folder: "/conformance/csv-spectrum")
    /// Three overlapping Takeouts of one account (`Corpus/cases/overlapping-takeouts`, made by
    /// `Scripts/make-merge-case.py`): records seen again merged (docs/SPEC.md 5.11), checked
    /// against the answer key worked out when the files were made.
    public static let overlappingExports = (name: "overlapping-takeouts", folder: "/cases/overlapping-takeouts")

    /// The committed cases: `Corpus/twitter-small` and each of `Corpus/generated/cases.txt`.
    public static func sources(corpus: String, golden: String) throws -> [Source] {
        func files(_ folder: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                .filter { $0 != "manifest.json" && !$0.hasPrefix(".") }.map { folder + "/" + $0 }
                .filter {
                    var isDirectory: ObjCBool = false
                    return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
                }
        }
        var out = [
            Source(
                name: "twitter-small", inputs: try files(corpus + "/twitter-small"), golden: golden + "/twitter-small/export.ndjson",
                manifest: corpus + "/twitter-small/manifest.json")
        ]
        let list = try String(contentsOfFile: corpus + "/generated/cases.txt", encoding: .utf8)
        for line in list.split(separator: "\n") {
            guard let name = line.split(separator: " ").first.map(String.init) else { continue }
            out.append(
                Source(
                    name: name, inputs: try files(corpus + "/generated/" + name), golden: golden + "/generated/\(name).ndjson",
                    manifest: corpus + "/generated/\(name)/manifest.json"))
        }
        out.append(
            Source(
                name: jsonTestSuite.name, inputs: try files(corpus + jsonTestSuite.folder),
                golden: golden + "/conformance/\(jsonTestSuite.name).ndjson", manifest: nil))
        out.append(
            Source(
                name: csvSpectrum.name, inputs: try files(corpus + csvSpectrum.folder + "/csvs"),
                golden: golden + "/conformance/\(csvSpectrum.name).ndjson", manifest: nil,
                spectrum: corpus + csvSpectrum.folder + "/json"))
        out.append(
            Source(
                name: overlappingExports.name, inputs: try files(corpus + overlappingExports.folder + "/input"),
                golden: golden + "/conformance/\(overlappingExports.name).ndjson", manifest: nil,
                merges: corpus + overlappingExports.folder + "/expected.json"))
        // The real-sample suite: each fixture folder is one input (an unpacked export).
        if let data = FileManager.default.contents(atPath: corpus + "/real/expected.json") {
            let root = try JSONReader.parse(Array(data), limits: JSONLimits(maxDepth: 32, maxDocumentBytes: 1 << 26))
            for c in root["cases"]?.arrayValue ?? [] {
                guard let name = c["name"]?.stringValue, let input = c["input"]?.stringValue else { continue }
                let caseName = realCaseName(name)
                out.append(
                    Source(
                        name: caseName, inputs: [corpus + "/real/" + input], golden: golden + "/conformance/\(caseName).ndjson",
                        manifest: nil, real: c))
            }
        }
        return out
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// `real-` and the fixture's name with anything but letters, digits, `-` and `_` as `-`.
    public static func realCaseName(_ name: String) -> String {
        "real-" + String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }

    /// The golden's lines projected to `level`, in canonical JSON, one per line.
    public static func project(_ golden: [UInt8], to level: ConformLevel) throws -> [UInt8] {
        if level == .full { return golden }
        var out: [UInt8] = []
        for raw in golden.split(separator: 0x0A) {
            let v = try JSONReader.parse(Array(raw), limits: .canonicalLines)
            guard let p = level.project(v) else { continue }
            out += CanonicalJSON.encode(p)
            out.append(0x0A)
        }
        return out
    }

    /// The refusal lines an answer key expects: one per element of its `refused` list (`file`,
    /// `entry` or null, `rule`), sorted, as `ConformRefusals` writes them.
    public static func expectedRefusals(manifest: [UInt8]) throws -> [UInt8] {
        let root = try JSONReader.parse(manifest, limits: JSONLimits(maxDepth: 16, maxDocumentBytes: 1 << 30))
        let lines = (root["refused"]?.arrayValue ?? []).map { r in
            ConformRefusals.line(input: r["file"]?.stringValue ?? "", entry: r["entry"]?.stringValue, rule: r["rule"]?.stringValue ?? "")
        }
        return Array(Set(lines)).sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 + [0x0A] }
    }

    /// Writes the kit to `output` (which must not exist); returns the cases and files written.
    @discardableResult
    public static func write(corpus: String, golden: String, to output: String, only: Set<String> = []) throws -> (cases: Int, files: Int) {
        guard !FileManager.default.fileExists(atPath: output) else {
            throw LakeError(.outputRefused, scope: .usage, input: output, message: "exists; give a new folder")
        }
        var written: [(path: String, sha256: String)] = []
        func put(_ relative: String, _ bytes: [UInt8]) throws {
            let path = output + "/" + relative
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw LakeError(.outputWrite, scope: .usage, input: path, message: "cannot write")
            }
            written.append((relative, FileDigester.sha256(bytes)))
        }
        func read(_ path: String) throws -> [UInt8] {
            guard let d = FileManager.default.contents(atPath: path) else {
                throw LakeError(.inputNotFound, scope: .usage, input: path, message: "cannot read")
            }
            return Array(d)
        }
        var cases: [JSONValue] = []
        let sources = try sources(corpus: corpus, golden: golden).filter { only.isEmpty || only.contains($0.name) }
        if let unknown = only.subtracting(sources.map(\.name)).sorted().first {
            throw LakeError(.inputNotFound, scope: .usage, input: unknown, message: "no such case in \(corpus)")
        }
        // Every golden is checked against its answer key before anything is written.
        for s in sources {
            let problems =
                try s.manifest.map { try ConformAnswerKey.problems(golden: try read(s.golden), manifest: try read($0)) }
                ?? s.spectrum.map { try ConformAnswerKey.spectrumProblems(golden: try read(s.golden), expected: $0) }
                ?? s.real.map { try ConformAnswerKey.realProblems(golden: try read(s.golden), expected: $0) }
                ?? s.merges.map { try ConformAnswerKey.mergeProblems(golden: try read(s.golden), expected: try read($0)) }
                ?? ConformAnswerKey.suiteProblems(golden: try read(s.golden), inputs: s.inputs)
            if let problem = problems.first {
                throw LakeError(
                    .outputRefused, scope: .usage, input: s.golden,
                    message:
                        "disagrees with its answer key \(s.manifest ?? s.spectrum ?? s.merges ?? (s.real != nil ? "(Corpus/real/expected.json)" : "(the suite's file names)")): \(problem); no kit was written"
                )
            }
        }
        for s in sources {
            let root = "cases/" + s.name
            for input in s.inputs {
                let name = (input as NSString).lastPathComponent
                if isFolder(input) {
                    // An unpacked export: every file under it, at its place.
                    let files = (FileManager.default.enumerator(atPath: input)?.allObjects as? [String] ?? []).sorted()
                    for f in files where !isFolder(input + "/" + f) {
                        try put(root + "/input/" + name + "/" + f, try read(input + "/" + f))
                    }
                } else {
                    try put(root + "/input/" + name, try read(input))
                }
            }
            let goldenBytes = try read(s.golden)
            var expected: [JSONMember] = []
            for level in ConformLevel.recordLevels {
                let file = root + "/expected/\(level.rawValue).ndjson"
                try put(file, try project(goldenBytes, to: level))
                expected.append(.init(level.rawValue, .string(file)))
            }
            let refusals = root + "/expected/refusals.ndjson"
            try put(refusals, try s.manifest.map { try expectedRefusals(manifest: try read($0)) } ?? project(goldenBytes, to: .refusals))
            expected.append(.init(ConformLevel.refusals.rawValue, .string(refusals)))
            cases.append(
                .object([.init("name", .string(s.name)), .init("input", .string(root + "/input")), .init("expected", .object(expected))]))
        }
        guard let runners = Bundle.module.url(forResource: "Kit", withExtension: nil)?.path else {
            throw LakeError(.internalError, scope: .internal, input: "Kit", message: "the Python runner is not in this build's resources")
        }
        for name in ["run.py", "conform.py"] { try put(name, try read(runners + "/" + name)) }
        try put("README.md", Array(readme.utf8))
        written.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let manifest: JSONValue = .object([
            .init("spec_version", .string(SpecVersion.current)), .init("generator", .string("datapunk conform kit")),
            .init("levels", .array(ConformLevel.allCases.map { .string($0.rawValue) })),
            .init("cases", .array(cases)),
            .init("files", .array(written.map { .object([.init("path", .string($0.path)), .init("sha256", .string($0.sha256))]) })),
        ])
        guard FileManager.default.createFile(atPath: output + "/manifest.json", contents: Data(CanonicalJSON.encode(manifest) + [0x0A]))
        else {
            throw LakeError(.outputWrite, scope: .usage, input: output + "/manifest.json", message: "cannot write")
        }
        return (sources.count, written.count + 1)
    }

    static let readme = """
        # datapunk-lake conformance kit (SPEC \(SpecVersion.current))

        Each folder under `cases/` is one case: `input/` holds export files as a person would
        download them, `expected/<level>.ndjson` what the reference implementation writes for them,
        projected to that level (docs/SPEC.md 9.2 says what each level keeps and how outputs are
        compared). `manifest.json` lists the cases and the SHA-256 of every file.

        Run your implementation on every case (Python 3.8 or later, nothing else):

            python3 run.py --candidate 'your-tool {input} {output}' --level normalize

        `{input}` is a case's input folder; `{output}` the NDJSON file your tool must write. Each case
        gets a verdict: pass, fail (with the first differing record and field), crash (exit status
        over 1 or a signal), timeout (`--timeout`, default 300 s) or missing (no output). `--compare
        semantic` ignores number spelling and time zones; `--junit FILE` writes JUnit XML; `--json`
        prints one object per case. The exit status is 0 only when every case passes.
        `datapunk conform` gives the same verdicts.

        """
}
