import Dispatch
import Foundation

/// One pipeline stage on its own thread: work items run one at a time, in the order they were
/// submitted, while the submitter goes on. The items queued or running may weigh at most the
/// stage's budget (`depth` items of weight 1, or bytes: `submit(weight:)`), so memory stays
/// bounded when the stage is the slower side; an item heavier than the whole budget waits
/// until the stage is idle. The first error stops the stage: later items are dropped, and
/// `submit` and `finish` rethrow it.
///
/// ```swift
/// let committer = SerialStage(label: "committer", depth: 2)
/// try committer.submit { try insert(batch) }
/// try committer.finish()   // waits for everything submitted
/// ```
public final class SerialStage: @unchecked Sendable {
    private let queue: DispatchQueue
    private let budget: Int
    /// Guards `used` and `failure`; signalled when an item ends.
    private let room = NSCondition()
    private var used = 0
    private var failure: Error?

    /// A stage whose queue holds at most `depth` items of weight 1.
    public convenience init(label: String, depth: Int) { self.init(label: label, budget: depth) }

    /// A stage whose queued and running items weigh at most `budget` together.
    public init(label: String, budget: Int) {
        queue = DispatchQueue(label: label)
        self.budget = max(1, budget)
    }

    /// The stage's first error, if any.
    public var error: Error? {
        room.lock()
        defer { room.unlock() }
        return failure
    }

    /// Queues `work` of `weight`, first waiting while the items queued or running weigh too
    /// much to add it.
    /// - Throws: the stage's first error, when it has failed already (nothing is queued then).
    public func submit(weight: Int = 1, _ work: @escaping () throws -> Void) throws {
        let weight = max(1, weight)
        room.lock()
        while failure == nil && !fits(weight) { room.wait() }
        if let failure {
            room.unlock()
            throw failure
        }
        used += weight
        room.unlock()
        let item = Unchecked(work)
        queue.async {
            defer {
                self.room.lock()
                self.used -= weight
                self.room.broadcast()
                self.room.unlock()
            }
            guard self.error == nil else { return }
            do { try item.value() } catch {
                self.room.lock()
                if self.failure == nil { self.failure = error }
                self.room.unlock()
            }
        }
    }

    /// Whether an item of `weight` would be queued now, without waiting.
    public func hasRoom(for weight: Int) -> Bool {
        room.lock()
        defer { room.unlock() }
        return fits(max(1, weight))
    }

    /// Under `room`'s lock.
    private func fits(_ weight: Int) -> Bool { used == 0 || used + weight <= budget }

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
