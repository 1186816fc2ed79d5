import Foundation
import LakeCore

/// Watches every libarchive call: one that runs longer than the limit is a stall (libarchive
/// 3.6.2's RAR5 reader was seen spinning forever on a hostile archive; a read can also block
/// on a pipe that never delivers), and the handler is called from the watchdog's own thread.
/// A stuck call cannot be interrupted safely, so the handler ends the process: the program
/// installs one that reports `stall.error` its own way (the CLI prints its error line and
/// exits 3); without one the process exits with status 3 silently. A job first marks itself
/// failed (`setCleanup`). Nothing here prints.
///
/// ```swift
/// ArchiveWatchdog.shared.configure(limitSeconds: 60) { stall in report(stall.error); _exit(3) }
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
    private var handler: @Sendable (Stall) -> Void = { _ in _exit(3) }
    private var cleanup: (@Sendable (Stall) -> Void)?
    private var active: [UInt64: (archive: String, entry: String?, call: String, since: UInt64)] = [:]
    private var nextID: UInt64 = 0
    private var monitoring = false

    /// A watchdog of its own (tests); the pipeline uses `shared`.
    public init() {}

    /// Sets the limit, and the handler when one is given (for the whole process).
    public func configure(limitSeconds: Double, onStall: (@Sendable (Stall) -> Void)? = nil) {
        lock.lock()
        limit = limitSeconds
        if let onStall { handler = onStall }
        lock.unlock()
    }

    /// What runs before the handler on a stall (a job marks itself failed); nil for nothing.
    public func setCleanup(_ body: (@Sendable (Stall) -> Void)?) {
        lock.lock()
        cleanup = body
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
            let handler = self.handler, cleanup = self.cleanup
            reported.formIntersection(active.keys)
            lock.unlock()
            for (id, call) in stalled.sorted(by: { $0.key < $1.key }) {
                reported.insert(id)
                let stall = Stall(archive: call.archive, entry: call.entry, call: call.call, seconds: Double(now - call.since) / 1e9)
                cleanup?(stall)
                handler(stall)
            }
            Thread.sleep(forTimeInterval: min(1, max(0.02, limit / 10)))
        }
    }
}

extension ArchiveWatchdog.Stall {
    /// The stall as the error of its input (rule `archive.stalled`).
    public var error: LakeError {
        LakeError(
            .archiveStalled, scope: .input, input: (archive as NSString).lastPathComponent, entry: entry,
            message: "libarchive's \(call) made no progress for \(Int(seconds)) s; the archive is refused and the process stops")
    }
}
