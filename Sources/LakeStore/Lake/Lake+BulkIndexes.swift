import LakeCore

/// A first load builds the index `records_content_hash` after its rows instead of moving it row
/// by row: its keys are random, so into an empty lake each insert touched another page of it
/// (the other secondary indexes grow at their right-hand edge and cost little; rebuilding one
/// costs a pass over every record, so they stay). `records_id` stays in any case: the
/// inserter's `INSERT OR IGNORE` relies on it. Nothing reads the deferred index while a job
/// loads; the duplicate stage does, so the job builds it first.
///
/// A load that stops half way (paused, failed, killed) leaves it missing; every writer builds
/// what is missing when it starts (`buildRecordIndexes`), and readers meanwhile get the same
/// answers, more slowly.
extension Lake {
    /// The deferred indexes as `sqlite_master` holds them (what the migrations create;
    /// `LakeSchemaTests` holds the two to each other).
    public static let deferredRecordIndexes = [
        "CREATE INDEX records_content_hash ON records(content_hash)"
    ]

    private static func indexName(_ sql: String) -> String {
        String(sql.split(separator: " ")[2])
    }

    /// Drops the deferred index when the lake holds no record (hot or in a partition): the
    /// start of a first load. True when it dropped them.
    public func deferRecordIndexesIfEmpty() throws -> Bool {
        var empty = false
        try inTransaction {
            try database.prepare("SELECT NOT EXISTS (SELECT 1 FROM records) AND NOT EXISTS (SELECT 1 FROM partitions)").forEachRow {
                empty = $0.int(0) == 1
            }
            guard empty else { return }
            for sql in Self.deferredRecordIndexes { try database.execute("DROP INDEX IF EXISTS \(Self.indexName(sql))") }
        }
        return empty
    }

    /// The deferred indexes that are missing, built (in one transaction); nothing when all are
    /// there. Returns how many it built.
    @discardableResult
    public func buildRecordIndexes() throws -> Int {
        var present = Set<String>()
        try wrap {
            try database.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'").forEachRow {
                present.insert($0.text(0) ?? "")
            }
        }
        let missing = Self.deferredRecordIndexes.filter { !present.contains(Self.indexName($0)) }
        guard !missing.isEmpty else { return 0 }
        try inTransaction { for sql in missing { try database.execute(sql) } }
        return missing.count
    }
}
