import LakeCore
import LakeParsers
import LakeStore

/// Merging of records seen again (docs/SPEC.md 5.11, "Records, seen again"), the first step of
/// the duplicate stage: two exports of one account (two Takeouts a month apart) hold the same
/// elements, and the lake keeps each once. Two hot records are the same when they share the
/// entry path and everything but their id and source (user, kinds, data, time, entities, PII,
/// language, shard: the same raw element read the same way), and are the same occurrence of
/// it in their files (the n-th such record of one file is the n-th of the other). Of each such
/// set the first in export order stays a record; the others become sightings
/// (`record_sightings`) and the record's exported lineage names them (`merge.seen_again`).
/// When a later job brings a sighting that sorts first, it becomes the record and the old one
/// a sighting, so the lake depends on its inputs alone, not on the order jobs came in. Nothing
/// is lost: a sighting's record is the kept record with its own id and source.
struct RecordMerger {
    let lake: Lake

    /// One record or sighting of a content-hash group.
    struct Member {
        var id: String
        var input: [UInt8]
        var sha: [UInt8]
        var path: [UInt8]
        var index: Int
        /// The stored line (hot records); nil for a sighting.
        var canonical: [UInt8]?
        var sighting: Lake.Sighting?
        /// Path and the record without id, source and duplicate links: equal keys, same record.
        var key: [UInt8]

        /// Export order (docs/SPEC.md 3): input, input SHA-256, path by bytes, index, id.
        static func precedes(_ a: Member, _ b: Member) -> Bool {
            if a.input != b.input { return a.input.lexicographicallyPrecedes(b.input) }
            if a.sha != b.sha { return a.sha.lexicographicallyPrecedes(b.sha) }
            if a.path != b.path { return a.path.lexicographicallyPrecedes(b.path) }
            if a.index != b.index { return a.index < b.index }
            return Array(a.id.utf8).lexicographicallyPrecedes(Array(b.id.utf8))
        }
    }

    /// Merges every set of same records; returns how many hot records became sightings.
    func run() throws -> Int {
        var merged = 0
        try lake.sharedContentHashGroups { group in
            guard
                let hash = try group.first.map({ try JSONReader.parse($0.canonical, limits: .canonicalLines) })?["content_hash"]?
                    .stringValue
            else { return }
            merged += try merge(group, sightings: try lake.sightings(contentHash: hash))
        }
        return merged
    }

    static func index(_ v: JSONValue?) -> Int {
        if case .number(let n)? = v { return Int(n) ?? 0 }
        return 0
    }

    private func merge(_ group: [Lake.StoredRecord], sightings: [Lake.Sighting]) throws -> Int {
        var members: [Member] = []
        var keyOf: [String: [UInt8]] = [:]
        let sightingIDs = Set(sightings.map(\.id))
        for r in group {
            // A record merged before and brought again by a re-run of its export: it stays a sighting.
            if sightingIDs.contains(r.id) {
                try lake.removeHotRecord(r.id)
                continue
            }
            let record = try JSONReader.parse(r.canonical, limits: .canonicalLines)
            let source = record["source"]
            let path = Array((source?["path"]?.stringValue ?? "").utf8)
            let key = path + [0] + CanonicalJSON.encode(DuplicateLinker.unlinked(record).setting("id", .null).setting("source", .null))
            keyOf[r.id] = key
            members.append(
                Member(
                    id: r.id, input: Array((source?["input"]?.stringValue ?? "").utf8),
                    sha: Array((source?["input_sha256"]?.stringValue ?? "").utf8), path: path,
                    index: Self.index(source?["index"]), canonical: r.canonical, sighting: nil, key: key))
        }
        for s in sightings {
            // A sighting of an archived record is not compared (the stage sees hot records only).
            guard let key = keyOf[s.survivor] else { continue }
            members.append(
                Member(
                    id: s.id, input: Array(s.input.utf8), sha: Array(s.inputSHA256.utf8), path: Array(s.path.utf8), index: s.index,
                    canonical: nil, sighting: s, key: key))
        }
        // The n-th record of a key in one file is the same as the n-th of that key in another.
        var byKeyAndFile: [[UInt8]: [Member]] = [:]
        for m in members { byKeyAndFile[m.key + [0] + m.input + [0] + m.sha, default: []].append(m) }
        var sets: [[UInt8]: [Member]] = [:]
        for (_, file) in byKeyAndFile {
            for (occurrence, m) in file.sorted(by: Member.precedes).enumerated() {
                sets[m.key + [0] + Array(String(occurrence).utf8), default: []].append(m)
            }
        }
        var demoted = 0
        for key in sets.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let set = sets[key]!.sorted(by: Member.precedes)
            guard set.count > 1, let survivor = set.first, let template = set.first(where: { $0.canonical != nil }) else { continue }
            if let sighting = survivor.sighting, let line = template.canonical {
                // An earlier sighting arrived: it becomes the record, the record a sighting.
                let record = try JSONReader.parse(line, limits: .canonicalLines)
                let promoted = DuplicateLinker.unlinked(record).setting("id", .string(survivor.id)).setting("source", sighting.source)
                try lake.demoteToSighting(template.id, of: survivor.id)
                try lake.promoteSighting(sighting, canonical: CanonicalJSON.encode(promoted))
            }
            for m in set.dropFirst() where m.canonical != nil && !(survivor.sighting != nil && m.id == template.id) {
                try lake.demoteToSighting(m.id, of: survivor.id)
                demoted += 1
            }
            try lake.pointSightings(set.dropFirst().map(\.id), at: survivor.id)
        }
        return demoted
    }
}
