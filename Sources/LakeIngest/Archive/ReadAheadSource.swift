/// An `EntrySource` that can read the next entry's header and first bytes before they are
/// asked for, while the reader of the current entry waits for other threads (the ingest's
/// workers mapping an entry's last elements, its committer writing them). Whoever reads it
/// sees exactly what the source gives, in the same order, with the same `rawBytesRead` and
/// `failed` at each point: data read ahead is handed out block by block as it was read, with
/// the counts as they were then; an error met ahead is thrown where it would have been.
///
/// `readAhead(upTo:wants:)` reads only once the current entry's data has ended (its last
/// `readChunk` gave nil), and an entry's data only when `wants` says so. Nothing is read past
/// `upTo` bytes of the entry (plus the block that crosses it), so a bomb costs that much at
/// most; the limits that stop one are judged where the data is used, as before. One thing
/// differs: an error met ahead in data the reader then skips unread was met all the same, so
/// a source that a fatal error stops (libarchive) stops one entry sooner than it would have.
/// The walk reads ahead only entries it means to read.
///
/// ```swift
/// let source = ReadAheadSource(try ArchiveReader(path: zip))
/// // … the current entry read to its end, then, while waiting on other work:
/// if let ahead = source.readAhead(upTo: 16 << 20, wants: { $0.kind == .file }) { scan(ahead.bytes) }
/// ```
public final class ReadAheadSource: EntrySource {
    /// A block read ahead, or the end of the entry's data, or the error that stopped it; with
    /// the source's counts right after it was read.
    private enum Item {
        case block(Range<Int>)
        case end
        case failure(any Error)
    }
    private struct State {
        let raw: Int64?
        let failed: Bool
    }

    /// What was read ahead: the entry, and its first bytes in one array (the blocks are ranges
    /// of it).
    public struct Ahead {
        public let entry: ArchiveEntry
        public let bytes: [UInt8]
        /// Whether `bytes` is the entry's whole data.
        public let whole: Bool
    }

    private let inner: EntrySource
    /// The current entry's data has ended: the next header may be read ahead.
    private var dataEnded = false
    /// The next header read ahead (nil: none), with the counts as it was read.
    private var header: (result: Result<ArchiveEntry?, any Error>, state: State)?
    /// The counts the reader saw last, while it has not caught up with what was read ahead.
    private var seen: State?
    private var bytes: [UInt8] = []
    private var items: [(item: Item, state: State)] = []
    private var next = 0

    public init(_ inner: EntrySource) { self.inner = inner }

    public var failed: Bool { seen?.failed ?? inner.failed }
    public var rawBytesRead: Int64? { seen.map(\.raw) ?? inner.rawBytesRead }

    /// Reads the next entry's header, and its first `limit` bytes (and the rest of the block
    /// that reaches them) when `wants(entry)`. Nil, reading nothing, unless the current entry's
    /// data has ended and nothing is read ahead yet; nil too when there is no next entry, its
    /// header fails, or it is not wanted (the header is kept all the same).
    public func readAhead(upTo limit: Int, wants: (ArchiveEntry) -> Bool) -> Ahead? {
        guard dataEnded, header == nil else { return nil }
        seen = State(raw: inner.rawBytesRead, failed: inner.failed)
        let result = Result { try inner.nextEntry() }
        header = (result, State(raw: inner.rawBytesRead, failed: inner.failed))
        guard case .success(let entry?) = result, wants(entry) else { return nil }
        var whole = false
        // Sized once: the declared size, up to the limit and a block past it.
        let room = Int64(min(max(limit, 0), Int(Int32.max))) + (1 << 20)
        bytes.reserveCapacity(Int(min(max(entry.declaredSize ?? 0, 64 << 10), room)))
        while bytes.count < limit {
            do {
                guard let block = try inner.readChunk() else {
                    items.append((.end, State(raw: inner.rawBytesRead, failed: inner.failed)))
                    whole = true
                    break
                }
                let start = bytes.count
                bytes += block
                items.append((.block(start..<bytes.count), State(raw: inner.rawBytesRead, failed: inner.failed)))
            } catch {
                items.append((.failure(error), State(raw: inner.rawBytesRead, failed: inner.failed)))
                return nil
            }
        }
        return Ahead(entry: entry, bytes: bytes, whole: whole)
    }

    public func nextEntry() throws -> ArchiveEntry? {
        dataEnded = false
        if let (result, state) = header {
            header = nil
            seen = items.isEmpty ? nil : state
            return try result.get()
        }
        // The reader goes on to the next entry without reading all that was read ahead: the
        // source skips the rest itself.
        dropItems()
        return try inner.nextEntry()
    }

    public func readChunk() throws -> [UInt8]? {
        // The current entry ended before the next header was read ahead.
        if header != nil { return nil }
        guard next < items.count else {
            let block = try inner.readChunk()
            if block == nil { dataEnded = true }
            return block
        }
        let (item, state) = items[next]
        next += 1
        seen = next < items.count ? state : nil
        if next == items.count {
            defer { dropItems() }
            return try hand(item)
        }
        return try hand(item)
    }

    public func skipData() throws {
        if header != nil { return }
        let ended = items.last.map { if case .block = $0.item { false } else { true } } ?? false
        let reading = next < items.count
        dropItems()
        // Read ahead to its end (or its error): nothing is left to skip.
        if reading && ended { return }
        try inner.skipData()
    }

    /// The item's block, nil at the end, or its error thrown.
    private func hand(_ item: Item) throws -> [UInt8]? {
        switch item {
        case .block(let range): return Array(bytes[range])
        case .end:
            dataEnded = true
            return nil
        case .failure(let error): throw error
        }
    }

    private func dropItems() {
        items = []
        bytes = []
        next = 0
        seen = nil
    }
}
