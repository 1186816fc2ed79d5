import Foundation

/// Resource figures of this process read from Linux's /proc (nil where a file is missing, as
/// on other systems): peak resident memory (`VmHWM` in /proc/self/status), CPU time (user +
/// system ticks in /proc/self/stat), and storage I/O (`read_bytes`, `write_bytes` in
/// /proc/self/io).
public struct ProcessMetrics: Sendable, Equatable {
    public var peakRSSKiB: Int64?
    public var residentKiB: Int64?
    public var cpuMillis: Int64?
    public var readBytes: Int64?
    public var writeBytes: Int64?

    public static func sample() -> ProcessMetrics {
        var m = ProcessMetrics()
        if let status = read("/proc/self/status") {
            for line in status.split(separator: "\n") {
                if line.hasPrefix("VmHWM:") { m.peakRSSKiB = number(in: line) }
                if line.hasPrefix("VmRSS:") { m.residentKiB = number(in: line) }
            }
        }
        if let stat = read("/proc/self/stat"), let close = stat.lastIndex(of: ")") {
            // Fields after the command name: state is field 3, utime 14, stime 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 13, let user = Int64(fields[11]), let system = Int64(fields[12]) {
                let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
                m.cpuMillis = (user + system) * 1000 / max(ticks, 1)
            }
        }
        if let io = read("/proc/self/io") {
            for line in io.split(separator: "\n") {
                if line.hasPrefix("read_bytes:") { m.readBytes = number(in: line) }
                if line.hasPrefix("write_bytes:") { m.writeBytes = number(in: line) }
            }
        }
        return m
    }

    /// Memory the process can still take: `MemAvailable` from /proc/meminfo, or, when the
    /// process's cgroup (v2) has a `memory.max`, the smaller headroom below it. Nil when unknown.
    public static func availableMemoryBytes() -> Int64? {
        var available: Int64?
        if let info = read("/proc/meminfo") {
            for line in info.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                available = number(in: line).map { $0 * 1024 }
            }
        }
        if let max = read("/sys/fs/cgroup/memory.max").flatMap({ Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
            let current = read("/sys/fs/cgroup/memory.current").flatMap({ Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        {
            let headroom = Swift.max(0, max - current)
            available = Swift.min(available ?? headroom, headroom)
        }
        return available
    }

    /// `availableMemoryBytes`, read again only when the last read is older than a quarter of a
    /// second: every file and every chunk asks, and each read of /proc/meminfo and the cgroup's
    /// files costs about 60 µs (a Takeout of 3,381 files spent 5% of its reading thread on it).
    public static func recentAvailableMemoryBytes() -> Int64? {
        availableMemory.value(at: DispatchTime.now().uptimeNanoseconds, read: availableMemoryBytes)
    }

    static let availableMemory = Recent<Int64?>(maxAgeNanos: 250_000_000)

    /// A value read again only when the last read is `maxAgeNanos` old or older; one read at a
    /// time.
    final class Recent<T>: @unchecked Sendable {
        let maxAgeNanos: UInt64
        private let lock = NSLock()
        private var last: (at: UInt64, value: T)?

        init(maxAgeNanos: UInt64) { self.maxAgeNanos = maxAgeNanos }

        /// The value at time `now` (nanoseconds, monotonic): the last one read, or `read()`.
        func value(at now: UInt64, read: () -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            if let last, now >= last.at, now - last.at < maxAgeNanos { return last.value }
            let value = read()
            last = (now, value)
            return value
        }
    }

    private static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private static func number(in line: Substring) -> Int64? {
        line.split(separator: " ").lazy.compactMap { Int64($0) }.first
    }
}
