import Dispatch
import Foundation

/// A request to pause a running job at its next chunk boundary (set from a signal handler
/// or another thread; read by the committer after each commit).
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested: Int32?
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    public func request(signal: Int32 = 0) {
        lock.lock()
        if requested == nil { requested = signal }
        lock.unlock()
    }

    /// The signal that asked for the stop (0 when asked otherwise), or nil.
    public var signal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Turns SIGINT and SIGTERM into a stop request instead of ending the process.
    public func installSignalHandlers() {
        for sig in [SIGINT, SIGTERM] {
            Foundation.signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.request(signal: sig) }
            source.resume()
            sources.append(source)
        }
    }
}

/// Thrown at a chunk boundary when a stop was requested.
struct JobPaused: Error {}
