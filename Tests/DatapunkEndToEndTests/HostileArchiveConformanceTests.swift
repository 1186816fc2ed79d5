import Foundation
import LakeCore
import LakeCorpus
import LakeParsers
import Testing
import _LakeTestSupport

/// The hostile-archive suites of Corpus/conformance (libarchive's own malformed, looping,
/// link and nested test archives; rarfile's RAR samples of every generation), each ingested by
/// the built binary in a folder of its own. For every file: the process ends by itself with
/// status 0, 1 or 3 (never a crash or an internal error), the outcome is typed (a `rule` on
/// every error line), and nothing appears in the folder but the input and the lake's catalog:
/// entries are read in place, never unpacked. The outcomes per file are a golden table, so a
/// libarchive upgrade that changes behaviour shows up as a diff.
@Suite struct HostileArchiveConformanceTests {
    struct Outcome: Sendable {
        var name: String
        var status: Int32
        var rules: [String]
        var stray: [String]
        var untyped: [String]
        /// The error lines (`datapunk: input …: rule …`).
        var errors: [String]
        /// The end of stderr, for the message of a process that did not end by itself (a
        /// signal's status says nothing of why).
        var stderrTail: String
    }

    static func run(_ name: String, bytes: [UInt8], in base: String) throws -> Outcome {
        let dir = base + "/" + name.replacingOccurrences(of: "/", with: "_")
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        let input = dir + "/in/" + (name as NSString).lastPathComponent
        FileManager.default.createFile(atPath: input, contents: Data(bytes))
        let r = try CommandRunner.run(
            CommandRunner.datapunk,
            [
                "ingest", input, "--lake", dir + "/lake", "--progress", "none",
                "--archive-timeout", "5",
            ])
        var rules = Set<String>()
        var untyped: [String] = []
        var errors: [String] = []
        for line in (r.stderrText + r.stdoutText).split(separator: "\n") where line.hasPrefix("datapunk: ") || line.hasPrefix("  error") {
            errors.append(String(line))
            if let range = line.range(of: "rule ") {
                rules.insert(String(line[range.upperBound...].prefix { $0 != ":" && $0 != " " }))
            } else {
                untyped.append(String(line))
            }
        }
        // What the ingest left: the input, and the lake's catalog (with its WAL files) and empty staging and writers folders.
        let allowed: Set<String> = [
            "in", "in/" + (input as NSString).lastPathComponent, "lake", "lake/catalog.sqlite",
            "lake/catalog.sqlite-wal", "lake/catalog.sqlite-shm", "lake/staging", "lake/writers",
        ]
        let found = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String]) ?? []
        // The quarantine area is the lake's own (an archive holding the EICAR file fills it).
        var stray = found.filter { !allowed.contains($0) && $0 != "lake/quarantine" && !$0.hasPrefix("lake/quarantine/") }
        // A symlink left anywhere would be reported above; so would anything written outside `lake`.
        stray += (try? FileManager.default.contentsOfDirectory(atPath: base + "/..").filter { $0.hasPrefix("pwned") }) ?? []
        return Outcome(
            name: name, status: r.status, rules: rules.sorted(), stray: stray.sorted(), untyped: untyped, errors: errors,
            stderrTail: String(r.stderrText.suffix(2_000)))
    }

    static func check(_ cases: [(String, [UInt8])], golden: String) throws {
        let base = TestPaths.scratch("hostile")
        defer { TestPaths.remove(base) }
        let outcomes = try Parallel.map(cases, workers: 2) { try run($0.0, bytes: $0.1, in: base) }
        for o in outcomes {
            #expect([0, 1, 3].contains(o.status), "\(o.name): exit \(o.status); stderr ends: \(o.stderrTail)")
            #expect(o.stray.isEmpty, "\(o.name) left \(o.stray)")
            #expect(o.untyped.isEmpty, "\(o.name): untyped error lines \(o.untyped)")
            if o.status != 0 { #expect(!o.rules.isEmpty, "\(o.name): exit \(o.status) without a rule") }
        }
        let table = outcomes.map { "\($0.name)\t\($0.status)\t\($0.rules.joined(separator: ","))\n" }.joined()
        let outcome = Golden.check(Array(("file\texit\trules\n" + table).utf8), suite: "conformance", name: golden)
        #expect(outcome == .matches, "\(outcome)")
    }

    /// The generator's adversarial archives: each archive-level refusal its answer key names
    /// (slip, absolute path, link escapes, nesting 6 deep, ratio and declared-size bombs,
    /// encrypted entry, bad CRC, truncations) is reported for that entry with that rule, the
    /// exit status is 1 (entries refused, the rest loaded) or 3 (the archive unreadable from
    /// its first header), and nothing is written outside the lake. The answer key's `security.*`
    /// refusals are held by QuarantineEndToEndTests; `detection.extension_mismatch` (format
    /// verification) is held here too.
    @Test func generatedAdversarialArchivesAreRefusedAsTheAnswerKeySays() throws {
        let dir = TestPaths.scratch("adversarial")
        defer { TestPaths.remove(dir) }
        try CorpusGenerator.generate(profile: "adversarial", seed: 1, scale: "1MB", output: dir + "/corpus")
        let manifest = try ManifestFile(path: dir + "/corpus/manifest.json")
        let refusals = (manifest.raw["refused"]?.arrayValue ?? []).filter {
            $0["rule"]?.stringValue.map { $0.hasPrefix("archive.") || $0.hasPrefix("detection.") } == true
        }
        #expect(refusals.count >= 12)
        let files = Set(refusals.compactMap { $0["file"]?.stringValue }).sorted()
        let outcomes = try Parallel.map(files, workers: 2) { file in
            try Self.run(file, bytes: TestPaths.read(dir + "/corpus/" + file), in: dir + "/runs")
        }
        for (file, o) in zip(files, outcomes) {
            #expect(o.stray.isEmpty, "\(file) left \(o.stray)")
            #expect(o.status == (file == "truncated.tar.gz" ? 3 : 1), "\(file): exit \(o.status)")
            for refusal in refusals where refusal["file"]?.stringValue == file {
                let rule = refusal["rule"]!.stringValue!
                let wanted = refusal["entry"]?.stringValue.map { "entry '\($0)': rule \(rule):" } ?? "rule \(rule):"
                #expect(o.errors.contains { $0.contains(wanted) }, "\(file): no `\(wanted)` in \(o.errors)")
            }
        }
    }

    @Test func libarchiveHostileArchives() throws {
        let root = TestPaths.conformance + "/libarchive-hostile-archives"
        let listed = String(decoding: TestPaths.read(root + "/MANIFEST.tsv"), as: UTF8.self).split(separator: "\n").dropFirst()
        let cases = try listed.map { line -> (String, [UInt8]) in
            let file = String(line.split(separator: "\t")[0])
            let decoded = try #require(UUDecode.decode(TestPaths.read(root + "/" + file)), "\(file) does not uudecode")
            return (String(file.dropLast(3)), decoded.bytes)
        }
        #expect(cases.count == 61)
        try Self.check(cases, golden: "libarchive-hostile-archives.tsv")
    }

    @Test func rarfileSamples() throws {
        let root = TestPaths.conformance + "/rarfile-samples"
        let names = TestPaths.listFiles(root).filter { $0.hasSuffix(".rar") || $0.hasSuffix(".r00") || $0.hasSuffix(".r01") }.sorted()
        #expect(names.count >= 50)
        try Self.check(names.map { ($0, TestPaths.read(root + "/" + $0)) }, golden: "rarfile-samples.tsv")
    }
}
