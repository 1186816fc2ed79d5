import LakeCore

extension LakeSchema {
    /// Migration 11: compact records (`RecordRow`). Each record's repeated parts move to
    /// `record_sources`, `record_kinds` and `record_owners`; its row keeps what varies. Every
    /// stored line is read back, split and checked: one the template does not rebuild byte for
    /// byte keeps its whole line. The near-duplicate text hashes are cleared (the next job
    /// hashes every text record again, by the new ids).
    static let compactRecords = Migration(
        version: 11, summary: "compact records: sources, kinds and owners stored once; rows keep what varies",
        sql: """
            ALTER TABLE records RENAME TO records_v10;
            DROP INDEX IF EXISTS records_order;
            DROP INDEX IF EXISTS records_user;
            DROP INDEX IF EXISTS records_content_hash;
            CREATE TABLE record_sources(
                ref INTEGER PRIMARY KEY, job_id TEXT NOT NULL, input TEXT NOT NULL, input_sha256 TEXT NOT NULL, path TEXT NOT NULL);
            CREATE TABLE record_kinds(
                ref INTEGER PRIMARY KEY, export_kind TEXT NOT NULL, record_kind TEXT NOT NULL, category TEXT NOT NULL, data_class TEXT,
                lineage TEXT NOT NULL);
            CREATE TABLE record_owners(ref INTEGER PRIMARY KEY, user TEXT NOT NULL, shards TEXT NOT NULL);
            CREATE TABLE records(
                id BLOB NOT NULL, source INTEGER NOT NULL, idx INTEGER NOT NULL, kind INTEGER NOT NULL, owner INTEGER NOT NULL,
                occurred_at, content_hash NOT NULL, data TEXT NOT NULL, language TEXT, entities TEXT, pii TEXT, relationships TEXT,
                source_offset TEXT, checksum INTEGER NOT NULL, line BLOB);
            """,
        transform: { db in
            let refs = RecordRefs(shaping: false, listing: false)
            let insert = try db.prepare(RecordStorage.insertSQL)
            try db.prepare("SELECT canonical, job_id, checksum FROM records_v10 ORDER BY rowid").forEachRow { r in
                var row = try RecordRow(line: r.bytes(0))
                // A line already damaged stays detectable: its old checksum is kept.
                if !r.isNull(2) { row.checksum = UInt64(bitPattern: r.int(2)) }
                try RecordStorage.insert(Lake.HeldRow(row), jobID: r.text(1) ?? "", refs: refs, db, with: insert, archived: nil)
            }
            try db.execute(
                """
                DROP TABLE records_v10;
                CREATE UNIQUE INDEX records_id ON records(id);
                CREATE INDEX records_order ON records(source, idx);
                CREATE INDEX records_owner ON records(owner);
                CREATE INDEX records_content_hash ON records(content_hash);
                DELETE FROM record_texts;
                DELETE FROM text_bands;
                """)
        }, vacuum: true)
}
