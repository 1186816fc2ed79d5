import Foundation
import LakeCore

/// Watches every libarchive call: one that runs longer than the limit is a stall (libarchive
/// 3.6.2's RAR5 reader was seen spinning forever on a hostile archive; a read can also block
/// on a pipe that never delivers), and the handler is called from the watchdog's own thread.
/// A stuck call cannot be interrupted safely, so the handler normally reports and ends the
/// process; the default one prints the error and exits with status 3 (input refused).
///
/// ```swift
/// ArchiveWatchdog.shared.configure(limitSeconds: 60) { stall in report(stall); _exit(3) }
/// ```
public final class ArchiveWatchdog: @unchecked Sendable {
    public struct Stall: Sendable, Equatable {
        public var archive: String
        /// The entry being read, when the header was read already.
        public var entry: String?
        /// `open`, `next_header`, `read_data` or `skip_data`.
        public var call: String
        public var seconds: Double
    }

    public static let shared = ArchiveWatchdog()

    private let lock = NSLock()
    private var limit: Double = 60
    private var handler: @Sendable (Stall) -> Void = ArchiveWatchdog.reportAndExit
    private var active: [UInt64: (archive: String, entry: String?, call: String, since: UInt64)] = [:]
    private var nextID: UInt64 = 0
    private var monitoring = false

    /// A watchdog of its own (tests); the pipeline uses `shared`.
    public init() {}

    /// Sets the limit and the handler (for the whole process).
    public func configure(limitSeconds: Double, onStall: @escaping @Sendable (Stall) -> Void = ArchiveWatchdog.reportAndExit) {
        lock.lock()
        limit = limitSeconds
        handler = onStall
        lock.unlock()
    }

    /// Runs `body` (one libarchive call) under watch.
    func guarded<T>(archive: String, entry: String?, call: String, _ body: () throws -> T) rethrows -> T {
        lock.lock()
        let id = nextID
        nextID += 1
        active[id] = (archive, entry, call, DispatchTime.now().uptimeNanoseconds)
        if !monitoring {
            monitoring = true
            let t = Thread { [self] in monitor() }
            t.name = "datapunk.archive-watchdog"
            t.start()
        }
        lock.unlock()
        defer {
            lock.lock()
            active[id] = nil
            lock.unlock()
        }
        return try body()
    }

    /// Checks the running calls a few times per limit; reports each stalled call once.
    private func monitor() {
        var reported = Set<UInt64>()
        while true {
            lock.lock()
            let limit = self.limit
            let now = DispatchTime.now().uptimeNanoseconds
            let stalled = active.filter { !reported.contains($0.key) && Double(now - $0.value.since) / 1e9 > limit }
            let handler = self.handler
            reported.formIntersection(active.keys)
            lock.unlock()
            for (id, call) in stalled.sorted(by: { $0.key < $1.key }) {
                reported.insert(id)
                handler(Stall(archive: call.archive, entry: call.entry, call: call.call, seconds: Double(now - call.since) / 1e9))
            }
            Thread.sleep(forTimeInterval: min(1, max(0.02, limit / 10)))
        }
    }

    /// The default handler: one error line on stderr, then exit status 3.
    public static let reportAndExit: @Sendable (Stall) -> Void = { stall in
        TerminalLine.writeError(stall.errorLine)
        _exit(3)
    }
}

extension ArchiveWatchdog.Stall {
    /// `datapunk: input '…': entry '…': rule archive.stalled: …`
    public var errorLine: String {
        var parts = ["datapunk: input '\((archive as NSString).lastPathComponent)'"]
        if let entry { parts.append("entry '\(entry)'") }
        parts.append("rule archive.stalled: libarchive's \(call) made no progress for \(Int(seconds)) s; the archive is refused and the process stops")
        return parts.joined(separator: ": ")
    }
}
