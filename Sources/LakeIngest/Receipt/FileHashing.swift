import Foundation
import LakeCore

/// Reading whole files for their digests.
public enum FileHashing {
    /// SHA-256 and XXH64 of a file, read in 1 MiB blocks.
    /// - Throws: `LakeError` (`input.not_found`, `input.unreadable`).
    /// A read interrupted by a signal (`EINTR`) or told to try again (`EAGAIN`) is resumed
    /// after a pause, up to `backoff.retries` times in a row.
    /// An input must be a regular file or a folder: a device (`/dev/zero` never ends), a pipe
    /// or a socket is refused (`input.special_file`); standard input is given as `-`.
    public static func requireFileOrFolder(_ path: String, input: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { return }  // missing: reported as not found where it is opened
        let type = st.st_mode & S_IFMT
        if type == S_IFREG || type == S_IFDIR { return }
        let kind = type == S_IFCHR ? "a character device" : type == S_IFBLK ? "a block device" : type == S_IFIFO ? "a pipe" : "a socket"
        throw LakeError(
            .inputSpecialFile, scope: .input, input: input,
            message: "is \(kind), not a file or folder; give standard input as `-`")
    }

    /// `chunks`, when given, is fed every byte too (XXH64 per fixed chunk).
    public static func digest(
        ofFile path: String, blockSize: Int = 1 << 20, backoff: Backoff = Backoff(), chunks: ChunkHasher? = nil,
        shouldStop: () -> Bool = { false }
    ) throws -> FileDigest {
        guard let f = fopen(path, "rb") else {
            let rule: LakeError.Rule = errno == ENOENT ? .inputNotFound : .inputUnreadable
            throw LakeError(rule, scope: .input, input: path, message: String(cString: strerror(errno)))
        }
        defer { fclose(f) }
        // SHA-256 here, the XXH64 passes on another thread: each block is a new array.
        let digester = SplitDigester(chunks: chunks)
        var interrupted = 0
        while true {
            if shouldStop() { throw ReadInterrupted() }
            var n = 0
            let block = [UInt8](unsafeUninitializedCapacity: blockSize) { buffer, count in
                n = fread(buffer.baseAddress, 1, blockSize, f)
                count = n
            }
            if n > 0 {
                digester.update(block)
                interrupted = 0
            }
            if n < blockSize {
                if ferror(f) != 0 {
                    let code = errno
                    interrupted += 1
                    if (code == EINTR || code == EAGAIN), backoff.allowsRetry(after: interrupted) {
                        clearerr(f)
                        backoff.pause(after: interrupted)
                        continue
                    }
                    throw LakeError(.inputUnreadable, scope: .input, input: path, message: "read error: \(String(cString: strerror(code)))")
                }
                break
            }
        }
        return digester.finish()
    }

    /// The digest of a folder: SHA-256 and XXH64 of its listing, a line per file and link in
    /// `FolderReader` order: `<SHA-256 of the file>  <relative path>\n` (as `sha256sum`
    /// prints it), for a link the SHA-256 of its target text; size is the files' total bytes.
    public static func digest(
        ofFolder path: String, skipping: (String) -> Bool = { _ in false },
        shouldStop: () -> Bool = { false }
    ) throws -> FileDigest {
        let folder = try FolderReader(path: path, skipping: skipping)
        var listing: [UInt8] = []
        var total: Int64 = 0
        while let entry = try folder.nextEntry() {
            switch entry.kind {
            case .file:
                let d = FileDigester()
                while let chunk = try folder.readChunk() {
                    if shouldStop() { throw ReadInterrupted() }
                    d.update(chunk)
                }
                let digest = d.finish()
                total += digest.size
                listing += Array("\(digest.sha256)  \(entry.path)\n".utf8)
            case .symlink:
                listing += Array("\(FileDigester.sha256(Array((entry.linkTarget ?? "").utf8)))  \(entry.path)\n".utf8)
            default: continue
            }
        }
        let d = FileDigester()
        d.update(listing)
        let digest = d.finish()
        return FileDigest(size: total, sha256: digest.sha256, xxh64: digest.xxh64)
    }

    /// Copies standard input to `path` while hashing it (and feeding `chunks`); returns the digest.
    /// - Throws: `LakeError` (`input.unreadable`) when stdin cannot be read or the copy written.
    public static func copyStandardInput(
        to path: String, maxBytes: Int64, chunks: ChunkHasher? = nil,
        shouldStop: () -> Bool = { false }
    ) throws -> FileDigest {
        guard let out = fopen(path, "wb") else {
            throw LakeError(
                .inputUnreadable, scope: .input, input: "-", message: "cannot write the staging copy: \(String(cString: strerror(errno)))")
        }
        defer { fclose(out) }
        let digester = FileDigester()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: Int64 = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw LakeError(
                    .inputUnreadable, scope: .input, input: "-", message: "cannot read stdin: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            if shouldStop() { throw ReadInterrupted() }
            total += Int64(n)
            if total > maxBytes {
                throw LakeError(.inputTooLarge, scope: .input, input: "-", message: "more than the single-file limit of \(maxBytes) bytes")
            }
            try buffer.withUnsafeBytes { b in
                let chunk = UnsafeRawBufferPointer(rebasing: b[0..<n])
                digester.update(chunk)
                chunks?.update(chunk)
                if fwrite(chunk.baseAddress, 1, n, out) != n {
                    throw LakeError(.inputUnreadable, scope: .input, input: "-", message: "cannot write the staging copy")
                }
            }
        }
        return digester.finish()
    }

    /// The first `count` bytes of a file.
    public static func head(ofFile path: String, count: Int) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            throw LakeError(.inputUnreadable, scope: .input, input: path, message: String(cString: strerror(errno)))
        }
        defer { fclose(f) }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, f) }
        return Array(buffer[0..<n])
    }
}

/// A long read (hashing an input, copying standard input) stopped because SIGINT or SIGTERM
/// asked the job to stop.
public struct ReadInterrupted: Error, Sendable {
    public init() {}
}
