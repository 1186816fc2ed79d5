import LakeCore

/// Records in export order from one place — the hot tier, or one partition file — with the
/// values their references stand for, so that several can be merged (`PartitionMerge`).
protocol RecordCursor: AnyObject {
    /// The next record with its export position and the values it refers to, or nil at the end.
    func next() throws -> CursorRecord?
}

struct CursorRecord {
    var position: Lake.ExportPosition
    var stored: RecordStorage.Stored
    var jobID: String
    var source: RecordRow.Source
    var kind: RecordRow.Kind
    var owner: RecordRow.Owner
    /// Whether it came from the hot tier (`records`) rather than a partition file.
    var hot = false
    /// The encoded values, cached per reference by the cursor (not encoded again per record).
    var fragments: (kind: RecordLine.KindFragments, owner: RecordLine.OwnerFragments, source: RecordLine.SourceFragments)?
    /// The line once built (a file cursor builds it to compute the checksum).
    var builtLine: [UInt8]?

    var row: RecordRow {
        RecordRow(columns: stored.columns, source: source, kind: kind, owner: owner, checksum: stored.checksum, line: stored.line)
    }

    init(stored: RecordStorage.Stored, jobID: String, source: RecordRow.Source, kind: RecordRow.Kind, owner: RecordRow.Owner) {
        self.stored = stored
        self.jobID = jobID
        self.source = source
        self.kind = kind
        self.owner = owner
        position = Lake.ExportPosition(
            input: source.input, inputSHA256: source.inputSHA256, path: source.path, index: stored.columns.index, id: stored.columns.id)
    }

    /// The canonical line (checked against the checksum by the caller).
    var line: [UInt8] {
        if let l = builtLine ?? stored.line { return l }
        let f = fragments ?? (.init(kind), .init(owner), .init(source))
        return RecordLine.assemble(stored.columns, kind: f.kind, owner: f.owner, source: f.source)
    }
}

/// The hot tier's records in export order: file by file (sources sorted by bytes), each file's
/// records by index and id through `records_order`, so nothing is sorted whole.
final class HotCursor: RecordCursor {
    private let values: MainValues
    private var groups: [(input: String, inputSHA256: String, path: String, refs: [Int64])]
    private let one: SQLiteStatement
    private let many: SQLiteStatement
    private var current: SQLiteStatement?
    private let filter: [SQLiteValue]
    private let condition: String

    /// `condition` narrows the records (an SQL expression over `r`, with `filter` bound after the source).
    init(lake: Lake, condition: String = "1", filter: [SQLiteValue] = []) throws {
        let db = lake.database
        values = try lake.refs.values(db)
        groups = try lake.sourceGroups()
        groups.reverse()
        self.filter = filter
        self.condition = condition
        one = try db.prepare(
            "SELECT \(RecordStorage.selectColumns) FROM records r WHERE r.source = ? AND (\(condition)) ORDER BY r.idx, r.id")
        many = try db.prepare(
            """
            SELECT \(RecordStorage.selectColumns) FROM records r
            WHERE r.source IN (SELECT ref FROM record_sources WHERE input = ? AND input_sha256 = ? AND path = ?) AND (\(condition))
            ORDER BY r.idx, r.id
            """)
    }

    func next() throws -> CursorRecord? {
        while true {
            if let statement = current {
                if try statement.step() {
                    var r = try values.record(try values.stored(statement))
                    r.hot = true
                    return r
                }
                current = nil
            }
            guard let g = groups.popLast() else { return nil }
            let statement = g.refs.count == 1 ? one : many
            let bound: [SQLiteValue] =
                g.refs.count == 1 ? [.integer(g.refs[0])] : [.text(g.input), .text(g.inputSHA256), .text(g.path)]
            try statement.bind(bound + filter)
            current = statement
        }
    }
}

/// One month's hot records in export order, found through `records_time` (milliseconds in the
/// month's range, or a text time of that month), sorted within the month only.
final class MonthCursor: RecordCursor {
    private let values: MainValues
    private let statement: SQLiteStatement

    /// The condition and its values that select partition `name`'s rows of `records` as `r`.
    static func condition(_ name: String) -> (sql: String, values: [SQLiteValue]) {
        let parts = name.split(separator: "-").compactMap { Int64($0) }
        let (y, m) = parts.count == 2 ? (parts[0], parts[1]) : (0, 1)
        let lo = StoredTime.monthStart(year: y, month: m)
        let hi = StoredTime.monthStart(year: m == 12 ? y + 1 : y, month: m == 12 ? 1 : m + 1)
        // Integers sort before text in an index: `>= ''` reaches the (rare) text times only.
        return (
            "(r.occurred_at >= ? AND r.occurred_at < ?) OR (r.occurred_at >= '' AND substr(r.occurred_at, 1, 7) = ?)",
            [.integer(lo), .integer(hi), .text(name)]
        )
    }

    init(lake: Lake, month name: String) throws {
        values = try lake.refs.values(lake.database)
        let c = Self.condition(name)
        // Columns 1-3 are the source's names, then `selectColumns` (id at 4, idx at 5).
        statement = try lake.database.prepare(
            """
            SELECT s.input, s.input_sha256, s.path, \(RecordStorage.selectColumns) FROM records r
            JOIN record_sources s ON s.ref = r.source WHERE \(c.sql) ORDER BY 1, 2, 3, 5, 4
            """)
        try statement.bind(c.values)
    }

    func next() throws -> CursorRecord? {
        guard try statement.step() else { return nil }
        var r = try values.record(try values.stored(statement, at: 3))
        r.hot = true
        return r
    }
}

/// One partition file's records, in the order they were written (export order).
final class FileCursor: RecordCursor {
    private let source: PartitionFiles.Source

    private let path: String
    // Each reference's encoded values, made once.
    private var fragments: [Int64: RecordLine.KindFragments] = [:]
    private var owners: [Int64: RecordLine.OwnerFragments] = [:]
    private var sources: [Int64: RecordLine.SourceFragments] = [:]

    init(tier: PartitionFiles.Tier, path: String) throws {
        self.path = path
        do { source = try PartitionFiles.Source(tier: tier, path: path) } catch { throw Self.named(error, path) }
    }

    /// An error of the file (SQLite's, or the codec's) as `lake.corrupt` naming the file.
    static func named(_ error: Error, _ path: String) -> Error {
        if let e = error as? SQLiteError {
            return LakeError(.lakeCorrupt, scope: .input, input: path, message: "a partition file is damaged (\(e.message))")
        }
        if var e = error as? LakeError, e.input == nil {
            e.input = path
            return e
        }
        return error
    }

    func next() throws -> CursorRecord? {
        let read: (stored: RecordStorage.Stored, idDerived: Bool)?
        do { read = try source.next() } catch { throw Self.named(error, path) }
        guard case (var s, let derived)? = read else { return nil }
        let d = source.dictionary
        guard let src = d.sources[s.source], let kind = d.kinds[s.kind], let owner = d.owners[s.owner] else {
            throw Compression.damaged("record \(s.columns.id) refers to a value the file does not hold")
        }
        if derived {
            s.columns.id = Identity.recordID(
                inputSHA256: src.source.inputSHA256, path: src.source.path, index: s.columns.index, user: owner.user,
                contentHash: s.columns.contentHash)
        }
        var record = CursorRecord(stored: s, jobID: src.jobID, source: src.source, kind: kind, owner: owner)
        if s.line == nil {
            if fragments[s.kind] == nil { fragments[s.kind] = .init(kind) }
            if owners[s.owner] == nil { owners[s.owner] = .init(owner) }
            if sources[s.source] == nil { sources[s.source] = .init(src.source) }
            record.fragments = (fragments[s.kind]!, owners[s.owner]!, sources[s.source]!)
        }
        record.builtLine = record.line
        record.stored.checksum = XXH64.hash(record.builtLine!)
        return record
    }
}

/// Several cursors merged into one export order (a k-way merge on a binary heap).
final class MergedCursor: RecordCursor {
    private var heap: [(record: CursorRecord, cursor: Int)] = []
    private let cursors: [RecordCursor]

    init(_ cursors: [RecordCursor]) throws {
        self.cursors = cursors
        for (i, c) in cursors.enumerated() { if let r = try c.next() { push((r, i)) } }
    }

    private func less(_ a: Int, _ b: Int) -> Bool { heap[a].record.position < heap[b].record.position }

    private func push(_ e: (record: CursorRecord, cursor: Int)) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0, less(i, (i - 1) / 2) {
            heap.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    func next() throws -> CursorRecord? {
        guard let top = heap.first else { return nil }
        if let r = try cursors[top.cursor].next() {
            heap[0] = (r, top.cursor)
        } else {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
        }
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, less(l, m) { m = l }
            if r < heap.count, less(r, m) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return top.record
    }
}
