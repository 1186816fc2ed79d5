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
