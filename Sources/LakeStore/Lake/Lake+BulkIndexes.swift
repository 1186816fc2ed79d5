import LakeCore

/// A first load builds the indexes `records_id` and `records_content_hash` after its rows
/// instead of moving them row by row: their keys are random, so each insert touched another
/// page of them, read from the file once the index outgrew the page cache (at 10 million rows,
/// four fifths of an insert's time). The other secondary indexes grow at their right-hand edge
/// and cost little; rebuilding one costs a pass over every record, so they stay. Nothing reads
/// the deferred indexes while a job loads; the duplicate stage does, so the job builds them
/// first.
///
/// `records_id` is what makes an insert skip an id the lake holds. A first load cannot meet
/// one, except by reading a file a second time: a record id is a digest of its input's SHA-256,
/// its path, its index in the file, its user and its content, so two files with a different
/// input SHA-256 or path never share one, and one file's elements have different indexes. So
/// each inserter claims the files it stores rows of (`FirstLoadSources`); the first row of a
/// file another inserter claimed (the same input given twice, or two entries of one archive
/// with one name) builds `records_id` in the open transaction, and from then on the load skips
/// known ids as any other does.
///
/// A load that stops half way (paused, failed, killed) leaves them missing; every writer builds
/// what is missing when it starts (`buildRecordIndexes`), and readers meanwhile get the same
/// answers, more slowly.
extension Lake {
    /// The deferred indexes as `sqlite_master` holds them (what the migrations create;
    /// `LakeSchemaTests` holds the two to each other). `records_id` first.
    public static let deferredRecordIndexes: [(name: String, sql: String)] = [
        ("records_id", "CREATE UNIQUE INDEX records_id ON records(id)"),
        ("records_content_hash", "CREATE INDEX records_content_hash ON records(content_hash)"),
    ]

    /// The index on `record_texts`' text hashes as `sqlite_master` holds it: built after the
    /// rows when the duplicate stage fills an empty table (`RecordTextWriter.finish`).
    public static let recordTextsIndex = (
        name: "record_texts_hash", sql: "CREATE INDEX record_texts_hash ON record_texts(text_hash) WHERE text_hash IS NOT NULL"
    )

    /// Drops the deferred indexes when the lake holds no record (hot or in a partition): the
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
        if empty { firstLoad = FirstLoadSources() }
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
        if !missing.isEmpty { try sortingForIndexes { try inTransaction { for index in missing { try create(index) } } } }
        firstLoad = nil
        return missing.count
    }

    /// `body` (building indexes) with a 2 MiB page cache and two sorter threads, then the
    /// lake's own settings again. SQLite sorts an index's keys in runs of at most the page
    /// cache's size and merges them: runs of 2 MiB sort within the processor's caches and are
    /// merged by a second thread, where one 32 MiB run did neither. Building `records_id` and
    /// `records_content_hash` over 1.3 million records took 2.8 s as one run and 1.4 s this way
    /// (docs/BENCHMARKS-AFTER-LOADING.md).
    func sortingForIndexes<T>(_ body: () throws -> T) throws -> T {
        try wrap { try database.execute("PRAGMA cache_size=\(Self.sortingCacheSize); PRAGMA threads=2;") }
        defer { try? database.execute("PRAGMA cache_size=\(Self.cacheSize); PRAGMA threads=0;") }
        return try body()
    }

    /// `records_id` built in the open transaction, for an inserter about to read a file a
    /// second time; the rest of the load skips ids the lake holds.
    func buildIDIndex() throws {
        try create(Self.deferredRecordIndexes[0])
        firstLoad = nil
    }

    /// Creates a deferred index. Should rows share an id all the same (no path of this version
    /// stores one twice; a lake is repaired rather than left unopenable by every writer), the
    /// first stored of each stays: same id, same file, index, user and content.
    private func create(_ index: (name: String, sql: String)) throws {
        do {
            try database.execute(index.sql)
        } catch let e as SQLiteError where e.code.primary == .constraint && index.name == "records_id" {
            try database.execute(
                """
                DELETE FROM records WHERE rowid IN (SELECT rowid FROM (
                  SELECT rowid, row_number() OVER (PARTITION BY id ORDER BY rowid) AS n FROM records) WHERE n > 1)
                """)
            try database.execute(index.sql)
        }
    }
}

/// The files a first load has stored rows of while `records_id` waits, by input SHA-256 and
/// path, each with the inserter that claimed it (`Lake.RecordInserter.number`): one inserter
/// loads one entry.
final class FirstLoadSources {
    private var claims: [[UInt8]: Int] = [:]

    /// Claims `source`'s file for `inserter`; false when another inserter claimed it first.
    func claim(_ source: RecordRow.Source, by inserter: Int) -> Bool {
        var key = Array(source.inputSHA256.utf8)
        key.append(0)
        key.append(contentsOf: source.path.utf8)
        if let owner = claims[key] { return owner == inserter }
        claims[key] = inserter
        return true
    }
}
