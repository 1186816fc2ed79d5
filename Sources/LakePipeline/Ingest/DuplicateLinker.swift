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
    /// How many rows the relink step's readers read ahead of its writes, and how many rows a
    /// batch needs for them (`Relinks`).
    var relinkPage = Relinks.pageRows
    var relinkReadersFrom = Relinks.readersFrom

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
        if near { try finder.links { try wanted.add($0, $1, priority: 1, rowid: $2) } }
        var exact = 0
        try lake.sharedContentHashGroups { group, _ in
            guard let first = group.first else { return }
            for r in group.dropFirst() {
                try wanted.add(r.id, .init(target: first.id, similarity: "1", method: "content_hash"), priority: 0, rowid: r.rowid)
                exact += 1
            }
        }
        onStep(.contentHash, exact)
        try checkStop()
        // After the merge's commit, reading connections may read and change the rows a page
        // ahead of the writer (`Relinks`).
        var relinks = Relinks(
            relinker: try lake.relinker(), batchSize: relinkBatch,
            readers: { [lake, linksAfterCommit] in
                linksAfterCommit ? try (0..<Relinks.readers).map { _ in try lake.relinkReader() } : []
            }, pageRows: relinkPage, readersFrom: relinkReadersFrom)
        var changes = 0
        let linked = try wanted.forEachChange { id, link, stored, rowid in
            changes += 1
            if changes % 4096 == 0 { try checkStop() }
            // A link to a record in a warm or cold partition stays as it is: the duplicate stage
            // sees hot records only (docs/SPEC.md 5.11).
            if link == nil, let stored, try lake.isArchived(id: stored.target) { return }
            try relinks.add(id, link, rowid: rowid)
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
