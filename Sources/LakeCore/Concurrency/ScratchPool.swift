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
    private var free: [T] = []
    private let lock = NSLock()

    public init(_ make: @escaping () -> T) { self.make = make }

    public func with<R>(_ body: (inout T) throws -> R) rethrows -> R {
        lock.lock()
        var value = free.popLast() ?? make()
        lock.unlock()
        defer {
            lock.lock()
            free.append(value)
            lock.unlock()
        }
        return try body(&value)
    }
}
