import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for libcurl tests: serves fixed bodies, honours
/// `Range: bytes=N-`, and can be told to fail the first requests or to drop the connection
/// part-way through a body. Loopback only; stops when `stop()` is called or it is released.
public final class HTTPTestServer: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// Serve the body.
        case serve
        /// Send headers for the whole body, then only `bytes` of it, then close.
        case dropAfter(bytes: Int)
        /// Answer with this status and a short body.
        case status(Int)
        /// Declare this `Content-Length` (a lie: a 20 GB file) and send the body as it is.
        case declareLength(Int64)
        /// Send one byte every `interval` seconds (a server that never quite stops).
        case trickle(interval: Double)
    }

    public struct Request: Sendable, Equatable {
        public var path: String
        public var range: String?
        public var method: String = "GET"
        /// The request body (POST), read by its Content-Length.
        public var body: [UInt8] = []
        public var contentType: String?
    }

    private let lock = NSLock()
    private var bodies: [String: [UInt8]] = [:]
    private var plans: [String: [Behaviour]] = [:]
    private var ignoresRange = false
    private var requestLog: [Request] = []
    private var listener: Int32 = -1
    private var thread: Thread?
    public private(set) var port: UInt16 = 0

    public init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        let t = Thread { [weak self] in self?.acceptLoop() }
        thread = t
        t.start()
    }

    deinit { stop() }

    public func stop() {
        lock.lock()
        let fd = listener
        listener = -1
        lock.unlock()
        if fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    /// The URL of `path` on this server.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Serves `body` at `path`; `plan` lists what the first requests get (then `.serve`).
    /// The responses planned for the next requests to `path` (POSTs get 200 once it is empty).
    public func plan(_ path: String, _ plan: [Behaviour]) {
        lock.lock()
        plans[path] = plan
        lock.unlock()
    }

    public func set(_ path: String, body: [UInt8], plan: [Behaviour] = []) {
        lock.lock()
        bodies[path] = body
        plans[path] = plan
        lock.unlock()
    }

    /// Makes the server answer 200 with the whole body even when a range is asked for.
    public func setIgnoresRange(_ v: Bool) {
        lock.lock()
        ignoresRange = v
        lock.unlock()
    }

    /// The requests seen so far.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return requestLog
    }

    private func acceptLoop() {
        while true {
            lock.lock()
            let fd = listener
            lock.unlock()
            if fd < 0 { return }
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var head: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while !head.containsSubsequence([13, 10, 13, 10]) && head.count < 65536 {
            let n = read(client, &buf, buf.count)
            if n <= 0 { return }
            head += buf[0..<n]
        }
        let text = String(decoding: head, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return }
        let path = String(parts[1])
        let method = String(parts[0])
        var range: String?
        var length = 0
        var contentType: String?
        for l in lines.dropFirst() {
            let lower = l.lowercased()
            if lower.hasPrefix("range:") { range = l.dropFirst(6).trimmingCharacters(in: .whitespaces) }
            if lower.hasPrefix("content-length:") { length = Int(l.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0 }
            if lower.hasPrefix("content-type:") { contentType = l.dropFirst(13).trimmingCharacters(in: .whitespaces) }
        }
        // The body: what came after the blank line, then the rest by Content-Length.
        var posted: [UInt8] = []
        if let end = head.firstRange(of: [13, 10, 13, 10]) { posted = Array(head[end.upperBound...]) }
        while posted.count < length {
            let n = read(client, &buf, min(buf.count, length - posted.count))
            if n <= 0 { break }
            posted += buf[0..<n]
        }
        lock.lock()
        requestLog.append(Request(path: path, range: range, method: method, body: posted, contentType: contentType))
        if method == "POST" {
            var behaviour = Behaviour.serve
            if var plan = plans[path], !plan.isEmpty {
                behaviour = plan.removeFirst()
                plans[path] = plan
            }
            lock.unlock()
            if case .status(let code) = behaviour {
                send(client, status: "\(code) Status", headers: [], body: Array("status \(code)".utf8))
            } else {
                send(client, status: "200 OK", headers: [], body: Array("ok".utf8))
            }
            return
        }
        let body = bodies[path]
        var behaviour = Behaviour.serve
        if var plan = plans[path], !plan.isEmpty {
            behaviour = plan.removeFirst()
            plans[path] = plan
        }
        let ignore = ignoresRange
        lock.unlock()
        guard let body else {
            send(client, status: "404 Not Found", headers: [], body: Array("not found".utf8))
            return
        }
        if case .status(let code) = behaviour {
            send(client, status: "\(code) Status", headers: [], body: Array("status \(code)".utf8))
            return
        }
        var start = 0
        if !ignore, let range, range.hasPrefix("bytes="), let dash = range.firstIndex(of: "-"),
            let s = Int(range[range.index(range.startIndex, offsetBy: 6)..<dash])
        {
            start = s
        }
        if start > body.count {
            send(client, status: "416 Range Not Satisfiable", headers: ["Content-Range: bytes */\(body.count)"], body: [])
            return
        }
        let slice = Array(body[start...])
        let status = start > 0 ? "206 Partial Content" : "200 OK"
        var headers = ["Accept-Ranges: bytes"]
        if start > 0 { headers.append("Content-Range: bytes \(start)-\(body.count - 1)/\(body.count)") }
        if case .dropAfter(let n) = behaviour {
            send(client, status: status, headers: headers, body: Array(slice.prefix(n)), declaredLength: slice.count)
        } else if case .declareLength(let n) = behaviour {
            send(client, status: status, headers: headers, body: slice, declaredLength: Int(n))
        } else if case .trickle(let interval) = behaviour {
            send(client, status: status, headers: headers, body: [], declaredLength: slice.count)
            for b in slice {
                usleep(UInt32(interval * 1_000_000))
                // MSG_NOSIGNAL: the client hanging up must not SIGPIPE the test process.
                if Glibc.send(client, [b], 1, Int32(MSG_NOSIGNAL)) != 1 { return }
            }
        } else {
            send(client, status: status, headers: headers, body: slice)
        }
    }

    private func send(_ client: Int32, status: String, headers: [String], body: [UInt8], declaredLength: Int? = nil) {
        var head = "HTTP/1.1 \(status)\r\nContent-Length: \(declaredLength ?? body.count)\r\nConnection: close\r\n"
        for h in headers { head += h + "\r\n" }
        head += "\r\n"
        writeAll(client, Array(head.utf8) + body)
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }
}

extension Array where Element == UInt8 {
    public func containsSubsequence(_ s: [UInt8]) -> Bool {
        guard count >= s.count else { return false }
        for i in 0...(count - s.count) where self[i..<i + s.count].elementsEqual(s) { return true }
        return false
    }
}
