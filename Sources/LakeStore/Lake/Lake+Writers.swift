#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import LakeCore

/// Who is writing to a lake. SQLite's lock says only that some connection holds the catalog;
/// each ingest therefore marks itself in `writers/<pid>` (the job id inside) and holds an
/// exclusive `flock` on that file while its job runs. A mark whose lock can be taken belongs to
/// a process that is gone (the kernel drops the lock with the process, whatever killed it), so
/// only live writers are ever named, and a recycled pid cannot pass for one.
extension Lake {
    public struct Writer: Equatable, Sendable {
        public var pid: Int32
        public var jobID: String
    }

    /// This process's mark: held until `release` (or until the process ends).
    public final class WriterMark {
        let path: String
        private var fd: Int32

        init(path: String, fd: Int32) {
            self.path = path
            self.fd = fd
        }

        public func release() {
            guard fd >= 0 else { return }
            unlink(path)
            close(fd)
            fd = -1
        }

        deinit { release() }
    }

    var writersFolder: String { directory + "/writers" }

    /// Marks this process as the writer of `jobID` (and removes marks of processes that are
    /// gone). The folder and the file are created 0700
    /// and 0600 and never followed through a link.
    public func markWriter(jobID: String) throws -> WriterMark {
        let folder = writersFolder
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw LakeError(.lakeStorage, scope: .input, message: "cannot create \(folder): \(String(cString: strerror(errno)))")
        }
        try Self.checkNoLinks(directory)
        // Marks left by killed writers go now.
        _ = liveWriters()
        let path = folder + "/\(getpid())"
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LakeError(
                errno == ELOOP ? .lakeUnsafeLink : .lakeStorage, scope: .input,
                message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        _ = flock(fd, LOCK_EX)
        _ = ftruncate(fd, 0)
        let text = Array((jobID + "\n").utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return WriterMark(path: path, fd: fd)
    }

    /// The processes writing to this lake now (this one left out), by pid. Marks of processes
    /// that are gone are removed on the way.
    public func liveWriters() -> [Writer] {
        let folder = writersFolder
        var live: [Writer] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for name in names {
            guard let pid = Int32(name), pid != getpid() else { continue }
            let path = folder + "/" + name
            let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            if flock(fd, LOCK_SH | LOCK_NB) == 0 {
                unlink(path)
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 128)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            let jobID = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            live.append(Writer(pid: pid, jobID: TerminalLine.escape(jobID)))
        }
        return live
    }

    /// Live writers as words for a message: `job J (pid P)`, joined; nil when there is none.
    public func describeWriters() -> String? {
        let live = liveWriters()
        return live.isEmpty ? nil : live.map { "job \($0.jobID) (pid \($0.pid))" }.joined(separator: ", ")
    }
}
