import Foundation
import LakeCore

/// Posts a JSON document to a webhook URL through libcurl (http or https), retrying transient
/// failures (connection errors, 408, 429, 5xx) with exponential backoff.
///
/// ```swift
/// try Webhook(url: "http://127.0.0.1:8080/alerts").post(CanonicalJSON.encode(alert))
/// ```
public struct Webhook: Sendable {
    public let url: String
    public var backoff: Backoff

    public init(url: String, backoff: Backoff = Backoff()) {
        self.url = url
        self.backoff = backoff
    }

    /// Sends `body` as `application/json`; the HTTP status of the accepted attempt.
    /// - Throws: `LakeError` (`alert.webhook_failed`) once the retries are spent or on a
    ///   permanent failure (4xx other than 408 and 429).
    @discardableResult
    public func post(_ body: [UInt8]) throws -> Int {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try send(body)
            } catch let error as CurlError {
                if !error.isTransient || !backoff.allowsRetry(after: attempt) {
                    throw LakeError(
                        .alertWebhookFailed, scope: .internal, input: url,
                        message: "\(error.description) (after \(attempt) attempt\(attempt == 1 ? "" : "s"))")
                }
                backoff.pause(after: attempt)
            }
        }
    }

    private func send(_ body: [UInt8]) throws -> Int {
        guard let h = c_curl_easy_init() else {
            throw CurlError(code: .init(rawValue: 27), httpStatus: nil, message: "curl_easy_init failed", url: url)
        }
        defer { c_curl_easy_cleanup(h) }
        Downloader.configure(h, url: url, protocols: "http,https")
        c_curl_setopt(h, c_CURLOPT_TIMEOUT, 60)
        var headers = c_curl_slist_append(nil, "Content-Type: application/json")
        headers = c_curl_slist_append(headers, "Expect:")
        defer { c_curl_slist_free_all(headers) }
        c_curl_setopt(h, c_CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(headers))
        c_curl_setopt(h, c_CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
        // COPYPOSTFIELDS copies `body.count` bytes (the size is set first), so no NUL is needed.
        var copy = body
        copy.withUnsafeMutableBytes { c_curl_setopt(h, c_CURLOPT_COPYPOSTFIELDS, pointer: $0.baseAddress) }
        // The response body is not wanted; without a write function curl would print it.
        c_curl_setopt(h, c_CURLOPT_WRITEFUNCTION, callback: { _, size, count, _ in size * count })
        let rc = c_curl_easy_perform(h)
        let status = c_curl_getinfo_long(h, c_CURLINFO_RESPONSE_CODE)
        if rc != 0 {
            throw CurlError(code: .init(rawValue: rc), httpStatus: status == 0 ? nil : status, message: c_curl_easy_strerror(rc), url: url)
        }
        if status >= 400 {
            throw CurlError(code: .init(rawValue: 0), httpStatus: status, message: "HTTP \(status)", url: url)
        }
        return status
    }
}
