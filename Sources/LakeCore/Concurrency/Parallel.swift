import Dispatch
import Foundation

/// Fork-join helpers over the dispatch pool. Results come back in input order, so what the
/// callers build from them does not depend on how the work was scheduled.
public enum Parallel {
    /// `transform` applied to every item by up to `workers` threads at once (contiguous slices,
    /// one per worker); the results in item order. The first error (by item) is rethrown.
    public static func map<T, R>(_ items: [T], workers: Int, _ transform: (T) throws -> R) throws -> [R] {
        let n = items.count
        let lanes = max(1, min(workers, n))
        if lanes == 1 { return try items.map(transform) }
        let slots = Slots<R>(lanes)
        withoutActuallyEscaping(transform) { transform in
            let box = UncheckedBox(transform)
            let input = UncheckedBox(items)
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                // Each lane keeps its results and hands them over once: a lock per item cost
                // more than many an item's work.
                let start = n * lane / lanes, end = n * (lane + 1) / lanes
                var results: [Result<R, Error>] = []
                results.reserveCapacity(end - start)
                for i in start..<end {
                    let r = Result { try box.value(input.value[i]) }
                    results.append(r)
                    if case .failure = r { break }
                }
                slots.set(lane, results)
            }
        }
        return try slots.results()
    }

    /// `map` started in the background: the caller goes on (parsing the next batch, say) and
    /// collects the results, in item order, with `wait()`. `whenDone` is called on the
    /// background thread once every item is transformed (the items go with that thread's work
    /// item, right after).
    public static func start<T, R>(
        _ items: [T], workers: Int, whenDone: (@Sendable () -> Void)? = nil, _ transform: @escaping (T) throws -> R
    ) -> Pending<R> {
        let job = UncheckedBox((items, transform))
        return Pending {
            defer { whenDone?() }
            return try Parallel.map(job.value.0, workers: workers, job.value.1)
        }
    }

    /// Results being computed in the background.
    public final class Pending<R>: @unchecked Sendable {
        private let finished = DispatchSemaphore(value: 0)
        private var result: Result<[R], Error>?

        init(_ work: @escaping @Sendable () throws -> [R]) {
            DispatchQueue.global().async {
                self.result = Result { try work() }
                self.finished.signal()
            }
        }

        /// Waits for the results (once).
        public func wait() throws -> [R] {
            finished.wait()
            return try result!.get()
        }
    }

    /// `body(0)`, `body(1)`, … run at once, each on its own thread from the pool; their results
    /// in index order. Each body must touch only its own state.
    public static func run<R>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> R) throws -> [R] {
        let slots = Slots<R>(count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, [Result { try body(i) }]) }
        return try slots.results()
    }
}

/// One slot per lane, each holding its lane's results in item order, filled from several
/// threads.
private final class Slots<R>: @unchecked Sendable {
    private var lanes: [[Result<R, Error>]]
    private let lock = NSLock()
    init(_ n: Int) { lanes = Array(repeating: [], count: n) }

    func set(_ lane: Int, _ results: [Result<R, Error>]) {
        lock.lock()
        lanes[lane] = results
        lock.unlock()
    }

    /// The values in order; the first failure (by item) is thrown. A lane stops at its first
    /// failure, and the lanes are contiguous slices in order, so the first failure met is the
    /// first by item.
    func results() throws -> [R] {
        var out: [R] = []
        out.reserveCapacity(lanes.reduce(0) { $0 + $1.count })
        for lane in lanes {
            for v in lane { out.append(try v.get()) }
        }
        return out
    }
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
