import Foundation
import LakeCore

/// Erasure of one user (docs/SPEC.md 7, "Erase"): their records, and everything of the jobs
/// that were theirs — a job whose `--user` was them, or whose every stored record is theirs —
/// with the references, text hashes and duplicate links that pointed at what went. Deleted
/// content is overwritten (`PRAGMA secure_delete`, on for every lake connection), and the
/// caller vacuums and truncates the log once the transaction is committed.
extension Lake {
    public struct EraseCounts: Equatable, Sendable {
        public var records = 0
        public var jobs = 0
        public var files = 0
        public var findings = 0
        public var errors = 0
        public var quarantined = 0
        /// The quarantined files' SHA-256 no other job still holds: their bytes go from `quarantine/`.
        public var quarantineFiles: [String] = []
        /// The input names of the erased jobs (their staging leftovers go).
        public var inputs: [String] = []
        public init() {}

        public var counts: [(String, Int)] {
            [
                ("errors", errors), ("files", files), ("findings", findings), ("jobs", jobs), ("quarantined", quarantined),
                ("records", records),
            ]
        }
    }

    /// Removes `user`'s rows, inside the caller's transaction.
    public func eraseRows(user: String) throws -> EraseCounts {
        var c = EraseCounts()
        try wrap {
            let u: [SQLiteValue] = [.text(user)]
            try database.execute(
                """
                CREATE TEMP TABLE IF NOT EXISTS erase_jobs(job_id TEXT PRIMARY KEY);
                DELETE FROM erase_jobs;
                """)
            try database.prepare(
                """
                INSERT OR IGNORE INTO erase_jobs
                SELECT job_id FROM jobs WHERE json_extract(configuration, '$.user') = ?1
                UNION
                SELECT s.job_id FROM record_sources s
                JOIN (SELECT source, owner FROM records UNION ALL SELECT source, owner FROM record_sightings) r ON r.source = s.ref
                JOIN record_owners o ON o.ref = r.owner
                GROUP BY s.job_id HAVING min(o.user = ?1) = 1
                """
            ).run(u)
            try database.prepare("SELECT DISTINCT input FROM files WHERE job_id IN (SELECT job_id FROM erase_jobs) ORDER BY input")
                .forEachRow { c.inputs.append($0.text(0) ?? "") }
            try database.prepare(
                """
                SELECT DISTINCT sha256 FROM quarantine WHERE job_id IN (SELECT job_id FROM erase_jobs)
                EXCEPT SELECT sha256 FROM quarantine WHERE job_id NOT IN (SELECT job_id FROM erase_jobs) ORDER BY 1
                """
            ).forEachRow { c.quarantineFiles.append($0.text(0) ?? "") }
            func delete(_ sql: String, _ values: [SQLiteValue] = []) throws -> Int {
                try database.prepare(sql).run(values)
                return database.changes
            }
            // The erased records' own duplicate links; links of others that pointed at them stay
            // until the duplicate stage moves them (their lines name the target).
            _ = try delete(
                """
                DELETE FROM record_duplicates WHERE record_id IN (
                  SELECT CASE typeof(id) WHEN 'blob' THEN lower(hex(id)) ELSE id END FROM records
                  WHERE owner IN (SELECT ref FROM record_owners WHERE user = ?))
                """, u)
            c.records = try delete("DELETE FROM records WHERE owner IN (SELECT ref FROM record_owners WHERE user = ?)", u)
            c.records += try delete("DELETE FROM record_sightings WHERE owner IN (SELECT ref FROM record_owners WHERE user = ?)", u)
            let ofJobs = "WHERE job_id IN (SELECT job_id FROM erase_jobs)"
            c.files = try delete("DELETE FROM files \(ofJobs)")
            c.errors = try delete("DELETE FROM errors \(ofJobs)")
            c.findings = try delete("DELETE FROM findings \(ofJobs)")
            c.quarantined = try delete("DELETE FROM quarantine \(ofJobs)")
            for table in ["chunks", "checkpoints"] { _ = try delete("DELETE FROM \(table) \(ofJobs)") }
            c.jobs = try delete("DELETE FROM jobs \(ofJobs)")
            // What pointed at the records that went, and references no record uses any more.
            try database.execute(
                """
                DELETE FROM record_owners WHERE ref NOT IN (SELECT owner FROM records UNION SELECT owner FROM record_sightings);
                DELETE FROM record_sources WHERE ref NOT IN (SELECT source FROM records UNION SELECT source FROM record_sightings);
                DELETE FROM record_kinds WHERE ref NOT IN (SELECT kind FROM records);
                \(Self.forgetUnusedSignaturesSQL)
                DELETE FROM erase_jobs;
                """)
            _ = try delete("DELETE FROM record_owners WHERE user = ?", u)
            // Warm and cold partitions holding the user's records are written again without them.
            for p in try partitions() {
                let tier = PartitionFiles.Tier(rawValue: p.tier) ?? .warm
                let cursor = try FileCursor(tier: tier, path: partitionsFolder + "/" + p.file)
                var holds = false
                while !holds, let r = try cursor.next() { holds = r.owner.user.utf8.elementsEqual(user.utf8) }
                guard holds else { continue }
                c.records += try rewrite(
                    p.name, to: tier, includingHot: false, existing: p, dropping: { $0.owner.user.utf8.elementsEqual(user.utf8) },
                    inCallersTransaction: true
                )
                .dropped
            }
        }
        refs.reset()
        return c
    }

    /// After an erase or archive is committed: the file rewritten without free pages, the log
    /// emptied, so no deleted byte stays in the lake folder (`Lake.vacuum`: the text rows stay
    /// while the records keep their rowids).
    public func compact() throws { try wrap { try Self.vacuum(database, checkpoints: true) } }
}
