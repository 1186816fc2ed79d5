import LakeCore

/// The catalog's schema as numbered migrations, in the manner of GRDB's `DatabaseMigrator`:
/// a lake stores the number of the last one applied in `PRAGMA user_version`, and opening it
/// writable applies every later one, in order, in one transaction. A migration is never
/// edited once released; a change to the schema is a new migration at the end of the list.
/// `LakeSchemaTests` opens a catalog committed at each older version and checks it ends as a
/// new lake does, with its rows kept.
enum LakeSchema {
    struct Migration {
        let version: Int
        /// What it changed, as SPEC's history of the lake lists it.
        let summary: String
        let sql: String
        /// Work SQL cannot do (rows rewritten by Swift code), run after `sql` in the same transaction.
        var transform: (@Sendable (SQLiteDatabase) throws -> Void)? = nil
        /// The file is vacuumed after the commit: the migration freed most of its pages.
        var vacuum = false
    }

    static let migrations: [Migration] = [
        Migration(
            version: 1, summary: "jobs, files, errors and records",
            sql: """
                CREATE TABLE IF NOT EXISTS jobs(
                    job_id TEXT PRIMARY KEY, state TEXT NOT NULL, inputs TEXT NOT NULL,
                    configuration TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                    files INTEGER NOT NULL DEFAULT 0, records INTEGER NOT NULL DEFAULT 0,
                    rejected INTEGER NOT NULL DEFAULT 0, message TEXT);
                CREATE TABLE IF NOT EXISTS files(
                    job_id TEXT NOT NULL, input TEXT NOT NULL, entry_index INTEGER NOT NULL, path TEXT NOT NULL,
                    kind TEXT NOT NULL, size INTEGER, sha256 TEXT, xxh64 TEXT, mime_type TEXT, format TEXT,
                    encoding TEXT, encoding_confidence REAL, mismatch TEXT, modified INTEGER, permissions INTEGER,
                    status TEXT NOT NULL, records INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY(job_id, input, entry_index));
                CREATE TABLE IF NOT EXISTS errors(
                    job_id TEXT NOT NULL, input TEXT, entry TEXT, rule TEXT NOT NULL, scope TEXT NOT NULL,
                    location TEXT, message TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS records(
                    id TEXT PRIMARY KEY, job_id TEXT NOT NULL, input TEXT NOT NULL, input_sha256 TEXT NOT NULL,
                    path TEXT NOT NULL, idx INTEGER NOT NULL, user TEXT NOT NULL, occurred_at TEXT,
                    partition TEXT NOT NULL, export_kind TEXT NOT NULL, record_kind TEXT NOT NULL,
                    content_hash TEXT NOT NULL, canonical BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS records_order ON records(input, input_sha256, path, idx);
                CREATE INDEX IF NOT EXISTS records_user ON records(user);
                """),
        Migration(
            version: 2, summary: "checkpoints and chunk metrics (ingest in chunks, resume)",
            sql: """
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
                """),
        Migration(
            version: 3, summary: "jobs.priority (the job queue)",
            sql: "ALTER TABLE jobs ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';"),
        Migration(
            version: 4, summary: "files.mojibake and files.metadata (detection and content metadata)",
            sql: "ALTER TABLE files ADD COLUMN mojibake INTEGER; ALTER TABLE files ADD COLUMN metadata TEXT;"),
        Migration(
            version: 5, summary: "findings (measured past a design threshold; nothing refused)",
            sql: """
                CREATE TABLE IF NOT EXISTS findings(
                    job_id TEXT NOT NULL, input TEXT NOT NULL, entry TEXT, rule TEXT NOT NULL, count INTEGER NOT NULL,
                    measured INTEGER NOT NULL, threshold INTEGER NOT NULL, location TEXT);
                """),
        Migration(
            version: 6, summary: "records.checksum (XXH64 of the canonical line, verified on export)",
            sql: "ALTER TABLE records ADD COLUMN checksum INTEGER;"),
        Migration(
            version: 7, summary: "quarantine (files the security scan matched, kept in quarantine/)",
            sql: """
                CREATE TABLE IF NOT EXISTS quarantine(
                    sha256 TEXT NOT NULL, job_id TEXT NOT NULL, input TEXT NOT NULL, entry_index INTEGER NOT NULL, path TEXT NOT NULL,
                    size INTEGER NOT NULL, xxh64 TEXT NOT NULL, engine TEXT NOT NULL, rules TEXT NOT NULL, quarantined_at TEXT NOT NULL,
                    released_at TEXT, released_to TEXT,
                    PRIMARY KEY(job_id, input, entry_index));
                """),
        Migration(
            version: 8, summary: "content validation counts per chunk (records with PII, findings by type, data classes)",
            sql: """
                ALTER TABLE chunks ADD COLUMN pii_records INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE chunks ADD COLUMN pii_findings TEXT NOT NULL DEFAULT '{}';
                ALTER TABLE chunks ADD COLUMN data_classes TEXT NOT NULL DEFAULT '{}';
                """),
        Migration(
            version: 9, summary: "duplicates: records by content hash and near text, files by their bytes",
            sql: """
                CREATE INDEX IF NOT EXISTS records_content_hash ON records(content_hash);
                CREATE TABLE IF NOT EXISTS record_duplicates(
                    record_id TEXT PRIMARY KEY, duplicate_of TEXT NOT NULL, similarity TEXT NOT NULL, method TEXT NOT NULL);
                ALTER TABLE files ADD COLUMN duplicate_of TEXT;
                """),
        Migration(
            version: 10, summary: "near duplicates: each text record's normalized text hash, and the texts' MinHash band keys",
            sql: """
                CREATE TABLE IF NOT EXISTS record_texts(record_id TEXT PRIMARY KEY, text_hash INTEGER) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS record_texts_hash ON record_texts(text_hash) WHERE text_hash IS NOT NULL;
                CREATE TABLE IF NOT EXISTS text_bands(
                    band_key INTEGER NOT NULL, text_hash INTEGER NOT NULL, PRIMARY KEY(band_key, text_hash)) WITHOUT ROWID;
                """),
        compactRecords,
        Migration(
            version: 12, summary: "views: lake_records and one per record kind (LakeViews), for any SQLite tool",
            sql: LakeViews.sql),
        Migration(
            version: 13, summary: "audit: one row per command that changed the lake, append-only",
            sql: """
                CREATE TABLE audit(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, command TEXT NOT NULL,
                    job_id TEXT, subject TEXT, counts TEXT NOT NULL);
                CREATE TRIGGER audit_never_updated BEFORE UPDATE ON audit
                  BEGIN SELECT RAISE(ABORT, 'audit rows are never changed'); END;
                CREATE TRIGGER audit_never_deleted BEFORE DELETE ON audit
                  BEGIN SELECT RAISE(ABORT, 'audit rows are never deleted'); END;
                """),
        Migration(
            version: 14, summary: "tiers: partitions (warm and cold files), archived_ids, records_time",
            sql: """
                CREATE TABLE partitions(
                    name TEXT PRIMARY KEY, tier TEXT NOT NULL, file TEXT NOT NULL, records INTEGER NOT NULL, bytes INTEGER NOT NULL,
                    raw_sha256 TEXT NOT NULL, file_sha256 TEXT NOT NULL, generation INTEGER NOT NULL, archived_at TEXT NOT NULL);
                CREATE TABLE archived_ids(id BLOB PRIMARY KEY) WITHOUT ROWID;
                CREATE TRIGGER records_not_archived BEFORE INSERT ON records
                  WHEN EXISTS (SELECT 1 FROM archived_ids WHERE id = NEW.id) BEGIN SELECT RAISE(IGNORE); END;
                CREATE INDEX records_time ON records(occurred_at);
                """),
        Migration(
            version: 15, summary: "settings: the lake's own shard count (after rebalance)",
            sql: "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"),
        Migration(
            version: 16, summary: "record_sightings: records merged into the same record of an earlier export",
            sql: """
                CREATE TABLE record_sightings(
                    id BLOB PRIMARY KEY, survivor BLOB NOT NULL, source INTEGER NOT NULL, idx INTEGER NOT NULL,
                    content_hash INTEGER NOT NULL, owner INTEGER NOT NULL) WITHOUT ROWID;
                CREATE INDEX record_sightings_survivor ON record_sightings(survivor);
                CREATE INDEX record_sightings_hash ON record_sightings(content_hash);
                \(LakeViews.sightingsView)
                """),
        Migration(
            version: 17, summary: "archived_ids.content_hash (archived records take part in merging)",
            sql: """
                ALTER TABLE archived_ids ADD COLUMN content_hash INTEGER;
                CREATE INDEX archived_ids_hash ON archived_ids(content_hash) WHERE content_hash IS NOT NULL;
                """),
        Migration(
            version: 18, summary: "records_kind (the duplicate stage reads text records through it, not the whole table)",
            sql: "CREATE INDEX records_kind ON records(kind);"),
        Migration(
            version: 19,
            summary: "no records_not_archived trigger: inserts skip archived ids themselves, and only when the lake has any",
            sql: "DROP TRIGGER IF EXISTS records_not_archived;"),
        Migration(
            version: 20,
            summary: "settings.texts_hashed_through: the duplicate stage looks for unhashed text records above it only",
            sql: """
                CREATE TRIGGER records_deleted_text_mark AFTER DELETE ON records
                  WHEN (SELECT coalesce(max(rowid), 0) FROM records)
                    < (SELECT CAST(value AS INTEGER) FROM settings WHERE key = '\(Lake.textMarkKey)')
                  BEGIN UPDATE settings SET value = CAST((SELECT coalesce(max(rowid), 0) FROM records) AS TEXT)
                    WHERE key = '\(Lake.textMarkKey)'; END;
                """),
        Migration(
            version: 21,
            summary: "text_signatures: a text's band keys in one row, not one row per key (the next job hashes every text again)",
            sql: """
                DROP TABLE text_bands;
                CREATE TABLE text_signatures(text_hash INTEGER PRIMARY KEY, bands BLOB NOT NULL);
                DELETE FROM record_texts;
                \(Lake.forgetTextMarkSQL)
                """),
        Migration(
            version: 22,
            summary: "record_texts.source and idx: a text row's place in export order, so texts are ordered without their records",
            sql: """
                ALTER TABLE record_texts ADD COLUMN source INTEGER;
                ALTER TABLE record_texts ADD COLUMN idx INTEGER;
                UPDATE record_texts SET (source, idx) = (SELECT r.source, r.idx FROM records r WHERE r.id = record_texts.record_id);
                """),
        Migration(
            version: 23,
            summary: "annotations without member names (CompactAnnotations); lake_records rebuilds them; older rows read as they are",
            sql: LakeViews.sql),
        Migration(
            version: 24,
            summary:
                "entities' kinds, methods and values from data stored as numbers (CompactAnnotations.compactEntities); lake_records reads them",
            sql: LakeViews.sql),
        Migration(
            version: 25,
            summary: "source_offset stored as minutes (StoredOffset); lake_records spells them; older rows read as they are",
            sql: LakeViews.sql),
        shortBandKeys,
        Migration(
            version: 27, summary: "entity values inside data stored as paths (CompactAnnotations.path); lake_records follows them",
            sql: LakeViews.sql),
        Migration(
            version: 28,
            summary: "languages' and relationships' methods, types, codes and targets stored coded (CompactCodes); lake_records reads them",
            sql: LakeViews.sql),
        Migration(
            version: 29,
            summary: "record_kinds.keys: the member names a kind's rows store data without (CompactData); older rows read as they are",
            sql: "ALTER TABLE record_kinds ADD COLUMN keys TEXT;"),
        Migration(
            version: 30, summary: "views read data stored without member names (lake_records gives them back, the kinds' views find them)",
            sql: LakeViews.sql),
        Migration(
            version: 31,
            summary: "members derived from the record's time or its E7 point stored as 0 (CompactData.Rule); the views make them again",
            sql: LakeViews.sql),
        Migration(
            version: 32, summary: "no records_owner: erase, export --user and rebalance pass over the records once instead",
            sql: "DROP INDEX IF EXISTS records_owner;"),
        Migration(
            version: 33,
            summary: "members whose values come from a short list fixed in the kind (CompactData.Rule.fixed); the views read them there",
            sql: LakeViews.sql),
        Migration(
            version: 34,
            summary:
                "PII findings' fields and built-in types stored coded (CompactCodes); lake_records reads them; older rows read as they are",
            sql: LakeViews.sql),
        Migration(
            version: 35,
            summary: "records.checksum holds the top 31 bits of the XXH64 (4 bytes a row, not 8); rows written before keep theirs whole",
            sql: "-- Nothing to change: a whole XXH64 is still accepted (RecordStorage.checksumMatches)."),
        Migration(
            version: 36,
            summary: "lake_records spells the numbers of PII findings and relationships as the canonical line does (0.90, not 0.9)",
            sql: LakeViews.sql),
        Migration(
            version: 37,
            summary: "no records_id: a load builds it only to read a file the lake may hold rows of, and drops it when it ends",
            sql: "DROP INDEX IF EXISTS records_id;"),
        rowidTexts,
        Migration(
            version: 39,
            summary:
                "entity values cut from a string of data stored as spans (CompactEntities+Spans); entity lists that name no string and languages stored once (stored_lists, StoredLists); lake_records reads both",
            sql: "CREATE TABLE stored_lists(ref INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);\n" + LakeViews.sql),
    ]

    /// The version a new lake is created at.
    static var version: Int { migrations.last!.version }

    /// The catalog's version (`PRAGMA user_version`; 0 for a new file).
    static func currentVersion(_ database: SQLiteDatabase) throws -> Int {
        var current: Int64 = 0
        try database.prepare("PRAGMA user_version").forEachRow { current = $0.int(0) }
        return Int(current)
    }

    /// Applies the migrations after the catalog's version, up to `target`, in one transaction.
    /// A migration that rewrote every record (`vacuum`: 11) leaves most pages free: the file is
    /// then vacuumed, after the commit. Others leave theirs free for the next rows.
    static func migrate(_ database: SQLiteDatabase, upTo target: Int = version) throws {
        let current = try currentVersion(database)
        let pending = migrations.filter { $0.version > current && $0.version <= target }
        guard !pending.isEmpty else { return }
        try database.inTransaction {
            for (n, m) in pending.enumerated() {
                // The views are (re)created from today's `LakeViews.sql` by each migration that
                // changed them (12, 23, 24, 25, 27, 28, 30, 31, 33, 34, 36, and 39 after a table): the same statements, so a later pending one makes the
                // earlier runs redundant. Each run parses the schema again (about 7,000
                // allocations for a new lake); only the last is run.
                let redundant = m.sql == LakeViews.sql && pending[(n + 1)...].contains { $0.sql.hasSuffix(LakeViews.sql) }
                if !redundant { try database.execute(m.sql) }
                try m.transform?(database)
            }
            try database.execute("PRAGMA user_version = \(pending.last!.version)")
            return .commit
        }
        if current > 0 && pending.contains(where: \.vacuum) {
            try Lake.vacuum(database)
        }
    }
}
