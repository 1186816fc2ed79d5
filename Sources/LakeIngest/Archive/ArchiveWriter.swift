import Foundation
import LakeCore

/// Writes zip, 7z and tar archives (plain, gzip, bzip2, xz, zstd) through libarchive, with fixed
/// timestamps so the bytes depend only on the entries given. Used to build test fixtures and
/// corpus files. A zip can be encrypted (traditional PKWARE or AES-256) with a passphrase.
///
/// ```swift
/// let w = try ArchiveWriter(path: "out.zip", format: .zip)
/// try w.addFile("data/tweets.js", contents: bytes)
/// try w.close()
/// ```
public final class ArchiveWriter {
    public enum Format: Sendable, CaseIterable { case zip, tar, tarGzip, tarBzip2, tarXz, tarZstd, sevenZip }

    /// Zip encryption: `zipcrypt` (traditional PKWARE) or `aes256` (WinZip AES).
    public enum Encryption: String, Sendable { case zipcrypt, aes256 }

    /// The `struct archive *` this object owns and frees.
    public typealias Handle = OpaquePointer
    private let handle: Handle
    public let path: String
    private var closed = false
    /// The modification time written on every entry (2024-01-01T00:00:00Z).
    public static let fixedMTime: Int64 = 1_704_067_200

    /// - Parameter compressionLevel: deflate level 0-9 for zip and gzip (nil: libarchive's default, 6).
    public init(path: String, format: Format, compressionLevel: Int? = nil, encryption: (Encryption, passphrase: String)? = nil) throws {
        guard let h = c_archive_write_new() else {
            throw ArchiveError(code: .fatal, message: "archive_write_new: out of memory", path: path, entry: nil)
        }
        handle = h
        self.path = path
        switch format {
        case .zip: _ = c_archive_write_set_format_zip(h)
        case .tar: _ = c_archive_write_set_format_pax_restricted(h)
        case .tarGzip:
            _ = c_archive_write_set_format_pax_restricted(h)
            _ = c_archive_write_add_filter_gzip(h)
            // Leave the gzip header's MTIME at 0: by default libarchive writes the current time.
            _ = c_archive_write_set_options(h, "gzip:!timestamp")
        case .tarBzip2, .tarXz, .tarZstd:
            _ = c_archive_write_set_format_pax_restricted(h)
            _ = c_archive_write_add_filter(h, format == .tarBzip2 ? "bzip2" : format == .tarXz ? "xz" : "zstd")
        case .sevenZip: _ = c_archive_write_set_format_7zip(h)
        }
        if let (method, passphrase) = encryption {
            guard format == .zip else {
                throw ArchiveError(code: .fatal, message: "only zip archives are written encrypted", path: path, entry: nil)
            }
            try check(c_archive_write_set_options(h, "zip:encryption=\(method.rawValue)"), entry: nil)
            try check(c_archive_write_set_passphrase(h, passphrase), entry: nil)
        }
        if let level = compressionLevel {
            let option = format == .zip ? "zip:compression-level=\(level)" : "gzip:compression-level=\(level)"
            if format == .zip || format == .tarGzip { try check(c_archive_write_set_options(h, option), entry: nil) }
        }
        try check(c_archive_write_open_filename(h, path), entry: nil)
    }

    deinit {
        if !closed { _ = c_archive_write_close(handle) }
        c_archive_write_free(handle)
    }

    private func check(_ rc: Int32, entry: String?) throws {
        if rc < c_ARCHIVE_WARN {
            throw ArchiveError(
                code: .init(rawValue: rc), message: c_archive_error_string(handle) ?? "write failed", path: path,
                entry: entry)
        }
    }

    /// Writes one entry's header (fixed mtime), with `configure` setting anything more on the
    /// entry first. The corresponding C function is `archive_write_header`.
    private func writeHeader(
        _ name: String, size: Int64, type: UInt32, permissions: UInt32, configure: (OpaquePointer) -> Void = { _ in }
    ) throws {
        guard let e = c_archive_entry_new() else {
            throw ArchiveError(code: .fatal, message: "archive_entry_new: out of memory", path: path, entry: name)
        }
        defer { c_archive_entry_free(e) }
        c_archive_entry_set(e, path: name, size: size, type: type, perm: permissions, mtime: Self.fixedMTime)
        configure(e)
        try check(c_archive_write_header(handle, e), entry: name)
    }

    /// Writes data for the current entry. The corresponding C function is `archive_write_data`.
    private func writeData(_ bytes: UnsafeRawBufferPointer, entry name: String) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let n = c_archive_write_data(handle, base, bytes.count)
        if n < 0 { try check(Int32(truncatingIfNeeded: n), entry: name) }
    }

    /// Adds a regular file.
    public func addFile(_ name: String, contents: [UInt8], permissions: UInt32 = 0o644) throws {
        try writeHeader(name, size: Int64(contents.count), type: 0o100000, permissions: permissions)
        try contents.withUnsafeBytes { try writeData($0, entry: name) }
    }

    /// Starts a regular file of unknown size (zip only: the sizes and CRC go in a data
    /// descriptor after the data, as streaming zip writers do); its bytes follow through
    /// `writeData(_:entry:)`, and the entry ends with the next entry or `close`.
    public func beginFile(_ name: String, permissions: UInt32 = 0o644) throws {
        try writeHeader(name, size: 0, type: 0o100000, permissions: permissions) { c_archive_entry_unset_size($0) }
    }

    /// Writes more bytes of the entry begun with `beginFile`.
    public func writeData(_ bytes: [UInt8], entry name: String) throws {
        try bytes.withUnsafeBytes { try writeData($0, entry: name) }
    }

    /// Adds a regular file whose bytes come from the file at `path`, streamed in 1 MiB blocks
    /// (so archives of any size are written in constant memory).
    public func addFile(_ name: String, fromFile path: String, permissions: UInt32 = 0o644) throws {
        guard let f = fopen(path, "rb") else {
            throw ArchiveError(code: .fatal, message: "cannot open \(path)", path: self.path, entry: name)
        }
        defer { fclose(f) }
        fseek(f, 0, SEEK_END)
        let size = Int64(ftell(f))
        fseek(f, 0, SEEK_SET)
        try writeHeader(name, size: size, type: 0o100000, permissions: permissions)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            try buffer.withUnsafeBytes { try writeData(UnsafeRawBufferPointer(rebasing: $0[0..<n]), entry: name) }
        }
    }

    /// Adds a regular file made of `block` repeated `times` times, written block by block.
    public func addFile(_ name: String, repeating block: [UInt8], times: Int, permissions: UInt32 = 0o644) throws {
        try writeHeader(name, size: Int64(block.count * times), type: 0o100000, permissions: permissions)
        for _ in 0..<times { try block.withUnsafeBytes { try writeData($0, entry: name) } }
    }

    /// Adds a hard link to `target` (a path as the archive names it).
    public func addHardlink(_ name: String, target: String) throws {
        try writeHeader(name, size: 0, type: 0o100000, permissions: 0o644) { c_archive_entry_set_hardlink($0, target) }
    }

    /// Adds a directory entry.
    public func addDirectory(_ name: String) throws {
        try writeHeader(name, size: 0, type: 0o040000, permissions: 0o755)
    }

    /// Adds a symbolic link pointing at `target`.
    public func addSymlink(_ name: String, target: String) throws {
        try writeHeader(name, size: 0, type: 0o120000, permissions: 0o777) { c_archive_entry_set_symlink($0, target) }
    }

    /// Finishes the archive. The corresponding C function is `archive_write_close`.
    public func close() throws {
        closed = true
        try check(c_archive_write_close(handle), entry: nil)
    }
}
