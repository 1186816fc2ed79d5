import LakeCore

/// What `datapunk metrics` reports, counted by SQLite (the rows are never loaded), and the
/// connection settings the pipeline adjusts.
extension Lake {
    /// The catalog's counts and the committed chunks' totals and extremes.
    public struct CatalogCounts: Equatable, Sendable {
        /// Every `JobState`, with 0 for states no job is in.
        public var jobsByState: [JobState: Int] = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        public var records = 0
        /// By the status word stored, sorted.
        public var filesByStatus: [(status: String, count: Int)] = []
        /// By rule, sorted.
        public var errorsByRule: [(rule: String, count: Int)] = []
        /// Design thresholds gone past, by rule, sorted.
        public var findingsByRule: [(rule: String, count: Int)] = []
        /// Files in quarantine and not released.
        public var quarantined = 0
        public var chunks = 0
        public var chunkElements = 0
        public var chunkRecords = 0
        public var chunkFailures = 0
        public var chunkBytes: Int64 = 0
        public var chunkSeconds = 0.0
        public var slowestChunkSeconds = 0.0
        public var peakResidentBytes: Int64 = 0

        public static func == (a: CatalogCounts, b: CatalogCounts) -> Bool {
            a.jobsByState == b.jobsByState && a.records == b.records && a.filesByStatus.map(\.status) == b.filesByStatus.map(\.status)
                && a.filesByStatus.map(\.count) == b.filesByStatus.map(\.count) && a.errorsByRule.map(\.rule) == b.errorsByRule.map(\.rule)
                && a.errorsByRule.map(\.count) == b.errorsByRule.map(\.count)
                && a.findingsByRule.map(\.rule) == b.findingsByRule.map(\.rule)
                && a.findingsByRule.map(\.count) == b.findingsByRule.map(\.count) && a.quarantined == b.quarantined && a.chunks == b.chunks
                && a.chunkElements == b.chunkElements
                && a.chunkRecords == b.chunkRecords && a.chunkFailures == b.chunkFailures && a.chunkBytes == b.chunkBytes
                && a.chunkSeconds == b.chunkSeconds && a.slowestChunkSeconds == b.slowestChunkSeconds
                && a.peakResidentBytes == b.peakResidentBytes
        }
    }

    public func catalogCounts() throws -> CatalogCounts {
        var c = CatalogCounts()
        try wrap {
            try database.prepare("SELECT state, count(*) FROM jobs GROUP BY state").forEachRow {
                c.jobsByState[Self.state($0.text(0)), default: 0] += Int($0.int(1))
            }
            try database.prepare("SELECT (SELECT count(*) FROM records) + (SELECT ifnull(sum(records), 0) FROM partitions)")
                .forEachRow { c.records = Int($0.int(0)) }
            try database.prepare("SELECT status, count(*) FROM files GROUP BY status ORDER BY status").forEachRow {
                c.filesByStatus.append(($0.text(0) ?? "", Int($0.int(1))))
            }
            try database.prepare("SELECT rule, count(*) FROM errors GROUP BY rule ORDER BY rule").forEachRow {
                c.errorsByRule.append(($0.text(0) ?? "", Int($0.int(1))))
            }
            try database.prepare("SELECT rule, sum(count) FROM findings GROUP BY rule ORDER BY rule").forEachRow {
                c.findingsByRule.append(($0.text(0) ?? "", Int($0.int(1))))
            }
            try database.prepare("SELECT count(DISTINCT sha256) FROM quarantine WHERE released_at IS NULL").forEachRow {
                c.quarantined = Int($0.int(0))
            }
            try database.prepare(
                """
                SELECT count(*), coalesce(sum(elements), 0), coalesce(sum(records), 0), coalesce(sum(failures), 0), coalesce(sum(bytes), 0),
                  coalesce(sum(duration_ms), 0) / 1000.0, coalesce(max(duration_ms), 0) / 1000.0, coalesce(max(peak_rss_kb), 0) * 1024
                FROM chunks
                """
            ).forEachRow { r in
                c.chunks = Int(r.int(0))
                c.chunkElements = Int(r.int(1))
                c.chunkRecords = Int(r.int(2))
                c.chunkFailures = Int(r.int(3))
                c.chunkBytes = r.int(4)
                c.chunkSeconds = r.double(5)
                c.slowestChunkSeconds = r.double(6)
                c.peakResidentBytes = r.int(7)
            }
        }
        return c
    }

    /// How long a statement waits for another connection's lock before failing busy.
    public func setBusyTimeout(millis: Int) { database.setBusyTimeout(millis: millis) }

    /// Whether another connection holds the write lock now (a write transaction cannot start
    /// without waiting).
    public func isLockedByAnother() -> Bool {
        database.setBusyTimeout(millis: 0)
        defer { database.setBusyTimeout(millis: 5000) }
        do {
            try database.execute("BEGIN IMMEDIATE")
            try database.execute("ROLLBACK")
            return false
        } catch let e as SQLiteError where e.isTransient {
            return true
        } catch {
            return false
        }
    }
}
