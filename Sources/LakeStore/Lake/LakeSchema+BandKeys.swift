import LakeCore

extension LakeSchema {
    /// Migration 26: band keys of 4 bytes (`NearDuplicates.bandKeys`: the top 32 bits of the
    /// XXH64 that schemas 21-25 stored whole). Each `text_signatures` blob is rewritten from its
    /// 8-byte keys to their first 4 bytes (big-endian: the top bits), ascending, each once: the
    /// row a new lake computes for the same text, so no text is hashed again. A blob that is not
    /// whole 8-byte keys (a damaged row) is dropped with its texts' `record_texts` rows, and the
    /// text mark is forgotten, so the next job hashes those texts again. The old table's pages
    /// are left free for the next rows: no `VACUUM` (minutes, and the catalog's size again in
    /// temporary space, for a 10 GB lake), so the text mark is kept.
    static let shortBandKeys = Migration(
        version: 26, summary: "text_signatures' band keys of 4 bytes, not 8 (the top 32 bits of each XXH64)",
        sql: """
            ALTER TABLE text_signatures RENAME TO text_signatures_v25;
            CREATE TABLE text_signatures(text_hash INTEGER PRIMARY KEY, bands BLOB NOT NULL);
            """,
        transform: { db in
            let insert = try db.prepare("INSERT INTO text_signatures(text_hash, bands) VALUES (?, ?)")
            var damaged = false
            try db.prepare("SELECT text_hash, bands FROM text_signatures_v25 ORDER BY text_hash").forEachRow { r in
                guard let keys = shortKeys(ofV25Signature: r.bytes(1)) else {
                    damaged = true
                    return
                }
                try insert.bind(1, integer: r.int(0))
                try insert.bind(2, bigEndianKeys: keys)
                try insert.execute()
            }
            if damaged {
                try db.execute(
                    """
                    DELETE FROM record_texts WHERE text_hash IN (
                      SELECT text_hash FROM text_signatures_v25 WHERE text_hash NOT IN (SELECT text_hash FROM text_signatures));
                    \(Lake.forgetTextMarkSQL)
                    """)
            }
            try db.execute("DROP TABLE text_signatures_v25;")
        })

    /// A schema-25 signature blob's keys cut to their top 32 bits, ascending, each once; nil
    /// when the blob is not whole 8-byte keys or has more than `Lake.maxBandKeys`.
    static func shortKeys(ofV25Signature blob: [UInt8]) -> [UInt32]? {
        guard blob.count % 8 == 0, blob.count / 8 <= Lake.maxBandKeys else { return nil }
        let keys = blob.withUnsafeBytes { raw in
            (0..<blob.count / 8).map { UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt32.self)) }
        }
        var out: [UInt32] = []
        for key in keys.sorted() where out.last != key { out.append(key) }
        return out
    }
}
