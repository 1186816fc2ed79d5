import LakeCore

/// Rebuilds a record's canonical line from its stored parts, byte for byte: the members in
/// their canonical (code point) order, strings escaped as `CanonicalJSON` does, the parts that
/// were stored as canonical JSON copied as they are.
enum RecordLine {
    /// The encoded members of a `record_kinds` row.
    final class KindFragments: Sendable {
        let category: [UInt8]
        let exportKind: [UInt8]
        let recordKind: [UInt8]
        let dataClass: [UInt8]
        let lineage: [UInt8]

        init(_ k: RecordRow.Kind) {
            category = quoted(k.category)
            exportKind = quoted(k.exportKind)
            recordKind = quoted(k.recordKind)
            dataClass = k.dataClass.map(quoted) ?? Array("null".utf8)
            lineage = k.lineage
        }
    }

    /// The encoded `user` and `shard` of a `record_owners` row.
    final class OwnerFragments: Sendable {
        let user: [UInt8]
        let shard: [UInt8]

        init(_ o: RecordRow.Owner) {
            user = quoted(o.user)
            let replicas = o.shards.dropFirst().map(String.init).joined(separator: ",")
            shard = Array("{\"primary\":\(o.shards.first ?? 0),\"replicas\":[\(replicas)]}".utf8)
        }
    }

    /// The encoded members of `source` but its index, from a `record_sources` row.
    final class SourceFragments: Sendable {
        let input: [UInt8]
        let inputSHA256: [UInt8]
        let path: [UInt8]

        init(_ s: RecordRow.Source) {
            input = quoted(s.input)
            inputSHA256 = quoted(s.inputSHA256)
            path = quoted(s.path)
        }
    }

    static func quoted(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        CanonicalJSON.writeString(s, into: &out)
        return out
    }

    /// `YYYY-MM` of a canonical time (its first seven characters), or `undated`.
    static func partition(_ occurredAt: String?) -> String { occurredAt.map { String($0.prefix(7)) } ?? "undated" }

    /// Whether `partition` is `partition(occurredAt)`, without making the latter for a time
    /// that starts in printable ASCII (every canonical time).
    static func isPartition(_ partition: String, of occurredAt: String?) -> Bool {
        let fast = occurredAt?.utf8.withContiguousStorageIfAvailable { time in
            asciiPrefix(time).flatMap { prefix in
                partition.utf8.withContiguousStorageIfAvailable {
                    SameBytes.same(UnsafeRawBufferPointer(prefix), UnsafeRawBufferPointer($0))
                }
            }
        }
        return (fast ?? nil) ?? (partition == Self.partition(occurredAt))
    }

    /// The bytes of the first seven characters of `utf8` when they are printable ASCII that
    /// JSON writes as it is (no `"`, no `\`) and a character ends after them: the first eight
    /// bytes (all, when fewer) are such, and between two of those a character always ends. Nil
    /// otherwise (then the caller takes the general path).
    static func asciiPrefix(_ utf8: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard utf8.prefix(8).allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) else { return nil }
        return UnsafeBufferPointer(rebasing: utf8.prefix(7))
    }

    /// An integer JSON number's value, or nil.
    static func number(_ v: JSONValue?) -> Int64? {
        if case .number(let n)? = v { return Int64(n) }
        return nil
    }

    static func assemble(_ row: RecordRow, cache: RecordRow.LineCache? = nil) -> [UInt8] {
        guard let cache else {
            return assemble(
                row.columns, kind: KindFragments(row.kind), owner: OwnerFragments(row.owner), source: SourceFragments(row.source))
        }
        return assemble(row.columns, kind: cache.kind(row.kind), owner: cache.owner(row.owner), source: cache.source(row.source))
    }

    /// The line of `row` with its references' fragments (cached by the reader per reference).
    static func assemble(_ row: RecordRow.Columns, kind: KindFragments, owner: OwnerFragments, source: SourceFragments) -> [UInt8] {
        LineWriter.array(capacity: length(row, kind: kind, owner: owner, source: source)) {
            assemble(row, kind: kind, owner: owner, source: source, into: &$0)
        }
    }

    /// The length of the line `assemble` writes when its strings need no escape (most lines;
    /// a longer one is written all the same).
    static func length(_ row: RecordRow.Columns, kind: KindFragments, owner: OwnerFragments, source: SourceFragments) -> Int {
        let stored = row.data.count + (row.entities?.count ?? 0) + (row.pii?.count ?? 0) + (row.relationships?.count ?? 0)
        let kindParts = kind.category.count + kind.exportKind.count + kind.recordKind.count + kind.dataClass.count + kind.lineage.count
        let shared = kindParts + owner.user.count + owner.shard.count + source.input.count + source.inputSHA256.count + source.path.count
        let strings =
            row.contentHash.utf8.count + row.id.utf8.count + (row.occurredAt?.utf8.count ?? 0) + (row.sourceOffset?.utf8.count ?? 0)
        // The members' names are 260 bytes; the closing brace, quotes or nulls, empty arrays, the
        // partition and the index at most 56 more.
        return stored + (row.language?.count ?? 0) + shared + strings + 316
    }

    /// The line of `row` in `out`, which is emptied first (a worker's buffer, kept between lines).
    static func assemble(
        _ row: RecordRow.Columns, kind: KindFragments, owner: OwnerFragments, source: SourceFragments, into out: inout LineWriter
    ) {
        out.reset()
        func string(_ s: String?) {
            if let s { out.appendString(s) } else { out.append("null") }
        }
        func array(_ a: [UInt8]?) {
            if let a { out.append(a) } else { out.append("[]") }
        }
        out.append("{\"category\":")
        out.append(kind.category)
        out.append(",\"content_hash\":")
        string(row.contentHash)
        out.append(",\"data\":")
        out.append(row.data)
        out.append(",\"data_class\":")
        out.append(kind.dataClass)
        out.append(",\"entities\":")
        array(row.entities)
        out.append(",\"export_kind\":")
        out.append(kind.exportKind)
        out.append(",\"id\":")
        string(row.id)
        out.append(",\"language\":")
        if let l = row.language { out.append(l) } else { out.append("null") }
        out.append(",\"lineage\":")
        out.append(kind.lineage)
        out.append(",\"occurred_at\":")
        string(row.occurredAt)
        out.append(",\"partition\":")
        if let time = row.occurredAt {
            // A canonical time's first seven bytes are its partition, written as they are.
            let copied = time.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
                guard let prefix = asciiPrefix(utf8) else { return false }
                out.append(byte: UInt8(ascii: "\""))
                out.append(UnsafeRawBufferPointer(prefix))
                out.append(byte: UInt8(ascii: "\""))
                return true
            }
            if copied != true { out.appendString(partition(time)) }
        } else {
            out.append("\"undated\"")
        }
        out.append(",\"pii\":")
        array(row.pii)
        out.append(",\"record_kind\":")
        out.append(kind.recordKind)
        out.append(",\"relationships\":")
        array(row.relationships)
        out.append(",\"shard\":")
        out.append(owner.shard)
        out.append(",\"source\":{\"index\":")
        out.appendDecimal(row.index)
        out.append(",\"input\":")
        out.append(source.input)
        out.append(",\"input_sha256\":")
        out.append(source.inputSHA256)
        out.append(",\"path\":")
        out.append(source.path)
        out.append("},\"source_offset\":")
        string(row.sourceOffset)
        out.append(",\"user\":")
        out.append(owner.user)
        out.append(byte: UInt8(ascii: "}"))
    }
}

extension RecordRow {
    /// The fragments of the last kind, owner and source one worker assembled a line with: the
    /// records of one file share them, so they are encoded once, not per record. Compared by
    /// bytes (`SameBytes`). Not thread-safe: one cache per worker.
    public final class LineCache {
        // The last parts and their fragments, compared where they are stored: binding the
        // pair (`if let (key, f) = last`) copied it, a retain and a release of each string.
        // The parts are not optional: `lastSource?.sameBytes(s)` copied the optional. Their
        // fragments say whether they are set.
        private var lastKind = RecordRow.Kind(exportKind: "", recordKind: "", category: "", dataClass: nil, lineage: [])
        private var lastKindFragments: RecordLine.KindFragments?
        private var lastOwner = RecordRow.Owner(user: "", shards: [])
        private var lastOwnerFragments: RecordLine.OwnerFragments?
        private var lastSource = RecordRow.Source(input: "", inputSHA256: "", path: "")
        private var lastSourceFragments: RecordLine.SourceFragments?
        /// A few lineages and their canonical JSON: a family's records carry one of a handful.
        private var lineages: [(steps: [LakeRecord.LineageStep], json: [UInt8])] = []
        private var nextLineage = 0
        /// The line a checksum is taken of, kept between lines.
        private var buffer = LineWriter()

        public init() {}

        /// `record.lineageJSON`, encoded once per distinct lineage (compared by bytes).
        func lineageJSON(_ record: borrowing LakeRecord) -> [UInt8] {
            // By index: `for entry in lineages` copied each entry it compared.
            for i in lineages.indices where Self.same(lineages[i].steps, record.lineage) { return lineages[i].json }
            let json = record.lineageJSON
            if lineages.count < 8 {
                lineages.append((record.lineage, json))
            } else {
                lineages[nextLineage] = (record.lineage, json)
                nextLineage = (nextLineage + 1) % lineages.count
            }
            return json
        }

        /// The tape mappers hand out lineages from static tables: the same storage holds the
        /// same steps, so only other storage is compared step by step.
        private static func same(_ a: [LakeRecord.LineageStep], _ b: [LakeRecord.LineageStep]) -> Bool {
            guard a.count == b.count else { return false }
            if a.withUnsafeBufferPointer({ $0.baseAddress }) == b.withUnsafeBufferPointer({ $0.baseAddress }) { return true }
            return zip(a, b).allSatisfy { SameBytes.same($0.step, $1.step) && SameBytes.same($0.version, $1.version) }
        }

        /// XXH64 of the line `row` assembles to, built in the cache's buffer.
        func checksum(_ row: RecordRow) -> UInt64 { checksum(row.columns, kind: row.kind, owner: row.owner, source: row.source) }

        /// The checksum of the row made of these parts.
        func checksum(_ columns: RecordRow.Columns, kind k: RecordRow.Kind, owner o: RecordRow.Owner, source s: RecordRow.Source) -> UInt64
        {
            RecordLine.assemble(columns, kind: kind(k), owner: owner(o), source: source(s), into: &buffer)
            return XXH64.hash(buffer.bytes)
        }

        /// The member names of the last `data` it shaped (`CompactData.shape`): the next
        /// record's, mostly the same, share them.
        var lastKeys: [UInt8]?

        func kind(_ k: RecordRow.Kind) -> RecordLine.KindFragments {
            if let f = lastKindFragments, lastKind.sameBytes(k) { return f }
            let f = RecordLine.KindFragments(k)
            (lastKind, lastKindFragments) = (k, f)
            return f
        }

        func owner(_ o: RecordRow.Owner) -> RecordLine.OwnerFragments {
            if let f = lastOwnerFragments, lastOwner.sameBytes(o) { return f }
            let f = RecordLine.OwnerFragments(o)
            (lastOwner, lastOwnerFragments) = (o, f)
            return f
        }

        func source(_ s: RecordRow.Source) -> RecordLine.SourceFragments {
            if let f = lastSourceFragments, lastSource.sameBytes(s) { return f }
            let f = RecordLine.SourceFragments(s)
            (lastSource, lastSourceFragments) = (s, f)
            return f
        }
    }
}
