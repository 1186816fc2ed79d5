import LakeCore
import LakeNormalize
import LakeParsers
import LakeStore
import LakeValidate

/// A JSON file of a known family (Takeout, Facebook, generic): `JSONRecordStream` over the
/// family's collections, each kept element mapped by `ExportMapper`; the JSON reader's byte
/// offset is the checkpoint. Depth and size past the design's thresholds are findings.
///
/// For a family with a tape mapper (`ExportMapper.mapsFromTape`) the reader thread only checks
/// each element and hands its bytes on; the workers read them into a `JSONTape`, check the
/// schema there, and write the stored row straight from the tape. An element the tape mapper
/// does not take, or one with a PII finding, goes the general way on the same worker.
struct JSONFamilyLoader: RouteLoader {
    let family: ExportMapper.Family

    /// A worker's reusable storage: the element's tape, the mapper's buffers, the data's tape.
    struct Scratch {
        var tape = JSONTape()
        var mapper = ExportMapper.TapeScratch()
        var data = JSONTape()
        var line = RecordRow.LineCache()
    }

    func load(_ entry: EntryToLoad, into loader: ChunkedLoader) throws -> EntryLoaded {
        let limits = JSONLimits(entry.thresholds)
        let reader = JSONReader(source: entry.text, limits: limits)
        let stream = JSONRecordStream(reader: reader, collections: family.collections, rawElements: ExportMapper.mapsFromTape(family))
        let measured = DesignFindings(entry.thresholds, input: entry.context.input, entry: entry.context.path)
        let family = family, context = entry.context, validator = loader.validator
        let schema = SchemaRoutes.schema(for: family).map { SchemaFindings(schema: $0) }
        let scratch = ScratchPool { Scratch() }
        let records = try loader.loadRows(
            bytesRead: { reader.offset },
            elements: { body in
                try stream.forEach { i, e in
                    measured.saw(i, reader)
                    if family.keeps(e) {
                        if e.problem == nil, e.raw == nil { schema?.check(i, e.value) }
                        try body(i, e)
                    }
                }
            },
            skipped: { i, e in
                guard let raw = e.raw, let schema else { return }
                scratch.with { s in if (try? s.tape.parse(raw, limits: limits)) != nil { schema.check(i, s.tape) } }
            },
            row: { i, element in
                if let problem = element.problem { throw problem }
                if let refusal = measured.refusal(index: i) { throw refusal }
                guard let raw = element.raw else { return try Self.general(family, element, i, context, validator) }
                return try scratch.with { s in
                    // The reader checked these bytes under its limits (the element's depth
                    // counted from the array): they parse again.
                    try s.tape.parse(raw, limits: limits)
                    schema?.check(i, s.tape)
                    if let direct = ExportMapper.mapFromTape(family, s.tape, index: i, context: context, scratch: &s.mapper),
                        let row = Self.row(direct, validator, dataTape: &s.data, cache: s.line)
                    {
                        return row
                    }
                    let value = JSONRecordStream.Element(
                        collection: element.collection, value: s.tape.value(), isRemainder: element.isRemainder)
                    return try Self.general(family, value, i, context, validator)
                }
            })
        return EntryLoaded(
            records: records, findings: try measured.findings(fileBytes: reader.offset) + SchemaRoutes.findings(schema, context))
    }

    /// The general path: the mapper on the element's value, then content validation.
    static func general(
        _ family: ExportMapper.Family, _ element: JSONRecordStream.Element, _ i: Int, _ context: RecordContext,
        _ validator: ContentValidator?
    ) throws -> (RecordRow, Lake.ChunkMetrics.Validation.Seen) {
        ChunkedLoader.stored(try ExportMapper.map(family, element, index: i, context: context), validator)
    }

    /// The stored row of a record a tape mapper wrote, validated as `ContentValidator.validate`
    /// would: no PII finding (a record with one goes the general way, nil), then its data class.
    static func row(
        _ direct: DirectRecord, _ validator: ContentValidator?, dataTape: inout JSONTape, cache: RecordRow.LineCache
    ) -> (RecordRow, Lake.ChunkMetrics.Validation.Seen)? {
        var record = direct.record
        if let validator {
            guard (try? dataTape.parse(direct.data, limits: .canonicalLines)) != nil, validator.findsNothing(in: dataTape) else {
                return nil
            }
            record.dataClass = ContentValidator.dataClass(of: record)
        }
        return (RecordRow(record, data: direct.data, cache: cache), .init(record))
    }
}
