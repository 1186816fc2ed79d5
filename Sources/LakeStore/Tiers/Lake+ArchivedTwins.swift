import LakeCore

/// Archived records a new hot record may be the same as (docs/SPEC.md 5.11, "Records, seen
/// again"): found by content hash in `archived_ids`, read from their partition's file, and
/// made sightings by writing the file again without them.
extension Lake {
    /// A record of a warm or cold partition.
    public struct ArchivedRecord: Sendable {
        public var id: String
        public var canonical: [UInt8]
        public var partition: String
        public var jobID: String
        public var index: Int
        let source: RecordRow.Source
        let owner: RecordRow.Owner
        public let contentHash: String
        public var input: String { source.input }
        public var inputSHA256: String { source.inputSHA256 }
        public var path: String { source.path }
    }

    /// The content hashes (hex) that a hot record shares with an archived one, by the hot
    /// record's partition (where an archived record of the same time is), partitions and hashes
    /// sorted.
    public func hashesSharedWithArchive() throws -> [(partition: String, hashes: [String])] {
        var out: [(partition: String, hashes: [String])] = []
        try wrap {
            // A lake with nothing archived (or archived before schema 17) has nothing to compare:
            // no pass over every hot record.
            var any = false
            try database.prepare("SELECT 1 FROM archived_ids WHERE content_hash IS NOT NULL LIMIT 1").forEachRow { _ in any = true }
            guard any else { return }
            try database.prepare(
                """
                SELECT DISTINCT CASE WHEN r.occurred_at IS NULL THEN 'undated' ELSE substr(\(LakeViews.timeText), 1, 7) END AS p,
                  r.content_hash FROM records r
                WHERE EXISTS (SELECT 1 FROM archived_ids a WHERE a.content_hash = r.content_hash) ORDER BY 1, 2
                """
            ).forEachRow {
                let partition = $0.text(0) ?? "undated", hash = RecordStorage.hashText($0.value(1))
                if out.last?.partition == partition { out[out.count - 1].hashes.append(hash) } else { out.append((partition, [hash])) }
            }
        }
        return out
    }

    /// The records of partition `name`'s file whose content hash is one of `hashes`, in export order.
    public func archivedRecords(partition name: String, hashes: Set<String>) throws -> [ArchivedRecord] {
        guard let p = try partitions().first(where: { $0.name == name }) else { return [] }
        var out: [ArchivedRecord] = []
        let cursor = try FileCursor(tier: PartitionFiles.Tier(rawValue: p.tier) ?? .warm, path: partitionsFolder + "/" + p.file)
        while let r = try cursor.next() {
            guard hashes.contains(r.stored.columns.contentHash) else { continue }
            out.append(
                ArchivedRecord(
                    id: r.stored.columns.id, canonical: r.line, partition: name, jobID: r.jobID, index: r.stored.columns.index,
                    source: r.source, owner: r.owner, contentHash: r.stored.columns.contentHash))
        }
        return out
    }

    /// Makes each archived record a sighting of the record kept (by id): a `record_sightings`
    /// row, and its partition's file written again without it, in the caller's transaction.
    /// Returns the files replaced: orphans once the caller has committed (`removeOrphanPartitionFiles(among:)`).
    public func demoteArchived(_ demotions: [(record: ArchivedRecord, survivor: String)]) throws -> [String] {
        guard !demotions.isEmpty else { return [] }
        var byPartition: [String: Set<String>] = [:]
        try wrap {
            let insert = try database.prepare(
                "INSERT OR REPLACE INTO record_sightings(id, survivor, source, idx, content_hash, owner) VALUES (?, ?, ?, ?, ?, ?)")
            for (r, survivor) in demotions {
                try insert.run([
                    RecordStorage.idValue(r.id), RecordStorage.idValue(survivor),
                    .integer(try refs.source(r.source, jobID: r.jobID, database)), .integer(Int64(r.index)),
                    RecordStorage.hashValue(r.contentHash), .integer(try refs.owner(r.owner, database)),
                ])
                byPartition[r.partition, default: []].insert(r.id)
            }
        }
        let rows = try partitions()
        var replaced: [String] = []
        for name in byPartition.keys.sorted() {
            guard let p = rows.first(where: { $0.name == name }) else { continue }
            let ids = byPartition[name]!
            try rewrite(
                name, to: PartitionFiles.Tier(rawValue: p.tier) ?? .warm, includingHot: false, existing: p,
                dropping: { ids.contains($0.stored.columns.id) }, inCallersTransaction: true)
            replaced.append(p.file)
        }
        return replaced
    }

}
