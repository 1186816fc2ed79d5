#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Behaviour the reliability tests switch on through the environment, to reach states no input
/// can produce on demand. Off unless the variable is set to `1`.
public enum TestHooks {
    /// `DATAPUNK_TEST_INTERNAL_ERROR`: the process exits 4 at once (the one deliberate
    /// internal error, for the tests that hold every other exit status to 0-3).
    public static var internalError: Bool { isSet("DATAPUNK_TEST_INTERNAL_ERROR") }

    /// `DATAPUNK_TEST_STOP_IN_TRANSACTION`: the ingest stops itself (SIGSTOP) inside its first
    /// write transaction, holding the catalog's lock, until it is sent SIGCONT: a real datapunk
    /// as the lock holder another writer meets.
    public static func stopInTransaction() {
        guard isSet("DATAPUNK_TEST_STOP_IN_TRANSACTION"), !stoppedOnce.exchange() else { return }
        raise(SIGSTOP)
    }

    /// `DATAPUNK_TEST_KILL_IN_MERGE`: the process kills itself (SIGKILL) inside the duplicate
    /// stage's transaction, right after the merge wrote partition files again and before the
    /// catalog names them: the crash a lake must survive whole.
    public static func killInMerge() {
        guard isSet("DATAPUNK_TEST_KILL_IN_MERGE") else { return }
        raise(SIGKILL)
    }

    /// `DATAPUNK_TEST_KILL_AFTER_STEP=<step>`: the process kills itself (SIGKILL) right after
    /// announcing `step` (erase: `rows`, inside its transaction; `committed`; `compacted`), so a
    /// test crashes it exactly there rather than whenever its signal lands.
    public static func killAfter(step: String) {
        guard variables["DATAPUNK_TEST_KILL_AFTER_STEP"] == step else { return }
        raise(SIGKILL)
    }

    /// `DATAPUNK_TEST_STOP_AT_STEP=<step>`: a stop is requested, as SIGTERM would, the first
    /// time a job checks for one in `step` (`duplicates`: the duplicate stage, which checks
    /// between pages; `links`: its second transaction, after the first committed), so a test
    /// stops it exactly there rather than whenever a signal lands.
    public static func stopsAt(step: String) -> Bool {
        variables["DATAPUNK_TEST_STOP_AT_STEP"] == step
    }

    private static func isSet(_ name: String) -> Bool { variables[name] == "1" }

    /// The hooks' variables, read once: the committer asks at every transaction, and
    /// `ProcessInfo.environment` builds a dictionary of the whole environment each time (about
    /// 1% of an ingest of many small files). The tests set them on the process they start.
    private static let variables = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("DATAPUNK_TEST_") }

    private static let stoppedOnce = OnceFlag()

    final class OnceFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var set = false
        /// Sets the flag; returns whether it was set before.
        func exchange() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            defer { set = true }
            return set
        }
    }
}
