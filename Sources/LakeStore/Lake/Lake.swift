import Foundation
import LakeCore

/// A lake: a folder holding `catalog.sqlite` (jobs, files, errors, records) and `staging/`
/// for downloads. Schema in docs/SPEC.md, "The lake".
///
/// ```swift
/// let lake = try Lake(directory: "./lake", create: true)
/// try lake.export { line in print(String(decoding: line, as: UTF8.self)) }
/// ```
public final class Lake {
    /// 2 added `checkpoints` and `chunks`; 3 added `jobs.priority`.
    public static let schemaVersion = 6
    public let directory: String
    public let database: SQLiteDatabase
    /// Retries of a write transaction that found the database busy (`begin`, `commit`).
    public var retry = Backoff()
    /// Called before each retry with the failed attempt's number and its error.
    public var onRetry: ((Int, Error) -> Void)?
    public var stagingDirectory: String { directory + "/staging" }
    public var catalogPath: String { directory + "/catalog.sqlite" }

    /// Opens the lake in `directory`; with `create`, makes the folder and schema if missing.
    /// - Throws: `LakeError` (`lake.not_found` when it does not exist and `create` is false;
    ///   `lake.storage` for SQLite failures).
    public init(directory: String, create: Bool) throws {
        self.directory = directory
        let fm = FileManager.default
        let catalog = directory + "/catalog.sqlite"
        try Self.checkNoLinks(directory)
        if !fm.fileExists(atPath: catalog) {
            guard create else {
                throw LakeError(.lakeMissing, scope: .usage, input: directory, message: "no lake here (no catalog.sqlite); run `datapunk ingest` first")
            }
            try Self.checkLakeFolder(directory)
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw LakeError(.lakeStorage, scope: .input, input: directory, message: "cannot create the lake folder: \(error)")
            }
        } else if create {
            try Self.checkLakeFolder(directory)
            if access(directory, W_OK) != 0 || access(catalog, W_OK) != 0 {
                throw LakeError(.lakeReadOnly, scope: .input, input: directory,
                                message: "the lake cannot be written (\(String(cString: strerror(errno)))); export, jobs and metrics still read it")
            }
        }
        let isNew = !fm.fileExists(atPath: catalog)
        if !create { try Self.checkCatalog(directory) }
        // A lake that cannot be written (a read-only folder or file) is still read: export,
        // jobs and metrics work on it.
        let readOnly = !create && (access(directory, W_OK) != 0 || access(catalog, W_OK) != 0)
        do {
            database = try SQLiteDatabase(path: catalog, readOnly: readOnly)
            // The application id goes into the file's own header before WAL mode starts, so a
            // lake is recognisable from its first page even while its pages sit in the log.
            if isNew { try database.execute("PRAGMA application_id=\(Self.applicationID);") }
            if !create { try checkSchema(upgradable: !readOnly) }
            if !readOnly { try migrate() }
        } catch let e as SQLiteError {
            throw e.lakeError.located(input: directory)
        }
    }

    private func migrate() throws {
        // busy_timeout: a second datapunk on the same lake waits for the first one's transaction (up
        // to 5 s, retried by SQLite with backoff) instead of failing with SQLITE_BUSY.
        try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;")
        let version = try database.prepare("PRAGMA user_version")
        var current: Int64 = 0
        try version.forEachRow { current = $0.int(0) }
        if current >= Int64(Self.schemaVersion) { return }
        try database.inTransaction {
            try database.execute(
                """
                CREATE TABLE IF NOT EXISTS jobs(
                    job_id TEXT PRIMARY KEY, state TEXT NOT NULL, priority TEXT NOT NULL DEFAULT 'normal', inputs TEXT NOT NULL,
                    configuration TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                    files INTEGER NOT NULL DEFAULT 0, records INTEGER NOT NULL DEFAULT 0,
                    rejected INTEGER NOT NULL DEFAULT 0, message TEXT);
                CREATE TABLE IF NOT EXISTS files(
                    job_id TEXT NOT NULL, input TEXT NOT NULL, entry_index INTEGER NOT NULL, path TEXT NOT NULL,
                    kind TEXT NOT NULL, size INTEGER, sha256 TEXT, xxh64 TEXT, mime_type TEXT, format TEXT,
                    encoding TEXT, encoding_confidence REAL, mismatch TEXT, modified INTEGER, permissions INTEGER,
                    status TEXT NOT NULL, records INTEGER NOT NULL DEFAULT 0, mojibake INTEGER, metadata TEXT,
                    PRIMARY KEY(job_id, input, entry_index));
                CREATE TABLE IF NOT EXISTS errors(
                    job_id TEXT NOT NULL, input TEXT, entry TEXT, rule TEXT NOT NULL, scope TEXT NOT NULL,
                    location TEXT, message TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS records(
                    id TEXT PRIMARY KEY, job_id TEXT NOT NULL, input TEXT NOT NULL, input_sha256 TEXT NOT NULL,
                    path TEXT NOT NULL, idx INTEGER NOT NULL, user TEXT NOT NULL, occurred_at TEXT,
                    partition TEXT NOT NULL, export_kind TEXT NOT NULL, record_kind TEXT NOT NULL,
                    content_hash TEXT NOT NULL, canonical BLOB NOT NULL, checksum INTEGER);
                CREATE INDEX IF NOT EXISTS records_order ON records(input, input_sha256, path, idx);
                CREATE INDEX IF NOT EXISTS records_user ON records(user);
                CREATE TABLE IF NOT EXISTS checkpoints(
                    job_id TEXT NOT NULL, input TEXT NOT NULL, entry_index INTEGER NOT NULL,
                    elements INTEGER NOT NULL, chunks INTEGER NOT NULL, records INTEGER NOT NULL, failures INTEGER NOT NULL,
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY(job_id, input, entry_index));
                CREATE TABLE IF NOT EXISTS chunks(
                    job_id TEXT NOT NULL, input TEXT NOT NULL, entry_index INTEGER NOT NULL, chunk INTEGER NOT NULL,
                    path TEXT NOT NULL, first_element INTEGER NOT NULL, elements INTEGER NOT NULL, records INTEGER NOT NULL,
                    failures INTEGER NOT NULL, bytes INTEGER NOT NULL, started_at TEXT NOT NULL, duration_ms REAL NOT NULL,
                    throughput_bps REAL NOT NULL, error_rate REAL NOT NULL, peak_rss_kb INTEGER, cpu_ms INTEGER,
                    read_bytes INTEGER, write_bytes INTEGER,
                    PRIMARY KEY(job_id, input, entry_index, chunk));
                """)
            // Version 5: findings (measured over a design threshold; nothing refused).
            try database.execute(Self.findingsTable)
            // Lakes made before version 3 get the priority column.
            var columns: [String] = []
            try database.prepare("PRAGMA table_info(jobs)").forEachRow { columns.append($0.text(1) ?? "") }
            if !columns.contains("priority") { try database.execute("ALTER TABLE jobs ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'") }
            // Version 4: files carry the mojibake flag and content metadata.
            var fileColumns: [String] = []
            try database.prepare("PRAGMA table_info(files)").forEachRow { fileColumns.append($0.text(1) ?? "") }
            if !fileColumns.contains("mojibake") { try database.execute("ALTER TABLE files ADD COLUMN mojibake INTEGER") }
            if !fileColumns.contains("metadata") { try database.execute("ALTER TABLE files ADD COLUMN metadata TEXT") }
            // Version 6: each record's XXH64 of its canonical line, verified on export.
            var recordColumns: [String] = []
            try database.prepare("PRAGMA table_info(records)").forEachRow { recordColumns.append($0.text(1) ?? "") }
            if !recordColumns.contains("checksum") { try database.execute("ALTER TABLE records ADD COLUMN checksum INTEGER") }
            try database.execute("PRAGMA user_version = \(Self.schemaVersion)")
            return .commit
        }
    }

    public static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }

    // MARK: - Jobs

    /// A job row as `datapunk jobs` shows it.
    public struct JobRow: Sendable, Equatable {
        public var jobID: String
        public var state: String
        public var priority: String
        public var inputs: String
        public var createdAt: String
        public var updatedAt: String
        public var files: Int
        public var records: Int
        public var rejected: Int
        public var message: String?
    }

    /// The job's state, or nil when there is no such job.
    public func jobState(_ jobID: String) throws -> String? {
        var state: String?
        try wrap { try database.prepare("SELECT state FROM jobs WHERE job_id = ?").forEachRow([.text(jobID)]) { state = $0.text(0) } }
        return state
    }

    /// Job priorities, most urgent first.
    public static let priorities = ["critical", "high", "normal", "low"]

    /// Records a job to run later (state `queued`); an existing job is left as it is.
    public func queueJob(_ jobID: String, inputs: JSONValue, configuration: JSONValue, priority: String) throws {
        let now = Self.now()
        try wrap {
            try database.prepare(
                """
                INSERT INTO jobs(job_id, state, priority, inputs, configuration, created_at, updated_at)
                VALUES (?, 'queued', ?, ?, ?, ?, ?) ON CONFLICT(job_id) DO NOTHING
                """
            ).run([.text(jobID), .text(priority), .text(CanonicalJSON.string(inputs)), .text(CanonicalJSON.string(configuration)), .text(now), .text(now)])
        }
    }

    /// Queued jobs in the order they are to run: priority (critical, high, normal, low), then
    /// the order they were queued in, then job id.
    public func queuedJobs() throws -> [String] {
        var ids: [String] = []
        try wrap {
            try database.prepare(
                """
                SELECT job_id FROM jobs WHERE state = 'queued'
                ORDER BY CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, created_at, job_id
                """
            ).forEachRow { ids.append($0.text(0) ?? "") }
        }
        return ids
    }

    /// Creates the job row, or marks an existing one running again (a re-run resumes it).
    public func startJob(_ jobID: String, inputs: JSONValue, configuration: JSONValue) throws {
        let now = Self.now()
        try wrap {
            try database.prepare(
                """
                INSERT INTO jobs(job_id, state, inputs, configuration, created_at, updated_at)
                VALUES (?, 'running', ?, ?, ?, ?)
                ON CONFLICT(job_id) DO UPDATE SET state = 'running', updated_at = excluded.updated_at
                """
            ).run([.text(jobID), .text(CanonicalJSON.string(inputs)), .text(CanonicalJSON.string(configuration)), .text(now), .text(now)])
        }
    }

    /// Records how a job ended, with its totals taken from the files and errors tables.
    public func finishJob(_ jobID: String, state: String, message: String?) throws {
        try wrap {
            try database.prepare(
                """
                UPDATE jobs SET state = ?1, message = ?2, updated_at = ?3,
                  files = (SELECT count(*) FROM files WHERE job_id = ?4),
                  records = (SELECT coalesce(sum(records), 0) FROM files WHERE job_id = ?4),
                  rejected = (SELECT count(*) FROM errors WHERE job_id = ?4)
                WHERE job_id = ?4
                """
            ).run([.text(state), message.map { .text($0) } ?? .null, .text(Self.now()), .text(jobID)])
        }
    }

    /// Finished jobs (completed, completed with errors, failed) whose last update is older than
    /// `days` days are forgotten: their job row, errors, chunk metrics and checkpoints. Their
    /// records and file rows stay (they are the lake's contents). Returns how many went.
    @discardableResult
    public func pruneHistory(olderThanDays days: Int = 30, now: Date = Date()) throws -> Int {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let cutoff = f.string(from: now.addingTimeInterval(-Double(days) * 86_400))
        var gone: [String] = []
        try wrap {
            try database.prepare(
                "SELECT job_id FROM jobs WHERE state IN ('completed', 'completed_with_errors', 'failed') AND updated_at < ? ORDER BY job_id"
            ).forEachRow([.text(cutoff)]) { gone.append($0.text(0) ?? "") }
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
                        jobID: r.text(0) ?? "", state: r.text(1) ?? "", priority: r.text(9) ?? "normal", inputs: r.text(2) ?? "", createdAt: r.text(3) ?? "",
                        updatedAt: r.text(4) ?? "", files: Int(r.int(5)), records: Int(r.int(6)), rejected: Int(r.int(7)),
                        message: r.text(8)))
            }
        }
        return rows
    }

    // MARK: - Files and errors

    /// A file (an archive entry, or the input itself) as the catalog records it.
    public struct FileRow: Sendable, Equatable {
        public var input: String
        public var entryIndex: Int
        public var path: String
        public var kind: String
        public var size: Int64?
        public var sha256: String?
        public var xxh64: String?
        public var mimeType: String?
        public var format: String?
        public var encoding: String?
        public var encodingConfidence: Double?
        public var mismatch: String?
        public var modified: Int64?
        public var permissions: Int64?
        /// Facebook per-byte mojibake seen in the detection sample.
        public var mojibake: Bool?
        /// Content metadata (`ContentMetadata`) as canonical JSON text.
        public var metadata: String?
        /// `loaded` (records committed), `stored` (hashed and recorded, no parser for it),
        /// `rejected` (an error row says why), `skipped` (directories and links).
        public var status: String
        public var records: Int

        public init(input: String, entryIndex: Int, path: String, kind: String, status: String) {
            self.input = input
            self.entryIndex = entryIndex
            self.path = path
            self.kind = kind
            self.status = status
            self.records = 0
        }
    }

    /// Entry indexes of `input` already finished by `jobID` (for re-runs).
    public func finishedEntries(jobID: String, input: String) throws -> Set<Int> {
        var done = Set<Int>()
        try wrap {
            try database.prepare("SELECT entry_index FROM files WHERE job_id = ? AND input = ?").forEachRow([.text(jobID), .text(input)]) {
                done.insert(Int($0.int(0)))
            }
        }
        return done
    }

    /// Inserts a file row (inside the caller's transaction when there is one).
    public func insertFile(jobID: String, _ f: FileRow) throws {
        func t(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
        func i(_ v: Int64?) -> SQLiteValue { v.map { .integer($0) } ?? .null }
        try wrap {
            try database.prepare(
                """
                INSERT OR REPLACE INTO files(job_id, input, entry_index, path, kind, size, sha256, xxh64, mime_type, format,
                  encoding, encoding_confidence, mismatch, modified, permissions, status, records, mojibake, metadata)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).run([
                .text(jobID), .text(f.input), .integer(Int64(f.entryIndex)), .text(f.path), .text(f.kind), i(f.size),
                t(f.sha256), t(f.xxh64), t(f.mimeType), t(f.format), t(f.encoding),
                f.encodingConfidence.map { .real($0) } ?? .null, t(f.mismatch), i(f.modified), i(f.permissions),
                .text(f.status), .integer(Int64(f.records)), f.mojibake.map { .integer($0 ? 1 : 0) } ?? .null, t(f.metadata),
            ])
        }
    }

    /// The files of a job, in input and entry order.
    public func files(jobID: String) throws -> [FileRow] {
        var rows: [FileRow] = []
        try wrap {
            try database.prepare(
                "SELECT input, entry_index, path, kind, size, sha256, xxh64, mime_type, format, encoding, status, records, mojibake, metadata FROM files WHERE job_id = ? ORDER BY input, entry_index"
            ).forEachRow([.text(jobID)]) { r in
                var f = FileRow(input: r.text(0) ?? "", entryIndex: Int(r.int(1)), path: r.text(2) ?? "", kind: r.text(3) ?? "", status: r.text(10) ?? "")
                if case .integer(let s) = r.value(4) { f.size = s }
                f.sha256 = r.text(5)
                f.xxh64 = r.text(6)
                f.mimeType = r.text(7)
                f.format = r.text(8)
                f.encoding = r.text(9)
                f.records = Int(r.int(11))
                if case .integer(let m) = r.value(12) { f.mojibake = m != 0 }
                f.metadata = r.text(13)
                rows.append(f)
            }
        }
        return rows
    }

    /// Records an error against a job.
    public func insertError(jobID: String, _ e: LakeError) throws {
        func t(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
        try wrap {
            try database.prepare("INSERT INTO errors(job_id, input, entry, rule, scope, location, message) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .run([.text(jobID), t(e.input), t(e.entry), .text(e.rule.rawValue), .text(e.scope.rawValue), t(e.location), .text(e.message)])
        }
    }

    /// The errors recorded for a job, in the order they happened.
    public func errors(jobID: String) throws -> [LakeError] {
        var out: [LakeError] = []
        try wrap {
            try database.prepare("SELECT input, entry, rule, scope, location, message FROM errors WHERE job_id = ? ORDER BY rowid")
                .forEachRow([.text(jobID)]) { r in
                    out.append(
                        LakeError(
                            .init(r.text(2) ?? ""), scope: LakeError.Scope(rawValue: r.text(3) ?? "") ?? .entry, input: r.text(0),
                            entry: r.text(1), location: r.text(4), message: r.text(5) ?? ""))
                }
        }
        return out
    }

    /// Turns SQLite errors into pipeline errors.
    public func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SQLiteError { throw e.lakeError.located(input: directory) }
    }
}
