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
        // Every chunk's commit samples: read into one buffer and parsed on bytes (Foundation's
        // file read and `String` splitting cost about 2 million instructions a sample, which
        // a file of a few records paid on the committer's thread).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8192) { buffer in
            var m = ProcessMetrics()
            if let status = contents("/proc/self/status", buffer) {
                m.peakRSSKiB = number(after: "VmHWM:", in: status)
                m.residentKiB = number(after: "VmRSS:", in: status)
            }
            if let stat = contents("/proc/self/stat", buffer) { m.cpuMillis = cpuMillis(stat: stat) }
            if let io = contents("/proc/self/io", buffer) {
                m.readBytes = number(after: "read_bytes:", in: io)
                m.writeBytes = number(after: "write_bytes:", in: io)
            }
            return m
        }
    }

    /// `number(after:in:)` in the first 8 KiB of the file at `path` (all of a /proc or cgroup
    /// file this reads: /proc/meminfo's lines come first); nil when it cannot be read. An empty
    /// `key` reads the number the file starts with.
    static func number(after key: StaticString, inFile path: String) -> Int64? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8192) { buffer in
            contents(path, buffer).flatMap { number(after: key, in: $0) }
        }
    }

    /// The first bytes of the file at `path` (as many as `buffer` holds), or nil when it cannot
    /// be read.
    static func contents(_ path: String, _ buffer: UnsafeMutableBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var n = 0
        while n < buffer.count {
            let got = Glibc.read(fd, buffer.baseAddress! + n, buffer.count - n)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            n += got
        }
        return UnsafeBufferPointer(rebasing: buffer[..<n])
    }

    /// The number after `key` at the start of a line (`VmHWM:\t  9876 kB` gives 9876), past
    /// spaces and tabs; nil when no line starts with `key` or no digit follows.
    static func number(after key: StaticString, in text: UnsafeBufferPointer<UInt8>) -> Int64? {
        let k = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        var line = 0
        while line + k.count <= text.count {
            if text[line..<(line + k.count)].elementsEqual(k) {
                var i = line + k.count
                while i < text.count && (text[i] == 0x20 || text[i] == 0x09) { i += 1 }
                return digits(text, from: i)
            }
            guard let newline = text[line...].firstIndex(of: 0x0A) else { return nil }
            line = newline + 1
        }
        return nil
    }

    /// User plus system CPU time in milliseconds from /proc/self/stat: fields 14 and 15, counted
    /// after the command name's closing parenthesis (the name may hold spaces).
    static func cpuMillis(stat: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // Fields after the name, from the state (field 3, index 0 here): utime is index 11.
        var field = -1
        var i = close + 1
        var user: Int64?
        while i < stat.count {
            while i < stat.count && stat[i] == 0x20 { i += 1 }
            guard i < stat.count else { break }
            field += 1
            if field == 11 { user = digits(stat, from: i) }
            if field == 12 {
                guard let user, let system = digits(stat, from: i) else { return nil }
                let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
                return (user + system) * 1000 / max(ticks, 1)
            }
            while i < stat.count && stat[i] != 0x20 { i += 1 }
        }
        return nil
    }

    /// The decimal number that starts at `from` and ends at a space, tab, newline or the end;
    /// nil for anything else there (as `Int64(_:)` of the field would give).
    static func digits(_ text: UnsafeBufferPointer<UInt8>, from: Int) -> Int64? {
        var value: Int64 = 0
        var i = from
        while i < text.count, text[i] >= 0x30 && text[i] <= 0x39 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int64(text[i] - 0x30))
            guard !o1 && !o2 else { return nil }
            value = sum
            i += 1
        }
        guard i > from, i == text.count || text[i] == 0x20 || text[i] == 0x09 || text[i] == 0x0A else { return nil }
        return value
    }

    /// Memory the process can still take: `MemAvailable` from /proc/meminfo, or, when the
    /// process's cgroup (v2) has a `memory.max`, the smaller headroom below it. Nil when unknown.
    public static func availableMemoryBytes() -> Int64? {
        var available = number(after: "MemAvailable:", inFile: "/proc/meminfo").map { $0 * 1024 }
        // Each holds one number, or `max` (no limit: no number).
        if let max = number(after: "", inFile: "/sys/fs/cgroup/memory.max"),
            let current = number(after: "", inFile: "/sys/fs/cgroup/memory.current")
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

}
