import Foundation
@testable import LakePipeline
import Testing

/// /proc's files read on bytes (`ProcessMetrics.sample`, every chunk's commit): the numbers
/// the lines and fields hold, on texts in the kernel's layout and on this process's own files.
@Suite struct ProcessMetricsTests {
    static func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        Array(text.utf8).withUnsafeBufferPointer(body)
    }

    @Test func statusLinesGiveTheirNumbers() {
        let status = "Name:\tdatapunk\nVmPeak:\t 1200 kB\nVmHWM:\t    9876 kB\nVmRSS:\t  4321 kB\nThreads:\t5\n"
        #expect(Self.withBytes(status) { ProcessMetrics.number(after: "VmHWM:", in: $0) } == 9876)
        #expect(Self.withBytes(status) { ProcessMetrics.number(after: "VmRSS:", in: $0) } == 4321)
        // Only at a line's start, and only a number.
        #expect(Self.withBytes("XVmHWM: 5\nVmHWM: 7") { ProcessMetrics.number(after: "VmHWM:", in: $0) } == 7)
        #expect(Self.withBytes("VmHWM: kB 5\n") { ProcessMetrics.number(after: "VmHWM:", in: $0) } == nil)
        #expect(Self.withBytes("VmRSS: 5\n") { ProcessMetrics.number(after: "VmHWM:", in: $0) } == nil)
        #expect(
            Self.withBytes("read_bytes: 12\nwrite_bytes: 99999999999999999999\n") { ProcessMetrics.number(after: "write_bytes:", in: $0) }
                == nil)
        #expect(Self.withBytes("rchar: 1\nread_bytes: 4096") { ProcessMetrics.number(after: "read_bytes:", in: $0) } == 4096)
        // A cgroup file: its one number, or `max` for none.
        #expect(Self.withBytes("8589934592\n") { ProcessMetrics.number(after: "", in: $0) } == 8_589_934_592)
        #expect(Self.withBytes("max\n") { ProcessMetrics.number(after: "", in: $0) } == nil)
    }

    @Test func statFieldsAfterTheNameGiveTheCPUTime() {
        let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
        // A name with spaces and a parenthesis: fields count from the last `)`.
        let stat = "4242 (data punk) (x)) S 1 4242 4242 0 -1 4194304 500 0 0 0 250 50 0 0 20 0 5 0 100 1000 300\n"
        #expect(Self.withBytes(stat) { ProcessMetrics.cpuMillis(stat: $0) } == 300 * 1000 / ticks)
        #expect(Self.withBytes("1 (a) S 1 2 3") { ProcessMetrics.cpuMillis(stat: $0) } == nil)
        #expect(Self.withBytes("no name here") { ProcessMetrics.cpuMillis(stat: $0) } == nil)
    }

    /// This process's own files, read both ways: the byte reading against `String` splitting,
    /// for the lines that do not move between two reads.
    @Test func thisProcessesFilesReadAsTheirLinesSay() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let tgid = status.split(separator: "\n").first { $0.hasPrefix("Tgid:") }.flatMap { $0.split(separator: "\t").last }
        #expect(Self.withBytes(status) { ProcessMetrics.number(after: "Tgid:", in: $0) } == tgid.flatMap { Int64($0) })
        let m = ProcessMetrics.sample()
        let peak = try #require(m.peakRSSKiB), resident = try #require(m.residentKiB)
        #expect(peak >= resident && resident > 0)
        #expect(try #require(m.cpuMillis) >= 0)
        #expect(m.readBytes != nil && m.writeBytes != nil)
        #expect(try #require(ProcessMetrics.availableMemoryBytes()) > 0)
        let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let total = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }?.split(separator: " ").compactMap { Int64($0) }.first
        #expect(AlertMonitor.memoryKiB == total && total != nil)
    }
}
