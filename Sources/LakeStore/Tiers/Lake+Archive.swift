#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import LakeCore

/// `archive`, `restore` and the rewriting of partition files (docs/SPEC.md 7, "Tiers").
extension Lake {
    /// Which tier a month belongs in, relative to a date.
    public struct TierPolicy: Sendable, Equatable {
        /// The newest months that stay hot: the month of the date and the ones before it.
        public var hotMonths = 3
        /// A month that ended this many days or more before the date goes cold; between, warm.
        public var coldAfterDays = 365
        public init() {}

        /// `hot`, `warm` or `cold` for partition `name` (`YYYY-MM`) as of `asOf` (`YYYY-MM-DD`).
        public func tier(of name: String, asOf: (year: Int64, month: Int64, day: Int64)) -> String {
            let parts = name.split(separator: "-").compactMap { Int64($0) }
            guard parts.count == 2, name.utf8.count == 7, (1...12).contains(parts[1]) else { return "hot" }
            let index = parts[0] * 12 + parts[1] - 1
            if index > asOf.year * 12 + asOf.month - 1 - Int64(hotMonths) { return "hot" }
            let end = StoredTime.monthStart(year: (index + 1) / 12, month: (index + 1) % 12 + 1)
            let day = StoredTime.daysFromCivil(year: asOf.year, month: asOf.month, day: asOf.day) * 86_400_000
            return (day - end) / 86_400_000 >= Int64(coldAfterDays) ? "cold" : "warm"
        }
    }

    /// What `archive` moved: a partition, its tier before (`hot`, `warm`, `cold`, or two joined
    /// with `+` when new hot records joined a file), its tier after and its records.
    public struct PartitionMove: Equatable, Sendable {
        public var partition: String
        public var from: String
        public var to: String
        public var records: Int
    }

    /// Parses `YYYY-MM-DD`.
    public static func parseDay(_ text: String) -> (year: Int64, month: Int64, day: Int64)? {
        guard let ms = StoredTime.millis(text + "T00:00:00.000Z") else { return nil }
        let (y, m, d) = StoredTime.civil(fromDays: ms / 86_400_000)
        return (y, m, d)
    }

    /// Moves every partition to the tier `policy` gives it as of `asOf`, inside the caller's
    /// writer mark. Each partition is one transaction; files left by a killed run go first.
    /// `progress` hears of each partition once it is committed.
    public func archive(
        asOf: (year: Int64, month: Int64, day: Int64), policy: TierPolicy = TierPolicy(), progress: (PartitionMove) -> Void = { _ in }
    ) throws -> [PartitionMove] {
        try makePartitionsFolder()
        try removeOrphanPartitionFiles()
        let hot = try hotPartitionCounts()
        let files = Dictionary(try partitions().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var moves: [PartitionMove] = []
        for name in Set(hot.keys).union(files.keys).sorted() where name != "undated" {
            let target = policy.tier(of: name, asOf: asOf)
            guard target != "hot", let tier = PartitionFiles.Tier(rawValue: target) else { continue }
            let file = files[name]
            if file?.tier == target && hot[name] == nil { continue }
            let from = [hot[name] == nil ? nil : "hot", file?.tier].compactMap { $0 }.joined(separator: "+")
            let records = try rewrite(name, to: tier, includingHot: true, existing: file).records
            moves.append(PartitionMove(partition: name, from: from, to: target, records: records))
            progress(moves[moves.count - 1])
        }
        try removeOrphanPartitionFiles()
        if !moves.isEmpty {
            // Signatures of texts no hot record has any more (a moved record's text row went
            // with its row, `records_deleted_text`: a restored record is hashed again).
            try inTransaction { try database.execute(Self.forgetUnusedSignaturesSQL) }
            try appendAudit(command: "archive", counts: [("partitions", moves.count), ("records", moves.map(\.records).reduce(0, +))])
            // The moved rows' pages are free: the catalog shrinks to what stays hot.
            try compact()
        }
        return moves
    }

    /// Brings partition `name` back to the hot tier, in one transaction; returns its records.
    /// - Throws: a usage error when the lake has no such warm or cold partition.
    public func restore(_ name: String) throws -> Int {
        try makePartitionsFolder()
        try removeOrphanPartitionFiles()
        guard let row = try partitions().first(where: { $0.name == name }) else {
            throw LakeError(.partitionNotFound, scope: .usage, input: name, message: "the lake has no warm or cold partition of that name")
        }
        let cursor = try FileCursor(tier: PartitionFiles.Tier(rawValue: row.tier) ?? .warm, path: partitionsFolder + "/" + row.file)
        var count = 0
        try inTransaction {
            let unarchive = try database.prepare("DELETE FROM archived_ids WHERE id = ?")
            let insert = try database.prepare(RecordStorage.insertSQL)
            while let r = try cursor.next() {
                try unarchive.run([RecordStorage.idValue(r.stored.columns.id)])
                try RecordStorage.insert(HeldRow(r.row), jobID: r.jobID, refs: refs, database, with: insert, archived: nil)
                count += 1
            }
            try database.prepare("DELETE FROM partitions WHERE name = ?").run([.text(name)])
            try appendAudit(command: "restore", counts: [("partitions", 1), ("records", count)])
        }
        try removeOrphanPartitionFiles()
        return count
    }

    /// Writes partition `name` anew in `tier`: the records of its current file (but those `dropping`
    /// picks) and, with `includingHot`, its hot records, merged in export order. Then, in one
    /// transaction, the catalog names the new file (or no file, when nothing is left), the hot
    /// records moved leave `records` for `archived_ids`, and the dropped records' ids leave
    /// `archived_ids` (in the caller's transaction when `inCallersTransaction`). The old file
    /// becomes an orphan, removed by the caller. `owners` gives records new owners (`rebalance`).
    @discardableResult
    func rewrite(
        _ name: String, to tier: PartitionFiles.Tier, includingHot: Bool, existing: PartitionRow?,
        dropping: (CursorRecord) -> Bool = { _ in false }, inCallersTransaction: Bool = false,
        owners: ((RecordRow.Owner) -> RecordRow.Owner)? = nil
    ) throws -> (records: Int, dropped: Int) {
        func cursor() throws -> RecordCursor {
            var cursors: [RecordCursor] = []
            if includingHot { cursors.append(try MonthCursor(lake: self, month: name)) }
            if let existing {
                cursors.append(
                    try FileCursor(
                        tier: PartitionFiles.Tier(rawValue: existing.tier) ?? .warm, path: partitionsFolder + "/" + existing.file))
            }
            return try MergedCursor(cursors)
        }
        // Pass 1: the values the kept records refer to, numbered in the order first met.
        var dictionary = PartitionCodec.Dictionary()
        var keys: [RecordRefs.Key: Int64] = [:]
        func ref(_ key: RecordRefs.Key, _ table: UInt8, _ add: (Int64) -> Void) -> Int64 {
            let tagged = ByteKey(parts: [table]).appending(key.bytes)
            if let r = keys[tagged] { return r }
            let r = Int64(keys.count + 1)
            keys[tagged] = r
            add(r)
            return r
        }
        func refs(_ record: CursorRecord) -> (Int64, Int64, Int64) {
            var r = record
            if let owners { r.owner = owners(r.owner) }
            let s = ref(RecordRefs.key(r.source, jobID: r.jobID), 0) { dictionary.sources[$0] = (r.jobID, r.source) }
            let k = ref(RecordRefs.key(r.kind), 1) { dictionary.kinds[$0] = r.kind }
            let o = ref(RecordRefs.key(r.owner), 2) { dictionary.owners[$0] = r.owner }
            return (s, k, o)
        }
        let first = try cursor()
        while let r = try first.next() {
            if !dropping(r) { _ = refs(r) }
        }
        // Pass 2: the records, in order.
        let generation = (existing?.generation ?? 0) + 1
        let fileName = "\(name).\(generation).\(tier == .warm ? "warm.sqlite" : "cold.zst")"
        let path = partitionsFolder + "/" + fileName
        let sink = try PartitionFiles.Sink(tier: tier, path: path, dictionary: dictionary)
        var dropped: [SQLiteValue] = [], written: [(SQLiteValue, SQLiteValue)] = []
        do {
            let second = try cursor()
            while let r = try second.next() {
                let id = RecordStorage.idValue(r.stored.columns.id)
                if dropping(r) {
                    if !r.hot { dropped.append(id) }
                    continue
                }
                // A damaged hot row is refused, not written into a file that would hide it.
                if r.hot, !RecordStorage.checksumMatches(r.stored.checksum, r.line) {
                    throw LakeError(
                        .lakeCorrupt, scope: .input, input: directory,
                        message: "record \(r.stored.columns.id) no longer matches its checksum: the catalog was damaged")
                }
                var record = r
                if let owners {
                    let placed = owners(r.owner)
                    if placed.shards != r.owner.shards {
                        // The shard is part of the line: its checksum (or its whole line) follows.
                        let row = try r.row.withShards(placed.shards)
                        (record.stored.columns, record.stored.checksum, record.stored.line) = (row.columns, row.checksum, row.line)
                        (record.kind, record.owner) = (row.kind, row.owner)
                        (record.fragments, record.builtLine) = (nil, nil)
                    }
                }
                var s = record.stored
                (s.source, s.kind, s.owner) = refs(record)
                let derived =
                    Identity.recordID(
                        inputSHA256: record.source.inputSHA256, path: record.source.path, index: s.columns.index, user: record.owner.user,
                        contentHash: s.columns.contentHash) == s.columns.id
                try sink.add(s, idDerived: derived)
                written.append((id, RecordStorage.hashValue(s.columns.contentHash)))
            }
            let raw = try sink.finish()
            let fileDigest = try Self.digest(ofFile: path)
            let apply = { [self] in
                if includingHot {
                    let month = MonthCursor.condition(name)
                    try database.prepare("DELETE FROM records AS r WHERE \(month.sql)").run(month.values)
                }
                // Every record of the file, with its content hash (the merge stage finds archived
                // twins of new records by it; a row of a lake archived before schema 17 gets it here).
                let archive = try database.prepare("INSERT OR REPLACE INTO archived_ids(id, content_hash) VALUES (?, ?)")
                for (id, hash) in written { try archive.run([id, hash]) }
                let unarchive = try database.prepare("DELETE FROM archived_ids WHERE id = ?")
                for id in dropped { try unarchive.run([id]) }
                try database.prepare("DELETE FROM partitions WHERE name = ?").run([.text(name)])
                if sink.records > 0 {
                    try database.prepare(
                        """
                        INSERT INTO partitions(name, tier, file, records, bytes, raw_sha256, file_sha256, generation, archived_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """
                    ).run([
                        .text(name), .text(tier.rawValue), .text(fileName), .integer(Int64(sink.records)), .integer(fileDigest.size),
                        .text(raw), .text(fileDigest.sha256), .integer(Int64(generation)), .text(Self.now()),
                    ])
                }
            }
            if inCallersTransaction { try wrap(apply) } else { try inTransaction(apply) }
        } catch {
            sink.abandon()
            throw error
        }
        if sink.records == 0 { unlink(path) }
        return (sink.records, dropped.count)
    }

    /// SHA-256 and size of a file, read in pieces.
    static func digest(ofFile path: String) throws -> FileDigest {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw Compression.damaged("\(path) cannot be read") }
        defer { close(fd) }
        let digester = FileDigester()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            buffer.withUnsafeBytes { digester.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return digester.finish()
    }
}
