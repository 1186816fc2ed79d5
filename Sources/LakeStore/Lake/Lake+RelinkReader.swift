import LakeCore

extension Lake {
    /// A hot record read for a relink, its duplicate link changed and its checksum taken
    /// (`RelinkReader.parts`); the writer stores it (`Relinker.store(parts:)`).
    public struct RelinkedParts: @unchecked Sendable {
        public let rowid: Int64
        var row: RecordRow
        /// The member names its kind's rows store their `data` without (`CompactData`).
        let keys: [UInt8]?
    }

    /// The reading half of a relink, with its own statement and caches: the writer's own
    /// connection (`Relinker.relinkParts`), or a reading connection on another thread while
    /// the writer stores what the last page made (`relinkReader()`). One thread at a time.
    public final class RelinkReader: @unchecked Sendable {
        let lake: Lake
        /// A record's stored columns, by rowid.
        let select: SQLiteStatement
        /// The fragments of the kinds, owners and sources lines were assembled with.
        let lines = RecordRow.LineCache()

        init(_ lake: Lake) throws {
            self.lake = lake
            select = try lake.wrap { try lake.database.prepare("SELECT \(RecordStorage.selectColumns) FROM records r WHERE r.rowid = ?") }
        }

        /// The hot record at `rowid` with the relationships and lineage `change` makes of its own
        /// (both canonical JSON arrays, relationships nil for `[]`) and the checksum of the line
        /// they make; nil when there is no such row or it keeps its whole line (then
        /// `Relinker.canonical` and `Relinker.relink` serve).
        /// - Throws: `internal.error` when the row holds another record than `id` (a rowid a
        ///   step before handed on no longer names its record: nothing is written).
        public func parts(
            rowid: Int64, id: String? = nil,
            _ change: (_ relationships: [UInt8]?, _ lineage: [UInt8]) throws -> (relationships: [UInt8]?, lineage: [UInt8])
        ) throws -> RelinkedParts? {
            var found: (row: RecordRow, keys: [UInt8]?)?
            try lake.wrap {
                let values = try lake.refs.values(lake.database)
                try select.forEachRow([.integer(rowid)]) {
                    let record = try values.record(try values.stored($0), lake: lake.directory)
                    if let id, !SameBytes.same(record.stored.columns.id, id) {
                        throw LakeError(
                            .internalError, scope: .internal, input: lake.directory,
                            message: "row \(rowid) holds record \(record.stored.columns.id), not \(id), as the duplicate stage found it")
                    }
                    if record.stored.line == nil { found = (record.row, try values.keys(ofKind: record.stored.kind)) }
                }
            }
            guard case (var row, let keys)? = found else { return nil }
            (row.columns.relationships, row.kind.lineage) = try change(row.columns.relationships, row.kind.lineage)
            row.checksum = lines.checksum(row)
            return RelinkedParts(rowid: rowid, row: row, keys: keys)
        }
    }

    /// A reading half for relinks on a connection of its own: it sees the lake as last
    /// committed, so only for a relink whose transaction has changed no record before it (the
    /// ingest's, which commits the merge first).
    public func relinkReader() throws -> RelinkReader { try RelinkReader(try readingConnection()) }
}
