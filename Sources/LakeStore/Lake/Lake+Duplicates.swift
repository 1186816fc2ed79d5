import LakeCore

extension Lake {
    /// A stored record's id and canonical line.
    public struct StoredRecord: Sendable {
        public var id: String
        public var canonical: [UInt8]
        /// 16 hex digits.
        public var contentHash: String
        /// Its row in `records`.
        public var rowid: Int64
    }

    /// A record of a group sharing a content hash, without its line (`sharedContentHashGroups`).
    public struct HashMember: Sendable, Equatable {
        public var id: String
        /// 16 hex digits.
        public var contentHash: String
        /// Its row in `records`.
        public var rowid: Int64
        /// Its `record_sources` row: records with one hold one input, input SHA-256 and path.
        public var source: Int64
    }

    /// Calls `body` with every group of two or more records sharing a content hash, each group
    /// in export order, the groups in content-hash order, and a function that reads the group's
    /// records whole (their lines, in the same order). Members carry ids and rows, not lines:
    /// the content-hash links need no more, and the merge reads lines only for a group whose
    /// records could be one another's (a generated 10 GB Twitter export has 104,424 groups, all
    /// within one file). The statements are compiled once for the pass.
    public func sharedContentHashGroups(_ body: (_ group: [HashMember], _ records: () throws -> [StoredRecord]) throws -> Void) throws {
        // The hashes in order along `records_content_hash`, the repeated ones kept as they pass:
        // `GROUP BY content_hash HAVING count(*) > 1` gave the same list, but SQLite made and
        // freed count's context for every group, that is for nearly every record (the two scans
        // of an ingest of the 16 MB compare-peers zip: 215 M instructions, now 101 M).
        var hashes: [SQLiteValue] = []
        try wrap {
            var previous = SQLiteValue.null, kept = false
            try database.prepare("SELECT content_hash FROM records ORDER BY content_hash").forEachRow {
                let hash = $0.value(0)
                // As SQLite groups them: texts by their bytes (Swift's `==` on strings follows
                // canonical equivalence), other values by value.
                let same: Bool
                if case .text(let a) = hash, case .text(let b) = previous {
                    same = a.utf8.elementsEqual(b.utf8)
                } else {
                    same = hash == previous
                }
                if !same {
                    (previous, kept) = (hash, false)
                } else if !kept {
                    hashes.append(hash)
                    kept = true
                }
            }
        }
        let statement = try wrap { try database.prepare(Self.membersByContentHash) }
        var whole: SQLiteStatement?
        for hash in hashes {
            var group: [HashMember] = []
            let hex = RecordStorage.hashText(hash)
            try wrap {
                try statement.forEachRow([hash]) {
                    group.append(HashMember(id: RecordStorage.idText($0.value(0)), contentHash: hex, rowid: $0.int(1), source: $0.int(2)))
                }
            }
            try body(group) {
                if whole == nil { whole = try wrap { try database.prepare(Self.byContentHash) } }
                return try records(hash, whole!)
            }
        }
    }

    /// One content hash's records in export order (the same order as `byContentHash`).
    static let membersByContentHash = """
        SELECT r.id, r.rowid, r.source FROM records r JOIN record_sources s ON s.ref = r.source
        WHERE r.content_hash = ? ORDER BY s.input, s.input_sha256, s.path, r.idx, r.id
        """

    static let byContentHash = """
        SELECT \(RecordStorage.selectColumns), r.rowid FROM records r JOIN record_sources s ON s.ref = r.source
        WHERE r.content_hash = ? ORDER BY s.input, s.input_sha256, s.path, r.idx, r.id
        """

    /// The hot records whose content hash is `contentHash` (16 hex digits), in export order.
    public func hotRecords(contentHash: String) throws -> [StoredRecord] {
        try records(RecordStorage.hashValue(contentHash), try wrap { try database.prepare(Self.byContentHash) })
    }

    /// The hot records whose stored content hash is `hash`, read with `statement`
    /// (`byContentHash`), in export order.
    private func records(_ hash: SQLiteValue, _ statement: SQLiteStatement) throws -> [StoredRecord] {
        let fragments = try wrap { try refs.values(database) }
        var group: [StoredRecord] = []
        try wrap {
            try statement.forEachRow([hash]) {
                let stored = try fragments.stored($0)
                group.append(
                    StoredRecord(
                        id: stored.columns.id, canonical: try fragments.line(stored, lake: directory),
                        contentHash: stored.columns.contentHash, rowid: $0.int(RecordStorage.selectColumnCount)))
            }
        }
        return group
    }

    /// Reads and rewrites hot records' lines when their duplicate links change, with its
    /// statements prepared once; use in one transaction.
    public final class Relinker {
        let lake: Lake
        /// A hot record's kind, by rowid.
        let kindOf: SQLiteStatement
        /// A record's stored columns, by rowid.
        let select: SQLiteStatement
        let update: SQLiteStatement
        /// `update` for the row a reading half read, by its rowid.
        let updateRow: SQLiteStatement
        /// The reading half on the writer's connection.
        let reader: RelinkReader
        let setLink: SQLiteStatement
        let removeLink: SQLiteStatement
        /// Whether `rowids` passed over the table already, and built `records_id`.
        private var scanned = false
        private var builtIDIndex = false

        init(_ lake: Lake) throws {
            self.lake = lake
            update = try lake.database.prepare("UPDATE records SET kind = ?, relationships = ?, checksum = ?, line = ? WHERE rowid = ?")
            kindOf = try lake.database.prepare("SELECT kind FROM records WHERE rowid = ?")
            select = try lake.database.prepare("SELECT \(RecordStorage.selectColumns) FROM records r WHERE r.rowid = ?")
            updateRow = try lake.database.prepare("UPDATE records SET kind = ?, relationships = ?, checksum = ? WHERE rowid = ?")
            setLink = try lake.database.prepare(
                "INSERT OR REPLACE INTO record_duplicates(record_id, duplicate_of, similarity, method) VALUES (?, ?, ?, ?)")
            removeLink = try lake.database.prepare("DELETE FROM record_duplicates WHERE record_id = ?")
            reader = try RelinkReader(lake)
        }

        /// Stores `link` for `record` (nil removes it).
        public func store(_ link: DuplicateLink?, for record: String) throws {
            try lake.wrap {
                if let link {
                    try setLink.run([.text(record), .text(link.target), .text(link.similarity), .text(link.method)])
                } else {
                    try removeLink.run([.text(record)])
                }
            }
        }

        /// The rowids of hot records `ids`, in their order (nil for one not hot). There is no
        /// index on ids (`Lake+BulkIndexes`): the first call passes over the table once, reading
        /// each row's id, the first of its columns, so a batch of changes costs one read of the
        /// table whatever its size (on the 256 MB Takeout zip's lake, 750,510 rows for 53,671
        /// changes). A second call (more changes than a batch holds: 244,732 on the 10 GB Takeout
        /// corpus's lake of 30 million records) builds `records_id` instead, one sort of the ids,
        /// and asks it id by id; `finish` drops it again.
        public func rowids(of ids: [String]) throws -> [Int64?] {
            var out = [Int64?](repeating: nil, count: ids.count)
            guard !ids.isEmpty else { return out }
            var indexed = try lake.recordIndexNames().contains(Lake.idIndex.name)
            if !indexed && scanned {
                try lake.sortingForIndexes { try lake.buildIDIndex() }
                (indexed, builtIDIndex) = (true, true)
            }
            scanned = true
            if indexed {
                let rowidOf = try lake.wrap { try lake.database.prepare("SELECT rowid FROM records WHERE id = ?") }
                for (n, id) in ids.enumerated() {
                    try lake.wrap { try rowidOf.forEachRow([RecordStorage.idValue(id)]) { out[n] = $0.int(0) } }
                }
                return out
            }
            // An id of 32 hex digits is stored as 16 bytes, read in place; any other as text.
            var wanted: [IDWords: Int] = [:], wantedText: [String: Int] = [:]
            wanted.reserveCapacity(ids.count)
            var maybe = IDFilter(count: ids.count)
            for (n, id) in ids.enumerated() {
                if let w = RecordStorage.idWords(id) {
                    wanted[IDWords(high: w.high, low: w.low)] = n
                    maybe.insert(w.low)
                } else {
                    wantedText[id] = n
                }
            }
            try lake.wrap {
                try lake.database.prepare("SELECT rowid, id FROM records").forEachRow {
                    if let w = $0.words(1) {
                        if maybe.contains(w.low), let n = wanted[IDWords(high: w.high, low: w.low)] { out[n] = $0.int(0) }
                    } else if !wantedText.isEmpty, let text = $0.text(1), let n = wantedText[text] {
                        out[n] = $0.int(0)
                    }
                }
            }
            return out
        }

        /// Drops the `records_id` that `rowids` built, in the caller's transaction.
        public func finish() throws {
            guard builtIDIndex else { return }
            try lake.wrap { try lake.dropIDIndex() }
            builtIDIndex = false
        }

        private struct IDWords: Hashable {
            var high: UInt64
            var low: UInt64
        }

        /// The ids a pass looks for, as one bit per value of their low word's last bits: a row
        /// whose bit is clear is not one of them, without hashing its id for the dictionary
        /// (most rows of a pass: 53,671 wanted of 1,297,723 on the 256 MB Takeout zip's lake).
        /// Record ids are digests, so their bits are spread evenly; at 16 bits an id, one row
        /// in 16 or fewer is looked up in vain.
        struct IDFilter {
            private var bits: [UInt64]
            private let mask: UInt64

            init(count: Int) {
                var size = 64
                while size < count * 16 && size < 1 << 26 { size <<= 1 }
                bits = [UInt64](repeating: 0, count: size / 64)
                mask = UInt64(size - 1)
            }

            mutating func insert(_ word: UInt64) {
                let b = word & mask
                bits[Int(b >> 6)] |= 1 << (b & 63)
            }

            func contains(_ word: UInt64) -> Bool {
                let b = word & mask
                return bits[Int(b >> 6)] & (1 << (b & 63)) != 0
            }
        }

        /// The canonical line of the hot record at `rowid`, or nil.
        public func canonical(rowid: Int64) throws -> [UInt8]? {
            var out: [UInt8]?
            try lake.wrap {
                let fragments = try lake.refs.values(lake.database)
                try select.forEachRow([.integer(rowid)]) {
                    out = try fragments.line(try fragments.stored($0), lake: lake.directory)
                }
            }
            return out
        }

        /// Gives the hot record at `rowid` the relationships and lineage `change` makes of its
        /// own (both canonical JSON arrays, relationships nil for `[]`), in the columns that
        /// hold them, with the checksum of the line they make; nothing else is read or
        /// written. False when there is no such row or it keeps its whole line (then
        /// `canonical` and `relink` serve). `id`: the record the row must hold
        /// (`RelinkReader.parts`).
        public func relinkParts(
            rowid: Int64, id: String? = nil,
            _ change: (_ relationships: [UInt8]?, _ lineage: [UInt8]) throws -> (relationships: [UInt8]?, lineage: [UInt8])
        ) throws -> Bool {
            guard let parts = try reader.parts(rowid: rowid, id: id, change) else { return false }
            try store(parts: parts)
            return true
        }

        /// Writes what a reading half made of a record (`RelinkReader.parts`): its relationships,
        /// kind and checksum, in place, so no index but the kind's moves.
        public func store(parts: RelinkedParts) throws {
            let row = parts.row
            try lake.wrap {
                try updateRow.run([
                    // `data` stays as stored: its new kind has the same names.
                    .integer(try lake.refs.kind(row.kind, keys: parts.keys, always: true, lake.database).ref),
                    RecordStorage.relationshipsValue(row.columns.relationships, data: row.columns.data),
                    .integer(RecordStorage.checksumValue(row.checksum)), .integer(parts.rowid),
                ])
            }
        }

        /// Replaces the line of the hot record at `rowid` by `canonical`, which differs from it
        /// only in its relationships and lineage (a duplicate link set or removed): the columns
        /// that hold them and the checksum change, in place, so no index moves.
        public func relink(rowid: Int64, _ canonical: [UInt8]) throws {
            let row = try RecordRow(line: canonical)
            try lake.wrap {
                var keys: [UInt8]?
                let values = try lake.refs.values(lake.database)
                try kindOf.forEachRow([.integer(rowid)]) { keys = try values.keys(ofKind: $0.int(0)) }
                try update.run([
                    // `data` stays as stored: its new kind has the same names.
                    .integer(try lake.refs.kind(row.kind, keys: keys, always: true, lake.database).ref),
                    RecordStorage.relationshipsValue(row.columns.relationships, data: row.columns.data),
                    .integer(RecordStorage.checksumValue(row.checksum)), row.line.map { .blob($0) } ?? .null, .integer(rowid),
                ])
            }
        }
    }

    /// A relinker for the duplicate stage.
    public func relinker() throws -> Relinker { try wrap { try Relinker(self) } }

    /// Marks every file whose bytes (size, XXH64 and SHA-256) equal an earlier file's as its
    /// duplicate (`files.duplicate_of` = `<input>#<entry index>` of the first in input, entry
    /// order), and clears marks that no longer hold. Returns the files marked.
    @discardableResult
    public func linkDuplicateFiles() throws -> Int {
        var marked = 0
        try wrap {
            // One sort of the files by their bytes' identity (a window), not a lookup per file:
            // a million identical entries cost one pass.
            try database.execute(
                """
                UPDATE files SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL;
                UPDATE files SET duplicate_of = d.first FROM (
                  SELECT job_id, input, entry_index,
                    first_value(input || '#' || entry_index) OVER w AS first, row_number() OVER w AS n
                  FROM files WHERE kind = 'file' AND sha256 IS NOT NULL AND xxh64 IS NOT NULL AND size IS NOT NULL
                  WINDOW w AS (PARTITION BY size, xxh64, sha256 ORDER BY input, entry_index, job_id)) AS d
                WHERE d.n > 1 AND files.job_id = d.job_id AND files.input = d.input AND files.entry_index = d.entry_index;
                """)
            try database.prepare("SELECT count(*) FROM files WHERE duplicate_of IS NOT NULL").forEachRow { marked = Int($0.int(0)) }
        }
        return marked
    }
}

extension Lake {
    /// A `duplicate_of` link of one record (docs/SPEC.md 5.11).
    public struct DuplicateLink: Equatable, Sendable {
        public var target: String
        /// A number text with 2 decimals (`1`, `0.97`).
        public var similarity: String
        /// `content_hash` (exact) or `minhash` (near).
        public var method: String
        public init(target: String, similarity: String, method: String) {
            self.target = target
            self.similarity = similarity
            self.method = method
        }
    }
}
