/// Every setting that can change what a job gives: the numbers of the seed's thresholds
/// table that have an enforcement point, and the safety limits, with the seed's defaults.
///
/// Values are overridden per run by flags; the full set (`fields`, listed once) goes into the
/// job id, so two runs with different settings never share a job. How a run goes (chunking,
/// workers, retries, alerts) is `RunSettings`, left out of the job id. Where each one is
/// enforced is listed in docs/SPEC.md ("Thresholds"), with the design's numbers that have no
/// stage yet.
public struct Thresholds: Sendable, Equatable {
    public static let kib: Int64 = 1024
    public static let mib: Int64 = 1024 * 1024
    public static let gib: Int64 = 1024 * 1024 * 1024

    // Receipt and extraction.
    public var maxFileBytes: Int64 = 10 * gib
    public var maxBatchBytes: Int64 = 100 * gib
    public var maxArchiveDepth: Int = 5
    public var maxArchiveBytes: Int64 = 50 * gib
    /// Not in the seed: an entry that has expanded to more than `maxExpansionRatio` times the
    /// compressed bytes read for it, once past `expansionRatioFloorBytes`, is refused.
    public var maxExpansionRatio: Int64 = 100
    public var expansionRatioFloorBytes: Int64 = 16 * mib
    /// Not in the seed: entries per archive (a nested archive's count with it).
    public var maxArchiveEntries: Int = 1_000_000
    // JSON. Two kinds of numbers (docs/SPEC.md 7.3): safety limits protect the process and
    // refuse input; the design's validation thresholds are measured and reported as findings,
    // and refuse only under `strict`.
    /// Safety: the deepest nesting of one record (of a whole document read at once), below what
    /// the stack of every recursive stage holds on a worker thread.
    public var maxJSONDepth: Int = 256
    /// Safety: the largest single record (a whole document read at once), in bytes.
    public var maxJSONBytes: Int64 = 64 * mib
    /// The design's JSON depth: a record nested deeper is a finding (`json.depth_over_design`).
    public var designJSONDepth: Int = 10
    /// The design's JSON file size: a JSON file larger is a finding (`json.size_over_design`).
    public var designJSONBytes: Int64 = 100 * mib
    /// The design's thresholds refuse instead (`--strict`).
    public var strict = false
    /// Not in the seed: the longest single JSON string (decoded UTF-8 bytes) a parser accepts.
    public var maxJSONStringBytes: Int = 16 * 1024 * 1024
    // Detection.
    public var detectionSampleBytes: Int = 4096
    // Media, the design's format thresholds (findings; refusals under `strict`).
    public var designImageSide: Int = 8192
    public var designPNGBytes: Int64 = 50 * 1000 * 1000
    public var designVideoSeconds: Int = 4 * 3600
    // CSV typing: rows held to infer column types, and the share of them a type must fit.
    public var csvInferenceRows: Int = 1000
    public var csvTypeConfidence: Double = 0.95
    // Hashing.
    public var contentHashChunkBytes: Int64 = 1 * mib
    // Lake layout: the shard ring records are placed on.
    public var shardCount: Int = 16
    public var shardVirtualNodes: Int = 2048
    public var replicationFactor: Int = 2

    public init() {}

    /// One setting's place in the struct, by type.
    public enum Field {
        case int64(WritableKeyPath<Thresholds, Int64>)
        case int(WritableKeyPath<Thresholds, Int>)
        case double(WritableKeyPath<Thresholds, Double>)
        case bool(WritableKeyPath<Thresholds, Bool>)
    }

    /// Every setting, by its snake_case name: the job's configuration, and what `apply` reads back.
    public static var fields: [(name: String, field: Field)] {
        [
            ("max_file_bytes", .int64(\.maxFileBytes)), ("max_batch_bytes", .int64(\.maxBatchBytes)),
            ("max_archive_depth", .int(\.maxArchiveDepth)), ("max_archive_bytes", .int64(\.maxArchiveBytes)),
            ("max_expansion_ratio", .int64(\.maxExpansionRatio)), ("expansion_ratio_floor_bytes", .int64(\.expansionRatioFloorBytes)),
            ("max_archive_entries", .int(\.maxArchiveEntries)),
            ("max_json_depth", .int(\.maxJSONDepth)), ("max_json_bytes", .int64(\.maxJSONBytes)),
            ("design_json_depth", .int(\.designJSONDepth)), ("design_json_bytes", .int64(\.designJSONBytes)), ("strict", .bool(\.strict)),
            ("max_json_string_bytes", .int(\.maxJSONStringBytes)), ("detection_sample_bytes", .int(\.detectionSampleBytes)),
            ("design_image_side", .int(\.designImageSide)), ("design_png_bytes", .int64(\.designPNGBytes)),
            ("design_video_seconds", .int(\.designVideoSeconds)),
            ("csv_inference_rows", .int(\.csvInferenceRows)), ("csv_type_confidence", .double(\.csvTypeConfidence)),
            ("content_hash_chunk_bytes", .int64(\.contentHashChunkBytes)),
            ("shard_count", .int(\.shardCount)), ("shard_virtual_nodes", .int(\.shardVirtualNodes)),
            ("replication_factor", .int(\.replicationFactor)),
        ]
    }

    /// The settings as a JSON object (keys in snake_case): they go into the job id.
    public var jsonValue: JSONValue {
        .object(
            Self.fields.map { name, field in
                switch field {
                case .int64(let p): return .init(name, .number(String(self[keyPath: p])))
                case .int(let p): return .init(name, .number(String(self[keyPath: p])))
                case .double(let p): return .init(name, .number(self[keyPath: p].description))
                case .bool(let p): return .init(name, .bool(self[keyPath: p]))
                }
            })
    }

    /// Sets every setting `configuration` (a `jsonValue` stored with a job) names; others stay.
    public mutating func apply(configuration: JSONValue) {
        for (name, field) in Self.fields {
            guard let value = configuration[name] else { continue }
            switch (field, value) {
            case (.int64(let p), .number(let n)): if let v = Int64(n) { self[keyPath: p] = v }
            case (.int(let p), .number(let n)): if let v = Int(n) { self[keyPath: p] = v }
            case (.double(let p), .number(let n)): if let v = Double(n) { self[keyPath: p] = v }
            case (.bool(let p), .bool(let b)): self[keyPath: p] = b
            default: continue
            }
        }
    }
}
