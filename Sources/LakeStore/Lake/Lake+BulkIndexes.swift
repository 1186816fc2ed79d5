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
    public static let deferredRecordIndexes: [(name: String, sql: String)] = [
        ("records_content_hash", "CREATE INDEX records_content_hash ON records(content_hash)")
    ]

    /// The index on `record_texts`' text hashes as `sqlite_master` holds it: built after the
    /// rows when the duplicate stage fills an empty table (`RecordTextWriter.finish`).
    public static let recordTextsIndex = (
        name: "record_texts_hash", sql: "CREATE INDEX record_texts_hash ON record_texts(text_hash) WHERE text_hash IS NOT NULL"
    )

    /// Drops the deferred index when the lake holds no record (hot or in a partition): the
    /// start of a first load. True when it dropped them.
    public func deferRecordIndexesIfEmpty() throws -> Bool {
        var empty = false
        try inTransaction {
            try database.prepare("SELECT NOT EXISTS (SELECT 1 FROM records) AND NOT EXISTS (SELECT 1 FROM partitions)").forEachRow {
                empty = $0.int(0) == 1
            }
            guard empty else { return }
            for index in Self.deferredRecordIndexes { try database.execute("DROP INDEX IF EXISTS \(index.name)") }
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
        let missing = Self.deferredRecordIndexes.filter { !present.contains($0.name) }
        guard !missing.isEmpty else { return 0 }
        try inTransaction { for index in missing { try database.execute(index.sql) } }
        return missing.count
    }
}
