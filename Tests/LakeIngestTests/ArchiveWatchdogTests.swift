import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

/// The watchdog reports a libarchive call that makes no progress. The stuck call here is real:
/// libarchive opens a named pipe whose writer never writes, and blocks in read().
@Suite struct ArchiveWatchdogTests {
    final class Seen: @unchecked Sendable {
        let lock = NSLock()
        var stalls: [ArchiveWatchdog.Stall] = []
        let first = DispatchSemaphore(value: 0)

        /// A watchdog with this limit whose stalls are collected here.
        func watchdog(limit: Double) -> ArchiveWatchdog {
            let w = ArchiveWatchdog()
            w.configure(limitSeconds: limit) { stall in
                self.lock.lock()
                self.stalls.append(stall)
                self.lock.unlock()
                self.first.signal()
            }
            return w
        }
    }

    @Test func aReadBlockedOnAPipeIsReportedAsAStall() throws {
        let dir = TestPaths.scratch("watchdog")
        defer { TestPaths.remove(dir) }
        let fifo = dir + "/never.zip"
        #expect(mkfifo(fifo, 0o600) == 0)
        let seen = Seen()
        let watchdog = seen.watchdog(limit: 0.3)
        // The writer connects (so open() returns) and then says nothing until the stall is seen.
        let writerOpen = DispatchSemaphore(value: 0)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            writerOpen.signal()
            seen.first.wait()
            seen.first.signal()
            close(fd)  // EOF: the blocked read returns and the reader fails cleanly
        }
        writer.start()
        let result = Result { try ArchiveReader(path: fifo, watchdog: watchdog) }
        writerOpen.wait()
        seen.lock.lock()
        let stalls = seen.stalls
        seen.lock.unlock()
        #expect(stalls.count == 1)
        #expect(stalls.first?.archive == fifo && stalls.first?.call == "open" && (stalls.first?.seconds ?? 0) >= 0.3)
        #expect(stalls.first?.error.rule == .archiveStalled && stalls.first?.error.scope == .input)
        #expect(
            stalls.first?.error.description.hasPrefix("input 'never.zip': rule archive.stalled: libarchive's open made no progress")
                == true,
            "\(String(describing: stalls.first?.error))")
        // Once the pipe closes, the stuck call returns: libarchive reads an empty archive.
        #expect(try result.get().nextEntry() == nil)
    }

    @Test func callsWithinTheLimitAreNotReported() throws {
        let dir = TestPaths.scratch("watchdog-ok")
        defer { TestPaths.remove(dir) }
        let zip = dir + "/ok.zip"
        let w = try ArchiveWriter(path: zip, format: .zip)
        try w.addFile("a.txt", contents: Array("hello".utf8))
        try w.close()
        let seen = Seen()
        let watchdog = seen.watchdog(limit: 30)
        let reader = try ArchiveReader(path: zip, watchdog: watchdog)
        while let _ = try reader.nextEntry() { while try reader.readChunk() != nil {} }
        #expect(seen.stalls.isEmpty)
    }
}
