import LakeCore

/// The binary form of records in warm and cold partition files (docs/SPEC.md 7, "Tiers"): each
/// record's stored columns (`RecordStorage.Stored`) with varint lengths, and the values of the
/// sources, kinds and owners it refers to (a partition file carries its own, so it reads back
/// alone). Times, ids and content hashes keep their compact forms.
enum PartitionCodec {
    /// Bumped when the layout changes; a file of another version is refused, not misread.
    static let version: UInt64 = 1

    struct Writer {
        var bytes: [UInt8] = []

        mutating func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 {
                bytes.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }
        mutating func int(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
        mutating func data(_ d: [UInt8]) {
            varint(UInt64(d.count))
            bytes.append(contentsOf: d)
        }
        mutating func string(_ s: String) { data(Array(s.utf8)) }
        /// 0 for nil, else the length plus one.
        mutating func optional(_ d: [UInt8]?) {
            guard let d else { return varint(0) }
            varint(UInt64(d.count) + 1)
            bytes.append(contentsOf: d)
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0
        var atEnd: Bool { position >= bytes.count }

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        static func damaged() -> LakeError {
            LakeError(.lakeCorrupt, scope: .input, message: "a partition file is damaged (its records do not decode)")
        }
        mutating func varint() throws -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < bytes.count, shift < 64 else { throw Self.damaged() }
                let b = bytes[position]
                position += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }
        mutating func int() throws -> Int64 {
            let z = try varint()
            return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
        }
        mutating func take(_ n: UInt64) throws -> [UInt8] {
            guard n <= UInt64(bytes.count - position) else { throw Self.damaged() }
            defer { position += Int(n) }
            return Array(bytes[position..<(position + Int(n))])
        }
        mutating func data() throws -> [UInt8] { try take(try varint()) }
        mutating func string() throws -> String { String(decoding: try data(), as: UTF8.self) }
        mutating func optional() throws -> [UInt8]? {
            let n = try varint()
            return n == 0 ? nil : try take(n - 1)
        }
    }

    /// The referenced values a partition carries, by the refs its records use.
    struct Dictionary {
        var sources: [Int64: (jobID: String, source: RecordRow.Source)] = [:]
        var kinds: [Int64: RecordRow.Kind] = [:]
        var owners: [Int64: RecordRow.Owner] = [:]

        func encode(into w: inout Writer) {
            w.varint(UInt64(sources.count))
            for (ref, s) in sources.sorted(by: { $0.key < $1.key }) {
                w.int(ref)
                for t in [s.jobID, s.source.input, s.source.inputSHA256, s.source.path] { w.string(t) }
            }
            w.varint(UInt64(kinds.count))
            for (ref, k) in kinds.sorted(by: { $0.key < $1.key }) {
                w.int(ref)
                for t in [k.exportKind, k.recordKind, k.category] { w.string(t) }
                w.optional(k.dataClass.map { Array($0.utf8) })
                w.data(k.lineage)
            }
            w.varint(UInt64(owners.count))
            for (ref, o) in owners.sorted(by: { $0.key < $1.key }) {
                w.int(ref)
                w.string(o.user)
                w.string(RecordRefs.shardsText(o.shards))
            }
        }

        static func decode(_ r: inout Reader) throws -> Dictionary {
            var d = Dictionary()
            for _ in 0..<(try r.varint()) {
                let ref = try r.int()
                let job = try r.string()
                d.sources[ref] = (job, RecordRow.Source(input: try r.string(), inputSHA256: try r.string(), path: try r.string()))
            }
            for _ in 0..<(try r.varint()) {
                let ref = try r.int()
                d.kinds[ref] = RecordRow.Kind(
                    exportKind: try r.string(), recordKind: try r.string(), category: try r.string(),
                    dataClass: try r.optional().map { String(decoding: $0, as: UTF8.self) }, lineage: try r.data())
            }
            for _ in 0..<(try r.varint()) {
                let ref = try r.int()
                d.owners[ref] = RecordRow.Owner(user: try r.string(), shards: RecordRefs.shards(try r.string()))
            }
            return d
        }
    }

    /// `idDerived`: the id is the one `Identity.recordID` gives for the record's source, index,
    /// user and content hash, so it is left out (16 bytes no compressor can shrink). No checksum
    /// is written: the reader computes it from the rebuilt line, and the file's integrity is
    /// zstd's frame checksum (cold) or each batch's XXH64 (warm), with the catalog's SHA-256.
    static func encode(_ s: RecordStorage.Stored, idDerived: Bool, into w: inout Writer) {
        let c = s.columns
        let id = RecordStorage.idValue(c.id)
        let hash = RecordStorage.hashValue(c.contentHash)
        let millis = c.occurredAt.flatMap(StoredTime.millis)
        var flags: UInt64 = 0
        if case .blob = id { flags |= 1 }
        if case .integer = hash { flags |= 2 }
        if c.occurredAt != nil { flags |= millis != nil ? 4 : 8 }
        if idDerived { flags |= 16 }
        w.varint(flags)
        if !idDerived {
            switch id {
            case .blob(let b): w.bytes.append(contentsOf: b)
            default: w.string(c.id)
            }
        }
        w.int(s.source)
        w.int(Int64(c.index))
        w.int(s.kind)
        w.int(s.owner)
        if let millis { w.int(millis) } else if let t = c.occurredAt { w.string(t) }
        if case .integer(let h) = hash { w.int(h) } else { w.string(c.contentHash) }
        w.data(c.data)
        for part in [c.language, c.entities, c.pii, c.relationships, c.sourceOffset.map { Array($0.utf8) }, s.line] { w.optional(part) }
    }

    /// A record, its id empty when `idDerived` (the caller derives it) and its checksum 0 (the
    /// caller computes it from the line).
    static func decode(_ r: inout Reader) throws -> (stored: RecordStorage.Stored, idDerived: Bool) {
        let flags = try r.varint()
        let idDerived = flags & 16 != 0
        let id = idDerived ? "" : flags & 1 != 0 ? Hex.string(try r.take(16)) : try r.string()
        let source = try r.int()
        let index = try r.int()
        let kind = try r.int()
        let owner = try r.int()
        let time: String? = flags & 4 != 0 ? StoredTime.text(try r.int()) : flags & 8 != 0 ? try r.string() : nil
        let hash = flags & 2 != 0 ? Hex.string(UInt64(bitPattern: try r.int())) : try r.string()
        let data = try r.data()
        let language = try r.optional(), entities = try r.optional(), pii = try r.optional(), relationships = try r.optional()
        let offset = try r.optional().map { String(decoding: $0, as: UTF8.self) }
        let line = try r.optional()
        let stored = RecordStorage.Stored(
            columns: RecordRow.Columns(
                id: id, index: Int(index), occurredAt: time, contentHash: hash, data: data, language: language, entities: entities,
                pii: pii, relationships: relationships, sourceOffset: offset),
            checksum: 0, line: line, source: source, kind: kind, owner: owner)
        return (stored, idDerived)
    }
}
