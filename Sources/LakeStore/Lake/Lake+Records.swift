import Foundation
import LakeCore

extension Lake {
    // MARK: - Records

    /// Prepared-statement inserter for one batch; use inside `database.inTransaction`.
    public final class RecordInserter {
        let statement: SQLiteStatement
        let jobID: String
        public private(set) var inserted = 0

        init(lake: Lake, jobID: String) throws {
            statement = try lake.database.prepare(
                """
                INSERT OR IGNORE INTO records(id, job_id, input, input_sha256, path, idx, user, occurred_at, partition,
                  export_kind, record_kind, content_hash, canonical, checksum)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            self.jobID = jobID
        }

        public func insert(_ r: LakeRecord) throws { try insert(r, canonical: r.canonicalLine()) }

        /// Inserts `r` with its canonical line already encoded (workers encode, the committer inserts).
        public func insert(_ r: LakeRecord, canonical: [UInt8]) throws {
            try statement.run([
                .text(r.id), .text(jobID), .text(r.source.input), .text(r.source.inputSHA256), .text(r.source.path),
                .integer(Int64(r.source.index)), .text(r.user), r.occurredAt.map { .text($0) } ?? .null, .text(r.partition),
                .text(r.exportKind), .text(r.recordKind), .text(r.contentHash), .blob(canonical),
                .integer(Int64(bitPattern: XXH64.hash(canonical))),
            ])
            inserted += 1
        }
    }

    /// A prepared inserter for records of `jobID`.
    public func recordInserter(jobID: String) throws -> RecordInserter {
        do { return try RecordInserter(lake: self, jobID: jobID) } catch let e as SQLiteError { throw e.lakeError }
    }

    /// Calls `line` with each record's canonical JSON in export order: by input name, input
    /// SHA-256, path inside the input (all by bytes), index, then record id (two entries of one
    /// archive may share a name). `user` filters to one user.
    /// - Throws: `lake.corrupt` at the first record whose bytes no longer match the checksum
    ///   stored with them (records of lakes before version 6 have none).
    public func export(user: String? = nil, _ line: ([UInt8]) throws -> Void) throws {
        let sql =
            "SELECT canonical, checksum, id FROM records" + (user == nil ? "" : " WHERE user = ?")
            + " ORDER BY input, input_sha256, path, idx, id"
        try wrap {
            try database.prepare(sql).forEachRow(user.map { [.text($0)] } ?? []) { row in
                let bytes = row.bytes(0)
                if !row.isNull(1), Int64(bitPattern: XXH64.hash(bytes)) != row.int(1) {
                    throw LakeError(
                        .lakeCorrupt, scope: .input, input: directory,
                        message: "record \(row.text(2) ?? "?") no longer matches its checksum: the catalog was damaged")
                }
                try line(bytes)
            }
        }
    }

    /// Number of records in the lake.
    public func recordCount() throws -> Int {
        var n = 0
        try wrap { try database.prepare("SELECT count(*) FROM records").forEachRow { n = Int($0.int(0)) } }
        return n
    }
}
