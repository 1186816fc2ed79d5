#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import LakeCore
import LakeIngest
import LakeParsers
import LakeStore

/// Nested zips are copied to the staging folder before they are opened. Read as a stream,
/// libarchive never sees a zip's central directory: names would come from the local headers
/// alone, a NUL inside one cut unseen and a central directory that disagrees not noticed
/// (`ZipNameAudit` needs the whole file). Other nested formats (tar, gz, xz...) stream.
extension IngestJob {
    static func spoolsNested(_ path: String) -> Bool { path.lowercased().hasSuffix(".zip") }

    /// Where a nested zip at `depth` is copied: `<staging>/nested-<pid>-<depth>.zip` (one per
    /// depth is open at a time; left by a killed run, removed by the next, see `removeStaleCopies`).
    func nestedCopy(_ lake: Lake, depth: Int) -> String { staging(lake) + "/nested-\(getpid())-\(depth).zip" }

    /// Writes everything `source` gives to `path` (created 0600, never through a link). A
    /// write that fails is the lake's storage failing (`lake.disk_full` when it is full).
    func spool(_ source: () throws -> [UInt8]?, to path: String) throws {
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.storageError(path, errno) }
        defer { close(fd) }
        while let chunk = try source() {
            if let code = TerminalLine.writeAll(fd, chunk) { throw Self.storageError(path, code) }
        }
    }

    /// `first` handed on in blocks of 64 KiB (the size readers are used to; one large block
    /// would grow every reader's buffer to match), then whatever `rest` gives. `first` is let
    /// go once it is all handed on.
    static func replaying(_ first: [UInt8], then rest: @escaping JSONReader.ChunkSource) -> JSONReader.ChunkSource {
        var pending = first[...]
        return {
            if !pending.isEmpty {
                let block = Array(pending.prefix(64 << 10))
                pending = pending.dropFirst(block.count)
                if pending.isEmpty { pending = [] }
                return block
            }
            return try rest()
        }
    }

    static func storageError(_ path: String, _ code: Int32) -> LakeError {
        LakeError(
            code == ENOSPC ? .lakeDiskFull : .lakeStorage, scope: .input,
            message: "cannot write \(path): \(String(cString: strerror(code)))")
    }
}
