import Crypto
import Foundation

/// SHA-256 and XXH64 of one byte stream, computed together in a single pass.
///
/// ```swift
/// let d = FileDigester(); d.update(chunk); let digest = d.finish()
/// digest.sha256  // 64 hex digits
/// ```
public struct FileDigest: Sendable, Equatable {
    public var size: Int64
    /// Lowercase hex SHA-256.
    public var sha256: String
    /// XXH64 (seed 0) as 16 lowercase hex digits.
    public var xxh64: String

    public init(size: Int64, sha256: String, xxh64: String) {
        self.size = size
        self.sha256 = sha256
        self.xxh64 = xxh64
    }
}

/// Streaming digester for `FileDigest`.
public final class FileDigester {
    private var sha = SHA256()
    private let xxh = XXH64()
    private var size: Int64 = 0

    public init() {}

    public func update(_ bytes: UnsafeRawBufferPointer) {
        sha.update(bufferPointer: bytes)
        xxh.update(bytes)
        size += Int64(bytes.count)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public func finish() -> FileDigest {
        FileDigest(size: size, sha256: Hex.string(sha.finalize()), xxh64: Hex.string(xxh.digest()))
    }

    /// SHA-256 of `bytes` as lowercase hex.
    public static func sha256(_ bytes: [UInt8]) -> String {
        Hex.string(SHA256.hash(data: bytes))
    }

    /// SHA-256 over files' names (last path component, then a newline) and bytes (then a NUL),
    /// in the order given: what a job's configuration carries for the user's rule and pattern
    /// files. Nil when a file cannot be read.
    public static func sha256(namesAndBytesOf files: [String]) -> String? {
        var bytes: [UInt8] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { return nil }
            bytes += Array(((file as NSString).lastPathComponent + "\n").utf8) + Array(data) + [0]
        }
        return sha256(bytes)
    }

    /// The raw 32-byte SHA-256 of `bytes`.
    public static func sha256Bytes(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}

/// A `FileDigester` fed on a thread of its own, so hashing overlaps with reading (a
/// decompressing reader and SHA-256 each take most of a core). Blocks are hashed in the order
/// given; at most `depth` wait.
///
/// ```swift
/// let d = BackgroundDigester()
/// while let block = try reader.readChunk() { d.update(block) }
/// let digest = d.finish()
/// ```
public final class BackgroundDigester: @unchecked Sendable {
    private let digester = FileDigester()
    private let stage: SerialStage

    public init(depth: Int = 16) {
        stage = SerialStage(label: "datapunk.digest", depth: depth)
    }

    /// A digester on a stage shared with other work (one thread for many files): blocks queue
    /// behind what was submitted before, and `finish(then:)` hands the digest on without waiting.
    public init(on stage: SerialStage) {
        self.stage = stage
    }

    public func update(_ bytes: [UInt8]) {
        let digester = self.digester
        try? stage.submit { digester.update(bytes) }
    }

    /// Waits for every block to be hashed.
    public func finish() -> FileDigest {
        stage.drain()
        return digester.finish()
    }

    /// Queues `body` on the stage, to run with the digest once every block is hashed.
    public func finish(then body: @escaping (FileDigest) -> Void) {
        let digester = self.digester
        try? stage.submit { body(digester.finish()) }
    }
}

/// SHA-256 on the caller's thread and XXH64 (with a `ChunkHasher`, when given) on a stage of its
/// own: an input's receipt, and its check after processing, read the whole file, and SHA-256
/// and the XXH64 passes each take a good part of a core. Blocks are handed over: not changed
/// after `update`.
public final class SplitDigester: @unchecked Sendable {
    private var sha = SHA256()
    private let xxh = XXH64()
    private let chunks: ChunkHasher?
    private let stage = SerialStage(label: "datapunk.xxh64", depth: 4)
    private var size: Int64 = 0

    public init(chunks: ChunkHasher? = nil) { self.chunks = chunks }

    public func update(_ block: [UInt8]) {
        let (xxh, chunks) = (self.xxh, self.chunks)
        try? stage.submit {
            block.withUnsafeBytes {
                xxh.update($0)
                chunks?.update($0)
            }
        }
        block.withUnsafeBytes { sha.update(bufferPointer: $0) }
        size += Int64(block.count)
    }

    /// The digest, once the stage has hashed every block (and so has `chunks`).
    public func finish() -> FileDigest {
        stage.drain()
        return FileDigest(size: size, sha256: Hex.string(sha.finalize()), xxh64: Hex.string(xxh.digest()))
    }
}
