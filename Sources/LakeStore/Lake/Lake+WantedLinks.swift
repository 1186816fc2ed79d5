import LakeCore

extension Lake {
    /// The duplicate links the duplicate stage wants, gathered in bounded memory (`SortedRuns`, a
    /// run file in staging past 64 Ki links, 3 MB), then compared with the links stored, in
    /// record id order, a page of stored links at a time: memory does not grow with the number
    /// of links. Of two links wanted for one record, the one added with the lower priority
    /// wins, then the one added first. Records whose id is not 32 hex digits (none the pipeline
    /// makes) are compared in memory.
    public final class WantedLinks {
        struct Entry {
            var idHigh: UInt64
            var idLow: UInt64
            var targetHigh: UInt64
            var targetLow: UInt64
            /// The target's index in `targets` when it is not 32 hex digits, else -1.
            var target: Int32
            /// Indexes in `texts` (a link's similarity and method: a handful of distinct values).
            var similarity: UInt16
            var method: UInt16
            var priority: UInt8
            /// The order added in: of two links of one priority, the first wins.
            var sequence: UInt32
            /// The record's row in `records` when the caller knew it, else 0 (SQLite numbers a
            /// table's rows from 1).
            var rowid: Int64
        }

        let lake: Lake
        private let runs: SortedRuns<Entry>
        private var texts: [String] = []
        private var textIndex: [String: UInt16] = [:]
        private var targets: [String] = []
        private var added: UInt32 = 0
        private var other: [String: (link: DuplicateLink, priority: UInt8)] = [:]

        /// Links held and sorted at a time. A link is 56 bytes: runs of the default 256 Ki
        /// values, with the sort's copy, lifted the 10 GB Takeout's peak by 36 MB (245,000 links).
        static let runLength = 1 << 16

        init(lake: Lake, runLength: Int = WantedLinks.runLength) throws {
            self.lake = lake
            try lake.makeStagingDirectory()
            runs = SortedRuns(path: lake.scratchFiles.links, runLength: runLength, key: { $0.idHigh }) {
                ($0.idHigh, $0.idLow, $0.priority, $0.sequence) < ($1.idHigh, $1.idLow, $1.priority, $1.sequence)
            }
        }

        /// Wants `link` for record `id`, unless a link of lower `priority` is (or will be) wanted;
        /// `rowid`: the record's row, when known (`forEachChange` hands it on).
        public func add(_ id: String, _ link: DuplicateLink, priority: UInt8, rowid: Int64? = nil) throws {
            guard let key = Self.words(id) else {
                if let current = other[id], current.priority <= priority { return }
                other[id] = (link, priority)
                return
            }
            var entry = Entry(
                idHigh: key.0, idLow: key.1, targetHigh: 0, targetLow: 0, target: -1, similarity: try intern(link.similarity),
                method: try intern(link.method), priority: priority, sequence: added, rowid: rowid ?? 0)
            added &+= 1
            if let target = Self.words(link.target) {
                (entry.targetHigh, entry.targetLow) = target
            } else {
                entry.target = Int32(targets.count)
                targets.append(link.target)
            }
            try runs.append(entry)
        }

        private func intern(_ text: String) throws -> UInt16 {
            if let i = textIndex[text] { return i }
            guard texts.count < Int(UInt16.max) else {
                throw LakeError(.lakeStorage, scope: .input, input: lake.directory, message: "too many distinct link values")
            }
            textIndex[text] = UInt16(texts.count)
            texts.append(text)
            return UInt16(texts.count - 1)
        }

        static func words(_ id: String) -> (UInt64, UInt64)? { RecordStorage.idWords(id).map { ($0.high, $0.low) } }

        static func id(_ high: UInt64, _ low: UInt64) -> String { Hex.string(RecordStorage.idBytes(high, low)) }

        private func link(_ e: Entry) -> DuplicateLink {
            DuplicateLink(
                target: e.target >= 0 ? targets[Int(e.target)] : Self.id(e.targetHigh, e.targetLow),
                similarity: texts[Int(e.similarity)], method: texts[Int(e.method)])
        }

        /// Calls `body(id, wanted, stored, rowid)` for every record whose wanted link (nil: none)
        /// differs from its stored one, in id order, with the record's row when a link added for
        /// it named it (nil for a link only stored); `body` may change the stored links of the id
        /// it is given. Returns how many records have a link wanted. Then starts over empty.
        public func forEachChange(_ body: (String, DuplicateLink?, DuplicateLink?, Int64?) throws -> Void) throws -> Int {
            let stored = try StoredLinks(lake)
            var wanted = 0
            var last: (UInt64, UInt64)?
            // The first link of a record decides; its row is whichever of its links named one.
            var pending: (key: (UInt64, UInt64), link: DuplicateLink, current: DuplicateLink?, rowid: Int64)?
            func handOn() throws {
                guard let p = pending else { return }
                pending = nil
                if p.link != p.current { try body(Self.id(p.key.0, p.key.1), p.link, p.current, p.rowid == 0 ? nil : p.rowid) }
            }
            try runs.forEachSorted { e in
                let key = (e.idHigh, e.idLow)
                if let last, last == key {
                    if pending?.rowid == 0 { pending?.rowid = e.rowid }
                    return
                }
                try handOn()
                last = key
                wanted += 1
                while let s = try stored.peek(), s.key < key {
                    try body(s.id, nil, s.link, nil)
                    stored.advance()
                }
                var current: DuplicateLink?
                if let s = try stored.peek(), s.key == key {
                    current = s.link
                    stored.advance()
                }
                pending = (key, link(e), current, e.rowid)
            }
            try handOn()
            while let s = try stored.peek() {
                try body(s.id, nil, s.link, nil)
                stored.advance()
            }
            for id in Set(other.keys).union(stored.other.keys).sorted() where other[id]?.link != stored.other[id] {
                try body(id, other[id]?.link, stored.other[id], nil)
            }
            wanted += other.count
            other = [:]
            targets = []
            added = 0
            return wanted
        }
    }

    /// The stored links in id order, read a page at a time (records whose id is not 32 hex
    /// digits go to `other`, whole).
    private final class StoredLinks {
        let page: SQLiteStatement
        var rows: [(key: (UInt64, UInt64), id: String, link: DuplicateLink)] = []
        var at = 0
        var after = ""
        var done = false
        var other: [String: DuplicateLink] = [:]

        init(_ lake: Lake) throws {
            page = try lake.database.prepare(
                "SELECT record_id, duplicate_of, similarity, method FROM record_duplicates WHERE record_id > ? ORDER BY record_id LIMIT 4096"
            )
        }

        func peek() throws -> (key: (UInt64, UInt64), id: String, link: DuplicateLink)? {
            while at == rows.count && !done {
                rows.removeAll(keepingCapacity: true)
                at = 0
                var read = 0
                try page.forEachRow([.text(after)]) {
                    read += 1
                    let id = $0.text(0) ?? ""
                    after = id
                    let link = DuplicateLink(target: $0.text(1) ?? "", similarity: $0.text(2) ?? "", method: $0.text(3) ?? "")
                    if let key = WantedLinks.words(id) { rows.append((key, id, link)) } else { other[id] = link }
                }
                done = read == 0
            }
            return at < rows.count ? rows[at] : nil
        }

        func advance() { at += 1 }
    }

    public func wantedLinks() throws -> WantedLinks { try WantedLinks(lake: self) }
}
