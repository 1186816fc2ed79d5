import CLibCrypto
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
/// hashes only its own part from a copy of that state, with no buffer of its own. The state is
/// libcrypto's `SHA256_CTX`, a plain C struct: each id copies it on the stack. (swift-crypto's
/// `SHA256` keeps its state in a copy-on-write object, so each id's copy allocated a new one,
/// copied it and freed it: 3% of an ingest's time.) `shared` is never changed after `init`, so
/// workers share one safely.
public struct RecordIDPrefix: @unchecked Sendable {
    private let shared: SHA256_CTX

    public init(inputSHA256: String, path: String) {
        var h = SHA256_CTX()
        SHA256_Init(&h)
        Self.update(&h, inputSHA256)
        Self.update(&h, path)
        shared = h
    }

    /// The id of element `index` of the file, for `user`, with `contentHash`.
    public func id(index: Int, user: String, contentHash: String) -> String {
        var h = shared
        DecimalText.withDigits(of: Int64(index), newline: true) { _ = SHA256_Update(&h, $0.baseAddress, $0.count) }
        Self.update(&h, user)
        Self.update(&h, contentHash, newline: false)
        // Hex straight from the digest's bytes: no array of them per record.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(SHA256_DIGEST_LENGTH)) { digest in
            SHA256_Final(digest.baseAddress!, &h)
            return Hex.string(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: digest[0..<16])))
        }
    }

    private static func update(_ h: inout SHA256_CTX, _ s: String, newline: Bool = true) {
        var s = s
        s.withUTF8 { SHA256_Update(&h, $0.baseAddress, $0.count) }
        if newline {
            var byte: UInt8 = 0x0A
            SHA256_Update(&h, &byte, 1)
        }
    }
}
