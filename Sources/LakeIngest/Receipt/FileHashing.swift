import Foundation
import LakeCore

/// Reading whole files for their digests.
public enum FileHashing {
    /// SHA-256 and XXH64 of a file, read in 1 MiB blocks.
    /// - Throws: `LakeError` (`input.not_found`, `input.unreadable`).
    public static func digest(ofFile path: String, blockSize: Int = 1 << 20) throws -> FileDigest {
        guard let f = fopen(path, "rb") else {
            let rule: LakeError.Rule = errno == ENOENT ? .inputNotFound : .inputUnreadable
            throw LakeError(rule, scope: .input, input: path, message: String(cString: strerror(errno)))
        }
        defer { fclose(f) }
        let digester = FileDigester()
        var buffer = [UInt8](repeating: 0, count: blockSize)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, blockSize, f) }
            if n > 0 { buffer.withUnsafeBytes { digester.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) } }
            if n < blockSize {
                if ferror(f) != 0 {
                    throw LakeError(.inputUnreadable, scope: .input, input: path, message: "read error")
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
