import Foundation
import LakeCore

/// Runs a candidate implementation on one case (docs/SPEC.md 9.2): `/bin/sh -c` with the
/// command, `{input}` and `{output}` replaced by the shell-quoted paths, in its own process
/// group so a timeout kills everything it started.
///
/// ```swift
/// let run = CandidateRunner(command: "mytool {input} {output}", timeout: 60)
/// let r = try run.run(input: "kit/cases/a/input", output: "/tmp/a.ndjson")
/// r.outcome  // .exited(0)
/// ```
public struct CandidateRunner: Sendable {
    public var command: String
    /// Seconds before the candidate's process group is killed.
    public var timeout: Double

    public init(command: String, timeout: Double) {
        self.command = command
        self.timeout = timeout
    }

    public enum Outcome: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
    }

    public struct Run: Sendable {
        public var outcome: Outcome
        public var seconds: Double
        /// The last 4 KiB of the candidate's standard error.
        public var stderrTail: String
    }

    /// `s` in single quotes for `/bin/sh`.
    public static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The command line for one case.
    public func commandLine(input: String, output: String) -> String {
        command.replacingOccurrences(of: "{input}", with: Self.quote(input)).replacingOccurrences(
            of: "{output}", with: Self.quote(output))
    }

    public func run(input: String, output: String) throws -> Run {
        let errPath = output + ".stderr"
        defer { unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let line = commandLine(input: input, output: output)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(line), nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let start = DispatchTime.now()
        let rc = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        guard rc == 0 else {
            throw LakeError(
                .internalError, scope: .usage, input: command, message: "cannot start /bin/sh: \(String(cString: strerror(rc)))")
        }
        // A thread waits for the child; this one waits for it or the deadline.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var status: Int32 = 0
        let child = pid
        Thread.detachNewThread {
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            done.signal()
        }
        var outcome: Outcome
        if done.wait(timeout: .now() + timeout) == .timedOut {
            kill(-pid, SIGKILL)
            done.wait()
            outcome = .timedOut
        } else {
            // What the candidate left running in its group goes too.
            kill(-pid, SIGKILL)
            let s = status
            outcome = (s & 0x7f) == 0 ? .exited((s >> 8) & 0xff) : .signalled(s & 0x7f)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let err = FileManager.default.contents(atPath: errPath) ?? Data()
        return Run(outcome: outcome, seconds: seconds, stderrTail: String(decoding: err.suffix(4096), as: UTF8.self))
    }
}
