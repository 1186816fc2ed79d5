import Foundation

/// Work of a stage on a thread of its own, beside what the stage's thread goes on with: started
/// at once, its result taken once (`join`), and stopped (`cancel`) when the stage ends early,
/// so nothing is left running. The work calls the stop check it is given between its steps:
/// it throws once `cancel` was called, and otherwise calls the stage's own check (a job paused).
final class StageThread<R>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false
    private var joined = false
    /// Set by the work's thread before `done` is signalled; read after it.
    private var result: Result<R, Error>?
    private let work: (_ checkStop: @escaping () throws -> Void) throws -> R
    private let stageStop: () throws -> Void

    private struct Stopped: Error {}

    init(stageStop: @escaping () throws -> Void, _ work: @escaping (_ checkStop: @escaping () throws -> Void) throws -> R) {
        self.work = work
        self.stageStop = stageStop
        Thread { [self] in
            result = Result { try self.work(self.checkStop) }
            done.signal()
        }.start()
    }

    private func checkStop() throws {
        lock.lock()
        let stop = stopped
        lock.unlock()
        if stop { throw Stopped() }
        try stageStop()
    }

    /// Waits for the work (the first time) and gives its result, or throws its error.
    func join() throws -> R {
        if !joined {
            done.wait()
            joined = true
        }
        return try result!.get()
    }

    /// Stops the work at its next check and waits for it.
    func cancel() {
        lock.lock()
        stopped = true
        lock.unlock()
        _ = try? join()
    }
}
