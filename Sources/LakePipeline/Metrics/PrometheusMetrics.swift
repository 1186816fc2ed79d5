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
            let escaped = v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
            return "{\(k)=\"\(escaped)\"}"
        }
        func rows(_ sql: String) throws -> [[SQLiteValue]] {
            var result: [[SQLiteValue]] = []
            try lake.wrap {
                let st = try lake.database.prepare(sql)
                try st.forEachRow { r in result.append((0..<r.columnCount).map { r.value($0) }) }
            }
            return result
        }
        func number(_ v: SQLiteValue) -> String {
            switch v {
            case .integer(let i): return String(i)
            case .real(let d): return d.isFinite ? String(format: "%.6g", d) : "0"
            default: return "0"
            }
        }
        func text(_ v: SQLiteValue) -> String { if case .text(let t) = v { return t }; return "" }

        let states = ["queued", "running", "paused", "failed", "completed", "completed_with_errors"]
        var byState = Dictionary(uniqueKeysWithValues: states.map { ($0, "0") })
        for r in try rows("SELECT state, count(*) FROM jobs GROUP BY state") { byState[text(r[0])] = number(r[1]) }
        family("datapunk_jobs", "gauge", "Jobs in the catalog by state.", byState.keys.sorted().map { (label("state", $0), byState[$0]!) })
        family("datapunk_records", "gauge", "Records in the lake.", [("", number(try rows("SELECT count(*) FROM records")[0][0]))])
        family("datapunk_files", "gauge", "Catalogued files (archive entries) by status.",
               try rows("SELECT status, count(*) FROM files GROUP BY status ORDER BY status").map { (label("status", text($0[0])), number($0[1])) })
        family("datapunk_errors", "gauge", "Recorded errors by rule.",
               try rows("SELECT rule, count(*) FROM errors GROUP BY rule ORDER BY rule").map { (label("rule", text($0[0])), number($0[1])) })
        let c = try rows(
            """
            SELECT count(*), coalesce(sum(elements), 0), coalesce(sum(records), 0), coalesce(sum(failures), 0), coalesce(sum(bytes), 0),
              coalesce(sum(duration_ms), 0) / 1000.0, coalesce(max(duration_ms), 0) / 1000.0, coalesce(max(peak_rss_kb), 0) * 1024
            FROM chunks
            """)[0]
        family("datapunk_chunks_total", "counter", "Chunks committed.", [("", number(c[0]))])
        family("datapunk_chunk_elements_total", "counter", "Elements read in committed chunks.", [("", number(c[1]))])
        family("datapunk_chunk_records_total", "counter", "Records committed in chunks.", [("", number(c[2]))])
        family("datapunk_chunk_failures_total", "counter", "Elements that failed validation or mapping.", [("", number(c[3]))])
        family("datapunk_chunk_bytes_total", "counter", "Input bytes processed in committed chunks.", [("", number(c[4]))])
        family("datapunk_chunk_seconds_total", "counter", "Time spent in committed chunks.", [("", number(c[5]))])
        family("datapunk_chunk_seconds_max", "gauge", "The slowest chunk (processing latency).", [("", number(c[6]))])
        family("datapunk_peak_resident_bytes", "gauge", "Highest peak resident memory seen at a chunk commit.", [("", number(c[7]))])
        let elements = Double(number(c[1])) ?? 0, failures = Double(number(c[3])) ?? 0
        let seconds = Double(number(c[5])) ?? 0, bytes = Double(number(c[4])) ?? 0
        family("datapunk_error_rate", "gauge", "Failed elements over elements, all chunks.",
               [("", String(format: "%.6g", elements > 0 ? failures / elements : 0))])
        family("datapunk_throughput_bytes_per_second", "gauge", "Chunk bytes over chunk time, all chunks.",
               [("", String(format: "%.6g", seconds > 0 ? bytes / seconds : 0))])
        return out
    }
}
