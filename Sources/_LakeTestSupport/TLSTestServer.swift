import Foundation

/// A real https server on 127.0.0.1 for libcurl's TLS path: `openssl s_server -WWW` serving the
/// files of `root`, with a self-signed certificate for `IP:127.0.0.1` made for the test (its
/// PEM is the CA file a client must be given). The port is the one the server picked and
/// printed (`ACCEPT 127.0.0.1:PORT`).
///
/// ```swift
/// let server = try TLSTestServer(root: dir)
/// defer { server.stop() }
/// server.url("/export.zip")   // https://127.0.0.1:PORT/export.zip
/// ```
public final class TLSTestServer {
    public let port: Int
    /// The server's self-signed certificate (PEM): trust it with `--ca-file`.
    public let certificate: String
    private let process: Process

    /// - Throws: when `openssl` is missing or the server does not come up within 10 s.
    public init(root: String) throws {
        let keys = TestPaths.scratch("tls-keys")
        certificate = keys + "/cert.pem"
        let key = keys + "/key.pem"
        let made = try CommandRunner.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        guard made.status == 0 else { throw Failure("openssl req failed: \(made.stderrText)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key", key, "-WWW"]
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        p.environment = CommandRunner.environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = Pipe()  // s_server reads commands from stdin; keep it open and silent
        try p.run()
        process = p
        // Read its output until the ACCEPT line names the port.
        var text = ""
        var found: Int?
        let deadline = Date().addingTimeInterval(10)
        let fd = out.fileHandleForReading.fileDescriptor
        while found == nil, Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            text += String(decoding: buffer[0..<n], as: UTF8.self)
            for line in text.split(separator: "\n") where line.hasPrefix("ACCEPT ") {
                found = line.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            }
        }
        guard let found else {
            kill(p.processIdentifier, SIGKILL)
            throw Failure("openssl s_server did not report its port: \(text)")
        }
        port = found
    }

    public func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }

    public func stop() {
        // s_server does not end on SIGTERM while it waits for a connection.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        TestPaths.remove((certificate as NSString).deletingLastPathComponent)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }
}
