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
        var material: [UInt8] = []
        material.reserveCapacity(inputSHA256.utf8.count + path.utf8.count + user.utf8.count + contentHash.utf8.count + 24)
        material.append(contentsOf: inputSHA256.utf8)
        material.append(0x0A)
        material.append(contentsOf: path.utf8)
        material.append(0x0A)
        material.append(contentsOf: String(index).utf8)
        material.append(0x0A)
        material.append(contentsOf: user.utf8)
        material.append(0x0A)
        material.append(contentsOf: contentHash.utf8)
        // Hex straight from the digest's bytes: no array of them per record.
        return SHA256.hash(data: material).withUnsafeBytes { Hex.string(UnsafeRawBufferPointer(rebasing: $0.prefix(16))) }
    }

    /// The content hash of a raw record: XXH64 of its canonical JSON, 16 hex digits.
    public static func contentHash(_ raw: JSONValue) -> String {
        Hex.string(XXH64.hash(CanonicalJSON.encode(raw)))
    }
}
