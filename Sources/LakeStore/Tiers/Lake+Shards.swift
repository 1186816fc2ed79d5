import LakeCore

/// `datapunk rebalance --shards N` (docs/SPEC.md 6): users go to the shards of a ring of N
/// shards; only owners whose assignment changed are rewritten, in the catalog and in partition
/// files. The lake remembers N (`settings`), and later ingests place users on the same ring.
extension Lake {
    public struct RebalanceCounts: Equatable, Sendable {
        /// Distinct users in the lake, and those whose shards changed.
        public var users = 0
        public var moved = 0
        /// Users whose primary shard changed.
        public var primaryMoved = 0
        /// Records whose line changed (their owner's shards did).
        public var records = 0
        /// Records per primary shard after the move, by shard number.
        public var load: [Int] = []
    }

    /// The shard count a rebalance set, or nil (the thresholds' default applies).
    public func shardCount() throws -> Int? {
        var n: Int?
        try wrap { try database.prepare("SELECT value FROM settings WHERE key = 'shard_count'").forEachRow { n = Int($0.text(0) ?? "") } }
        return n
    }

    /// Places every user on `ring`, in one transaction per partition file and one for the catalog.
    public func rebalance(to ring: ShardRing) throws -> RebalanceCounts {
        try makePartitionsFolder()
        try removeOrphanPartitionFiles()
        var c = RebalanceCounts()
        var users = Set<[UInt8]>(), moved = Set<[UInt8]>(), primary = Set<[UInt8]>()
        func place(_ o: RecordRow.Owner) -> RecordRow.Owner {
            let key = Array(o.user.utf8)
            users.insert(key)
            let shards = ring.shards(for: o.user)
            if shards != o.shards {
                moved.insert(key)
                if shards.first != o.shards.first { primary.insert(key) }
            }
            return RecordRow.Owner(user: o.user, shards: shards)
        }
        // Partition files whose records have an owner that moves are written again.
        for p in try partitions() {
            let tier = PartitionFiles.Tier(rawValue: p.tier) ?? .warm
            let cursor = try FileCursor(tier: tier, path: partitionsFolder + "/" + p.file)
            var changes = 0
            while let r = try cursor.next() {
                if place(r.owner).shards != r.owner.shards { changes += 1 }
            }
            guard changes > 0 else { continue }
            c.records += changes
            try rewrite(p.name, to: tier, includingHot: false, existing: p, owners: place)
        }
        try inTransaction {
            var rows: [(ref: Int64, owner: RecordRow.Owner)] = []
            try database.prepare("SELECT ref, user, shards FROM record_owners").forEachRow {
                rows.append(($0.int(0), RecordRow.Owner(user: $0.text(1) ?? "", shards: RecordRefs.shards($0.text(2) ?? ""))))
            }
            let update = try database.prepare("UPDATE record_owners SET shards = ? WHERE ref = ?")
            var placed: [Int64: RecordRow.Owner] = [:]
            for row in rows {
                let owner = place(row.owner)
                guard owner.shards != row.owner.shards else { continue }
                placed[row.ref] = owner
                try update.run([.text(RecordRefs.shardsText(owner.shards)), .integer(row.ref)])
            }
            if !placed.isEmpty { c.records += try placeHotRecords(placed) }
            try database.prepare("INSERT OR REPLACE INTO settings(key, value) VALUES ('shard_count', ?)").run([
                .text(String(ring.shardCount))
            ])
            c.users = users.count
            c.moved = moved.count
            c.primaryMoved = primary.count
            try appendAudit(
                command: "rebalance", counts: [("shards", ring.shardCount), ("users", c.users), ("moved", c.moved), ("records", c.records)])
        }
        refs.reset()
        try removeOrphanPartitionFiles()
        c.load = try primaryLoad(shards: ring.shardCount)
        return c
    }

    /// Rewrites the checksum (or the whole line) of every hot record whose owner is a key of
    /// `placed`, for its new shards: one pass over `records` in rowid order (the catalog has no
    /// index on owners: a rebalance is rare, and the index cost every insert), a thousand rows
    /// at a time, so memory stays bounded. Returns how many records it rewrote.
    private func placeHotRecords(_ placed: [Int64: RecordRow.Owner]) throws -> Int {
        let owners = "[" + placed.keys.sorted().map(String.init).joined(separator: ",") + "]"
        let select = try database.prepare(
            """
            SELECT r.rowid, \(RecordStorage.selectColumns) FROM records r
            WHERE r.rowid > ? AND r.owner IN (SELECT value FROM json_each(?)) ORDER BY r.rowid LIMIT 1000
            """)
        let fix = try database.prepare("UPDATE records SET checksum = ?, line = ? WHERE rowid = ?")
        let values = try MainValues(database)
        var after: Int64 = 0, count = 0
        while true {
            // Each record's line holds its shard: the checksum, or the whole line, follows.
            var fixed: [(rowid: Int64, checksum: UInt64, line: [UInt8]?)] = []
            var last: Int64?
            try select.forEachRow([.integer(after), .text(owners)]) {
                last = $0.int(0)
                let stored = try values.stored($0, at: 1)
                guard let owner = placed[stored.owner] else { return }
                let moved = try values.record(stored).row.withShards(owner.shards)
                fixed.append(($0.int(0), moved.checksum, moved.line))
            }
            // The next batch starts after the last row read (not the last rewritten).
            guard let last else { return count }
            for f in fixed {
                try fix.run([.integer(RecordStorage.checksumValue(f.checksum)), f.line.map { .blob($0) } ?? .null, .integer(f.rowid)])
            }
            count += fixed.count
            after = last
        }
    }

    /// Records per primary shard, every tier.
    public func primaryLoad(shards: Int) throws -> [Int] {
        var load = [Int](repeating: 0, count: shards)
        let records = try allRecords(user: nil)
        while let r = try records.next() {
            if let s = r.owner.shards.first, s < shards { load[s] += 1 }
        }
        return load
    }
}
