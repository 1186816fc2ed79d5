/// Every number from the seed's thresholds table, in one place, with the seed's defaults.
///
/// Values are overridden per run by flags or a config file; the full set goes into the job id,
/// so two runs with different settings never share a job. Where each one is enforced is listed
/// in docs/SPEC.md ("Thresholds"); a value with no enforcement point yet says so there.
public struct Thresholds: Sendable, Equatable {
    public static let kib: Int64 = 1024
    public static let mib: Int64 = 1024 * 1024
    public static let gib: Int64 = 1024 * 1024 * 1024

    // Chunking and workers.
    public var chunkSizeBytes: Int64 = 100 * mib
    public var parallelChunks: Int = 4
    /// A libarchive call running longer than this is a stall: the archive is refused and the
    /// process ends (docs/SPEC.md 7). Not part of the job's configuration.
    public var archiveCallTimeoutSeconds: Double = 60
    // Retries of transient I/O and network failures.
    public var retries: Int = 3
    public var retryBaseDelaySeconds: Double = 0.5
    /// A job stops when more than this share of one file's records fail to map (the seed's
    /// 5% failure threshold); failed records below it are reported and skipped. Not part of
    /// the job's configuration: it decides whether a job stops, never what a record looks like.
    public var maxRecordFailureRate: Double = 0.05
    /// Records a file must have before the failure threshold is judged.
    public var failureThresholdMinimumRecords: Int = 20
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
    public var detectionConfidence: Double = 0.95
    // CSV typing.
    public var csvInferenceRows: Int = 1000
    public var csvTypeConfidence: Double = 0.95
    // Enrichment.
    public var piiConfidence: Double = 0.85
    public var languageConfidence: Double = 0.85
    public var languageFallback: String = "en"
    public var languages: [String] = ["en", "es", "fr", "de", "zh", "ja"]
    // Geo.
    public var geoDecimals: Int = 6
    // Quality.
    public var maxNullRate: Double = 0.01
    public var completenessScore: Double = 0.95
    public var fuzzyDuplicateThreshold: Double = 0.95
    // Hashing.
    public var contentHashChunkBytes: Int64 = 1 * mib
    // Alerts.
    public var alertErrorRate: Double = 0.05
    public var alertDelaySeconds: Int = 300
    public var alertResourceUse: Double = 0.80
    // Lake layout.
    public var hotPartitions: Int = 3
    public var shardCount: Int = 16
    public var shardVirtualNodes: Int = 64
    public var replicationFactor: Int = 2
    // Stream and security scan.
    public var streamLatencyMillis: Int = 100
    public var scanTimeoutSeconds: Int = 300

    public init() {}

    /// The settings that can change canonical output, by their snake_case names.
    private static var int64Fields: [(String, WritableKeyPath<Thresholds, Int64>)] {
        [("max_file_bytes", \.maxFileBytes), ("max_batch_bytes", \.maxBatchBytes), ("max_archive_bytes", \.maxArchiveBytes),
         ("max_expansion_ratio", \.maxExpansionRatio), ("expansion_ratio_floor_bytes", \.expansionRatioFloorBytes),
         ("max_json_bytes", \.maxJSONBytes), ("design_json_bytes", \.designJSONBytes), ("content_hash_chunk_bytes", \.contentHashChunkBytes)]
    }
    private static var intFields: [(String, WritableKeyPath<Thresholds, Int>)] {
        [("max_archive_depth", \.maxArchiveDepth), ("max_archive_entries", \.maxArchiveEntries), ("max_json_depth", \.maxJSONDepth), ("design_json_depth", \.designJSONDepth),
         ("max_json_string_bytes", \.maxJSONStringBytes),
         ("detection_sample_bytes", \.detectionSampleBytes), ("csv_inference_rows", \.csvInferenceRows), ("geo_decimals", \.geoDecimals),
         ("alert_delay_seconds", \.alertDelaySeconds), ("hot_partitions", \.hotPartitions), ("shard_count", \.shardCount),
         ("shard_virtual_nodes", \.shardVirtualNodes), ("replication_factor", \.replicationFactor),
         ("stream_latency_millis", \.streamLatencyMillis), ("scan_timeout_seconds", \.scanTimeoutSeconds)]
    }
    private static var doubleFields: [(String, WritableKeyPath<Thresholds, Double>)] {
        [("detection_confidence", \.detectionConfidence), ("csv_type_confidence", \.csvTypeConfidence), ("pii_confidence", \.piiConfidence),
         ("language_confidence", \.languageConfidence), ("max_null_rate", \.maxNullRate), ("completeness_score", \.completenessScore),
         ("fuzzy_duplicate_threshold", \.fuzzyDuplicateThreshold), ("alert_error_rate", \.alertErrorRate),
         ("alert_resource_use", \.alertResourceUse)]
    }

    /// The settings that can change canonical output, as a JSON object (keys in snake_case).
    /// They go into the job id. Chunk size, worker count and retry policy are left out on
    /// purpose: output never depends on them, so changing them must not start a new job.
    public var jsonValue: JSONValue {
        var members: [JSONMember] = []
        for (k, p) in Self.int64Fields { members.append(.init(k, .number(String(self[keyPath: p])))) }
        for (k, p) in Self.intFields { members.append(.init(k, .number(String(self[keyPath: p])))) }
        for (k, p) in Self.doubleFields { members.append(.init(k, .number(self[keyPath: p].description))) }
        members.append(.init("language_fallback", .string(languageFallback)))
        members.append(.init("languages", .array(languages.map { .string($0) })))
        members.append(.init("strict", .bool(strict)))
        return .object(members)
    }

    /// Sets every setting `configuration` (a `jsonValue` stored with a job) names; others stay.
    public mutating func apply(configuration: JSONValue) {
        func text(_ k: String) -> String? {
            guard let v = configuration[k] else { return nil }
            if case .number(let n) = v { return n }
            return nil
        }
        for (k, p) in Self.int64Fields { if let v = text(k).flatMap({ Int64($0) }) { self[keyPath: p] = v } }
        for (k, p) in Self.intFields { if let v = text(k).flatMap({ Int($0) }) { self[keyPath: p] = v } }
        for (k, p) in Self.doubleFields { if let v = text(k).flatMap({ Double($0) }) { self[keyPath: p] = v } }
        if let f = configuration["language_fallback"]?.stringValue { languageFallback = f }
        if let l = configuration["languages"]?.arrayValue { languages = l.compactMap(\.stringValue) }
        if case .bool(let b)? = configuration["strict"] { strict = b }
    }
}
