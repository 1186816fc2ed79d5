import LakeCore
import LakeParsers
import LakeStore

/// Merging of records seen again (docs/SPEC.md 5.11, "Records, seen again"), the first step of
/// the duplicate stage: two exports of one account (two Takeouts a month apart) hold the same
/// elements, and the lake keeps each once. Two records are the same when they share the entry
/// path and everything but their id and source (user, kinds, data, time, entities, PII,
/// language, shard: the same raw element read the same way), and are the same occurrence of it
/// in their files (the n-th such record of one file is the n-th of the other). Of each such set
/// the first in export order stays a record; the others become sightings (`record_sightings`)
/// and the record's exported lineage names them (`merge.seen_again`). When a later job brings a
/// record that sorts first, it becomes the record and the old one a sighting (a warm or cold
/// one leaves its partition file), so the lake depends on its inputs alone, not on the order
/// jobs came in. Nothing is lost: a sighting's record is the kept record with its own id and
/// source.
struct RecordMerger {
    let lake: Lake

    /// Where a member of a set is now.
    enum Place {
        case hot([UInt8])
        case sighting(Lake.Sighting)
        case archived(Lake.ArchivedRecord)
    }

    /// One record or sighting sharing a content hash.
    struct Member {
        var id: String
        var position: Lake.ExportPosition
        var place: Place
        /// Path and the record without id, source and duplicate links: equal keys, same record.
        var key: [UInt8]
        /// The key's number among the distinct keys of its content hash (few: compared whole).
        var keyNumber = 0

        var canonical: [UInt8]? {
            switch place {
            case .hot(let line): line
            case .archived(let r): r.canonical
            case .sighting: nil
            }
        }

        /// Export order (docs/SPEC.md 3).
        static func precedes(_ a: Member, _ b: Member) -> Bool { a.position < b.position }
    }

    /// Merges every set of same records; returns how many records became sightings, and the
    /// partition files replaced (to remove once the caller has committed).
    func run() throws -> (merged: Int, replacedFiles: [String]) {
        var merged = 0
        var replaced: [String] = []
        let sightings = try lake.sightingWriter()
        var none: [(record: Lake.ArchivedRecord, survivor: String)] = []
        try lake.sharedContentHashGroups { group, records in
            guard let hash = group.first?.contentHash else { return }
            let seen = try sightings.sightings(contentHash: hash)
            // Records of one file are never one another's (the n-th of a key in a file is only
            // the n-th of it in another file), so such a group is read no further.
            guard Self.couldMerge(group, sightings: seen) else { return }
            merged += try merge(hot: try records(), sightings: seen, archived: [], demoting: &none, sightings)
        }
        // Hot records whose content hash an archived record shares: each partition file read once.
        for (partition, hashes) in try lake.hashesSharedWithArchive() {
            let archived = Dictionary(grouping: try lake.archivedRecords(partition: partition, hashes: Set(hashes)), by: \.contentHash)
            var demoting: [(record: Lake.ArchivedRecord, survivor: String)] = []
            for hash in hashes {
                merged += try merge(
                    hot: try lake.hotRecords(contentHash: hash), sightings: try sightings.sightings(contentHash: hash),
                    archived: archived[hash] ?? [], demoting: &demoting, sightings)
            }
            replaced += try lake.demoteArchived(demoting)
            if !demoting.isEmpty { TestHooks.killInMerge() }
            merged += demoting.count
        }
        return (merged, replaced)
    }

    /// Whether a group sharing a content hash may hold records to merge: it has sightings, or
    /// records from more than one file (`record_sources` row).
    static func couldMerge(_ group: [Lake.HashMember], sightings: [Lake.Sighting]) -> Bool {
        guard sightings.isEmpty, let first = group.first?.source else { return true }
        return group.contains { $0.source != first }
    }

    static func index(_ v: JSONValue?) -> Int {
        if case .number(let n)? = v { return Int(n) ?? 0 }
        return 0
    }

    /// A hot or archived record as a member, its key computed from its line.
    static func member(id: String, canonical: [UInt8], place: Place) throws -> Member {
        let record = try JSONReader.parse(canonical, limits: .canonicalLines)
        let source = record["source"]
        let path = Array((source?["path"]?.stringValue ?? "").utf8)
        let key = path + [0] + CanonicalJSON.encode(DuplicateLinker.unlinked(record).setting("id", .null).setting("source", .null))
        let position = Lake.ExportPosition(
            input: source?["input"]?.stringValue ?? "", inputSHA256: source?["input_sha256"]?.stringValue ?? "",
            path: source?["path"]?.stringValue ?? "", index: index(source?["index"]), id: id)
        return Member(id: id, position: position, place: place, key: key)
    }

    /// Merges the sets among one content hash's records and sightings; archived records to
    /// become sightings are added to `demoting` (their files are written once per partition).
    private func merge(
        hot: [Lake.StoredRecord], sightings: [Lake.Sighting], archived: [Lake.ArchivedRecord],
        demoting: inout [(record: Lake.ArchivedRecord, survivor: String)], _ writer: Lake.SightingWriter
    ) throws -> Int {
        var members: [Member] = []
        var keyOf: [String: [UInt8]] = [:]
        // One content hash's records: their rows are found through it.
        let hash = hot.first?.contentHash ?? ""
        let sightingIDs = Set(sightings.map(\.id))
        for r in hot {
            // A record merged before and brought again by a re-run of its export: it stays a sighting.
            if sightingIDs.contains(r.id) {
                try writer.removeHotRecord(r.id, contentHash: hash)
                continue
            }
            let m = try Self.member(id: r.id, canonical: r.canonical, place: .hot(r.canonical))
            keyOf[r.id] = m.key
            members.append(m)
        }
        for r in archived where !sightingIDs.contains(r.id) {
            let m = try Self.member(id: r.id, canonical: r.canonical, place: .archived(r))
            keyOf[r.id] = m.key
            members.append(m)
        }
        for s in sightings {
            // A sighting whose record is in a partition not read now is left as it is.
            guard let key = keyOf[s.survivor] else { continue }
            members.append(Member(id: s.id, position: s.position, place: .sighting(s), key: key))
        }
        // Keys are numbered by a comparison with each distinct key so far (a content hash has
        // few records): hashing whole records as dictionary keys cost more than the rest.
        var keys: [[UInt8]] = []
        for i in members.indices {
            if let k = keys.firstIndex(of: members[i].key) {
                members[i].keyNumber = k
            } else {
                members[i].keyNumber = keys.count
                keys.append(members[i].key)
            }
        }
        // The n-th record of a key in one file is the same as the n-th of that key in another.
        struct File: Hashable {
            var key: Int
            var input: [UInt8]
            var sha: [UInt8]
        }
        var byKeyAndFile: [File: [Member]] = [:]
        for m in members {
            byKeyAndFile[File(key: m.keyNumber, input: m.position.input, sha: m.position.inputSHA256), default: []].append(m)
        }
        struct Occurrence: Hashable, Comparable {
            var key: Int
            var n: Int
            static func < (a: Occurrence, b: Occurrence) -> Bool { (a.key, a.n) < (b.key, b.n) }
        }
        var sets: [Occurrence: [Member]] = [:]
        for (_, file) in byKeyAndFile {
            for (n, m) in file.sorted(by: Member.precedes).enumerated() { sets[Occurrence(key: m.keyNumber, n: n), default: []].append(m) }
        }
        var demoted = 0
        for key in sets.keys.sorted() {
            var set = sets[key]!.sorted(by: Member.precedes)
            guard set.count > 1, set.contains(where: { if case .hot = $0.place { true } else { false } }) else { continue }
            if case .sighting(let sighting) = set[0].place,
                let t = set.firstIndex(where: { if case .hot = $0.place { true } else { false } }), let line = set[t].canonical
            {
                // An earlier sighting arrived: it becomes the record, the record a sighting.
                let record = try JSONReader.parse(line, limits: .canonicalLines)
                let promoted = DuplicateLinker.unlinked(record).setting("id", .string(set[0].id)).setting("source", sighting.source)
                try writer.demoteToSighting(set[t].id, contentHash: hash, of: set[0].id)
                try writer.promoteSighting(sighting, canonical: CanonicalJSON.encode(promoted))
                set[t].place = .sighting(sighting)  // a sighting now: nothing more to do for it
            }
            let survivor = set[0].id
            for m in set.dropFirst() {
                switch m.place {
                case .hot:
                    try writer.demoteToSighting(m.id, contentHash: hash, of: survivor)
                    demoted += 1
                case .archived(let r): demoting.append((r, survivor))
                case .sighting: break
                }
            }
            try writer.pointSightings(set.dropFirst().map(\.id), at: survivor)
        }
        return demoted
    }
}
