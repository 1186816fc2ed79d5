import Foundation
import LakeCore
import Testing

/// `Parallel` gives results in item order whatever the lanes, and the first failure by item.
@Suite struct ParallelTests {
    struct Failed: Error, Equatable { let item: Int }

    @Test(arguments: [1, 2, 3, 4, 8])
    func mapKeepsItemOrder(workers: Int) throws {
        for count in [0, 1, 2, 7, 1000] {
            let items = Array(0..<count)
            let out = try Parallel.map(items, workers: workers) { $0 * 3 + 1 }
            #expect(out == items.map { $0 * 3 + 1 }, "\(count) items on \(workers) workers")
        }
    }

    /// Items 300 and 700 fail (in different lanes when there are several): 300's error is the
    /// one thrown, however the lanes were scheduled.
    @Test(arguments: [1, 2, 3, 4])
    func mapThrowsTheFirstFailureByItem(workers: Int) {
        for _ in 0..<20 {
            #expect(throws: Failed(item: 300)) {
                _ = try Parallel.map(Array(0..<1000), workers: workers) { i -> Int in
                    if i == 300 || i == 700 { throw Failed(item: i) }
                    return i
                }
            }
        }
    }

    @Test func startAndRunKeepOrder() throws {
        let pending = Parallel.start(Array(0..<500), workers: 2) { String($0) }
        #expect(try pending.wait() == (0..<500).map(String.init))
        #expect(try Parallel.run(6) { $0 * $0 } == [0, 1, 4, 9, 16, 25])
        #expect(throws: Failed(item: 2)) { _ = try Parallel.run(5) { i -> Int in if i >= 2 { throw Failed(item: i) } else { return i } } }
    }

    /// A pool hands each concurrent caller its own value and keeps what the caller left in it.
    @Test func scratchPoolValuesAreReusedAndNotShared() throws {
        let made = Counter()
        let pool = ScratchPool { made.next() }
        // Each value is held by one caller at a time: it counts its own uses.
        let uses = try Parallel.map(Array(0..<2000), workers: 4) { _ in
            pool.with { value -> Int in
                value += 1000
                return value
            }
        }
        #expect(made.value >= 1 && made.value <= 4)
        #expect(uses.count == 2000 && Set(uses).count == 2000, "two callers held one value at once")
        // What a caller wrote is what the next one finds.
        let one = ScratchPool { [Int]() }
        one.with { $0.append(7) }
        one.with { $0.append(8) }
        one.with { #expect($0 == [7, 8]) }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value - 1
        }
    }
}
