import Foundation
import LakeCore

/// The answer key written next to a generated corpus as `manifest.json` (canonical JSON):
/// what was planted, so other implementations (and ours) can be checked against it. The
/// format is docs/SPEC.md §9. The long lists (planted PII, duplicate pairs) are streamed to
/// the file by `ManifestRecorder` and only counted here, so a 10 GB corpus's key does not
/// have to fit in memory.
public struct CorpusManifest: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var recordKind: String
        public var records: Int
        public var sha256: String
    }

    public struct Input: Sendable, Equatable {
        public var file: String
        public var exportKind: String
        public var user: String
        public var sha256: String
        public var entries: [Entry]
    }

    public struct PII: Sendable, Equatable {
        public var file: String
        public var entry: String
        public var index: Int
        public var field: String
        public var planted: PlantedPII
    }

    public struct Duplicate: Sendable, Equatable {
        /// `exact` (the same element twice) or `near` (one character changed, its own id).
        public var kind: String
        public var file: String
        public var entry: String
        public var first: Int
        public var second: Int
    }

    /// Inputs (or entries in them) a safe pipeline must refuse, with the rule that must fire.
    public struct Refusal: Sendable, Equatable {
        public var file: String
        /// The entry inside the file, or nil when the whole file is refused.
        public var entry: String?
        public var rule: String
        public var note: String
    }

    public var profile: String
    public var seed: UInt64
    public var scale: String
    public var users: [String] = []
    public var inputs: [Input] = []
    public var refused: [Refusal] = []
    /// Entries a pipeline must load but report as past a design threshold (same shape as a
    /// refusal: the rule is the finding's).
    public var findings: [Refusal] = []
    /// `entry:field` → the share of that entry's records where the field is null or missing.
    public var nullRates: [String: NullRate] = [:]
    /// How many planted PII values and duplicate pairs `manifest.json` lists.
    public var piiCount = 0
    public var duplicateCount = 0
    /// Uncompressed bytes of every file inside the generated archives (not in `manifest.json`;
    /// the adversarial profile's hand-made files are not counted).
    public var contentBytes: Int64 = 0

    public struct NullRate: Sendable, Equatable {
        public var nulls: Int
        public var records: Int
    }

    static func number(_ v: Int) -> JSONValue { .number(String(v)) }

    static func json(_ r: Refusal) -> JSONValue {
        .object([
            .init("file", .string(r.file)), .init("entry", r.entry.map { .string($0) } ?? .null),
            .init("rule", .string(r.rule)), .init("note", .string(r.note)),
        ])
    }

    static func json(_ p: PII) -> JSONValue {
        .object([
            .init("file", .string(p.file)), .init("entry", .string(p.entry)), .init("index", number(p.index)),
            .init("field", .string(p.field)),
            .init("type", .string(p.planted.type)), .init("value", .string(p.planted.value)), .init("valid", .bool(p.planted.valid)),
            .init("country", p.planted.country.map { .string($0) } ?? .null),
        ])
    }

    static func json(_ d: Duplicate) -> JSONValue {
        .object([
            .init("kind", .string(d.kind)), .init("file", .string(d.file)), .init("entry", .string(d.entry)),
            .init("first", number(d.first)), .init("second", number(d.second)),
        ])
    }

    /// `CanonicalJSON.encode(json(p))`, written straight out: keys in their canonical order,
    /// without building and sorting a tree (the recorder writes millions of these).
    static func writeCanonical(_ p: PII, into out: inout [UInt8]) {
        func key(_ k: StaticString, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        out.append(UInt8(ascii: "{"))
        key("country", first: true)
        if let c = p.planted.country { CanonicalJSON.writeString(c, into: &out) } else { out += "null".utf8 }
        key("entry")
        CanonicalJSON.writeString(p.entry, into: &out)
        key("field")
        CanonicalJSON.writeString(p.field, into: &out)
        key("file")
        CanonicalJSON.writeString(p.file, into: &out)
        key("index")
        out += String(p.index).utf8
        key("type")
        CanonicalJSON.writeString(p.planted.type, into: &out)
        key("valid")
        out += (p.planted.valid ? "true" : "false").utf8
        key("value")
        CanonicalJSON.writeString(p.planted.value, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// The manifest's members other than the streamed lists, by key.
    var smallMembers: [String: JSONValue] {
        [
            "generator": .object([.init("name", .string("datapunk corpus")), .init("version", .string(CorpusGenerator.version))]),
            "profile": .string(profile),
            "seed": .number(String(seed)),
            "scale": .string(scale),
            "users": .array(users.map { .string($0) }),
            "inputs": .array(
                inputs.map { i in
                    .object([
                        .init("file", .string(i.file)), .init("export_kind", .string(i.exportKind)), .init("user", .string(i.user)),
                        .init("sha256", .string(i.sha256)),
                        .init(
                            "entries",
                            .array(
                                i.entries.map { e in
                                    .object([
                                        .init("path", .string(e.path)), .init("record_kind", .string(e.recordKind)),
                                        .init("records", Self.number(e.records)),
                                        .init("sha256", .string(e.sha256)),
                                    ])
                                })),
                    ])
                }),
            "null_rates": .object(
                nullRates.keys.sorted().map { key in
                    let r = nullRates[key]!
                    return .init(key, .object([.init("nulls", Self.number(r.nulls)), .init("records", Self.number(r.records))]))
                }),
            "refused": .array(refused.map(Self.json)),
            "findings": .array(findings.map(Self.json)),
        ]
    }
}

/// Records the answer key while a corpus is generated. Planted PII and duplicate pairs are
/// appended to staging files as canonical JSON, one element at a time, by segments: each
/// generator thread records into its own `segment()`, and the lists are the segments' lists
/// concatenated in the order the segments were made, so the file does not depend on thread
/// timing. `write` assembles `manifest.json` from them and the small members, byte-identical
/// to encoding the whole manifest as one canonical JSON object (keys in code-point order).
final class ManifestRecorder: @unchecked Sendable {
    final class Segment: @unchecked Sendable {
        fileprivate let pii: StagedFile
        fileprivate let duplicates: StagedFile
        fileprivate(set) var piiCount = 0
        fileprivate(set) var duplicateCount = 0

        fileprivate init(folder: String, index: Int) throws {
            pii = try StagedFile(path: folder + "/pii-\(index)", entry: "pii", hashing: false)
            duplicates = try StagedFile(path: folder + "/duplicates-\(index)", entry: "duplicates", hashing: false)
        }

        func plant(_ p: CorpusManifest.PII) {
            pii.append { out in
                if piiCount > 0 { out.append(UInt8(ascii: ",")) }
                CorpusManifest.writeCanonical(p, into: &out)
            }
            piiCount += 1
        }

        func duplicate(_ d: CorpusManifest.Duplicate) {
            duplicates.append { out in
                if duplicateCount > 0 { out.append(UInt8(ascii: ",")) }
                CanonicalJSON.write(CorpusManifest.json(d), into: &out)
            }
            duplicateCount += 1
        }
    }

    private var segments: [Segment] = []
    private let folder: String

    init(output: String) throws {
        folder = output + "/.staging-manifest"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// A new segment, ordered after every segment made before it. Make segments on one thread.
    func segment() throws -> Segment {
        let s = try Segment(folder: folder, index: segments.count)
        segments.append(s)
        return s
    }

    /// Writes `path` for `manifest` with the recorded lists, then removes the staging files.
    func write(_ manifest: inout CorpusManifest, to path: String) throws {
        manifest.piiCount = segments.reduce(0) { $0 + $1.piiCount }
        manifest.duplicateCount = segments.reduce(0) { $0 + $1.duplicateCount }
        for s in segments {
            s.pii.finish()
            s.duplicates.finish()
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard let out = fopen(path, "wb") else { throw LakeError(.lakeStorage, scope: .internal, message: "cannot write \(path)") }
        defer { fclose(out) }
        func put(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, out) } }
        var small = manifest.smallMembers
        let streamed: [String: [(file: String, count: Int)]] = [
            "duplicates": segments.map { ($0.duplicates.path, $0.duplicateCount) },
            "pii": segments.map { ($0.pii.path, $0.piiCount) },
        ]
        let keys = (Array(small.keys) + Array(streamed.keys)).sorted { ByteOrder.precedes($0, $1) }
        put([UInt8(ascii: "{")])
        for (i, key) in keys.enumerated() {
            var head: [UInt8] = i > 0 ? [UInt8(ascii: ",")] : []
            CanonicalJSON.writeString(key, into: &head)
            head.append(UInt8(ascii: ":"))
            if let files = streamed[key] {
                put(head + [UInt8(ascii: "[")])
                var any = false
                for f in files where f.count > 0 {
                    if any { put([UInt8(ascii: ",")]) }
                    try copy(f.file, to: out)
                    any = true
                }
                put([UInt8(ascii: "]")])
            } else {
                CanonicalJSON.write(small.removeValue(forKey: key)!, into: &head)
                put(head)
            }
        }
        put([UInt8(ascii: "}"), 0x0A])
    }

    private func copy(_ path: String, to out: UnsafeMutablePointer<FILE>) throws {
        guard let f = fopen(path, "rb") else { throw LakeError(.lakeStorage, scope: .internal, message: "cannot read \(path)") }
        defer { fclose(f) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, n, out) }
        }
    }
}
