import Foundation
import LakeCore

/// Jobs: queued, started, finished, listed, forgotten after 30 days.
extension Lake {
    /// A job row as `datapunk jobs` shows it.
    public struct JobRow: Sendable, Equatable {
        public var jobID: String
        public var state: JobState
        public var priority: JobPriority
        public var inputs: String
        public var createdAt: String
        public var updatedAt: String
        public var files: Int
        public var records: Int
        public var rejected: Int
        public var message: String?
    }

    /// The job's state, or nil when there is no such job.
    public func jobState(_ jobID: String) throws -> JobState? {
        var state: JobState?
        try wrap {
            try database.prepare("SELECT state FROM jobs WHERE job_id = ?").forEachRow([.text(jobID)]) { state = Self.state($0.text(0)) }
        }
        return state
    }

    /// A stored state; a word this version does not know reads as `failed` (never run again).
    static func state(_ text: String?) -> JobState { text.flatMap(JobState.init(rawValue:)) ?? .failed }

    /// Records a job to run later (state `queued`); an existing job is left as it is.
    public func queueJob(_ jobID: String, inputs: JSONValue, configuration: JSONValue, priority: JobPriority) throws {
        let now = Self.now()
        try wrap {
            try database.prepare(
                """
                INSERT INTO jobs(job_id, state, priority, inputs, configuration, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(job_id) DO NOTHING
                """
            ).run([
                .text(jobID), .text(JobState.queued.rawValue), .text(priority.rawValue), .text(CanonicalJSON.string(inputs)),
                .text(CanonicalJSON.string(configuration)), .text(now), .text(now),
            ])
        }
    }

    /// Queued jobs in the order they are to run: priority (`JobPriority`, most urgent first; a
    /// word this version does not know comes last), then the order they were queued in, then job id.
    public func queuedJobs() throws -> [String] {
        var queued: [(priority: Int, created: String, id: String)] = []
        try wrap {
            try database.prepare("SELECT job_id, priority, created_at FROM jobs WHERE state = ?").forEachRow([
                .text(JobState.queued.rawValue)
            ]) {
                let rank = $0.text(1).flatMap(JobPriority.init(rawValue:))?.rank ?? JobPriority.allCases.count
                queued.append((rank, $0.text(2) ?? "", $0.text(0) ?? ""))
            }
        }
        return queued.sorted { ($0.priority, $0.created, $0.id) < ($1.priority, $1.created, $1.id) }.map(\.id)
    }

    /// Creates the job row, or marks an existing one running again (a re-run resumes it).
    public func startJob(_ jobID: String, inputs: JSONValue, configuration: JSONValue) throws {
        let now = Self.now()
        try wrap {
            try database.prepare(
                """
                INSERT INTO jobs(job_id, state, inputs, configuration, created_at, updated_at)
                VALUES (?1, ?6, ?2, ?3, ?4, ?5)
                ON CONFLICT(job_id) DO UPDATE SET state = ?6, updated_at = excluded.updated_at
                """
            ).run([
                .text(jobID), .text(CanonicalJSON.string(inputs)), .text(CanonicalJSON.string(configuration)), .text(now), .text(now),
                .text(JobState.running.rawValue),
            ])
        }
    }

    /// Records how a job ended, with its totals taken from the files and errors tables.
    public func finishJob(_ jobID: String, state: JobState, message: String?) throws {
        try wrap {
            try database.prepare(
                """
                UPDATE jobs SET state = ?1, message = ?2, updated_at = ?3,
                  files = (SELECT count(*) FROM files WHERE job_id = ?4),
                  records = (SELECT coalesce(sum(records), 0) FROM files WHERE job_id = ?4),
                  rejected = (SELECT count(*) FROM errors WHERE job_id = ?4)
                WHERE job_id = ?4
                """
            ).run([.text(state.rawValue), message.map { .text($0) } ?? .null, .text(Self.now()), .text(jobID)])
        }
    }

    /// Finished jobs (completed, completed with errors, failed) whose last update is older than
    /// `days` days are forgotten: their job row, errors, chunk metrics and checkpoints. Their
    /// records and file rows stay (they are the lake's contents). Returns how many went.
    @discardableResult
    public func pruneHistory(olderThanDays days: Int = 30, now: Date = Date()) throws -> Int {
        let cutoff = Lake.time(now.addingTimeInterval(-Double(days) * 86_400))
        var gone: [String] = []
        try wrap {
            try database.prepare("SELECT job_id, state FROM jobs WHERE updated_at < ? ORDER BY job_id").forEachRow([.text(cutoff)]) {
                if Self.state($0.text(1)).isFinished { gone.append($0.text(0) ?? "") }
            }
            for job in gone {
                for table in ["errors", "chunks", "checkpoints", "jobs"] {
                    try database.prepare("DELETE FROM \(table) WHERE job_id = ?").run([.text(job)])
                }
            }
        }
        return gone.count
    }

    /// All jobs, oldest first.
    public func jobs() throws -> [JobRow] {
        var rows: [JobRow] = []
        try wrap {
            try database.prepare(
                "SELECT job_id, state, inputs, created_at, updated_at, files, records, rejected, message, priority FROM jobs ORDER BY created_at, job_id"
            ).forEachRow { r in
                rows.append(
                    JobRow(
                        jobID: r.text(0) ?? "", state: Self.state(r.text(1)),
                        priority: r.text(9).flatMap(JobPriority.init(rawValue:)) ?? .normal, inputs: r.text(2) ?? "",
                        createdAt: r.text(3) ?? "",
                        updatedAt: r.text(4) ?? "", files: Int(r.int(5)), records: Int(r.int(6)), rejected: Int(r.int(7)),
                        message: r.text(8)))
            }
        }
        return rows
    }
}
