import LakeCore
import Testing

@Suite struct BackoffTests {
    struct Transient: Error {}
    struct Permanent: Error {}

    @Test func transientErrorsAreRetriedThreeTimesThenRethrown() {
        let backoff = Backoff(retries: 3, baseDelay: 0)
        var calls = 0
        var seen: [Int] = []
        #expect(throws: Transient.self) {
            try backoff.run(isTransient: { $0 is Transient }, onRetry: { n, _ in seen.append(n) }) { () throws -> Int in
                calls += 1
                throw Transient()
            }
        }
        #expect(calls == 4 && seen == [1, 2, 3])
    }

    @Test func successAfterTransientFailuresReturnsTheValue() throws {
        var calls = 0
        let v = try Backoff(retries: 3, baseDelay: 0).run(isTransient: { $0 is Transient }) { () throws -> String in
            calls += 1
            if calls < 3 { throw Transient() }
            return "ok"
        }
        #expect(v == "ok" && calls == 3)
    }

    @Test func otherErrorsAreNotRetried() {
        var calls = 0
        #expect(throws: Permanent.self) {
            try Backoff(retries: 3, baseDelay: 0).run(isTransient: { $0 is Transient }) { () throws -> Int in
                calls += 1
                throw Permanent()
            }
        }
        #expect(calls == 1)
    }

    @Test func runSettingsGiveThePolicy() {
        var t = RunSettings()
        t.retries = 5
        t.retryBaseDelaySeconds = 0.25
        #expect(t.backoff == Backoff(retries: 5, baseDelay: 0.25))
    }
}
