import Crypto

/// Content-derived identifiers (docs/SPEC.md, "Identifiers"). Nothing here reads the clock
/// or a random source.
public enum Identity {
    /// A job id: a version-4-shaped UUID whose bits come from SHA-256 of
    /// `"datapunk-job-v1\n"`, each input's SHA-256 hex in argument order followed by `"\n"`,
    /// and the canonical JSON of the output-affecting configuration.
    ///
    /// ```swift
    /// Identity.jobID(inputSHA256: [digest.sha256], configuration: Thresholds().jsonValue)
    /// // "3f1c2a9e-....-4...-[89ab]..."
    /// ```
    public static func jobID(inputSHA256: [String], configuration: JSONValue) -> String {
        var material = Array("datapunk-job-v1\n".utf8)
        for h in inputSHA256 { material += Array(h.utf8) + [0x0A] }
        material += CanonicalJSON.encode(configuration)
        var b = Array(FileDigester.sha256Bytes(material).prefix(16))
        b[6] = (b[6] & 0x0F) | 0x40  // version 4
        b[8] = (b[8] & 0x3F) | 0x80  // RFC 4122 variant
        let hex = Hex.string(b)
        let s = Array(hex)
        return String(s[0..<8]) + "-" + String(s[8..<12]) + "-" + String(s[12..<16]) + "-"
            + String(s[16..<20]) + "-" + String(s[20..<32])
    }

    /// A record id: the first 16 bytes (32 hex digits) of SHA-256 over
    /// `input_sha256 "\n" path "\n" index "\n" user "\n" content_hash`: the same export
    /// ingested for two users is two users' records.
    public static func recordID(inputSHA256: String, path: String, index: Int, user: String, contentHash: String) -> String {
        RecordIDPrefix(inputSHA256: inputSHA256, path: path).id(index: index, user: user, contentHash: contentHash)
    }

    /// The content hash of a raw record: XXH64 of its canonical JSON, 16 hex digits.
    public static func contentHash(_ raw: JSONValue) -> String {
        Hex.string(XXH64.hash(CanonicalJSON.encode(raw)))
    }
}

/// `Identity.recordID` for the records of one file: SHA-256 has taken in what they share
/// (`input_sha256 "\n" path "\n"`, a whole 64-byte block of it at least) once, and each id
/// hashes only its own part from a copy of that state, with no buffer of its own. `SHA256` keeps
/// its state in a copy-on-write object: `shared` is never changed after `init`, and each id's
/// copy gets a state of its own before it takes anything in, so workers share one safely.
public struct RecordIDPrefix: @unchecked Sendable {
    private let shared: SHA256

    public init(inputSHA256: String, path: String) {
        var h = SHA256()
        Self.update(&h, inputSHA256)
        Self.update(&h, path)
        shared = h
    }

    /// The id of element `index` of the file, for `user`, with `contentHash`.
    public func id(index: Int, user: String, contentHash: String) -> String {
        var h = shared
        // The record's own part, `index "\n" user "\n" content_hash`, is written into one
        // buffer on the stack and taken in by one update: an update per part cost more in the
        // wrapper than in SHA-256 (about 1,500 instructions each). A part too long for the
        // buffer goes in by updates of its own.
        let (userBytes, hashBytes) = (user.utf8.count, contentHash.utf8.count)
        let whole = 21 + userBytes + 1 + hashBytes
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.stackBytes) { buffer in
            var at = Self.digits(index, into: buffer)
            if whole <= buffer.count {
                at = Self.put(user, into: buffer, at: at)
                buffer[at] = 0x0A
                at = Self.put(contentHash, into: buffer, at: at + 1)
                h.update(bufferPointer: UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<at])))
            } else {
                h.update(bufferPointer: UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<at])))
                Self.update(&h, user)
                Self.update(&h, contentHash, newline: false)
            }
        }
        // Hex straight from the digest's bytes: no array of them per record.
        return h.finalize().withUnsafeBytes { Hex.string(UnsafeRawBufferPointer(rebasing: $0.prefix(16))) }
    }

    /// The stack buffer of an id's own part (an index of 20 digits and a sign at most).
    public static let stackBytes = 256

    /// Writes `index`'s decimal digits and a newline at the start of `buffer`; returns the
    /// count.
    private static func digits(_ index: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var n = index.magnitude
        var count = index < 0 ? 2 : 1
        repeat {
            count += 1
            n /= 10
        } while n > 0
        if index < 0 { buffer[0] = UInt8(ascii: "-") }
        var at = count - 1
        buffer[at] = 0x0A
        n = index.magnitude
        repeat {
            at -= 1
            buffer[at] = UInt8(0x30 + n % 10)
            n /= 10
        } while n > 0
        return count
    }

    /// Copies `s`'s UTF-8 into `buffer` at `at` (it fits); returns the index after it.
    private static func put(_ s: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        var end = at
        for byte in s.utf8 {
            buffer[end] = byte
            end += 1
        }
        return end
    }

    private static func update(_ h: inout SHA256, _ s: String, newline: Bool = true) {
        var s = s
        s.withUTF8 { h.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if newline {
            let byte: UInt8 = 0x0A
            withUnsafeBytes(of: byte) { h.update(bufferPointer: $0) }
        }
    }
}
