import ArgumentParser
import Foundation
import LakeCore
import LakePipeline

extension Datapunk {
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ingest one export (its archive, or an http/https/file URL to it) into a lake.",
            discussion: """
                Today's input kinds: a Twitter/X archive zip (data/tweets.js, tweets-partN.js, tweet.js, \
                account.js), as a file or a URL. Every entry is hashed (SHA-256, XXH64) and typed \
                (libmagic + content check) in the catalog; tweets and the account become records. \
                Re-running the same ingest continues an unfinished job and does nothing for a finished one.
                """)

        @Argument(help: "The export: a file path or an http://, https:// or file:// URL.")
        var inputs: [String]

        @Option(help: "The lake folder (created if missing).")
        var lake: String = "./lake"

        @Option(help: "The user the records belong to (default: the account in the export).")
        var user: String?

        @Option(help: "Expected SHA-256 (hex) of a downloaded input; a mismatch refuses it.")
        var sha256: String?

        @Option(help: "JSON nesting limit (thresholds table default: 10).")
        var maxJsonDepth: Int?

        @Option(help: "JSON file size limit in bytes (thresholds table default: 104857600).")
        var maxJsonBytes: Int64?

        func validate() throws {
            if let sha256, sha256.count != 64 || !sha256.allSatisfy(\.isHexDigit) {
                throw ValidationError("--sha256 must be 64 hexadecimal digits")
            }
            if let d = maxJsonDepth, d < 1 { throw ValidationError("--max-json-depth must be at least 1") }
            if let b = maxJsonBytes, b < 1 { throw ValidationError("--max-json-bytes must be at least 1") }
        }

        func run() throws {
            var options = IngestOptions()
            options.lakeDirectory = lake
            options.user = user
            options.expectedSHA256 = sha256
            if let d = maxJsonDepth { options.thresholds.maxJSONDepth = d }
            if let b = maxJsonBytes { options.thresholds.maxJSONBytes = b }
            let summary: IngestSummary
            do {
                summary = try IngestJob(options: options).run(inputs: inputs)
            } catch {
                throw ExitStatus.fail(error)
            }
            let out = StandardOutput()
            out.write("job \(summary.jobID): \(summary.state)\(summary.alreadyComplete ? " (already ingested; nothing done)" : "")\n")
            for i in summary.inputs {
                out.write("input \(i.name): \(i.format), \(i.size) bytes, sha256 \(i.sha256)\n")
                out.write("  \(i.files) files, \(i.parsedFiles) parsed, \(i.records) records, \(i.rejectedFiles) rejected\n")
            }
            out.flush()
            for e in summary.errors {
                FileHandle.standardError.write(Data("datapunk: \(e)\n".utf8))
            }
            if !summary.errors.isEmpty { throw ExitCode(ExitStatus.rejectedItems) }
        }
    }
}
