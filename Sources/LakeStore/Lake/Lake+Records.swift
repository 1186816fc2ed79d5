import Foundation
import LakeCore

extension Lake {
    // MARK: - Records

    /// Prepared-statement inserter for one batch; use inside a transaction (`begin`/`commit`).
    /// Inside `insertBatch` rows go in by statements of up to `rowsPerStatement` rows each.
    public final class RecordInserter {
        let statement: SQLiteStatement
        /// Asks whether an id is archived; nil when the lake had no archived record as the
        /// inserter was made (the usual case: nothing is asked per record).
        let archived: SQLiteStatement?
        let lake: Lake
        let jobID: String
        public private(set) var inserted = 0
        /// The file this inserter last claimed while the load runs without `records_id`
        /// (`FileClaims`).
        var claimed: RecordRow.Source?
        /// The index of the last row inserted: a file's rows come in increasing index order.
        var lastIndex = Int.min
        /// The rows a batch announced and has added so far, and the statement being bound
        /// (its row count, the rows bound to it).
        private var batch: (count: Int, added: Int, group: SQLiteStatement?, size: Int, bound: Int)?
        /// Statements of several rows, by their row count (made when first needed).
        private var statements: [Int: SQLiteStatement] = [:]

        /// Rows per multi-row statement: 32 took a bare SQLite load of a million 16-column rows
        /// from 4.1 s to 2.6 s on this machine (128 only to 2.56 s).
        public static let rowsPerStatement = 32

        init(lake: Lake, jobID: String) throws {
            statement = try lake.insertStatements.take(RecordStorage.insertSQL, from: lake.database)
            archived = try RecordStorage.anyArchived(lake.database) ? lake.database.prepare(RecordStorage.archivedSQL) : nil
            self.lake = lake
            self.jobID = jobID
        }

        public func insert(_ r: LakeRecord) throws { try insert(RecordRow(r)) }

        /// Inserts a record already in its stored form (workers build rows, the committer inserts).
        /// A record whose id the lake holds already is left as it is: the first row of a file
        /// the lake or another inserter stored rows of, or a row whose index is not past the
        /// last one's (the file again), builds `records_id` first.
        /// Inside `insertBatch` the row is bound to the batch's statement, which runs once its
        /// last row is bound.
        public func insert(_ row: RecordRow) throws { try insert(held: HeldRow(row)) }

        /// `insert(_:)` for a held row (`HeldRow.insert(into:)`): the row is read in place.
        func insert(held: HeldRow) throws {
            try lake.wrap {
                if !(claimed?.sameBytes(held.row.source) ?? false) {
                    if let claims = try lake.fileClaims(), !claims.claim(held.row.source) { try lake.buildIDIndex() }
                    claimed = held.row.source
                } else if held.row.columns.index <= lastIndex, try lake.fileClaims() != nil {
                    // Its file again through this inserter (the indexes start over).
                    try lake.buildIDIndex()
                }
                lastIndex = held.row.columns.index
                if batch != nil {
                    try add(held)
                } else {
                    try RecordStorage.insert(held, jobID: jobID, refs: lake.refs, lake.database, with: statement, archived: archived)
                }
            }
            inserted += 1
        }

        /// Runs `body`, which inserts exactly `count` rows with `insert(_:)` (and may write other
        /// tables meanwhile): they go in by statements of `rowsPerStatement` rows, the last of
        /// the rows left, and all are in the lake when this returns. A lake with archived
        /// records asks about each id first, and takes them one at a time.
        public func insertBatch(count: Int, _ body: () throws -> Void) throws {
            precondition(batch == nil, "batches do not nest")
            guard archived == nil, count > 1 else { return try body() }
            batch = (count, 0, nil, 0, 0)
            defer { batch = nil }
            try body()
            guard let b = batch, b.added == count, b.bound == 0 else {
                throw LakeError(
                    .internalError, scope: .internal, message: "a batch announced \(count) rows and inserted \(batch?.added ?? 0)")
            }
        }

        /// `rows`, in order, in batches of `batch` rows (`insertBatch`).
        public func insert(_ rows: [HeldRow], batch: Int) throws {
            for start in stride(from: 0, to: rows.count, by: max(batch, 1)) {
                let end = min(start + max(batch, 1), rows.count)
                try insertBatch(count: end - start) { for i in start..<end { try rows[i].insert(into: self) } }
            }
        }

        /// Binds `row` to the batch's current statement, starting one when none is open, and
        /// runs it when this is its last row.
        private func add(_ held: HeldRow) throws {
            guard var b = batch, b.added < b.count else {
                throw LakeError(.internalError, scope: .internal, message: "a batch inserted more rows than it announced")
            }
            if b.group == nil {
                b.size = min(Self.rowsPerStatement, b.count - b.added)
                b.group = try statement(rows: b.size)
                b.group?.reset()
            }
            let group = b.group!
            try RecordStorage.bind(
                held, at: Int32(b.bound) * RecordStorage.parametersPerRow, jobID: jobID, refs: lake.refs, lake.database, to: group)
            b.bound += 1
            b.added += 1
            if b.bound == b.size {
                try group.execute()
                (b.group, b.bound) = (nil, 0)
            }
            batch = b
        }

        private func statement(rows: Int) throws -> SQLiteStatement {
            if rows == 1 { return statement }
            if let s = statements[rows] { return s }
            let s = try lake.insertStatements.take(RecordStorage.insertSQL(rows: rows), from: lake.database)
            statements[rows] = s
            return s
        }

        /// The statements go back to the lake's pool for the next inserter.
        deinit { lake.insertStatements.give([statement] + statements.values) }
    }

    /// A row held by reference, as an ingest's workers hand theirs to the committer (the
    /// results pass through generic code that would copy a `RecordRow` field by field). The
    /// inserter and `RecordStorage.bind` read the row through it, field by field: a row read
    /// out of an array, or given as a parameter, was copied (a retain and a release of each of
    /// its arrays and strings per row stored); an object's constant is read in place.
    /// Immutable: its fields are constants.
    open class HeldRow: @unchecked Sendable {
        public let row: RecordRow
        public init(_ row: RecordRow) { self.row = row }
        public final func insert(into inserter: RecordInserter) throws { try inserter.insert(held: self) }
    }

    /// A prepared inserter for records of `jobID`.
    public func recordInserter(jobID: String) throws -> RecordInserter {
        do { return try RecordInserter(lake: self, jobID: jobID) } catch let e as SQLiteError { throw e.lakeError }
    }

    /// Calls `line` with each record's canonical JSON in export order: by input name, input
    /// SHA-256, path inside the input (all by bytes), index, then record id (two entries of one
    /// archive may share a name). `user` filters to one user.
    /// Reads every tier: hot rows and warm and cold partition files, merged. A record with
    /// merged sightings gains their `merge.seen_again` lineage steps (`record_sightings`).
    /// - Throws: `lake.corrupt` at the first record whose bytes no longer match the checksum
    ///   stored with them.
    public func export(user: String? = nil, _ line: ([UInt8]) throws -> Void) throws {
        try wrap {
            let records = try allRecords(user: user)
            let steps = try SightingSteps(self)
            while let r = try records.next() {
                let bytes = r.line
                if !RecordStorage.checksumMatches(r.stored.checksum, bytes) {
                    throw LakeError(
                        .lakeCorrupt, scope: .input, input: directory,
                        message: "record \(r.stored.columns.id) no longer matches its checksum: the catalog was damaged")
                }
                try line(try steps.line(bytes, id: r.stored.columns.id))
            }
        }
    }

    /// The files records came from, in export order (input, input SHA-256, path, by bytes),
    /// with the `record_sources` rows of each (one per job that stored records of it).
    func sourceGroups() throws -> [(input: String, inputSHA256: String, path: String, refs: [Int64])] {
        var rows: [(key: [[UInt8]], input: String, sha: String, path: String, ref: Int64)] = []
        try database.prepare("SELECT ref, input, input_sha256, path FROM record_sources").forEachRow {
            let input = $0.text(1) ?? ""
            let sha = $0.text(2) ?? ""
            let path = $0.text(3) ?? ""
            rows.append(([Array(input.utf8), Array(sha.utf8), Array(path.utf8)], input, sha, path, $0.int(0)))
        }
        rows.sort { a, b in
            for i in 0..<3 where a.key[i] != b.key[i] { return a.key[i].lexicographicallyPrecedes(b.key[i]) }
            return a.ref < b.ref
        }
        // Compared as bytes: String's == would take two spellings of one name for the same file.
        var groups: [(input: String, inputSHA256: String, path: String, refs: [Int64])] = []
        var lastKey: [[UInt8]]?
        for r in rows {
            if r.key == lastKey {
                groups[groups.count - 1].refs.append(r.ref)
            } else {
                groups.append((r.input, r.sha, r.path, [r.ref]))
                lastKey = r.key
            }
        }
        return groups
    }

    /// Number of records in the lake, every tier.
    public func recordCount() throws -> Int {
        var n = 0
        try wrap {
            try database.prepare("SELECT (SELECT count(*) FROM records) + (SELECT ifnull(sum(records), 0) FROM partitions)").forEachRow {
                n = Int($0.int(0))
            }
        }
        return n
    }
}
