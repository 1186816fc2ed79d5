import LakeCore
import LakeParsers
import LakeStore

/// The records whose link changes, written back a batch at a time: their rows as the step that
/// found the link named them, or found by one pass over the table (`Lake.Relinker.rowids`,
/// for a link only stored), then read and written in rowid order, along the table. Written
/// back in id order, each record was a random page of the table, read and dirtied again for
/// every record on it.
///
/// With reading halves (`readers`: connections of their own, for a relink whose transaction
/// changed no record before it), the rows of a page are read, changed and checksummed on
/// other threads, one slice per reader, while this thread writes the page before; alone, it
/// does both (0.93 s of one core for the 53,671 records of the 256 MB Takeout zip, two thirds
/// of it reading).
struct Relinks {
    /// Changes held before a batch is written back by default: 65,536 ids and links, about 15
    /// MB (an id and a target are 32-digit strings on the heap). A page of the table holds rows
    /// of many batches' records, so each batch reads and writes it again: with 16,384, the 53,671
    /// relinked records of the 256 MB Takeout zip took 0.91 and 0.96 s in two alternating rounds,
    /// with 65,536 (one batch) 0.73 and 0.74 s.
    static let batchSize = 65_536
    /// Rows read on the other threads while this one writes the page before, by default.
    static let pageRows = 2_048
    /// Reading halves an ingest's relink uses: the two cores read while the writer waits on
    /// SQLite, a third of the work.
    static let readers = 2
    /// They are opened for a batch of at least a page of rows: a connection costs about
    /// 16,000 allocations to open (the pinned 512 KB Takeout ingest's count rose by a tenth).
    static let readersFrom = pageRows
    let relinker: Lake.Relinker
    let batchSize: Int
    let pageRows: Int
    private(set) var relinked = 0
    private var batch: [(id: String, link: Lake.DuplicateLink?, rowid: Int64?)] = []
    private var lineages = LineageRelinks()
    /// Opens the reading halves (none: this thread reads), when a batch is large enough.
    private let openReaders: () throws -> [Lake.RelinkReader]
    private var readers: [Reader]?
    private let readersFrom: Int

    init(
        relinker: Lake.Relinker, batchSize: Int = Self.batchSize, readers: @escaping () throws -> [Lake.RelinkReader] = { [] },
        pageRows: Int = Self.pageRows, readersFrom: Int = Self.readersFrom
    ) {
        self.relinker = relinker
        self.batchSize = max(batchSize, 1)
        self.pageRows = max(pageRows, 1)
        self.readersFrom = readersFrom
        openReaders = readers
    }

    /// Changes record `id`'s link to `link` (nil removes it); `rowid`: its row, when known.
    mutating func add(_ id: String, _ link: Lake.DuplicateLink?, rowid: Int64? = nil) throws {
        batch.append((id, link, rowid))
        relinked += 1
        if batch.count >= batchSize { try flush() }
    }

    /// Writes back the changes held.
    mutating func flush() throws {
        var rows: [(rowid: Int64, change: Int)] = []
        rows.reserveCapacity(batch.count)
        // A pass over the table only for the records whose row no step named.
        let unknown = batch.indices.filter { batch[$0].rowid == nil }
        for (n, rowid) in zip(unknown, try relinker.rowids(of: unknown.map { batch[$0].id })) {
            if let rowid { rows.append((rowid, n)) }
        }
        for (n, change) in batch.enumerated() { if let rowid = change.rowid { rows.append((rowid, n)) } }
        rows.sort { $0.rowid < $1.rowid }
        var written = [Bool](repeating: false, count: batch.count)
        if readers == nil && rows.count >= readersFrom { readers = try openReaders().map(Reader.init) }
        if let readers, !readers.isEmpty {
            try relinkBeside(rows, readers, &written)
        } else {
            for (rowid, n) in rows {
                let (id, link) = (batch[n].id, batch[n].link)
                // The two columns a link changes, without reading or writing the whole line.
                let inPlace = try relinker.relinkParts(rowid: rowid, id: id) { try Self.changed($0, $1, link, &lineages) }
                written[n] = try inPlace || relinkWhole(rowid: rowid, link)
            }
        }
        // The links in id order, the order of their table's key.
        for (n, change) in batch.enumerated() where written[n] { try relinker.store(change.link, for: change.id) }
        batch.removeAll(keepingCapacity: true)
    }

    /// `rows` read and changed on `readers` a page ahead of this thread, which writes them.
    private func relinkBeside(_ rows: [(rowid: Int64, change: Int)], _ readers: [Reader], _ written: inout [Bool]) throws {
        let wanted = rows.map { (rowid: $0.rowid, change: $0.change, id: batch[$0.change].id, link: batch[$0.change].link) }
        var pending = start(wanted.prefix(pageRows), readers)
        var at = 0
        while let reading = pending {
            let read = try reading.wait().flatMap { $0 }
            let next = at + read.count
            pending = next < wanted.count ? start(wanted[next..<min(next + pageRows, wanted.count)], readers) : nil
            for (k, parts) in read.enumerated() {
                let (rowid, n, _, link) = wanted[at + k]
                if let parts {
                    try relinker.store(parts: parts)
                    written[n] = true
                } else {
                    written[n] = try relinkWhole(rowid: rowid, link)
                }
            }
            at = next
        }
    }

    /// A row that keeps its whole line (or none): read, changed and written whole, on the
    /// writer's connection. False when there is no such row.
    private func relinkWhole(rowid: Int64, _ link: Lake.DuplicateLink?) throws -> Bool {
        guard let line = try relinker.canonical(rowid: rowid) else { return false }
        try relinker.relink(rowid: rowid, try DuplicateLinker.relinked(line, link))
        return true
    }

    /// The page's rows read on the readers, one contiguous slice each: each slice's parts, in
    /// row order.
    private func start(
        _ page: ArraySlice<(rowid: Int64, change: Int, id: String, link: Lake.DuplicateLink?)>, _ readers: [Reader]
    ) -> Parallel.Pending<[Lake.RelinkedParts?]>? {
        guard !page.isEmpty else { return nil }
        let rows = Array(page)
        let slices = readers.indices.map { i in
            (reader: readers[i], rows: rows[rows.count * i / readers.count..<rows.count * (i + 1) / readers.count])
        }
        return Parallel.start(slices, workers: slices.count) { slice in
            try slice.rows.map { row in try slice.reader.parts(row.rowid, row.id, row.link) }
        }
    }

    /// What `link` makes of a record's relationships and lineage (canonical JSON arrays,
    /// relationships nil for `[]`).
    static func changed(_ relationships: [UInt8]?, _ lineage: [UInt8], _ link: Lake.DuplicateLink?, _ lineages: inout LineageRelinks)
        throws -> (relationships: [UInt8]?, lineage: [UInt8])
    {
        let r = DuplicateLinker.relinked(
            relationships: try relationships.map { try JSONReader.parse($0, limits: .canonicalLines) } ?? .array([]), link)
        return (r.isEmpty ? nil : CanonicalJSON.encode(.array(r)), try lineages.lineage(lineage, linked: link != nil))
    }

    /// A reading half with its lineages: used by one thread at a time.
    final class Reader: @unchecked Sendable {
        let reader: Lake.RelinkReader
        private var lineages = LineageRelinks()
        init(_ reader: Lake.RelinkReader) { self.reader = reader }

        func parts(_ rowid: Int64, _ id: String, _ link: Lake.DuplicateLink?) throws -> Lake.RelinkedParts? {
            try reader.parts(rowid: rowid, id: id) { try Relinks.changed($0, $1, link, &lineages) }
        }
    }
}

/// What a link makes of a record's lineage (`DuplicateLinker.relinked(lineage:linked:)`, as
/// canonical JSON), made once per lineage and case. A record's lineage is its kind's (one
/// `record_kinds` row), and the step a link adds or removes depends only on whether there is
/// one: so it is not parsed and written again for every record relinked.
struct LineageRelinks {
    private var made: [[UInt8]: [UInt8]] = [:]
    /// The last lineage asked for in each case and what it made: records of one kind come in
    /// runs, and comparing bytes is cheaper than hashing them for the dictionary.
    private var last: [(lineage: [UInt8], made: [UInt8])?] = [nil, nil]

    mutating func lineage(_ lineage: [UInt8], linked: Bool) throws -> [UInt8] {
        let slot = linked ? 1 : 0
        if let last = last[slot], last.lineage == lineage { return last.made }
        let key = lineage + [UInt8(slot)]
        let bytes: [UInt8]
        if let done = made[key] {
            bytes = done
        } else {
            if made.count >= 4096 { made.removeAll() }
            let relinked = DuplicateLinker.relinked(lineage: try JSONReader.parse(lineage, limits: .canonicalLines), linked: linked)
            bytes = CanonicalJSON.encode(.array(relinked))
            made[key] = bytes
        }
        last[slot] = (lineage, bytes)
        return bytes
    }
}
