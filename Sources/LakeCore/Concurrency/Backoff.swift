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
