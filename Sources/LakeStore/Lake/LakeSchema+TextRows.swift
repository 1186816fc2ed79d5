import LakeCore

extension LakeSchema {
    /// Migration 38: `record_texts` keyed by its record's rowid. Schemas 10-37 keyed it by the
    /// record's 16-byte id and, from 22, kept the record's source and index beside it: on a
    /// 256 MB Takeout's lake 8.65 MB of rows and 7.27 MB of `record_texts_hash`, against about
    /// 4.1 MB and 4.1 MB keyed by rowid. Each row is matched to its record on `records_order`
    /// (source, index, then id, as the duplicate stage joined them); a row no record matches
    /// belonged to a record gone and is dropped. No text is hashed again, so the text mark stays.
    ///
    /// A rowid names a record only while the record stays: `records_deleted_text` removes a
    /// record's text row with it, whatever deletes it (merge, archive, erase, a rejected entry),
    /// so a later record given the same rowid never finds an old text. `VACUUM`, which may
    /// number rows anew, is checked: the rows go if it did (`Lake.vacuum`).
    static let rowidTexts = Migration(
        version: 38,
        summary: "record_texts keyed by the record's rowid (no id, source or index); a record's deletion removes its text row",
        sql: """
            CREATE TABLE record_texts_v38(record INTEGER PRIMARY KEY, text_hash INTEGER);
            INSERT OR IGNORE INTO record_texts_v38(record, text_hash)
              SELECT r.rowid, t.text_hash FROM record_texts t
              JOIN records r ON r.source = t.source AND r.idx = t.idx AND r.id = t.record_id ORDER BY r.rowid;
            DROP TABLE record_texts;
            ALTER TABLE record_texts_v38 RENAME TO record_texts;
            CREATE INDEX record_texts_hash ON record_texts(text_hash) WHERE text_hash IS NOT NULL;
            CREATE TRIGGER records_deleted_text AFTER DELETE ON records
              BEGIN DELETE FROM record_texts WHERE record = old.rowid; END;
            """)
}
