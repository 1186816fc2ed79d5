import ArgumentParser
import DatapunkHeap
import Foundation
import LakeCore
import LakeIngest
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
        // The allocator on a second line: jemalloc when this executable was linked as it is.
        version: DatapunkVersion.string + "\nheap: " + Heap.allocator,
        subcommands: [
            Ingest.self, Resume.self, Export.self, Erase.self, Archive.self, Restore.self, Partitions.self, Rebalance.self, Inspect.self,
            Jobs.self,
            Metrics.self, Quarantine.self, Corpus.self,
            Conform.self,
        ]
    )

    /// ArgumentParser exits 64 on usage errors; DESIGN.md's contract is 2.
    static func main() {
        // A lake holds a person's messages, places and contacts: every folder and file this
        // process creates is its owner's alone (0700 / 0600), whatever the umask was.
        umask(0o077)
        // jemalloc, linked and configured (two arenas) before main; were it not the allocator,
        // glibc's stages' large buffers mapped on their own, one arena per core (`Heap`).
        _ = dp_heap_linked()
        Heap.configure()
        if TestHooks.internalError {
            TerminalLine.writeError("datapunk: rule internal: the internal-error test hook (DATAPUNK_TEST_INTERNAL_ERROR) is set")
            Foundation.exit(ExitStatus.internalError)
        }
        // A libarchive call that stalls cannot be interrupted: its error line, then the exit
        // status of its scope (the job marks itself failed first).
        ArchiveWatchdog.shared.configure(limitSeconds: RunSettings().archiveCallTimeoutSeconds) { stall in
            TerminalLine.writeError("datapunk: \(stall.error)")
            _exit(ExitStatus.code(for: stall.error.scope))
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .validationFailure {
                TerminalLine.writeError(fullMessage(for: error))
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
        let lakeError =
            error as? LakeError ?? (error as? SQLiteError)?.lakeError
            ?? LakeError(.internalError, scope: .internal, message: String(describing: error))
        TerminalLine.writeError("datapunk: \(lakeError)")
        return ExitCode(code(for: lakeError.scope))
    }
}

/// Writes bytes to a file descriptor (stdout by default) through a buffer, with `write(2)`:
/// a failed write (a full disk, `/dev/full`) is an error with a rule, never a trap.
final class StandardOutput {
    private var buffer: [UInt8] = []
    private let fd: Int32
    private let name: String
    /// The first write failure; later writes are dropped and `flush` throws it.
    private var failure: LakeError?

    init(fd: Int32 = STDOUT_FILENO, name: String = "standard output") {
        self.fd = fd
        self.name = name
    }

    func write(_ bytes: [UInt8]) {
        buffer += bytes
        if buffer.count >= 1 << 16 { drain() }
    }
    func write(_ text: String) { write(Array(text.utf8)) }

    /// Writes what is buffered. - Throws: `output.write_failed` naming the output and the reason.
    func flush() throws {
        drain()
        if let failure { throw failure }
    }

    private func drain() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil, !buffer.isEmpty else { return }
        if let code = TerminalLine.writeAll(fd, buffer) {
            failure = LakeError(.outputWrite, scope: .input, input: name, message: "cannot write: \(String(cString: strerror(code)))")
        }
    }
}
