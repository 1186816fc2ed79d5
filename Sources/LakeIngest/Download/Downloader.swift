import Foundation
import LakeCore

/// Downloads an http, https or file URL into a staging folder through libcurl, resuming
/// with a range request after a dropped connection and retrying transient failures with
/// exponential backoff.
///
/// ```swift
/// let d = Downloader(stagingDirectory: lake.staging, retries: 3, baseDelay: 0.5)
/// let result = try d.download("http://127.0.0.1:8080/twitter.zip", expectedSHA256: nil)
/// result.path  // <staging>/twitter.zip
/// ```
/// - Throws: `LakeError` (`download.failed` after the last retry, `input.sha256_mismatch`).
public final class Downloader {
    public struct Result: Sendable {
        public var path: String
        /// The file name the URL names.
        public var name: String
        public var digest: FileDigest
        /// How many transfers it took (1 when nothing went wrong).
        public var attempts: Int
        /// Bytes that were kept from an earlier attempt and not fetched again.
        public var resumedBytes: Int64
    }

    public let stagingDirectory: String
    public let backoff: Backoff
    /// PEM file of the certificate authorities https servers are checked against, instead of
    /// the system's (a company CA, a self-signed test server). Verification is never turned off.
    public let caFile: String?

    /// The most bytes one download may bring (the archive limit by default): the server's
    /// `Content-Length` is checked first, the bytes received as they come.
    public var maxBytes: Int64 = 50 << 30
    /// A transfer slower than `lowSpeedBytes` per second for `lowSpeedSeconds` is dropped (and
    /// retried); one attempt lasts at most `attemptSeconds`; connecting at most 30 s.
    public var lowSpeedBytes = 1024
    public var lowSpeedSeconds = 60
    public var attemptSeconds = 6 * 3600
    /// A netrc file (`machine HOST login USER password PASS`) to take credentials from, so
    /// that none need to be in the URL (docs/SPEC.md 7).
    public var netrcFile: String?

    public init(stagingDirectory: String, retries: Int = 3, baseDelay: Double = 0.5, caFile: String? = nil) {
        self.stagingDirectory = stagingDirectory
        backoff = Backoff(retries: retries, baseDelay: baseDelay)
        self.caFile = caFile
    }

    /// `url` without the `user:password@` of its authority: what is stored and printed.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + String(rest[rest.index(after: at)...])
    }

    /// Whether `input` is a URL this downloader takes.
    public static func isURL(_ input: String) -> Bool {
        let lower = input.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file://")
    }

    /// The file name a URL names: the last non-empty path component, percent-decoded, with
    /// anything but letters, digits, `.`, `-` and `_` replaced by `_`; `download` when empty.
    public static func fileName(for url: String) -> String {
        var rest = url
        if let scheme = rest.range(of: "://") { rest = String(rest[scheme.upperBound...]) }
        if let q = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = String(rest[..<q]) }
        let components = rest.split(separator: "/").dropFirst()
        let last = components.last.map { String($0).removingPercentEncoding ?? String($0) } ?? ""
        let cleaned = String(
            last.map { c -> Character in
                c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") ? c : "_"
            })
        return cleaned.isEmpty || cleaned.allSatisfy({ $0 == "." }) ? "download" : cleaned
    }

    /// Downloads `url`; see the type's documentation.
    public func download(_ url: String, expectedSHA256: String?) throws -> Result {
        let name = Self.fileName(for: url)
        try FileManager.default.createDirectory(atPath: stagingDirectory, withIntermediateDirectories: true)
        let partial = stagingDirectory + "/" + name + ".part"
        let final = stagingDirectory + "/" + name
        var attempt = 0
        var resumed: Int64 = 0
        while true {
            attempt += 1
            let existing = (try? FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int64) ?? 0
            if attempt > 1 { resumed = max(resumed, existing) }
            do {
                try transfer(url: url, to: partial, resumeFrom: existing)
                break
            } catch let error as LakeError {
                try? FileManager.default.removeItem(atPath: partial)
                throw error
            } catch let error as CurlError {
                // 416: the partial file no longer fits the resource; CURLE_RANGE_ERROR: the
                // server ignored the range. Either way, start over from byte 0.
                let restart = error.httpStatus == 416 || error.code == .rangeError
                if restart { try? FileManager.default.removeItem(atPath: partial) }
                if !(error.isTransient || restart) || !backoff.allowsRetry(after: attempt) {
                    throw LakeError(
                        .downloadFailed, scope: .input, input: Self.redacted(url),
                        message: "\(error.description) (after \(attempt) attempt\(attempt == 1 ? "" : "s"))")
                }
                backoff.pause(after: attempt)
            }
        }
        let digest = try FileHashing.digest(ofFile: partial)
        if let expected = expectedSHA256, expected.lowercased() != digest.sha256 {
            try? FileManager.default.removeItem(atPath: partial)
            throw LakeError(
                .inputHashMismatch, scope: .input, input: Self.redacted(url),
                message: "SHA-256 is \(digest.sha256), expected \(expected.lowercased())")
        }
        try? FileManager.default.removeItem(atPath: final)
        try FileManager.default.moveItem(atPath: partial, toPath: final)
        return Result(path: final, name: name, digest: digest, attempts: attempt, resumedBytes: resumed)
    }

    /// The options every transfer of ours sets: URL, allowed protocols (redirects to http and
    /// https only), timeouts, no signals, our user agent, and the CA file when one is given.
    static func configure(_ h: UnsafeMutableRawPointer, url: String, protocols: String, caFile: String? = nil) {
        if let caFile { c_curl_setopt(h, c_CURLOPT_CAINFO, caFile) }
        c_curl_setopt(h, c_CURLOPT_URL, url)
        c_curl_setopt(h, c_CURLOPT_PROTOCOLS_STR, protocols)
        c_curl_setopt(h, c_CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        c_curl_setopt(h, c_CURLOPT_FOLLOWLOCATION, 1)
        c_curl_setopt(h, c_CURLOPT_MAXREDIRS, 10)
        c_curl_setopt(h, c_CURLOPT_NOSIGNAL, 1)
        c_curl_setopt(h, c_CURLOPT_CONNECTTIMEOUT, 30)
        c_curl_setopt(h, c_CURLOPT_LOW_SPEED_LIMIT, 1)
        c_curl_setopt(h, c_CURLOPT_LOW_SPEED_TIME, 60)
        c_curl_setopt(h, c_CURLOPT_NETRC, c_CURL_NETRC_OPTIONAL)
        c_curl_setopt(h, c_CURLOPT_USERAGENT, "datapunk/\(DatapunkVersion.string)")
    }

    /// State shared with the C write callback through CURLOPT_WRITEDATA.
    private final class Sink {
        let file: UnsafeMutablePointer<FILE>
        let handle: UnsafeMutableRawPointer
        let resumeFrom: Int64
        var checkedStatus = false
        var failed = false
        /// The most bytes the file may reach; `received` counts them (the server may send no length).
        var limit = Int64.max
        var received: Int64 = 0
        var overLimit = false
        init(file: UnsafeMutablePointer<FILE>, handle: UnsafeMutableRawPointer, resumeFrom: Int64) {
            self.file = file
            self.handle = handle
            self.resumeFrom = resumeFrom
        }
    }

    private func transfer(url: String, to path: String, resumeFrom: Int64) throws {
        guard let h = c_curl_easy_init() else {
            throw CurlError(code: .init(rawValue: 2), httpStatus: nil, message: "curl_easy_init failed", url: url)
        }
        defer { c_curl_easy_cleanup(h) }
        // A link planted in the staging folder is never followed: the download is a file of its own.
        var st = stat()
        if lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK { unlink(path) }
        guard let file = fopen(path, resumeFrom > 0 ? "ab" : "wb") else {
            throw LakeError(.lakeStorage, scope: .internal, message: "cannot write \(path): errno \(errno)")
        }
        defer { fclose(file) }
        let sink = Sink(file: file, handle: h, resumeFrom: resumeFrom)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }

        Self.configure(h, url: url, protocols: "http,https,file", caFile: caFile)
        c_curl_setopt(h, c_CURLOPT_LOW_SPEED_LIMIT, lowSpeedBytes)
        c_curl_setopt(h, c_CURLOPT_LOW_SPEED_TIME, lowSpeedSeconds)
        c_curl_setopt(h, c_CURLOPT_TIMEOUT, attemptSeconds)
        c_curl_setopt(h, c_CURLOPT_MAXFILESIZE_LARGE, offset: maxBytes)
        if let netrcFile { c_curl_setopt(h, c_CURLOPT_NETRC_FILE, netrcFile) }
        sink.limit = maxBytes
        if resumeFrom > 0 { c_curl_setopt(h, c_CURLOPT_RESUME_FROM_LARGE, offset: resumeFrom) }
        c_curl_setopt(h, c_CURLOPT_WRITEDATA, pointer: context.toOpaque())
        c_curl_setopt(
            h, c_CURLOPT_WRITEFUNCTION,
            callback: { data, size, count, ctx in
                let sink = Unmanaged<Sink>.fromOpaque(ctx!).takeUnretainedValue()
                if !sink.checkedStatus {
                    sink.checkedStatus = true
                    let status = c_curl_getinfo_long(sink.handle, c_CURLINFO_RESPONSE_CODE)
                    if status >= 300 { return 0 }  // an error body: keep it out of the file
                    if sink.resumeFrom > 0 && status == 200 {
                        // The server ignored the range and sends everything again.
                        if ftruncate(fileno(sink.file), 0) != 0 { sink.failed = true; return 0 }
                        fseek(sink.file, 0, SEEK_SET)
                    }
                }
                let n = size * count
                guard let data, n > 0 else { return n }
                sink.received += Int64(n)
                if sink.resumeFrom + sink.received > sink.limit {
                    sink.overLimit = true
                    return 0
                }
                return fwrite(data, 1, n, sink.file) == n ? n : 0
            })
        let rc = c_curl_easy_perform(h)
        fflush(file)
        // CURLE_FILESIZE_EXCEEDED (63), or more bytes than the limit without a length: not transient.
        if sink.overLimit || rc == 63 {
            throw LakeError(
                .inputTooLarge, scope: .input, input: Self.redacted(url),
                message: "the download is larger than the limit of \(maxBytes) bytes")
        }
        let status = c_curl_getinfo_long(h, c_CURLINFO_RESPONSE_CODE)
        if status >= 400 {
            throw CurlError(code: .init(rawValue: 0), httpStatus: status, message: "HTTP \(status)", url: url)
        }
        if rc != 0 {
            throw CurlError(
                code: .init(rawValue: rc), httpStatus: status == 0 ? nil : status,
                message: c_curl_easy_strerror(rc), url: url)
        }
    }
}
