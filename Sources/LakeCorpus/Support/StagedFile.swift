import Foundation
import LakeCore

/// One file being generated: written through a 1 MiB buffer and hashed (SHA-256 and XXH64) as
/// it goes, so a file of any size takes constant memory. The full buffers go either to a file
/// in the staging folder or, for an entry streamed straight into an archive, to a sink.
final class StagedFile {
    /// Where the bytes are staged ("" when they go to a sink).
    let path: String
    /// The path the file will have inside its archive.
    let entry: String
    private let handle: UnsafeMutablePointer<FILE>?
    private let sink: (([UInt8]) -> Void)?
    /// Bytes not yet flushed; generators may append to it directly through `append`.
    private var buffer: [UInt8] = []
    private let digest: FileDigester?
    private(set) var size: Int64 = 0
    /// Bytes written so far, flushed or not.
    var written: Int64 { size + Int64(buffer.count) }
    static let flushAt = 1 << 20

    /// - Parameter hashing: false for scratch files nobody needs a digest of (`finish` then
    ///   reports only the size).
    init(path: String, entry: String, hashing: Bool = true) throws {
        guard let f = fopen(path, "wb") else { throw LakeError(.lakeStorage, scope: .internal, message: "cannot write \(path)") }
        handle = f
        digest = hashing ? FileDigester() : nil
        sink = nil
        self.path = path
        self.entry = entry
    }

    /// A file whose buffers are handed to `sink` instead of being written to disk.
    init(entry: String, sink: @escaping ([UInt8]) -> Void) {
        handle = nil
        digest = FileDigester()
        self.sink = sink
        path = ""
        self.entry = entry
    }

    var isStreamed: Bool { sink != nil }

    deinit { flush() }

    func write(_ bytes: [UInt8]) {
        buffer += bytes
        if buffer.count >= Self.flushAt { flush() }
    }

    func write(_ text: String) {
        buffer += text.utf8
        if buffer.count >= Self.flushAt { flush() }
    }

    /// Lets `body` append to the buffer in place (no intermediate array).
    func append(_ body: (inout [UInt8]) -> Void) {
        body(&buffer)
        if buffer.count >= Self.flushAt { flush() }
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes {
            if let handle { _ = fwrite($0.baseAddress, 1, $0.count, handle) }
            digest?.update($0)
        }
        sink?(buffer)
        size += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    private var finished: FileDigest?

    /// Flushes and closes the file; the digest of everything written. Idempotent.
    @discardableResult
    func finish() -> FileDigest {
        if let f = finished { return f }
        flush()
        if let handle { fclose(handle) }
        let d = digest?.finish() ?? FileDigest(size: size, sha256: "", xxh64: "")
        finished = d
        return d
    }
}

/// Calls `body` with each line of the file at `path` (without its line feed), reading one line
/// at a time.
func forEachLine(ofFile path: String, _ body: (String) throws -> Void) throws {
    guard let f = fopen(path, "rb") else { throw LakeError(.lakeStorage, scope: .internal, message: "cannot read \(path)") }
    defer { fclose(f) }
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(line) }
    while true {
        let n = getline(&line, &capacity, f)
        if n < 0 { break }
        guard let l = line else { break }
        var text = String(cString: l)
        if text.hasSuffix("\n") { text.removeLast() }
        if !text.isEmpty { try body(text) }
    }
}
