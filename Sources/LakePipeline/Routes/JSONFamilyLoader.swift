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

    func load(_ entry: EntryToLoad, into loader: ChunkedLoader) throws -> EntryLoaded {
        let limits = JSONLimits(entry.thresholds)
        let reader = JSONReader(source: entry.text, limits: limits)
        let stream = JSONRecordStream(reader: reader, collections: family.collections, rawElements: ExportMapper.mapsFromTape(family))
        let measured = DesignFindings(entry.thresholds, input: entry.context.input, entry: entry.context.path)
        let family = family, context = entry.context, validator = loader.validator
        let schema = SchemaRoutes.schema(for: family).map { SchemaFindings(schema: $0) }
        let rows = TapeRows(limits: limits, schema: schema, validator: validator)
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
            skipped: { i, e in if let raw = e.raw { rows.skipped(raw, i) } },
            row: { i, element in
                if let problem = element.problem { throw problem }
                if let refusal = measured.refusal(index: i) { throw refusal }
                guard let raw = element.raw else { return try Self.general(family, element, i, context, validator) }
                return try rows.row(raw, i) { tape, scratch in
                    ExportMapper.mapFromTape(
                        family, tape, collection: element.isRemainder ? "userLocationProfile" : element.collection, index: i,
                        context: context, scratch: &scratch)
                } general: { value in
                    try Self.general(
                        family, .init(collection: element.collection, value: value, isRemainder: element.isRemainder), i, context, validator
                    )
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
}
