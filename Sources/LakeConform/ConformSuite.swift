import Foundation
import LakeCore
import LakeParsers

/// A conformance kit on disk (docs/SPEC.md 9.2): `manifest.json` lists the cases, each with
/// an input folder and an expected output per level, and the SHA-256 of every file.
public struct ConformSuite: Sendable {
    public struct Case: Sendable {
        public var name: String
        /// The folder the candidate reads (`{input}`).
        public var input: String
        /// The expected output file per level.
        public var expected: [ConformLevel: String]
    }

    public var directory: String
    public var specVersion: String
    public var cases: [Case]

    /// Reads `directory/manifest.json`.
    /// - Throws: `input.not_found` without a manifest, `json.*` when it is not one.
    public static func load(_ directory: String) throws -> ConformSuite {
        let path = directory + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LakeError(
                .inputNotFound, scope: .usage, input: path, message: "no conformance kit here (make one with `datapunk conform kit`)")
        }
        let root = try JSONReader.parse(Array(data), limits: JSONLimits(maxDepth: 16, maxDocumentBytes: 1 << 28))
        var cases: [Case] = []
        for c in root["cases"]?.arrayValue ?? [] {
            guard let name = c["name"]?.stringValue, let input = c["input"]?.stringValue else { continue }
            var expected: [ConformLevel: String] = [:]
            for m in c["expected"]?.objectMembers ?? [] {
                if let level = ConformLevel(rawValue: m.key), let file = m.value.stringValue { expected[level] = directory + "/" + file }
            }
            cases.append(Case(name: name, input: directory + "/" + input, expected: expected))
        }
        return ConformSuite(directory: directory, specVersion: root["spec_version"]?.stringValue ?? "?", cases: cases)
    }
}

/// What happened to one case.
public enum ConformVerdict: String, Sendable, CaseIterable {
    case pass, fail, crash, timeout, missing
}

/// One case's result at one level.
public struct ConformResult: Sendable {
    public var name: String
    public var level: ConformLevel
    public var verdict: ConformVerdict
    public var seconds: Double
    /// One line: why, for anything but a pass.
    public var message: String
    public var difference: ConformComparison.Difference?
    public var stderrTail: String
}

/// Runs every case of a suite that has an expected output at `level` (docs/SPEC.md 9.2).
public struct ConformRun: Sendable {
    public var candidate: CandidateRunner
    public var level: ConformLevel
    public var mode: ConformMode
    public var jobs: Int

    public init(candidate: CandidateRunner, level: ConformLevel, mode: ConformMode, jobs: Int) {
        self.candidate = candidate
        self.level = level
        self.mode = mode
        self.jobs = max(1, jobs)
    }

    /// The results in the suite's case order; `scratch` holds the candidate's outputs.
    public func run(_ suite: ConformSuite, scratch: String) throws -> [ConformResult] {
        let cases = suite.cases.filter { $0.expected[level] != nil }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        nonisolated(unsafe) var results = [ConformResult?](repeating: nil, count: cases.count)
        let lock = NSLock()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = jobs
        for (i, c) in cases.enumerated() {
            queue.addOperation {
                let r = self.run(c, output: scratch + "/\(i)-" + c.name.replacingOccurrences(of: "/", with: "_") + ".ndjson")
                lock.lock()
                results[i] = r
                lock.unlock()
            }
        }
        queue.waitUntilAllOperationsAreFinished()
        return results.compactMap { $0 }
    }

    func run(_ c: ConformSuite.Case, output: String) -> ConformResult {
        var r = ConformResult(name: c.name, level: level, verdict: .pass, seconds: 0, message: "", difference: nil, stderrTail: "")
        unlink(output)
        defer { unlink(output) }
        do {
            let ran = try candidate.run(input: c.input, output: output)
            r.seconds = ran.seconds
            r.stderrTail = ran.stderrTail
            switch ran.outcome {
            case .timedOut:
                r.verdict = .timeout
                r.message = "no result within \(Self.seconds(candidate.timeout)) s; its process group was killed"
                return r
            case .signalled(let s):
                r.verdict = .crash
                r.message = "killed by signal \(s)"
                return r
            case .exited(let code) where code > 1:
                r.verdict = .crash
                r.message = "exit status \(code)"
                return r
            case .exited: break
            }
            guard let got = FileManager.default.contents(atPath: output) else {
                r.verdict = .missing
                r.message = "no output file was written"
                return r
            }
            guard let expectedPath = c.expected[level], let expected = FileManager.default.contents(atPath: expectedPath) else {
                r.verdict = .fail
                r.message = "the kit has no expected output at \(level.rawValue)"
                return r
            }
            let comparison = ConformComparison.compare(expected: Array(expected), got: Array(got), level: level, mode: mode)
            if let d = comparison.difference {
                r.verdict = .fail
                r.message = d.summary
                r.difference = d
            }
        } catch {
            r.verdict = .crash
            r.message = "\(error)"
        }
        return r
    }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }
}
