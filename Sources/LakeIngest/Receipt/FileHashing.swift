import Foundation
import LakeCore

/// Reading whole files for their digests.
public enum FileHashing {
    /// SHA-256 and XXH64 of a file, read in 1 MiB blocks.
    /// - Throws: `LakeError` (`input.not_found`, `input.unreadable`).
    /// A read interrupted by a signal (`EINTR`) or told to try again (`EAGAIN`) is resumed
    /// after a pause, up to `backoff.retries` times in a row.
    public static func digest(ofFile path: String, blockSize: Int = 1 << 20, backoff: Backoff = Backoff()) throws -> FileDigest {
        guard let f = fopen(path, "rb") else {
            let rule: LakeError.Rule = errno == ENOENT ? .inputNotFound : .inputUnreadable
            throw LakeError(rule, scope: .input, input: path, message: String(cString: strerror(errno)))
        }
        defer { fclose(f) }
        let digester = FileDigester()
        var buffer = [UInt8](repeating: 0, count: blockSize)
        var interrupted = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, blockSize, f) }
            if n > 0 {
                buffer.withUnsafeBytes { digester.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
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
