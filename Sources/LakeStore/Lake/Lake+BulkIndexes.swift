import LakeCore

/// A first load builds the indexes `records_content_hash` and `records_time` after its rows
/// instead of moving them row by row: the keys of the one are random, and those of the other
/// follow the export's order of times, which may be none (a generated Twitter archive's
/// tweets), so each insert touched another page, read from the file once the index outgrew
/// the page cache and written to the WAL again at every commit (at 10 million rows, most of an
/// insert's time; on 5.9 million tweets, 59 GB written with `records_time` kept, 17 GB
/// deferred). `records_order` and `records_kind` grow at their right-hand edge and cost
/// little; rebuilding one costs a pass over every record, so they stay. Nothing reads the
/// deferred indexes while a job loads; the duplicate stage and the tiers do, so the job builds
/// them first.
///
/// A lake keeps no index on record ids (from schema 37; `records_id` took 18.8 MB of the 256 MB
/// Takeout zip's 294 MB catalog, and a random page of it moved with every insert). An insert
/// skips an id the lake holds only when it could hold it: a record id is a digest of its
/// input's SHA-256, its path, its index in the file, its user and its content, so two files
/// with a different input SHA-256 or path never share one, and one file's elements have
/// different indexes. So each inserter claims the files it stores rows of (`FileClaims`), and
/// the files the lake held rows of when the load began are claimed already; the first row of a
/// file claimed before (the same export ingested again, the same input given twice, two
/// entries of one archive with one name, a paused job resumed) builds `records_id` in the open
/// transaction, and from then on the load skips known ids through it. The load's end drops it
/// again (`buildRecordIndexes`).
///
/// A load that stops half way (paused, failed, killed) may leave the content-hash index
/// missing and the id index present; every writer builds and drops what it must when it starts
/// (`buildRecordIndexes`), and readers meanwhile get the same answers, more slowly.
extension Lake {
    /// The deferred indexes as `sqlite_master` holds them (what the migrations create;
    /// `LakeSchemaTests` holds the two to each other).
    public static let deferredRecordIndexes: [(name: String, sql: String)] = [
        ("records_content_hash", "CREATE INDEX records_content_hash ON records(content_hash)"),
        ("records_time", "CREATE INDEX records_time ON records(occurred_at)"),
    ]

    /// The index on record ids a load builds when it reads a file the lake may hold rows of, and
    /// drops when it ends.
    public static let idIndex = (name: "records_id", sql: "CREATE UNIQUE INDEX records_id ON records(id)")

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
        return empty
    }

    /// The deferred indexes that are missing, built, and the id index a load built dropped (in
    /// one transaction); nothing when all is as it should be. Returns how many it built.
    @discardableResult
    public func buildRecordIndexes() throws -> Int {
        let present = try recordIndexNames()
        let missing = Self.deferredRecordIndexes.filter { !present.contains($0.name) }
        let drop = present.contains(Self.idIndex.name)
        if !missing.isEmpty || drop {
            try sortingForIndexes {
                try inTransaction {
                    if drop { try dropIDIndex() }
                    for index in missing { try create(index) }
                }
            }
        }
        claims = .unknown
        return missing.count
    }

    /// The names of the indexes on `records`.
    func recordIndexNames() throws -> Set<String> {
        var present = Set<String>()
        try wrap {
            try database.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'").forEachRow {
                present.insert($0.text(0) ?? "")
            }
        }
        return present
    }

    /// The files claimed for a load (`FileClaims`), those the lake holds rows of claimed first,
    /// made when first asked for; nil while `records_id` is in place.
    func fileClaims() throws -> FileClaims? {
        switch claims {
        case .claims(let c): return c
        case .indexed: return nil
        case .unknown:
            guard try !recordIndexNames().contains(Self.idIndex.name) else {
                claims = .indexed
                return nil
            }
            let made = FileClaims()
            try wrap {
                try database.prepare("SELECT DISTINCT input_sha256, path FROM record_sources").forEachRow {
                    made.claimForLake(sha256: $0.bytes(0), path: $0.bytes(1))
                }
            }
            claims = .claims(made)
            return made
        }
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

    /// `records_id` built in the open transaction, for an inserter about to read a file the
    /// lake may hold rows of; the rest of the load skips ids the lake holds.
    func buildIDIndex() throws {
        try create(Self.idIndex)
        claims = .indexed
    }

    /// `records_id` dropped, in the open transaction; the next load claims its files again.
    func dropIDIndex() throws {
        try database.execute("DROP INDEX IF EXISTS \(Self.idIndex.name)")
        claims = .unknown
    }

    /// Creates an index. Should rows share an id as `records_id` is built (no path of this
    /// version stores one twice; a lake is repaired rather than left unloadable), the first
    /// stored of each stays: same id, same file, index, user and content.
    private func create(_ index: (name: String, sql: String)) throws {
        do {
            try database.execute(index.sql)
        } catch let e as SQLiteError where e.code.primary == .constraint && index.name == Self.idIndex.name {
            try database.execute(
                """
                DELETE FROM records WHERE rowid IN (SELECT rowid FROM (
                  SELECT rowid, row_number() OVER (PARTITION BY id ORDER BY rowid) AS n FROM records) WHERE n > 1)
                """)
            try database.execute(index.sql)
        }
    }
}

/// The files a load without `records_id` has stored rows of, and those the lake held rows of
/// when it began, by input SHA-256 and path. An inserter loads one entry, in index order: it
/// claims a file once, at its first row.
final class FileClaims {
    /// What a lake knows of its loads' claims: nothing yet, that `records_id` is in place (no
    /// claims needed), or the claims.
    enum State {
        case unknown, indexed
        case claims(FileClaims)
    }

    private var claimed: Set<[UInt8]> = []

    private static func key(_ sha256: some Collection<UInt8>, _ path: some Collection<UInt8>) -> [UInt8] {
        var key = Array(sha256)
        key.append(0)
        key.append(contentsOf: path)
        return key
    }

    func claimForLake(sha256: [UInt8], path: [UInt8]) { claimed.insert(Self.key(sha256, path)) }

    /// Claims `source`'s file; false when it was claimed before (by the lake, another inserter
    /// or the same one coming back to it): the file is read again.
    func claim(_ source: RecordRow.Source) -> Bool { claimed.insert(Self.key(source.inputSHA256.utf8, source.path.utf8)).inserted }
}
