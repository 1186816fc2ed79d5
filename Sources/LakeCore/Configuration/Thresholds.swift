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
    // Retries of transient I/O and network failures.
    public var retries: Int = 3
    public var retryBaseDelaySeconds: Double = 0.5
    // Receipt and extraction.
    public var maxFileBytes: Int64 = 10 * gib
    public var maxBatchBytes: Int64 = 100 * gib
    public var maxArchiveDepth: Int = 5
    public var maxArchiveBytes: Int64 = 50 * gib
    // JSON.
    public var maxJSONDepth: Int = 10
    public var maxJSONBytes: Int64 = 100 * mib
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

    /// The settings that can change canonical output, as a JSON object (keys in snake_case).
    /// They go into the job id. Chunk size, worker count and retry policy are left out on
    /// purpose: output never depends on them, so changing them must not start a new job.
    public var jsonValue: JSONValue {
        func n(_ v: Int64) -> JSONValue { .number(String(v)) }
        func n(_ v: Int) -> JSONValue { .number(String(v)) }
        func d(_ v: Double) -> JSONValue { .number(v.description) }
        return .object([
            .init("max_file_bytes", n(maxFileBytes)),
            .init("max_batch_bytes", n(maxBatchBytes)),
            .init("max_archive_depth", n(maxArchiveDepth)),
            .init("max_archive_bytes", n(maxArchiveBytes)),
            .init("max_json_depth", n(maxJSONDepth)),
            .init("max_json_bytes", n(maxJSONBytes)),
            .init("max_json_string_bytes", n(maxJSONStringBytes)),
            .init("detection_sample_bytes", n(detectionSampleBytes)),
            .init("detection_confidence", d(detectionConfidence)),
            .init("csv_inference_rows", n(csvInferenceRows)),
            .init("csv_type_confidence", d(csvTypeConfidence)),
            .init("pii_confidence", d(piiConfidence)),
            .init("language_confidence", d(languageConfidence)),
            .init("language_fallback", .string(languageFallback)),
            .init("languages", .array(languages.map { .string($0) })),
            .init("geo_decimals", n(geoDecimals)),
            .init("max_null_rate", d(maxNullRate)),
            .init("completeness_score", d(completenessScore)),
            .init("fuzzy_duplicate_threshold", d(fuzzyDuplicateThreshold)),
            .init("content_hash_chunk_bytes", n(contentHashChunkBytes)),
            .init("alert_error_rate", d(alertErrorRate)),
            .init("alert_delay_seconds", n(alertDelaySeconds)),
            .init("alert_resource_use", d(alertResourceUse)),
            .init("hot_partitions", n(hotPartitions)),
            .init("shard_count", n(shardCount)),
            .init("shard_virtual_nodes", n(shardVirtualNodes)),
            .init("replication_factor", n(replicationFactor)),
            .init("stream_latency_millis", n(streamLatencyMillis)),
            .init("scan_timeout_seconds", n(scanTimeoutSeconds)),
        ])
    }
}
