import Foundation
import LakeCore

/// Files (every entry of every input, with what became of it) and the errors recorded
/// against a job.
extension Lake {
    /// A file (an archive entry, or the input itself) as the catalog records it.
    public struct FileRow: Sendable, Equatable {
        public var input: String
        public var entryIndex: Int
        public var path: String
        public var kind: String
        public var size: Int64?
        public var sha256: String?
        public var xxh64: String?
        public var mimeType: String?
        public var format: String?
        public var encoding: String?
        public var encodingConfidence: Double?
        public var mismatch: String?
        public var modified: Int64?
        public var permissions: Int64?
        /// Facebook per-byte mojibake seen in the detection sample.
        public var mojibake: Bool?
        /// Content metadata (`ContentMetadata`) as canonical JSON text.
        public var metadata: String?
        public var status: FileStatus
        public var records: Int

        public init(input: String, entryIndex: Int, path: String, kind: String, status: FileStatus) {
            self.input = input
            self.entryIndex = entryIndex
            self.path = path
            self.kind = kind
            self.status = status
            self.records = 0
        }
    }

    /// Entry indexes of `input` already finished by `jobID` (for re-runs).
    public func finishedEntries(jobID: String, input: String) throws -> Set<Int> {
        var done = Set<Int>()
        try wrap {
            try database.prepare("SELECT entry_index FROM files WHERE job_id = ? AND input = ?").forEachRow([.text(jobID), .text(input)]) {
                done.insert(Int($0.int(0)))
            }
        }
        return done
    }

    /// Inserts a file row (inside the caller's transaction when there is one).
    public func insertFile(jobID: String, _ f: FileRow) throws {
        func t(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
        func i(_ v: Int64?) -> SQLiteValue { v.map { .integer($0) } ?? .null }
        try wrap {
            try database.cached(
                """
                INSERT OR REPLACE INTO files(job_id, input, entry_index, path, kind, size, sha256, xxh64, mime_type, format,
                  encoding, encoding_confidence, mismatch, modified, permissions, status, records, mojibake, metadata)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).run([
                .text(jobID), .text(f.input), .integer(Int64(f.entryIndex)), .text(f.path), .text(f.kind), i(f.size),
                t(f.sha256), t(f.xxh64), t(f.mimeType), t(f.format), t(f.encoding),
                f.encodingConfidence.map { .real($0) } ?? .null, t(f.mismatch), i(f.modified), i(f.permissions),
                .text(f.status.rawValue), .integer(Int64(f.records)), f.mojibake.map { .integer($0 ? 1 : 0) } ?? .null, t(f.metadata),
            ])
        }
    }

    /// The files of a job, in input and entry order.
    public func files(jobID: String) throws -> [FileRow] {
        var rows: [FileRow] = []
        try wrap {
            try database.prepare(
                "SELECT input, entry_index, path, kind, size, sha256, xxh64, mime_type, format, encoding, status, records, mojibake, metadata FROM files WHERE job_id = ? ORDER BY input, entry_index"
            ).forEachRow([.text(jobID)]) { r in
                var f = FileRow(
                    input: r.text(0) ?? "", entryIndex: Int(r.int(1)), path: r.text(2) ?? "", kind: r.text(3) ?? "",
                    status: r.text(10).flatMap(FileStatus.init(rawValue:)) ?? .rejected)
                if case .integer(let s) = r.value(4) { f.size = s }
                f.sha256 = r.text(5)
                f.xxh64 = r.text(6)
                f.mimeType = r.text(7)
                f.format = r.text(8)
                f.encoding = r.text(9)
                f.records = Int(r.int(11))
                if case .integer(let m) = r.value(12) { f.mojibake = m != 0 }
                f.metadata = r.text(13)
                rows.append(f)
            }
        }
        return rows
    }

    /// Records an error against a job.
    public func insertError(jobID: String, _ e: LakeError) throws {
        func t(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
        try wrap {
            try database.prepare("INSERT INTO errors(job_id, input, entry, rule, scope, location, message) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .run([
                    .text(jobID), t(e.input), t(e.entry), .text(e.rule.rawValue), .text(e.scope.rawValue), t(e.location), .text(e.message),
                ])
        }
    }

    /// The errors recorded for a job, in the order they happened.
    public func errors(jobID: String) throws -> [LakeError] {
        var out: [LakeError] = []
        try wrap {
            try database.prepare("SELECT input, entry, rule, scope, location, message FROM errors WHERE job_id = ? ORDER BY rowid")
                .forEachRow([.text(jobID)]) { r in
                    out.append(
                        LakeError(
                            .init(r.text(2) ?? ""), scope: LakeError.Scope(rawValue: r.text(3) ?? "") ?? .entry, input: r.text(0),
                            entry: r.text(1), location: r.text(4), message: r.text(5) ?? ""))
                }
        }
        return out
    }
}
