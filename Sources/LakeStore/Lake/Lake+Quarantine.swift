#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import LakeCore

/// The quarantine: files the security scan matched, kept (never deleted, never parsed) in
/// `<lake>/quarantine/<sha256>` (0600), with a catalog row naming where they came from and
/// what matched, until a person releases them.
extension Lake {
    public struct QuarantineRow: Equatable, Sendable {
        public var sha256: String
        public var jobID: String
        public var input: String
        public var entryIndex: Int
        public var path: String
        public var size: Int64
        public var xxh64: String
        /// `yara`, then `clamav` once it runs.
        public var engine: String
        /// The rules that matched, `namespace:rule`, comma-separated.
        public var rules: String
        public var quarantinedAt: String
        public var releasedAt: String?
        public var releasedTo: String?

        public init(
            sha256: String, jobID: String, input: String, entryIndex: Int, path: String, size: Int64, xxh64: String, engine: String,
            rules: String
        ) {
            self.sha256 = sha256
            self.jobID = jobID
            self.input = input
            self.entryIndex = entryIndex
            self.path = path
            self.size = size
            self.xxh64 = xxh64
            self.engine = engine
            self.rules = rules
            quarantinedAt = Lake.now()
        }
    }

    public var quarantineDirectory: String { directory + "/quarantine" }

    /// Where a quarantined file's bytes are kept.
    public func quarantinePath(sha256: String) -> String { quarantineDirectory + "/" + sha256 }

    /// Creates the quarantine folder (0700), never through a link.
    public func makeQuarantineFolder() throws {
        if mkdir(quarantineDirectory, 0o700) != 0 && errno != EEXIST {
            throw LakeError(
                .lakeStorage, scope: .input, message: "cannot create \(quarantineDirectory): \(String(cString: strerror(errno)))")
        }
        try Self.checkNoLinks(directory)
    }

    /// Records a quarantined file (inside the caller's transaction when there is one).
    public func insertQuarantine(_ q: QuarantineRow) throws {
        try wrap {
            try database.prepare(
                """
                INSERT OR REPLACE INTO quarantine(sha256, job_id, input, entry_index, path, size, xxh64, engine, rules, quarantined_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).run([
                .text(q.sha256), .text(q.jobID), .text(q.input), .integer(Int64(q.entryIndex)), .text(q.path), .integer(q.size),
                .text(q.xxh64), .text(q.engine), .text(q.rules), .text(q.quarantinedAt),
            ])
        }
    }

    /// Every quarantined file, oldest first (released ones too, with when and where).
    public func quarantined() throws -> [QuarantineRow] {
        var rows: [QuarantineRow] = []
        try wrap {
            try database.prepare(
                """
                SELECT sha256, job_id, input, entry_index, path, size, xxh64, engine, rules, quarantined_at, released_at, released_to
                FROM quarantine ORDER BY quarantined_at, job_id, input, entry_index
                """
            ).forEachRow { r in
                var q = QuarantineRow(
                    sha256: r.text(0) ?? "", jobID: r.text(1) ?? "", input: r.text(2) ?? "", entryIndex: Int(r.int(3)),
                    path: r.text(4) ?? "",
                    size: r.int(5), xxh64: r.text(6) ?? "", engine: r.text(7) ?? "", rules: r.text(8) ?? "")
                q.quarantinedAt = r.text(9) ?? ""
                q.releasedAt = r.text(10)
                q.releasedTo = r.text(11)
                rows.append(q)
            }
        }
        return rows
    }

    /// Marks every row of `sha256` released to `destination` (the caller copied the bytes there).
    public func markReleased(sha256: String, to destination: String) throws {
        try wrap {
            try database.prepare("UPDATE quarantine SET released_at = ?, released_to = ? WHERE sha256 = ? AND released_at IS NULL")
                .run([.text(Lake.now()), .text(destination), .text(sha256)])
        }
    }
}
