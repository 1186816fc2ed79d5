import Dispatch
import Foundation

/// One pipeline stage on its own thread: work items run one at a time, in the order they were
/// submitted, while the submitter goes on. At most `depth` items wait, so memory stays bounded
/// when the stage is the slower side. The first error stops the stage: later items are
/// dropped, and `submit` and `finish` rethrow it.
///
/// ```swift
/// let committer = SerialStage(label: "committer", depth: 2)
/// try committer.submit { try insert(batch) }
/// try committer.finish()   // waits for everything submitted
/// ```
public final class SerialStage: @unchecked Sendable {
    private let queue: DispatchQueue
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var failure: Error?

    public init(label: String, depth: Int) {
        queue = DispatchQueue(label: label)
        slots = DispatchSemaphore(value: max(1, depth))
    }

    /// The stage's first error, if any.
    public var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }

    /// Queues `work`, first waiting while `depth` items are already queued.
    /// - Throws: the stage's first error, when it has failed already (nothing is queued then).
    public func submit(_ work: @escaping () throws -> Void) throws {
        if let error { throw error }
        slots.wait()
        let item = Unchecked(work)
        queue.async {
            defer { self.slots.signal() }
            guard self.error == nil else { return }
            do { try item.value() } catch {
                self.lock.lock()
                if self.failure == nil { self.failure = error }
                self.lock.unlock()
            }
        }
    }

    /// Waits until everything submitted has run (or was dropped after an error).
    /// - Throws: the stage's first error.
    public func finish() throws {
        queue.sync {}
        if let error { throw error }
    }

    /// Waits like `finish` but does not throw: for cleaning up after an error on the submitting side.
    public func drain() { queue.sync {} }
}

private struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
