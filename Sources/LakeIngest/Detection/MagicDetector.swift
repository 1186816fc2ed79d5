import Foundation
import LakeCore

/// MIME types from libmagic's database. A `magic_t` is not thread-safe: a detector asks it one
/// question at a time (a lock), so threads may share one.
///
/// ```swift
/// let magic = try MagicDetector()
/// magic.mimeType(of: Array("{}".utf8))  // "application/json"
/// ```
/// See https://man7.org/linux/man-pages/man3/libmagic.3.html
public final class MagicDetector {
    /// The `magic_t` this object owns and closes.
    public typealias Handle = OpaquePointer
    private let handle: Handle
    private let lock = NSLock()

    /// Opens libmagic with `MAGIC_MIME_TYPE` and loads the default database.
    /// - Throws: `LakeError` (`internal`) when the database cannot be loaded.
    public init() throws {
        guard let h = c_magic_open(c_MAGIC_MIME_TYPE) else {
            throw LakeError(.internalError, scope: .internal, message: "magic_open failed")
        }
        handle = h
        if c_magic_load(h) != 0 {
            let why = c_magic_error(h) ?? "unknown"
            c_magic_close(h)
            throw LakeError(.internalError, scope: .internal, message: "magic_load failed: \(why)")
        }
    }

    deinit { c_magic_close(handle) }

    /// The MIME type of a buffer (usually the first 4 KB). The corresponding C function is `magic_buffer`.
    public func mimeType(of bytes: [UInt8]) -> String {
        lock.lock()
        defer { lock.unlock() }
        return bytes.withUnsafeBytes { c_magic_buffer(handle, $0.baseAddress, $0.count) } ?? "application/octet-stream"
    }

    /// The MIME type of a file. The corresponding C function is `magic_file`.
    public func mimeType(ofFile path: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        return c_magic_file(handle, path) ?? "application/octet-stream"
    }
}

extension ContentSniffer {
    /// libmagic's answer and our checks, on the first `sampleBytes` of `head`, for a file of
    /// `size` bytes named `name` (its MIME type is in `mimeType`). Inputs, archive entries and
    /// `inspect` are all typed through this.
    /// `mime`, when given, is libmagic's answer for those bytes, asked already.
    public static func detect(
        head: [UInt8], size: Int64, name: String, magic: MagicDetector, sampleBytes: Int, mime: String? = nil
    ) -> Detection {
        let sample = Array(head.prefix(sampleBytes))
        return detect(sample: sample, name: name, mime: mime ?? magic.mimeType(of: sample), isComplete: Int64(sample.count) >= size)
    }
}
