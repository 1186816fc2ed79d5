import Foundation
import LakeCore
import LakeStore

/// The lake's state in the Prometheus text exposition format (version 0.0.4): jobs by state,
/// records, files by status, errors by rule, and the committed chunks' totals and extremes.
/// Families and label values come out sorted, so the same catalog prints the same text.
public enum PrometheusMetrics {
    public static func text(lake: Lake) throws -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for s in samples { out += "\(name)\(s.labels) \(s.value)\n" }
        }
        func label(_ k: String, _ v: String) -> String {
            let escaped = v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(
                of: "\n", with: "\\n")
            return "{\(k)=\"\(escaped)\"}"
        }
        let c = try lake.catalogCounts()
        func number(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "0" }
        family(
            "datapunk_jobs", "gauge", "Jobs in the catalog by state.",
            c.jobsByState.keys.map(\.rawValue).sorted().map { (label("state", $0), String(c.jobsByState[JobState(rawValue: $0)!]!)) })
        family("datapunk_records", "gauge", "Records in the lake.", [("", String(c.records))])
        family(
            "datapunk_files", "gauge", "Catalogued files (archive entries) by status.",
            c.filesByStatus.map { (label("status", $0.status), String($0.count)) })
        family("datapunk_errors", "gauge", "Recorded errors by rule.", c.errorsByRule.map { (label("rule", $0.rule), String($0.count)) })
        family(
            "datapunk_findings", "gauge", "Design thresholds gone past (records or files), by rule.",
            c.findingsByRule.map { (label("rule", $0.rule), String($0.count)) })
        family("datapunk_quarantined_files", "gauge", "Files in quarantine, not released.", [("", String(c.quarantined))])
        let v = try lake.validationCounts()
        family("datapunk_pii_records", "gauge", "Records with at least one PII finding.", [("", String(v.piiRecords))])
        family(
            "datapunk_pii_findings", "gauge", "PII findings in records, by type.",
            v.findingsByType.sorted { $0.key < $1.key }.map { (label("type", $0.key), String($0.value)) })
        family(
            "datapunk_records_by_data_class", "gauge", "Records by data class (personal, analytics, system).",
            v.recordsByDataClass.sorted { $0.key < $1.key }.map { (label("class", $0.key), String($0.value)) })
        family("datapunk_chunks_total", "counter", "Chunks committed.", [("", String(c.chunks))])
        family("datapunk_chunk_elements_total", "counter", "Elements read in committed chunks.", [("", String(c.chunkElements))])
        family("datapunk_chunk_records_total", "counter", "Records committed in chunks.", [("", String(c.chunkRecords))])
        family("datapunk_chunk_failures_total", "counter", "Elements that failed validation or mapping.", [("", String(c.chunkFailures))])
        family("datapunk_chunk_bytes_total", "counter", "Input bytes processed in committed chunks.", [("", String(c.chunkBytes))])
        family("datapunk_chunk_seconds_total", "counter", "Time spent in committed chunks.", [("", number(c.chunkSeconds))])
        family("datapunk_chunk_seconds_max", "gauge", "The slowest chunk (processing latency).", [("", number(c.slowestChunkSeconds))])
        family(
            "datapunk_peak_resident_bytes", "gauge", "Highest peak resident memory seen at a chunk commit.",
            [("", String(c.peakResidentBytes))])
        let elements = Double(c.chunkElements), failures = Double(c.chunkFailures)
        family(
            "datapunk_error_rate", "gauge", "Failed elements over elements, all chunks.",
            [("", String(format: "%.6g", elements > 0 ? failures / elements : 0))])
        family(
            "datapunk_throughput_bytes_per_second", "gauge", "Chunk bytes over chunk time, all chunks.",
            [("", String(format: "%.6g", c.chunkSeconds > 0 ? Double(c.chunkBytes) / c.chunkSeconds : 0))])
        return out
    }
}
