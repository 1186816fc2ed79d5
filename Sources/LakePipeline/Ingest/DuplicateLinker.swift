import LakeCore
import LakeParsers
import LakeStore

/// The duplicate stage (docs/SPEC.md 5.11), after every input of a job loaded and before the
/// job ends: over the whole lake, each record whose content hash an earlier record (in export
/// order) shares gets a `duplicate_of` relationship to the first of them, each other text
/// record whose text is near an earlier one's (`NearDuplicateFinder`) one to that record, and
/// each file whose bytes equal an earlier file's is marked. Nothing is dropped. Links that no
/// longer hold (an earlier record arrived with a later job) are moved, so the lake's links
/// depend on its records alone, not on the order jobs came in. `run` is one transaction (the
/// caller's); an ingest commits `prepare` and `link` apart (see there). Run again (resume), it
/// changes nothing.
struct DuplicateLinker {
    static let version = "1"
    let lake: Lake
    /// Whether near duplicates are looked for (always, but for a benchmark).
    var near = true
    /// Called between pages and every few thousand rows: throws (`JobPaused`) to stop the
    /// stage, whose transaction then rolls back; run again (`resume`), it starts over.
    var checkStop: () throws -> Void = {}
    /// Told when each step of the stage ends, with its name and a count (`Step`).
    var onStep: (Step, Int) -> Void = { _, _ in }
    /// Whether the transaction `link` runs in has written nothing before it (the ingest commits
    /// `prepare` first): then its near pass reads through a second connection on another thread
    /// (`NearDuplicateFinder.passBeside`).
    var linksAfterCommit = false
    /// How many changed links the relink step holds before it writes them back (`Relinks`).
    var relinkBatch = Relinks.batchSize

    /// The stage's steps in the order they run; the count `onStep` gets with each.
    enum Step: String, CaseIterable {
        /// Hot records merged into an earlier record.
        case merge
        /// Text records hashed (those with no `record_texts` row yet).
        case hashTexts = "hash_texts"
        /// Records whose text equals an earlier record's.
        case identicalTexts = "identical_texts"
        /// First records of a text near an earlier one's.
        case nearTexts = "near_texts"
        /// Records whose content hash an earlier record shares.
        case contentHash = "content_hash"
        /// Records whose stored link changed.
        case relink
        /// Files marked as duplicates of an earlier file.
        case files
    }

    struct Counts {
        /// Records linked by content hash.
        var records = 0
        /// Records linked as near duplicates (`minhash`), and text records hashed this run.
        var near = 0
        var textsHashed = 0
        var files = 0
        /// Hot records merged into an earlier record this run, and the sightings in the lake.
        var merged = 0
        var sightings = 0
        /// Partition files written again without merged records: to remove once committed.
        var replacedFiles: [String] = []
    }

    /// The measures of the texts hashed in this run, when the hashing took them (an ingest's
    /// `NearDuplicateFinder.TextHashing`): the near pass then reads no record of those texts.
    var measures: NearDuplicateFinder.TextMeasures?

    var finder: NearDuplicateFinder {
        NearDuplicateFinder(lake: lake, measures: measures, passBeside: linksAfterCommit, checkStop: checkStop, onStep: onStep)
    }

    /// The whole stage: `prepare`, then `link`, in the caller's transaction.
    func run() throws -> Counts { try link(try prepare()) }

    /// The stage's first part: records seen again merged, new text records hashed. What it
    /// writes (gigabytes at 10 GB: `record_texts`, `text_signatures`) may be committed before `link`
    /// (the ingest does, so `link` does not read through it in the WAL); run again, it finds
    /// nothing more to do.
    /// `hashing`: the text records already being hashed (`NearDuplicateFinder.startHashing`),
    /// else they are hashed here.
    func prepare(hashing: NearDuplicateFinder.TextHashing? = nil) throws -> Counts {
        // Records seen again are merged before anything is linked: a merged record links nothing.
        let (merged, replaced) = try RecordMerger(lake: lake).run()
        onStep(.merge, merged)
        var hashed = 0
        if let hashing {
            hashed = try hashing.finish(finder, merged: merged)
        } else if near {
            hashed = try finder.hashNewRecords()
        }
        return Counts(textsHashed: hashed, merged: merged, replacedFiles: replaced)
    }

    /// The stage's second part: every link wanted now, moved where it changed; `prepared` is
    /// what `prepare` counted.
    func link(_ prepared: Counts) throws -> Counts {
        try checkStop()
        let wanted = try lake.wantedLinks()
        // A record that is an exact duplicate and a near one keeps the exact link (priority 0).
        if near { try finder.links { try wanted.add($0, $1, priority: 1) } }
        var exact = 0
        try lake.sharedContentHashGroups { group in
            guard let first = group.first else { return }
            for r in group.dropFirst() {
                try wanted.add(r.id, .init(target: first.id, similarity: "1", method: "content_hash"), priority: 0)
                exact += 1
            }
        }
        onStep(.contentHash, exact)
        try checkStop()
        var relinks = Relinks(relinker: try lake.relinker(), batchSize: relinkBatch)
        var changes = 0
        let linked = try wanted.forEachChange { id, link, stored in
            changes += 1
            if changes % 4096 == 0 { try checkStop() }
            // A link to a record in a warm or cold partition stays as it is: the duplicate stage
            // sees hot records only (docs/SPEC.md 5.11).
            if link == nil, let stored, try lake.isArchived(id: stored.target) { return }
            try relinks.add(id, link)
        }
        try relinks.flush()
        try relinks.relinker.finish()
        onStep(.relink, relinks.relinked)
        let files = try lake.linkDuplicateFiles()
        onStep(.files, files)
        var counts = prepared
        (counts.records, counts.near, counts.files, counts.sightings) = (exact, linked - exact, files, try lake.sightingCount())
        return counts
    }

    /// `line` with its `duplicate_of` relationship set to `link` (or removed), and the lineage
    /// step `validate.duplicates` present exactly when there is one.
    static func relinked(_ line: [UInt8], _ link: Lake.DuplicateLink?) throws -> [UInt8] {
        let record = try JSONReader.parse(line, limits: .canonicalLines)
        let (relationships, lineage) = relinked(
            relationships: record["relationships"] ?? .array([]), lineage: record["lineage"] ?? .array([]), link)
        return CanonicalJSON.encode(record.setting("relationships", .array(relationships)).setting("lineage", .array(lineage)))
    }

    /// A record's relationships and lineage with its `duplicate_of` relationship set to `link`
    /// (or removed), and the step `validate.duplicates` present exactly when there is one.
    static func relinked(relationships: JSONValue, lineage: JSONValue, _ link: Lake.DuplicateLink?) -> (
        relationships: [JSONValue], lineage: [JSONValue]
    ) {
        (relinked(relationships: relationships, link), relinked(lineage: lineage, linked: link != nil))
    }

    /// The relationships with their `duplicate_of` relationship set to `link`, or removed.
    static func relinked(relationships: JSONValue, _ link: Lake.DuplicateLink?) -> [JSONValue] {
        var relationships = (relationships.arrayValue ?? []).filter { $0["type"]?.stringValue != "duplicate_of" }
        if let link {
            relationships.append(
                .object([
                    .init("type", .string("duplicate_of")), .init("target", .string(link.target)),
                    .init("confidence", .number(link.similarity)), .init("method", .string(link.method)),
                ]))
        }
        return relationships
    }

    /// The lineage with the step `validate.duplicates` present exactly when `linked`: it depends
    /// on whether there is a link, not on which.
    static func relinked(lineage: JSONValue, linked: Bool) -> [JSONValue] {
        var lineage = (lineage.arrayValue ?? []).filter { $0["step"]?.stringValue != "validate.duplicates" }
        if linked { lineage.append(.object([.init("step", .string("validate.duplicates")), .init("version", .string(version))])) }
        return lineage
    }

    /// `record` without its `duplicate_of` relationship and its `validate.duplicates` step.
    static func unlinked(_ record: JSONValue) -> JSONValue {
        let (relationships, lineage) = relinked(
            relationships: record["relationships"] ?? .array([]), lineage: record["lineage"] ?? .array([]), nil)
        return record.setting("relationships", .array(relationships)).setting("lineage", .array(lineage))
    }
}

/// The records whose link changes, written back a batch at a time: their rows found by one
/// pass over the table (`Lake.Relinker.rowids`), then read and written in rowid order, along
/// the table. Written back in id order, each record was a random page of the table, read and
/// dirtied again for every record on it.
struct Relinks {
    /// Changes held before a batch is written back by default: 65,536 ids and links, about 15
    /// MB (an id and a target are 32-digit strings on the heap). A page of the table holds rows
    /// of many batches' records, so each batch reads and writes it again: with 16,384, the 53,671
    /// relinked records of the 256 MB Takeout zip took 0.91 and 0.96 s in two alternating rounds,
    /// with 65,536 (one batch) 0.73 and 0.74 s.
    static let batchSize = 65_536
    let relinker: Lake.Relinker
    let batchSize: Int
    private(set) var relinked = 0
    private var batch: [(id: String, link: Lake.DuplicateLink?)] = []
    private var lineages = LineageRelinks()

    init(relinker: Lake.Relinker, batchSize: Int = Self.batchSize) {
        self.relinker = relinker
        self.batchSize = max(batchSize, 1)
    }

    mutating func add(_ id: String, _ link: Lake.DuplicateLink?) throws {
        batch.append((id, link))
        relinked += 1
        if batch.count >= batchSize { try flush() }
    }

    /// Writes back the changes held.
    mutating func flush() throws {
        var rows: [(rowid: Int64, change: Int)] = []
        rows.reserveCapacity(batch.count)
        for (n, rowid) in try relinker.rowids(of: batch.map(\.id)).enumerated() {
            if let rowid { rows.append((rowid, n)) }
        }
        rows.sort { $0.rowid < $1.rowid }
        var written = [Bool](repeating: false, count: batch.count)
        for (rowid, n) in rows {
            let link = batch[n].link
            // The two columns a link changes, without reading or writing the whole line.
            let inPlace = try relinker.relinkParts(rowid: rowid) { relationships, lineage in
                let r = DuplicateLinker.relinked(
                    relationships: try relationships.map { try JSONReader.parse($0, limits: .canonicalLines) } ?? .array([]), link)
                return (r.isEmpty ? nil : CanonicalJSON.encode(.array(r)), try lineages.lineage(lineage, linked: link != nil))
            }
            if !inPlace {
                guard let line = try relinker.canonical(rowid: rowid) else { continue }
                try relinker.relink(rowid: rowid, try DuplicateLinker.relinked(line, link))
            }
            written[n] = true
        }
        // The links in id order, the order of their table's key.
        for (n, change) in batch.enumerated() where written[n] { try relinker.store(change.link, for: change.id) }
        batch.removeAll(keepingCapacity: true)
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
