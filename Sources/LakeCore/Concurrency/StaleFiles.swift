#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Files a process names after its pid (`<prefix><pid>`) and removes when it ends, left behind
/// when it was killed: removed by the next run once that process is gone.
public enum StaleFiles {
    /// Removes `folder/<prefix><pid>` for every pid that is no longer a running process
    /// (this process's own is kept).
    public static func removeDead(prefix: String, in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + name) }
        }
    }
}
