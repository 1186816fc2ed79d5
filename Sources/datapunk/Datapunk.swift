import ArgumentParser
import Foundation
import LakeCore
import LakePipeline
import LakeStore

@main
struct Datapunk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datapunk",
        abstract: "Personal data exports in; a clean SQLite lake and canonical NDJSON out.",
        discussion: """
            Exit status: 0 everything processed; 1 finished, but some items were rejected \
            (the summary lists them); 2 usage error; 3 the input was refused as a whole; \
            4 internal error. Progress and errors go to stderr, results to stdout.
            """,
        version: DatapunkVersion.string,
        subcommands: [Ingest.self, Resume.self, Export.self, Inspect.self, Jobs.self, Metrics.self, Corpus.self]
    )

    /// ArgumentParser exits 64 on usage errors; DESIGN.md's contract is 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}

/// The one place where pipeline errors become exit statuses (README, "Exit status").
enum ExitStatus {
    static let rejectedItems: Int32 = 1
    static let usage: Int32 = 2
    static let inputRefused: Int32 = 3
    static let internalError: Int32 = 4

    static func code(for scope: LakeError.Scope) -> Int32 {
        switch scope {
        case .entry: return rejectedItems
        case .input: return inputRefused
        case .usage: return usage
        case .internal: return internalError
        }
    }

    /// Prints one line for `error` on stderr and returns the matching ExitCode.
    static func fail(_ error: Error) -> ExitCode {
        let lakeError = error as? LakeError
            ?? LakeError(.internalError, scope: .internal, message: String(describing: error))
        FileHandle.standardError.write(Data("datapunk: \(lakeError)\n".utf8))
        return ExitCode(code(for: lakeError.scope))
    }
}

/// Writes bytes to stdout through a buffer.
final class StandardOutput {
    private var buffer: [UInt8] = []
    func write(_ bytes: [UInt8]) {
        buffer += bytes
        if buffer.count >= 1 << 16 { flush() }
    }
    func write(_ text: String) { write(Array(text.utf8)) }
    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
