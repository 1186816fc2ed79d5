import Foundation
import LakeCore

extension Lake {
    // MARK: - Chunks and checkpoints

    /// How far an unfinished entry got: elements and records committed, chunks done.
    public struct Checkpoint: Sendable, Equatable {
        public var elements: Int
        public var chunks: Int
        public var records: Int
        /// Elements that failed to map (error rows written).
        public var failures: Int
        public init(elements: Int, chunks: Int, records: Int, failures: Int) {
            self.elements = elements
            self.chunks = chunks
            self.records = records
            self.failures = failures
        }
    }

    /// The checkpoint of an entry in progress, or nil.
    public func checkpoint(jobID: String, input: String, entryIndex: Int) throws -> Checkpoint? {
        var c: Checkpoint?
        try wrap {
            try database.cached(
                "SELECT elements, chunks, records, failures FROM checkpoints WHERE job_id = ? AND input = ? AND entry_index = ?"
            )
            .forEachRow([.text(jobID), .text(input), .integer(Int64(entryIndex))]) {
                c = Checkpoint(elements: Int($0.int(0)), chunks: Int($0.int(1)), records: Int($0.int(2)), failures: Int($0.int(3)))
            }
        }
        return c
    }

    /// Writes the entry's checkpoint (inside the chunk's transaction).
    public func saveCheckpoint(jobID: String, input: String, entryIndex: Int, _ c: Checkpoint) throws {
        try wrap {
            try database.cached(
                "INSERT OR REPLACE INTO checkpoints(job_id, input, entry_index, elements, chunks, records, failures, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ).run([
                .text(jobID), .text(input), .integer(Int64(entryIndex)), .integer(Int64(c.elements)), .integer(Int64(c.chunks)),
                .integer(Int64(c.records)), .integer(Int64(c.failures)), .text(Self.now()),
            ])
        }
    }

    /// Removes an entry's checkpoint (when the entry is finished or rejected).
    public func clearCheckpoint(jobID: String, input: String, entryIndex: Int) throws {
        try wrap {
            try database.cached("DELETE FROM checkpoints WHERE job_id = ? AND input = ? AND entry_index = ?")
                .run([.text(jobID), .text(input), .integer(Int64(entryIndex))])
        }
    }

    /// Deletes the records a job committed from one entry (an entry rejected after some of its
    /// chunks were committed loses them all: nothing of it stays half loaded).
    public func deleteRecords(jobID: String, input: String, path: String) throws {
        try wrap {
            try database.prepare(
                "DELETE FROM records WHERE source IN (SELECT ref FROM record_sources WHERE job_id = ? AND input = ? AND path = ?)"
            ).run([.text(jobID), .text(input), .text(path)])
            try database.prepare("DELETE FROM chunks WHERE job_id = ? AND input = ? AND path = ?").run([
                .text(jobID), .text(input), .text(path),
            ])
        }
    }

    /// One committed chunk's metrics, as `chunks` stores them.
    public struct ChunkMetrics: Sendable, Equatable {
        public var input: String
        public var entryIndex: Int
        public var chunk: Int
        public var path: String
        public var firstElement: Int
        public var elements: Int
        public var records: Int
        public var failures: Int
        public var bytes: Int64
        public var startedAt: String
        public var durationMillis: Double
        public var peakRSSKiB: Int64?
        public var cpuMillis: Int64?
        public var readBytes: Int64?
        public var writeBytes: Int64?
        /// Content validation of the chunk's records.
        public var validation = Validation()
        public var throughput: Double { durationMillis > 0 ? Double(bytes) / (durationMillis / 1000) : 0 }
        public var errorRate: Double { elements > 0 ? Double(failures) / Double(elements) : 0 }

        public init(
            input: String, entryIndex: Int, chunk: Int, path: String, firstElement: Int, elements: Int, records: Int, failures: Int,
            bytes: Int64, startedAt: String, durationMillis: Double
        ) {
            self.input = input
            self.entryIndex = entryIndex
            self.chunk = chunk
            self.path = path
            self.firstElement = firstElement
            self.elements = elements
            self.records = records
            self.failures = failures
            self.bytes = bytes
            self.startedAt = startedAt
            self.durationMillis = durationMillis
        }
    }

    /// Records a chunk (inside the chunk's transaction).
    public func insertChunk(jobID: String, _ m: ChunkMetrics) throws {
        func i(_ v: Int64?) -> SQLiteValue { v.map { .integer($0) } ?? .null }
        try wrap {
            try database.cached(
                """
                INSERT OR REPLACE INTO chunks(job_id, input, entry_index, chunk, path, first_element, elements, records, failures, bytes,
                  started_at, duration_ms, throughput_bps, error_rate, peak_rss_kb, cpu_ms, read_bytes, write_bytes,
                  pii_records, pii_findings, data_classes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).run([
                .text(jobID), .text(m.input), .integer(Int64(m.entryIndex)), .integer(Int64(m.chunk)), .text(m.path),
                .integer(Int64(m.firstElement)), .integer(Int64(m.elements)), .integer(Int64(m.records)), .integer(Int64(m.failures)),
                .integer(m.bytes), .text(m.startedAt), .real(m.durationMillis), .real(m.throughput), .real(m.errorRate),
                i(m.peakRSSKiB), i(m.cpuMillis), i(m.readBytes), i(m.writeBytes), .integer(Int64(m.validation.piiRecords)),
                .text(Self.countsObject(m.validation.piiFindings)), .text(Self.countsObject(m.validation.dataClasses)),
            ])
        }
    }

    /// The chunks a job committed, in input, entry and chunk order.
    public func chunks(jobID: String) throws -> [ChunkMetrics] {
        var rows: [ChunkMetrics] = []
        try wrap {
            try database.prepare(
                """
                SELECT input, entry_index, chunk, path, first_element, elements, records, failures, bytes, started_at, duration_ms,
                  peak_rss_kb, cpu_ms, read_bytes, write_bytes
                FROM chunks WHERE job_id = ? ORDER BY input, entry_index, chunk
                """
            ).forEachRow([.text(jobID)]) { r in
                var m = ChunkMetrics(
                    input: r.text(0) ?? "", entryIndex: Int(r.int(1)), chunk: Int(r.int(2)), path: r.text(3) ?? "",
                    firstElement: Int(r.int(4)),
                    elements: Int(r.int(5)), records: Int(r.int(6)), failures: Int(r.int(7)), bytes: r.int(8), startedAt: r.text(9) ?? "",
                    durationMillis: {
                        if case .real(let d) = r.value(10) { return d }; return 0
                    }())
                func opt(_ k: Int) -> Int64? { if case .integer(let v) = r.value(k) { return v }; return nil }
                m.peakRSSKiB = opt(11)
                m.cpuMillis = opt(12)
                m.readBytes = opt(13)
                m.writeBytes = opt(14)
                rows.append(m)
            }
        }
        return rows
    }

    /// `BEGIN IMMEDIATE`, `COMMIT`, `ROLLBACK` for work that spans callbacks (a chunk).
    /// Starts a write transaction. When another connection holds the lock past the busy
    /// timeout, it is tried again per `retry` (3 more times, with exponential backoff).
    public func begin() throws { try wrap { try retryingBusy { try database.cached("BEGIN IMMEDIATE").execute() } } }
    /// Commits; a busy `COMMIT` leaves the transaction open, so it is tried again like `begin`.
    public func commit() throws {
        try wrap { try retryingBusy { try database.cached("COMMIT").execute() } }
        refs.committed()
    }

    private func retryingBusy(_ body: () throws -> Void) throws {
        try retry.run(isTransient: { ($0 as? SQLiteError)?.isTransient == true }, onRetry: onRetry, body)
    }
    public func rollback() {
        try? database.execute("ROLLBACK")
        refs.rolledBack()
    }

    /// The stored inputs and configuration of a job (for `datapunk resume`).
    public func jobDefinition(_ jobID: String) throws -> (inputs: String, configuration: String)? {
        var d: (String, String)?
        try wrap {
            try database.prepare("SELECT inputs, configuration FROM jobs WHERE job_id = ?").forEachRow([.text(jobID)]) {
                d = ($0.text(0) ?? "[]", $0.text(1) ?? "{}")
            }
        }
        return d
    }
}
