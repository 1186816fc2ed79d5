import Foundation

/// Retry policy for transient failures: `retries` more attempts after the first, waiting
/// `baseDelay × 2^(n-1)` seconds before attempt n+1 (0.5 s, 1 s, 2 s with the defaults).
public struct Backoff: Sendable, Equatable {
    public var retries: Int
    public var baseDelay: Double

    public init(retries: Int = 3, baseDelay: Double = 0.5) {
        self.retries = retries
        self.baseDelay = baseDelay
    }

    /// Whether another attempt may follow attempt number `attempt` (1-based).
    public func allowsRetry(after attempt: Int) -> Bool { attempt <= retries }

    /// Sleeps before the attempt that follows attempt number `attempt`.
    public func pause(after attempt: Int) {
        let delay = baseDelay * Double(1 << max(0, attempt - 1))
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
    }
}

extension Backoff {
    /// Runs `body`, and again after a pause when it throws an error `isTransient` accepts, up to
    /// `retries` more times; the last error is rethrown. `onRetry(attempt, error)` is called
    /// before each pause (attempt is the 1-based number of the attempt that failed).
    public func run<T>(
        isTransient: (Error) -> Bool, onRetry: ((Int, Error) -> Void)? = nil, _ body: () throws -> T
    ) throws -> T {
        var attempt = 1
        while true {
            do { return try body() } catch {
                guard isTransient(error), allowsRetry(after: attempt) else { throw error }
                onRetry?(attempt, error)
                pause(after: attempt)
                attempt += 1
            }
        }
    }
}

extension RunSettings {
    /// The retry policy of these settings (`retries`, `retryBaseDelaySeconds`).
    public var backoff: Backoff { Backoff(retries: retries, baseDelay: retryBaseDelaySeconds) }
}
