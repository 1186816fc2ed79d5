import Foundation
import LakeCore

/// Runs a built executable with a fixed environment, as the CLI tests need.
public enum CommandRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// The fixed environment: UTC, C locale, no terminal width, no color.
    public static let environment: [String: String] = [
        "TZ": "UTC", "LANG": "C", "LC_ALL": "C", "PATH": "/usr/bin:/bin", "COLUMNS": "", "NO_COLOR": "1",
        "SWIFT_BACKTRACE": "enable=no",
    ]

    /// The products folder of the current build (where the test bundle sits).
    public static var productsDirectory: String {
        let candidates = [Bundle.main.bundlePath, (CommandLine.arguments.first ?? "")]
        for c in candidates {
            var url = URL(fileURLWithPath: c)
            for _ in 0..<3 {
                if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("datapunk").path) { return url.path }
                url.deleteLastPathComponent()
            }
        }
        return TestPaths.root + "/.build/debug"
    }

    public static var datapunk: String { productsDirectory + "/datapunk" }

    /// Runs `executable` with `arguments`, optional stdin bytes, waits and returns everything.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = CommandRunner.environment,
        currentDirectory: String? = nil
    ) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.environment = environment
        if let currentDirectory { p.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Read both pipes concurrently so a full pipe cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = readAll(err.fileHandleForReading.fileDescriptor)
            group.leave()
        }
        let outData = readAll(out.fileHandleForReading.fileDescriptor)
        group.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: Array(outData), stderr: Array(errData))
    }

    /// How `runKilling` ended.
    public struct KillResult: Sendable {
        /// True when the process was sent SIGKILL; false when it exited by itself first.
        public var killed: Bool
        public var status: Int32
        /// The stderr lines read before the kill (or all of them).
        public var lines: [String]
    }

    /// Runs `executable` and reads its stderr line by line; once `matches` of the lines satisfy
    /// `isMark`, sends SIGKILL (no timing involved: the marks are the child's own progress
    /// events). stdout is discarded.
    /// Runs `datapunk` with `arguments(run)` again and again, each run killed with SIGKILL after
    /// `after` marks, until a run finishes by itself (or `maxRuns` runs). Returns the number of
    /// kills and how the last run ended.
    public static func killUntilDone(after: Int, maxRuns: Int, arguments: (Int) -> [String], isMark: (String) -> Bool) throws
        -> (kills: Int, last: KillResult?)
    {
        var kills = 0
        var last: KillResult?
        for run in 0..<maxRuns {
            let r = try runKilling(datapunk, arguments(run), after: after, isMark: isMark)
            last = r
            if !r.killed { break }
            kills += 1
        }
        return (kills, last)
    }

    /// `whileStopped`, when given, replaces the signal: at the mark the child is stopped
    /// (SIGSTOP), the action runs, and the child continues (SIGCONT) to its end.
    public static func runKilling(
        _ executable: String, _ arguments: [String], after matches: Int, signal: Int32 = SIGKILL,
        whileStopped: (() throws -> Void)? = nil, isMark: (String) -> Bool
    ) throws -> KillResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.environment = environment
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let reader = err.fileHandleForReading
        var buffer = Data()
        var lines: [String] = []
        var seen = 0
        var killed = false
        while true {
            let data = reader.availableData
            if data.isEmpty { break }
            buffer.append(data)
            while let nl = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                lines.append(line)
                if isMark(line) { seen += 1 }
                if seen >= matches && !killed {
                    if let action = whileStopped {
                        kill(p.processIdentifier, SIGSTOP)
                        defer { kill(p.processIdentifier, SIGCONT) }
                        try action()
                    } else {
                        kill(p.processIdentifier, signal)
                    }
                    killed = true
                }
            }
            // After SIGKILL nothing more comes; after another signal, read to the end.
            if killed && signal == SIGKILL && whileStopped == nil { break }
        }
        p.waitUntilExit()
        if !buffer.isEmpty { lines.append(String(decoding: buffer, as: UTF8.self)) }
        let signalled = whileStopped == nil && killed && (signal != SIGKILL || p.terminationReason == .uncaughtSignal)
        return KillResult(killed: signalled, status: p.terminationStatus, lines: lines)
    }

    /// Everything up to end of file. Unlike `FileHandle.readDataToEndOfFile` (which stops the
    /// process on any error), a read interrupted by a signal (EINTR: children ending while
    /// another test waits) is simply retried.
    static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                data.append(contentsOf: buffer[0..<n])
            } else if n == 0 || errno != EINTR {
                return data
            }
        }
    }
}

extension CommandRunner {
    /// `datapunk ingest` of a generated corpus in `folder`, one run per user with all that
    /// user's inputs together (Takeout parts are one export), users in name order.
    public static func ingestCorpus(_ folder: String, manifest: JSONValue, lake: String) throws -> [Result] {
        var byUser: [String: [String]] = [:]
        for input in manifest["inputs"]?.arrayValue ?? [] {
            byUser[input["user"]?.stringValue ?? "", default: []].append(folder + "/" + (input["file"]?.stringValue ?? ""))
        }
        return try byUser.sorted(by: { $0.key < $1.key }).map { _, files in try run(datapunk, ["ingest"] + files + ["--lake", lake]) }
    }
}
