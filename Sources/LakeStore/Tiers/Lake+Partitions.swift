#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import LakeCore

/// Monthly partitions and their tiers (docs/SPEC.md 7, "Tiers"). Hot records are rows of
/// `records`; a warm or cold partition is one file under `<lake>/partitions/`, named by the
/// catalog's `partitions` row, the only thing that says which file is current. A file the
/// catalog does not name (left by a killed archive, restore or erase) is removed by the next
/// of those commands.
extension Lake {
    public struct PartitionRow: Equatable, Sendable {
        public var name: String
        /// `warm` or `cold`.
        public var tier: String
        public var file: String
        public var records: Int
        public var bytes: Int64
        /// SHA-256 of the records' encoded bytes, and of the file as written.
        public var rawSHA256: String
        public var fileSHA256: String
        public var generation: Int
        public var archivedAt: String
    }

    public var partitionsFolder: String { directory + "/partitions" }

    /// The partition a stored time belongs to (`YYYY-MM` or `undated`), as SQL over `r.occurred_at`.
    static let partitionSQL = """
        CASE typeof(r.occurred_at) WHEN 'integer' THEN strftime('%Y-%m', r.occurred_at / 1000.0, 'unixepoch')
          WHEN 'text' THEN substr(r.occurred_at, 1, 7) ELSE 'undated' END
        """

    /// The warm and cold partitions, by name.
    public func partitions() throws -> [PartitionRow] {
        var rows: [PartitionRow] = []
        try wrap {
            try database.prepare(
                "SELECT name, tier, file, records, bytes, raw_sha256, file_sha256, generation, archived_at FROM partitions ORDER BY name"
            ).forEachRow {
                rows.append(
                    PartitionRow(
                        name: $0.text(0) ?? "", tier: $0.text(1) ?? "", file: $0.text(2) ?? "", records: Int($0.int(3)), bytes: $0.int(4),
                        rawSHA256: $0.text(5) ?? "", fileSHA256: $0.text(6) ?? "", generation: Int($0.int(7)), archivedAt: $0.text(8) ?? "")
                )
            }
        }
        return rows
    }

    /// Hot records per partition.
    public func hotPartitionCounts() throws -> [String: Int] {
        var out: [String: Int] = [:]
        try wrap {
            try database.prepare("SELECT \(Self.partitionSQL) AS p, count(*) FROM records r GROUP BY p").forEachRow {
                out[$0.text(0) ?? ""] = Int($0.int(1))
            }
        }
        return out
    }

    /// Creates the partitions folder (0700), never through a link.
    func makePartitionsFolder() throws {
        if mkdir(partitionsFolder, 0o700) != 0 && errno != EEXIST {
            throw LakeError(.lakeStorage, scope: .input, message: "cannot create \(partitionsFolder): \(String(cString: strerror(errno)))")
        }
        try Self.checkNoLinks(directory)
        var info = stat()
        guard lstat(partitionsFolder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw LakeError(.lakeUnsafeLink, scope: .input, input: partitionsFolder, message: "is not a folder of the lake")
        }
    }

    /// Removes the files of `partitions/` the catalog does not name (a killed command's); with
    /// `among`, only those of these files (safe while another writer may be writing its own).
    public func removeOrphanPartitionFiles(among files: [String]? = nil) throws {
        if files?.isEmpty == true { return }
        let named = Set(try partitions().map(\.file))
        let candidates = files ?? (try? FileManager.default.contentsOfDirectory(atPath: partitionsFolder)) ?? []
        for name in candidates where !named.contains(name) && !name.contains("/") { unlink(partitionsFolder + "/" + name) }
    }

    /// A cursor over every record of every tier, in export order; `user` filters.
    func allRecords(user: String?) throws -> RecordCursor {
        let condition = user == nil ? "1" : "r.owner IN (SELECT ref FROM record_owners WHERE user = ?)"
        let hot = try HotCursor(lake: self, condition: condition, filter: user.map { [.text($0)] } ?? [])
        let files = try partitions()
        if files.isEmpty { return hot }
        var cursors: [RecordCursor] = [hot]
        for p in files {
            let cursor = try FileCursor(tier: PartitionFiles.Tier(rawValue: p.tier) ?? .warm, path: partitionsFolder + "/" + p.file)
            cursors.append(user.map { OwnerFilter(cursor, user: $0) } ?? cursor)
        }
        return try MergedCursor(cursors)
    }

    /// Whether record `id` sits in a warm or cold partition.
    public func isArchived(id: String) throws -> Bool {
        var found = false
        try wrap {
            try database.prepare("SELECT 1 FROM archived_ids WHERE id = ?").forEachRow([RecordStorage.idValue(id)]) { _ in found = true }
        }
        return found
    }
}

/// A file cursor's records of one user only.
final class OwnerFilter: RecordCursor {
    let base: RecordCursor
    let user: [UInt8]
    init(_ base: RecordCursor, user: String) {
        self.base = base
        self.user = Array(user.utf8)
    }
    func next() throws -> CursorRecord? {
        while let r = try base.next() { if Array(r.owner.user.utf8) == user { return r } }
        return nil
    }
}

extension Lake {
    /// The bytes of every file entry the lake's jobs read (uncompressed), for size ratios.
    public func uncompressedInputBytes() throws -> Int64 {
        var n: Int64 = 0
        try wrap {
            try database.prepare("SELECT ifnull(sum(size), 0) FROM files WHERE kind = 'file' AND status != 'archive'").forEachRow {
                n = $0.int(0)
            }
        }
        return n
    }
}
