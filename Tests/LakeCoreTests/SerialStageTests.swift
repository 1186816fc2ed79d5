import Foundation
import LakeCore
import Testing

@Suite struct SerialStageTests {
    final class Log: @unchecked Sendable {
        var items: [Int] = []
    }

    @Test func itemsRunInSubmissionOrder() throws {
        let stage = SerialStage(label: "t", depth: 2)
        let log = Log()
        for i in 0..<500 { try stage.submit { log.items.append(i) } }
        try stage.finish()
        #expect(log.items == Array(0..<500))
    }

    struct Boom: Error {}

    @Test func theFirstErrorStopsTheStageAndIsRethrown() throws {
        let stage = SerialStage(label: "t", depth: 1)
        let log = Log()
        try stage.submit { log.items.append(1) }
        try stage.submit { throw Boom() }
        // Later submissions either are refused with the error or are dropped unrun.
        for i in 2..<50 { try? stage.submit { log.items.append(i) } }
        #expect(throws: Boom.self) { try stage.finish() }
        #expect(log.items == [1])
        #expect(throws: Boom.self) { try stage.submit {} }
    }

    /// With depth 1, a submitter can be at most one item ahead of the stage: the item being
    /// run plus one waiting.
    @Test func depthBoundsHowFarTheSubmitterRunsAhead() throws {
        let stage = SerialStage(label: "t", depth: 1)
        let gate = DispatchSemaphore(value: 0)
        let lock = NSLock()
        var started = 0
        try stage.submit {
            lock.lock(); started += 1; lock.unlock()
            gate.wait()
        }
        let submitted = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? stage.submit {}
            submitted.signal()
        }
        // The second submit cannot return while the first item holds the only slot.
        #expect(submitted.wait(timeout: .now() + .milliseconds(200)) == .timedOut)
        gate.signal()
        submitted.wait()
        try stage.finish()
        #expect(started == 1)
    }
}

/// A stage with a budget holds items up to their total weight: an item is queued while the
/// items queued or running leave room for it, and an item heavier than the whole budget only
/// on an idle stage. (That a submitter without room waits is `SerialStageTests`' depth test.)
@Suite struct SerialStageBudgetTests {
    /// The room `probes` find after items of `weights` are submitted (each fits) while the
    /// first of them holds the stage; then all run.
    static func roomWhileHeld(budget: Int, weights: [Int], probes: [Int]) throws -> [Bool] {
        let stage = SerialStage(label: "t", budget: budget)
        let gate = DispatchSemaphore(value: 0)
        let log = SerialStageTests.Log()
        for (n, w) in weights.enumerated() {
            #expect(stage.hasRoom(for: w), "item \(n) fits")
            try stage.submit(weight: w) {
                if n == 0 { gate.wait() }
                log.items.append(n)
            }
        }
        let room = probes.map { stage.hasRoom(for: $0) }
        gate.signal()
        try stage.finish()
        #expect(log.items == Array(weights.indices))
        #expect(stage.hasRoom(for: budget * 10), "an idle stage takes any item")
        return room
    }

    @Test func itemsAreQueuedWhileTheirWeightFits() throws {
        // 4 + 4 of 10: room for 2, not for 3.
        #expect(try Self.roomWhileHeld(budget: 10, weights: [4, 4], probes: [2, 3, 4]) == [true, false, false])
        // Small items fill the budget exactly.
        #expect(try Self.roomWhileHeld(budget: 10, weights: [1, 2, 3, 4], probes: [1, 0]) == [false, false])
        // An item heavier than the budget runs alone: nothing else while it is held, and it
        // only on an idle stage.
        #expect(try Self.roomWhileHeld(budget: 10, weights: [50], probes: [1]) == [false])
        #expect(try Self.roomWhileHeld(budget: 10, weights: [1], probes: [9, 10, 50]) == [true, false, false])
    }

    @Test func weightedItemsRunInOrder() throws {
        let stage = SerialStage(label: "t", budget: 64)
        let log = SerialStageTests.Log()
        for i in 0..<400 { try stage.submit(weight: i % 17) { log.items.append(i) } }
        try stage.finish()
        #expect(log.items == Array(0..<400))
    }
}
