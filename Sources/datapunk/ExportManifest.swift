import LakeCore

/// The sidecar of an export (docs/SPEC.md 7, "Export manifests"): which SPEC version the lines
/// follow, how many there are, and their SHA-256, so a reader can check a copied export and
/// know which rules made it. Canonical JSON, deterministic: the same lake gives the same bytes.
///
/// ```
/// {"bytes":1234,"format":"ndjson","generator":"datapunk 0.1.0","records":7,"redacted":false,
///  "sha256":"…","spec_version":"3.0","user":null}
/// ```
struct ExportManifest {
    private let digester = FileDigester()
    private(set) var records = 0
    /// False when no manifest is written: the lines are then neither counted nor hashed.
    let isKept: Bool

    init(kept: Bool = true) { isKept = kept }

    /// Counts and hashes one exported line (its line feed included).
    mutating func add(_ line: [UInt8]) {
        guard isKept else { return }
        digester.update(line)
        digester.update([0x0A])
        records += 1
    }

    func json(user: String?, redacted: Bool) -> [UInt8] {
        let digest = digester.finish()
        let value = JSONValue.object([
            .init("bytes", .number(String(digest.size))), .init("format", .string("ndjson")),
            .init("generator", .string("datapunk \(DatapunkVersion.string)")), .init("records", .number(String(records))),
            .init("redacted", .bool(redacted)), .init("sha256", .string(digest.sha256)),
            .init("spec_version", .string(SpecVersion.current)), .init("user", user.map { .string($0) } ?? .null),
        ])
        return Array((CanonicalJSON.string(value) + "\n").utf8)
    }
}
