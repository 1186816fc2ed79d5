import ArgumentParser
import Foundation
import LakeConform
import LakeCore
import LakePipeline
import LakeStore

extension Datapunk {
    /// `datapunk conform`: another implementation run on the conformance kit and compared with
    /// the reference's expected outputs (docs/SPEC.md 9.2).
    struct Conform: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Test another implementation against the reference: run it on every case and compare its NDJSON.",
            discussion: """
                The candidate is a shell command with {input} (a folder of export files) and {output} (the NDJSON \
                file to write). Each case gets a verdict: pass, fail, crash (exit status over 1 or a signal), \
                timeout or missing (no output). Exit 0 only when every case at the level passes.
                """,
            subcommands: [Run.self, Kit.self, Candidate.self], defaultSubcommand: Run.self)

        struct Run: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Run a candidate on every case of a kit.")

            @Option(help: "The candidate's command line, with {input} and {output}.")
            var candidate: String

            @Option(help: "The conformance kit (`datapunk conform kit` writes one).")
            var cases: String = "conformance-kit"

            @Option(help: "parse, shape, normalize, enrich, full or refusals (docs/SPEC.md 9.2).")
            var level: String = "full"

            @Option(help: "bytes, or semantic (key order, number spelling and time zones do not count).")
            var compare: String = "bytes"

            @Option(help: "Also write the results as JUnit XML to this file.")
            var junit: String?

            @Option(help: "Cases run at once.")
            var jobs: Int = 1

            @Option(help: "Seconds a case may take before the candidate is killed.")
            var timeout: Double = 300

            @Flag(help: "One JSON object per case and a summary instead of text.")
            var json = false

            func validate() throws {
                if ConformLevel(rawValue: level) == nil {
                    throw ValidationError("--level: " + ConformLevel.allCases.map(\.rawValue).joined(separator: ", "))
                }
                if ConformMode(rawValue: compare) == nil { throw ValidationError("--compare: bytes or semantic") }
                if !candidate.contains("{input}") || !candidate.contains("{output}") {
                    throw ValidationError("--candidate: the command needs {input} and {output}")
                }
                if jobs < 1 || jobs > 64 { throw ValidationError("--jobs: 1 to 64") }
                if !(timeout > 0) { throw ValidationError("--timeout: a positive number of seconds") }
            }

            func run() throws {
                try reporting {
                    let suite = try ConformSuite.load(cases)
                    let level = ConformLevel(rawValue: level)!, mode = ConformMode(rawValue: compare)!
                    let scratch = NSTemporaryDirectory() + "datapunk-conform-\(getpid())"
                    defer { try? FileManager.default.removeItem(atPath: scratch) }
                    let results = try ConformRun(
                        candidate: CandidateRunner(command: candidate, timeout: timeout), level: level, mode: mode, jobs: jobs
                    ).run(suite, scratch: scratch)
                    let report =
                        json
                        ? ConformReport.json(results, specVersion: suite.specVersion, level: level, mode: mode)
                        : ConformReport.text(results, specVersion: suite.specVersion, level: level, mode: mode)
                    FileHandle.standardOutput.write(Data(report.utf8))
                    if let junit {
                        let xml = ConformReport.junit(results, specVersion: suite.specVersion, level: level, mode: mode)
                        guard FileManager.default.createFile(atPath: junit, contents: Data(xml.utf8)) else {
                            throw LakeError(.outputWrite, scope: .usage, input: junit, message: "cannot write the JUnit file")
                        }
                    }
                    if results.isEmpty || results.contains(where: { $0.verdict != .pass }) { throw ExitCode(ExitStatus.rejectedItems) }
                }
            }
        }

        struct Kit: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write a self-contained conformance kit: inputs, expected output per level, manifest, a Python runner.")

            @Option(help: "The folder to write (must not exist).")
            var output: String

            @Option(help: "The repository's Corpus folder.")
            var corpus: String = "Corpus"

            @Option(help: "The repository's Golden folder.")
            var golden: String = "Golden"

            @Option(name: .customLong("case"), help: "Only this case (repeat for more; default: all).")
            var cases: [String] = []

            func run() throws {
                try reporting {
                    let kit = try ConformKit.write(corpus: corpus, golden: golden, to: output, only: Set(cases))
                    print("\(output): \(kit.cases) cases, \(kit.files) files, SPEC \(SpecVersion.current)")
                }
            }
        }

        struct Candidate: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The reference as a candidate: ingest the files of INPUT into a new lake, export it and the refusals to OUTPUT.")

            @Argument(help: "A folder of export files ({input}).")
            var input: String

            @Argument(help: "The NDJSON file to write ({output}).")
            var output: String

            func run() throws {
                try reporting {
                    let names = try FileManager.default.contentsOfDirectory(atPath: input).sorted {
                        $0.utf8.lexicographicallyPrecedes($1.utf8)
                    }
                    // Each file, and each folder (an unpacked export), is one input.
                    let files = names.filter { !$0.hasPrefix(".") }.map { input + "/" + $0 }.filter {
                        var st = stat()
                        return stat($0, &st) == 0 && (st.st_mode & S_IFMT == S_IFREG || st.st_mode & S_IFMT == S_IFDIR)
                    }
                    let lakeDirectory = NSTemporaryDirectory() + "datapunk-candidate-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
                    defer { try? FileManager.default.removeItem(atPath: lakeDirectory) }
                    var options = IngestOptions()
                    options.lakeDirectory = lakeDirectory
                    // All files in one job; when an input is refused whole (exit 3 of `datapunk
                    // ingest`, which ends that job), again in a new lake with one job per file, as
                    // a person would run them. The lake's records are the same either way.
                    var refused: [LakeError] = []
                    do {
                        refused = try IngestJob(options: options).run(inputs: files).errors
                    } catch let e as LakeError where e.scope == .input || e.scope == .entry {
                        try FileManager.default.removeItem(atPath: lakeDirectory)
                        refused = []
                        for file in files {
                            do {
                                refused += try IngestJob(options: options).run(inputs: [file]).errors
                            } catch let e as LakeError where e.scope == .input || e.scope == .entry {
                                refused.append(e)
                            }
                        }
                    }
                    let store = try Lake(directory: lakeDirectory, create: false)
                    var unused = ExportManifest(kept: false)
                    try Export.write(store, user: nil, redact: false, to: output, manifest: &unused)
                    // Then one line per refused input or entry (docs/SPEC.md 9.2).
                    guard let out = FileHandle(forWritingAtPath: output) else {
                        throw LakeError(.outputWrite, scope: .usage, input: output, message: "cannot reopen to add the refusals")
                    }
                    defer { try? out.close() }
                    try out.seekToEnd()
                    for line in ConformRefusals.lines(refused.filter { $0.scope == .input || $0.scope == .entry }) {
                        try out.write(contentsOf: line + [0x0A])
                    }
                }
            }
        }
    }
}
