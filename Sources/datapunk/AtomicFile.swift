import Foundation
import LakeCore

/// A file replaced whole or not at all: written to `<path>.tmp-datapunk-<pid>` beside it (mode
/// 0600, never following a link), then fsync and rename. Temporaries left by killed runs to the
/// same name (their process gone) are removed first. Exports and their manifests use it.
///
/// ```swift
/// let file = try AtomicFile(path)
/// do { /* write to file.fd */ try file.commit() } catch { file.abort(); throw error }
/// ```
final class AtomicFile {
    let path: String
    let fd: Int32
    private let temporary: String
    private var isOpen = true

    init(_ path: String) throws {
        self.path = path
        temporary = path + ".tmp-datapunk-\(getpid())"
        Self.removeStaleTemporaries(of: path)
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LakeError(
                .outputWrite, scope: .input, input: path, message: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
    }

    static func removeStaleTemporaries(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        StaleFiles.removeDead(prefix: (path as NSString).lastPathComponent + ".tmp-datapunk-", in: folder.isEmpty ? "." : folder)
    }

    /// Syncs what was written and renames it over `path`.
    func commit() throws {
        if fsync(fd) != 0 {
            throw LakeError(.outputWrite, scope: .input, input: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        close(fd)
        isOpen = false
        if rename(temporary, path) != 0 {
            throw LakeError(.outputWrite, scope: .input, input: path, message: "cannot replace it: \(String(cString: strerror(errno)))")
        }
    }

    /// Closes and removes the temporary file; `path` is left as it was.
    func abort() {
        if isOpen { close(fd) }
        isOpen = false
        unlink(temporary)
    }

    /// Writes `body`'s output through a `StandardOutput` on the temporary file and commits it.
    static func write(_ path: String, _ body: (StandardOutput) throws -> Void) throws {
        let file = try AtomicFile(path)
        do {
            let out = StandardOutput(fd: file.fd, name: path)
            try body(out)
            try out.flush()
            try file.commit()
        } catch {
            file.abort()
            throw error
        }
    }
}
