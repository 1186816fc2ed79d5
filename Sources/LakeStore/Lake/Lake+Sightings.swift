import LakeCore
import LakeParsers

/// Records merged into another (docs/SPEC.md 5.11, "Records, seen again"): the same element of
/// the same file of one account, brought again by another export. The lake keeps one record,
/// the first in export order; each other sighting is a row of `record_sightings` (its own id,
/// the kept record's id, its source and index), and the kept record's exported lineage gains a
/// `merge.seen_again` step per sighting.
extension Lake {
    /// A merged sighting of a record.
    public struct Sighting: Equatable, Sendable {
        public var id: String
        /// The id of the record kept.
        public var survivor: String
        public var jobID: String
        public var input: String
        public var inputSHA256: String
        public var path: String
        public var index: Int

        /// Where the sighting stands in export order.
        public var position: ExportPosition {
            ExportPosition(input: input, inputSHA256: inputSHA256, path: path, index: index, id: id)
        }

        /// The `source` object of a record seen here (docs/SPEC.md 3).
        public var source: JSONValue {
            .object([
                .init("index", .number(String(index))), .init("input", .string(input)),
                .init("input_sha256", .string(inputSHA256)), .init("path", .string(path)),
            ])
        }
    }

    static let sightingColumns = """
        g.id, g.survivor, s.job_id, s.input, s.input_sha256, s.path, g.idx
        FROM record_sightings g JOIN record_sources s ON s.ref = g.source
        """

    static func sighting(_ r: SQLiteStatement) -> Sighting {
        Sighting(
            id: RecordStorage.idText(r.value(0)), survivor: RecordStorage.idText(r.value(1)), jobID: r.text(2) ?? "",
            input: r.text(3) ?? "", inputSHA256: r.text(4) ?? "", path: r.text(5) ?? "", index: Int(r.int(6)))
    }

    /// Number of sightings merged into other records: all, or those `jobID` brought from `input`.
    public func sightingCount(jobID: String? = nil, input: String? = nil) throws -> Int {
        var n = 0
        try wrap {
            if let jobID, let input {
                try database.prepare(
                    "SELECT count(*) FROM record_sightings g JOIN record_sources s ON s.ref = g.source WHERE s.job_id = ? AND s.input = ?"
                ).forEachRow([.text(jobID), .text(input)]) { n = Int($0.int(0)) }
            } else {
                try database.prepare("SELECT count(*) FROM record_sightings").forEachRow { n = Int($0.int(0)) }
            }
        }
        return n
    }

    /// The merge stage's reads and writes of sightings, each statement prepared once; use in one
    /// transaction.
    public final class SightingWriter {
        let lake: Lake
        let byHash: SQLiteStatement
        let demote: SQLiteStatement
        let deleteRecord: SQLiteStatement
        let deleteLink: SQLiteStatement
        let deleteSighting: SQLiteStatement
        let point: SQLiteStatement
        let insert: SQLiteStatement
        let archived: SQLiteStatement

        init(_ lake: Lake) throws {
            self.lake = lake
            let db = lake.database
            byHash = try db.prepare("SELECT \(Lake.sightingColumns) WHERE g.content_hash = ?")
            demote = try db.prepare(
                """
                INSERT OR REPLACE INTO record_sightings(id, survivor, source, idx, content_hash, owner)
                SELECT id, ?, source, idx, content_hash, owner FROM records WHERE content_hash = ? AND id = ?
                """)
            deleteRecord = try db.prepare("DELETE FROM records WHERE content_hash = ? AND id = ?")
            deleteLink = try db.prepare("DELETE FROM record_duplicates WHERE record_id = ?")
            deleteSighting = try db.prepare("DELETE FROM record_sightings WHERE id = ?")
            point = try db.prepare("UPDATE record_sightings SET survivor = ? WHERE id = ?")
            insert = try db.prepare(RecordStorage.insertSQL)
            archived = try db.prepare(RecordStorage.archivedSQL)
        }

        /// The sightings whose content hash is `contentHash` (16 hex digits).
        public func sightings(contentHash: String) throws -> [Sighting] {
            var out: [Sighting] = []
            try lake.wrap { try byHash.forEachRow([RecordStorage.hashValue(contentHash)]) { out.append(Lake.sighting($0)) } }
            return out
        }

        /// Turns hot record `id` (content hash `contentHash`: the row is found through
        /// `records_content_hash`) into a sighting of `survivor`: its row goes (with its text
        /// hash and duplicate link), its source, index, content hash and owner stay in
        /// `record_sightings`.
        public func demoteToSighting(_ id: String, contentHash: String, of survivor: String) throws {
            try lake.wrap {
                try demote.run([RecordStorage.idValue(survivor), RecordStorage.hashValue(contentHash), RecordStorage.idValue(id)])
            }
            try removeHotRecord(id, contentHash: contentHash)
        }

        /// Deletes hot record `id` (content hash `contentHash`) with its duplicate link (its text
        /// row goes with it: `records_deleted_text`).
        public func removeHotRecord(_ id: String, contentHash: String) throws {
            let key = RecordStorage.idValue(id)
            try lake.wrap {
                try deleteRecord.run([RecordStorage.hashValue(contentHash), key])
                try deleteLink.run([.text(id)])
            }
        }

        /// Makes sighting `id` a hot record again, stored as `canonical` (its own id and
        /// source), for the job that brought it.
        public func promoteSighting(_ sighting: Sighting, canonical: [UInt8]) throws {
            let row = try RecordRow(line: canonical)
            try lake.wrap {
                try deleteSighting.run([RecordStorage.idValue(sighting.id)])
                try RecordStorage.insert(
                    Lake.HeldRow(row), jobID: sighting.jobID, refs: lake.refs, lake.database, with: insert, archived: archived)
            }
        }

        /// Points sightings `ids` at `survivor`.
        public func pointSightings(_ ids: [String], at survivor: String) throws {
            try lake.wrap { for id in ids { try point.run([RecordStorage.idValue(survivor), RecordStorage.idValue(id)]) } }
        }
    }

    /// A writer of sightings for the merge stage.
    public func sightingWriter() throws -> SightingWriter { try wrap { try SightingWriter(self) } }

    /// Adds to exported lines the lineage steps of their sightings (`merge.seen_again`), with a
    /// statement prepared once. A lake without sightings costs nothing per line.
    final class SightingSteps {
        let statement: SQLiteStatement?

        init(_ lake: Lake) throws {
            statement = try lake.sightingCount() == 0 ? nil : lake.database.prepare("SELECT \(Lake.sightingColumns) WHERE g.survivor = ?")
        }

        func line(_ line: [UInt8], id: String) throws -> [UInt8] {
            guard let statement else { return line }
            var seen: [Sighting] = []
            try statement.forEachRow([RecordStorage.idValue(id)]) { seen.append(Lake.sighting($0)) }
            guard !seen.isEmpty else { return line }
            return try Lake.withSightings(line, seen)
        }
    }

    /// The lineage step `merge.seen_again` version 1 naming the id, job and source of `s`.
    public static func seenAgainStep(_ s: Sighting) -> JSONValue {
        .object([
            .init("id", .string(s.id)), .init("job", .string(s.jobID)), .init("source", s.source),
            .init("step", .string("merge.seen_again")),
            .init("version", .string("1")),
        ])
    }

    /// `line` with a `merge.seen_again` step per sighting at the end of its lineage, the
    /// sightings in export order (input, input SHA-256, path by bytes, index, id).
    public static func withSightings(_ line: [UInt8], _ sightings: [Sighting]) throws -> [UInt8] {
        let record = try JSONReader.parse(line, limits: .canonicalLines)
        let sorted = sightings.sorted { $0.position < $1.position }
        let lineage = (record["lineage"]?.arrayValue ?? []) + sorted.map(seenAgainStep)
        return CanonicalJSON.encode(record.setting("lineage", .array(lineage)))
    }
}
