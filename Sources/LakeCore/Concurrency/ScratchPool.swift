import Foundation

/// Working storage that parallel workers reuse (a tape, a writer's buffers): each call takes
/// one value from the pool, or makes one, and puts it back after. At most as many values exist
/// as calls ran at once.
///
/// ```swift
/// let pool = ScratchPool { JSONTape() }
/// pool.with { tape in try tape.parse(bytes) }
/// ```
public final class ScratchPool<T>: @unchecked Sendable {
    private let make: () -> T
    /// Boxed, so a call moves one reference in and out of the pool, not every buffer of a
    /// value (a worker's scratch holds dozens; the pool is taken once per record).
    private var free: [Box] = []
    private let lock = NSLock()

    private final class Box {
        var value: T
        init(_ value: T) { self.value = value }
    }

    public init(_ make: @escaping () -> T) { self.make = make }

    public func with<R>(_ body: (inout T) throws -> R) rethrows -> R {
        lock.lock()
        let box = free.popLast() ?? Box(make())
        lock.unlock()
        defer {
            lock.lock()
            free.append(box)
            lock.unlock()
        }
        return try body(&box.value)
    }
}
