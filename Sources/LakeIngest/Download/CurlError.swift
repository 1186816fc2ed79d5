/// A libcurl failure: the `CURLcode` (or the HTTP status when the transfer itself worked).
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `CURLcode` value with the ones the downloader treats as transient named.
    public struct Code: RawRepresentable, Sendable, Hashable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// The corresponding C constant is `CURLE_COULDNT_CONNECT`.
        public static let couldntConnect = Code(rawValue: 7)
        /// The corresponding C constant is `CURLE_PARTIAL_FILE`: the body ended early.
        public static let partialFile = Code(rawValue: 18)
        /// The corresponding C constant is `CURLE_WRITE_ERROR`.
        public static let writeError = Code(rawValue: 23)
        /// The corresponding C constant is `CURLE_OPERATION_TIMEDOUT`.
        public static let timedOut = Code(rawValue: 28)
        /// The corresponding C constant is `CURLE_RANGE_ERROR`.
        public static let rangeError = Code(rawValue: 33)
        /// The corresponding C constant is `CURLE_GOT_NOTHING`.
        public static let gotNothing = Code(rawValue: 52)
        /// The corresponding C constant is `CURLE_SEND_ERROR`.
        public static let sendError = Code(rawValue: 55)
        /// The corresponding C constant is `CURLE_RECV_ERROR`.
        public static let recvError = Code(rawValue: 56)
        /// The corresponding C constant is `CURLE_HTTP2_STREAM`.
        public static let http2Stream = Code(rawValue: 92)

        /// Failures worth another try: the network, not the request, went wrong.
        public var isTransient: Bool {
            [Code.couldntConnect, .partialFile, .timedOut, .gotNothing, .sendError, .recvError, .http2Stream].contains(self)
        }
    }

    public var code: Code
    /// The HTTP status, when there was one.
    public var httpStatus: Int?
    public var message: String
    public var url: String

    public var description: String {
        let shown = Downloader.redacted(url)
        if let s = httpStatus, code.rawValue == 0 { return "\(shown): HTTP \(s)" }
        return "\(shown): curl \(code.rawValue): \(message)"
    }

    /// Transient network failures and HTTP 408, 429 and 5xx are retried.
    public var isTransient: Bool {
        if let s = httpStatus, code.rawValue == 0 { return s == 408 || s == 429 || (500...599).contains(s) }
        return code.isTransient
    }
}
