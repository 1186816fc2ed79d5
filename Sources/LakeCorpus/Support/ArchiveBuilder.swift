import Foundation
import LakeCore
import LakeIngest

/// Builds one archive of a generated corpus while the generator goes on: entries are staged
/// (`StagedFile`) or given as bytes, queued in the order they are added, and a worker thread
/// compresses them into the archive and deletes each staged file once it is in. So generation
/// and compression run on two cores, and memory stays flat whatever the corpus size; the
/// queue holds at most `maxPendingBytes` (8 MiB) of queued data before the generator waits
/// for the worker. Zip entries are streamed straight in (`open`); tar entries, and files written
/// alongside another (`stage`), go through a staging file that is deleted once archived.
///
/// Entry order in the archive is exactly the order of `add` calls, so the bytes are the same
/// however fast either side runs.
final class ArchiveBuilder: @unchecked Sendable {
    /// Deflate level for generated archives: 1, so compression keeps up with generation.
    static let compressionLevel = 1
    static let maxPendingBytes: Int64 = 8 << 20

    let path: String
    let staging: String
    private enum Job {
        case staged(entry: String, file: String, size: Int64)
        case bytes(entry: String, contents: [UInt8])
        /// A streamed entry: its header, then its bytes chunk by chunk.
        case begin(entry: String)
        case chunk(entry: String, bytes: [UInt8])
    }
    private let streams: Bool
    private var streamOpen = false

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var pendingBytes: Int64 = 0
    private var closing = false
    private var done = false
    private var failure: Error?
    private var stagedCount = 0
    /// Uncompressed bytes of every entry added so far.
    private(set) var contentBytes: Int64 = 0
    private let writer: ArchiveWriter

    init(path: String, format: ArchiveWriter.Format, staging: String) throws {
        self.path = path
        self.staging = staging
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        writer = try ArchiveWriter(path: path, format: format, compressionLevel: Self.compressionLevel)
        streams = format == .zip
        let thread = Thread { [self] in self.run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// A new staged file for `entry`; give it back to `add(_:)` when it is written.
    func stage(_ entry: String) throws -> StagedFile {
        stagedCount += 1
        return try StagedFile(path: staging + "/\(stagedCount).part", entry: entry)
    }

    /// A file for `entry` that is the next entry of the archive: for a zip its bytes stream into
    /// the archive as they are generated (no staging file; the entry gets a data descriptor);
    /// for a tar they are staged. No other entry may be added until it is given to `add(_:)`.
    func open(_ entry: String) throws -> StagedFile {
        guard streams else { return try stage(entry) }
        precondition(!streamOpen, "one streamed entry at a time")
        streamOpen = true
        try enqueue(.begin(entry: entry), size: 0)
        return StagedFile(entry: entry) { [self] bytes in
            // A failure is kept by the worker and reported by the next `add` or `close`.
            try? enqueue(.chunk(entry: entry, bytes: bytes), size: Int64(bytes.count))
        }
    }

    /// Finishes `file` and queues it as the next entry; its digest.
    @discardableResult
    func add(_ file: StagedFile) throws -> FileDigest {
        let digest = file.finish()
        if file.isStreamed {
            streamOpen = false
            condition.lock()
            defer { condition.unlock() }
            if let failure { throw failure }
            return digest
        }
        precondition(!streamOpen, "a streamed entry is still open")
        try enqueue(.staged(entry: file.entry, file: file.path, size: digest.size), size: digest.size)
        return digest
    }

    /// Queues a small entry given as bytes (no staging file); its digest.
    @discardableResult
    func add(_ entry: String, contents: [UInt8]) throws -> FileDigest {
        precondition(!streamOpen, "a streamed entry is still open")
        let digest = FileDigester()
        digest.update(contents)
        try enqueue(.bytes(entry: entry, contents: contents), size: Int64(contents.count))
        return digest.finish()
    }

    private func enqueue(_ job: Job, size: Int64) throws {
        contentBytes += size  // every job's size is the entry bytes it carries (0 for a header)
        condition.lock()
        defer { condition.unlock() }
        while pendingBytes > Self.maxPendingBytes && !queue.isEmpty && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(job)
        pendingBytes += size
        condition.broadcast()
    }

    /// Tells the worker no more entries come; it closes the archive once the queue is written.
    /// The generator can go on with the next archive meanwhile.
    func finish() {
        condition.lock()
        closing = true
        condition.broadcast()
        condition.unlock()
    }

    /// Finishes, waits for the worker to write every queued entry and close the archive; the
    /// archive's digest.
    func close() throws -> FileDigest {
        finish()
        condition.lock()
        while !done { condition.wait() }
        let failure = self.failure
        condition.unlock()
        try? FileManager.default.removeItem(atPath: staging)
        if let failure { throw failure }
        return try FileHashing.digest(ofFile: path)
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closing { condition.wait() }
            if queue.isEmpty {
                condition.unlock()
                break
            }
            let job = queue.removeFirst()
            let failed = failure != nil
            condition.unlock()
            var size: Int64 = 0
            do {
                switch job {
                case .staged(let entry, let file, let s):
                    size = s
                    if !failed { try writer.addFile(entry, fromFile: file) }
                    unlink(file)
                case .bytes(let entry, let contents):
                    size = Int64(contents.count)
                    if !failed { try writer.addFile(entry, contents: contents) }
                case .begin(let entry):
                    if !failed { try writer.beginFile(entry) }
                case .chunk(let entry, let bytes):
                    size = Int64(bytes.count)
                    if !failed { try writer.writeData(bytes, entry: entry) }
                }
            } catch {
                condition.lock()
                if failure == nil { failure = error }
                condition.unlock()
            }
            condition.lock()
            pendingBytes -= size
            condition.broadcast()
            condition.unlock()
        }
        do { try writer.close() } catch {
            condition.lock()
            if failure == nil { failure = error }
            condition.unlock()
        }
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }
}
