#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Files a process names after its pid (`<prefix><pid>`, optionally followed by `-<more>`) and
/// removes when it ends, left behind when it was killed: removed by the next run once that
/// process is gone.
public enum StaleFiles {
    /// Removes `folder/<prefix><pid>` for every pid that is no longer a running process
    /// (this process's own is kept).
    public static func removeDead(prefix: String, in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard digits.count == rest.count || rest.dropFirst(digits.count).first == "-", let pid = Int32(digits), pid != getpid() else {
                continue
            }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + name) }
        }
    }
}
