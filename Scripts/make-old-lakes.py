#!/usr/bin/env python3
"""Builds the catalogs of Corpus/lakes/v1..v5: a lake as each older version of datapunk
created it, for LakeSchemaTests (opened by today's datapunk, each must upgrade to the current
schema and keep its rows).

Each version's CREATE statements are the ones datapunk itself ran at that version, copied from
the repository's history (Sources/LakeStore/Lake/Lake.swift, `migrate()`):
  v1 at 647b382^, v2 at 83f58c7^, v3 at dd8ea7b^, v4 at a74b013^, v5 at 365ad23^,
  v6 as LakeSchema's migration 6 left it (records.checksum) before migration 7,
  v7 as migration 7 left it (quarantine) before migration 8; its rows come from v6's catalog
  (`python3 Scripts/make-old-lakes.py Corpus/lakes/v6 Corpus/lakes 7`), so it exports the same bytes;
  v8 (content validation's chunk counts) and v9 (duplicates) likewise, from v7's rows
  (`python3 Scripts/make-old-lakes.py Corpus/lakes/v7 Corpus/lakes 8 9`), and v10 (near-duplicate
  text hashes; the last catalog that stored each record's whole line) from v9's
  (`python3 Scripts/make-old-lakes.py Corpus/lakes/v9 Corpus/lakes 10`).
A lake made at version k was made whole by that version's statements, not by migrations, so
these files also check that the migrations after k fit what version k really wrote.

The rows are copied from a lake made by today's datapunk (the columns each version had):
    datapunk ingest Corpus/real/mail-parser --lake /tmp/src-lake
    python3 Scripts/make-old-lakes.py /tmp/src-lake Corpus/lakes 6     # only the new version
    datapunk export --lake /tmp/src-lake > Corpus/lakes/export.ndjson
"""
import os, sqlite3, sys

JOBS_V1 = """CREATE TABLE IF NOT EXISTS jobs(
    job_id TEXT PRIMARY KEY, state TEXT NOT NULL, inputs TEXT NOT NULL,
    configuration TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    files INTEGER NOT NULL DEFAULT 0, records INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0, message TEXT);"""
JOBS_V3 = JOBS_V1.replace("state TEXT NOT NULL, inputs", "state TEXT NOT NULL, priority TEXT NOT NULL DEFAULT 'normal', inputs")
FILES_V1 = """CREATE TABLE IF NOT EXISTS files(
    job_id TEXT NOT NULL, input TEXT NOT NULL, entry_index INTEGER NOT NULL, path TEXT NOT NULL,
    kind TEXT NOT NULL, size INTEGER, sha256 TEXT, xxh64 TEXT, mime_type TEXT, format TEXT,
    encoding TEXT, encoding_confidence REAL, mismatch TEXT, modified INTEGER, permissions INTEGER,
    status TEXT NOT NULL, records INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(job_id, input, entry_index));"""
FILES_V4 = FILES_V1.replace("records INTEGER NOT NULL DEFAULT 0,\n", "records INTEGER NOT NULL DEFAULT 0, mojibake INTEGER, metadata TEXT,\n")
ERRORS = """CREATE TABLE IF NOT EXISTS errors(
    job_id TEXT NOT NULL, input TEXT, entry TEXT, rule TEXT NOT NULL, scope TEXT NOT NULL,
    location TEXT, message TEXT NOT NULL);"""
RECORDS = """CREATE TABLE IF NOT EXISTS records(
    id TEXT PRIMARY KEY, job_id TEXT NOT NULL, input TEXT NOT NULL, input_sha256 TEXT NOT NULL,
    path TEXT NOT NULL, idx INTEGER NOT NULL, user TEXT NOT NULL, occurred_at TEXT,
    partition TEXT NOT NULL, export_kind TEXT NOT NULL, record_kind TEXT NOT NULL,
    content_hash TEXT NOT NULL, canonical BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS records_order ON records(input, input_sha256, path, idx);
CREATE INDEX IF NOT EXISTS records_user ON records(user);"""
CHUNKING = """CREATE TABLE IF NOT EXISTS checkpoints(
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
    PRIMARY KEY(job_id, input, entry_index, chunk));"""
RECORDS_V6 = RECORDS.replace("content_hash TEXT NOT NULL, canonical BLOB NOT NULL);", "content_hash TEXT NOT NULL, canonical BLOB NOT NULL, checksum INTEGER);")
QUARANTINE = """CREATE TABLE IF NOT EXISTS quarantine(
    sha256 TEXT NOT NULL, job_id TEXT NOT NULL, input TEXT NOT NULL, entry_index INTEGER NOT NULL, path TEXT NOT NULL,
    size INTEGER NOT NULL, xxh64 TEXT NOT NULL, engine TEXT NOT NULL, rules TEXT NOT NULL, quarantined_at TEXT NOT NULL,
    released_at TEXT, released_to TEXT,
    PRIMARY KEY(job_id, input, entry_index));"""
FINDINGS = """CREATE TABLE IF NOT EXISTS findings(
    job_id TEXT NOT NULL, input TEXT NOT NULL, entry TEXT, rule TEXT NOT NULL, count INTEGER NOT NULL,
    measured INTEGER NOT NULL, threshold INTEGER NOT NULL, location TEXT);"""

# From v6 on a new lake is made by running LakeSchema's migrations in order, so a version's
# shape is the one before it plus its migration's statements (copied from LakeSchema.swift).
MIGRATION_8 = """ALTER TABLE chunks ADD COLUMN pii_records INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chunks ADD COLUMN pii_findings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE chunks ADD COLUMN data_classes TEXT NOT NULL DEFAULT '{}';"""
MIGRATION_9 = """CREATE INDEX IF NOT EXISTS records_content_hash ON records(content_hash);
CREATE TABLE IF NOT EXISTS record_duplicates(
    record_id TEXT PRIMARY KEY, duplicate_of TEXT NOT NULL, similarity TEXT NOT NULL, method TEXT NOT NULL);
ALTER TABLE files ADD COLUMN duplicate_of TEXT;"""
MIGRATION_10 = """CREATE TABLE IF NOT EXISTS record_texts(record_id TEXT PRIMARY KEY, text_hash INTEGER) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS record_texts_hash ON record_texts(text_hash) WHERE text_hash IS NOT NULL;
CREATE TABLE IF NOT EXISTS text_bands(
    band_key INTEGER NOT NULL, text_hash INTEGER NOT NULL, PRIMARY KEY(band_key, text_hash)) WITHOUT ROWID;"""

VERSIONS = {
    1: [JOBS_V1, FILES_V1, ERRORS, RECORDS],
    2: [JOBS_V1, FILES_V1, ERRORS, RECORDS, CHUNKING],
    3: [JOBS_V3, FILES_V1, ERRORS, RECORDS, CHUNKING],
    4: [JOBS_V3, FILES_V4, ERRORS, RECORDS, CHUNKING],
    5: [JOBS_V3, FILES_V4, ERRORS, RECORDS, CHUNKING, FINDINGS],
    6: [JOBS_V3, FILES_V4, ERRORS, RECORDS_V6, CHUNKING, FINDINGS],
    7: [JOBS_V3, FILES_V4, ERRORS, RECORDS_V6, CHUNKING, FINDINGS, QUARANTINE],
    8: [JOBS_V3, FILES_V4, ERRORS, RECORDS_V6, CHUNKING, FINDINGS, QUARANTINE, MIGRATION_8],
    9: [JOBS_V3, FILES_V4, ERRORS, RECORDS_V6, CHUNKING, FINDINGS, QUARANTINE, MIGRATION_8, MIGRATION_9],
    10: [JOBS_V3, FILES_V4, ERRORS, RECORDS_V6, CHUNKING, FINDINGS, QUARANTINE, MIGRATION_8, MIGRATION_9, MIGRATION_10],
}


def columns(db, table):
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]


def main(source, out, only=None):
    src = sqlite3.connect(f"file:{source}/catalog.sqlite?mode=ro", uri=True)
    for version, statements in VERSIONS.items():
        if only is not None and version not in only:
            continue
        folder = os.path.join(out, f"v{version}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "catalog.sqlite")
        if os.path.exists(path):
            os.remove(path)
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode=DELETE")
        for s in statements:
            db.executescript(s)
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            keep = [c for c in columns(db, table) if c in columns(src, table)]
            if not keep:
                continue  # a table the source does not have stays empty
            rows = src.execute(f"SELECT {', '.join(keep)} FROM {table} ORDER BY rowid").fetchall()
            db.executemany(f"INSERT INTO {table}({', '.join(keep)}) VALUES ({', '.join('?' * len(keep))})", rows)
        db.execute(f"PRAGMA user_version = {version}")
        db.commit()
        db.execute("VACUUM")
        db.close()
        print(f"v{version}: {', '.join(tables)}")


# Later versions are made the other way: a lake of today's datapunk (its partition files
# included) with the migrations after the version undone, newest first. Each entry undoes one
# migration exactly (what it created, dropped).
UNDO = {
    17: "DROP INDEX archived_ids_hash; ALTER TABLE archived_ids DROP COLUMN content_hash;",
    16: "DROP VIEW sightings; DROP TABLE record_sightings;",
}


def undo(source, out, version):
    """v15 from a lake archived by today's datapunk:
    datapunk ingest Corpus/real/mail-parser --lake /tmp/src-lake
    datapunk archive --as-of 2026-12-01 --lake /tmp/src-lake
    python3 Scripts/make-old-lakes.py --undo /tmp/src-lake Corpus/lakes 15
    """
    import shutil
    folder = os.path.join(out, f"v{version}")
    os.makedirs(folder, exist_ok=False)
    db = sqlite3.connect(f"file:{source}/catalog.sqlite?mode=ro", uri=True)
    path = os.path.join(folder, "catalog.sqlite")
    db.execute(f"VACUUM INTO '{path}'")
    db.close()
    if os.path.isdir(os.path.join(source, "partitions")):
        shutil.copytree(os.path.join(source, "partitions"), os.path.join(folder, "partitions"))
    db = sqlite3.connect(path)
    current = db.execute("PRAGMA user_version").fetchone()[0]
    for v in range(current, version, -1):
        db.executescript(UNDO[v])
    db.execute(f"PRAGMA user_version = {version}")
    db.execute("PRAGMA journal_mode=DELETE")
    db.commit()
    db.execute("VACUUM")
    db.close()
    print(f"v{version}: from a v{current} lake, migrations {current}..{version + 1} undone")


if __name__ == "__main__":
    if sys.argv[1] == "--undo":
        undo(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        # A committed catalog is never rewritten: name the new version alone (`... 6`).
        main(sys.argv[1], sys.argv[2], {int(v) for v in sys.argv[3:]} or None)
