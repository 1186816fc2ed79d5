import LakeCore

extension Lake {
    /// One input's counts in a job, computed by SQLite (a million entries are not loaded to
    /// count them).
    public struct InputCounts: Equatable, Sendable {
        public var files = 0
        public var loaded = 0
        public var records = 0
        public var rejected = 0
        /// Files the security scan quarantined.
        public var quarantined = 0
        /// Error rows of files that loaded: records rejected one by one.
        public var rejectedRecords = 0
    }

    public func inputCounts(jobID: String, input: String) throws -> InputCounts {
        var c = InputCounts()
        try wrap {
            try database.prepare(
                """
                SELECT COALESCE(SUM(kind = 'file'), 0), COALESCE(SUM(status = ?3), 0), COALESCE(SUM(records), 0),
                       COALESCE(SUM(status = ?4), 0), COALESCE(SUM(status = ?5), 0)
                FROM files WHERE job_id = ?1 AND input = ?2
                """
            ).forEachRow([
                .text(jobID), .text(input), .text(FileStatus.loaded.rawValue), .text(FileStatus.rejected.rawValue),
                .text(FileStatus.quarantined.rawValue),
            ]) { r in
                c.files = Int(r.int(0))
                c.loaded = Int(r.int(1))
                c.records = Int(r.int(2))
                c.rejected = Int(r.int(3))
                c.quarantined = Int(r.int(4))
            }
            try database.prepare(
                """
                SELECT COUNT(*) FROM errors e
                WHERE e.job_id = ?1 AND e.input = ?2
                  AND EXISTS (SELECT 1 FROM files f WHERE f.job_id = e.job_id AND f.input = e.input AND f.path = e.entry AND f.status = ?3)
                """
            ).forEachRow([.text(jobID), .text(input), .text(FileStatus.loaded.rawValue)]) { r in c.rejectedRecords = Int(r.int(0)) }
        }
        return c
    }
}
