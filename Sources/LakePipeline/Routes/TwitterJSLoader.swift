import LakeCore
import LakeNormalize
import LakeParsers
import LakeStore
import LakeValidate

/// A Twitter/X archive's `.js` file. The name in its `window.YTD.<name>.partN` header picks
/// the mapper: a known file (tweets, likes, DMs, the manifest's `window.__THAR_CONFIG`...) by
/// `TwitterMapper`, any other part file as generic records of collection `<name>`; a `.js`
/// with neither header is refused by the reader (`twitter.wrapper`).
/// The JSON reader's offset is the checkpoint; elements past a safety limit cost one record.
struct TwitterJSLoader: RouteLoader {
    func load(_ entry: EntryToLoad, into loader: ChunkedLoader) throws -> EntryLoaded {
        let file = try TwitterJSFile(source: entry.text, limits: JSONLimits(entry.thresholds))
        let measured = DesignFindings(entry.thresholds, input: entry.context.input, entry: entry.context.path)
        let context = entry.context
        let records: Int
        var schema: SchemaFindings?
        if let kind = TwitterMapper.fileKind(globalName: file.header.globalName) {
            let checked = SchemaRoutes.schema(for: kind).map { SchemaFindings(schema: $0) }
            schema = checked
            records =
                TwitterMapper.mapsFromTape(kind)
                ? try Self.loadFromTape(kind, file, entry, measured, checked, into: loader)
                : try loader.load(
                    bytesRead: { file.reader.offset },
                    elements: kind == .manifest
                        ? { body in
                            let whole = try file.readWholeValue()
                            checked?.check(0, whole)
                            try body(0, Result<JSONValue, JSONError>.success(whole))
                        }
                        : { body in
                            try Self.elements(file, measured) { (i: Int, e: Result<JSONValue, JSONError>) in
                                if case .success(let v) = e { checked?.check(i, v) }
                                try body(i, e)
                            }
                        },
                    map: { i, element in
                        if let refusal = measured.refusal(index: i) { throw refusal }
                        return try TwitterMapper.map(kind, try element.get(), index: i, context: context)
                    })
        } else {
            // Saved searches, apps, ad impressions...: generic records of the archive.
            let name = file.header.globalName
            records = try loader.load(
                bytesRead: { file.reader.offset },
                elements: { body in try Self.elements(file, measured, body) },
                map: { i, element in
                    if let refusal = measured.refusal(index: i) { throw refusal }
                    return try ExportMapper.map(
                        .twitterGeneric, .init(collection: name, value: try element.get()), index: i, context: context)
                })
        }
        return EntryLoaded(
            records: records, findings: try measured.findings(fileBytes: file.reader.offset) + SchemaRoutes.findings(schema, context))
    }

    /// A file whose kind has a tape mapper (`TwitterMapper.mapsFromTape`): the reader thread
    /// checks each element and hands its bytes on; a worker reads them into a tape, checks the
    /// schema there and writes the stored row from the tape. An element the tape mapper does not take (or one with a PII
    /// finding, or one that crossed a read block) goes the general way on the same worker.
    static func loadFromTape(
        _ kind: TwitterMapper.FileKind, _ file: TwitterJSFile, _ entry: EntryToLoad, _ measured: DesignFindings,
        _ schema: SchemaFindings?, into loader: ChunkedLoader
    ) throws -> Int {
        let context = entry.context, validator = loader.validator
        let rows = TapeRows(limits: JSONLimits(entry.thresholds), schema: schema, validator: validator)
        func general(_ value: JSONValue, _ i: Int) throws -> (RecordRow, Lake.ChunkMetrics.Validation.Seen) {
            ChunkedLoader.stored(try TwitterMapper.map(kind, value, index: i, context: context), validator)
        }
        return try loader.loadRows(
            bytesRead: { file.reader.offset },
            elements: { body in
                try file.forEachRawElement(rejected: { i, e in try body(i, .failure(e)) }) { i, e in
                    measured.saw(i, file.reader)
                    if case .value(let v) = e { schema?.check(i, v) }
                    try body(i, Result<TwitterJSFile.Element, JSONError>.success(e))
                }
            },
            skipped: { i, e in if case .success(.raw(let raw)) = e { rows.skipped(raw, i) } },
            row: { i, element in
                if let refusal = measured.refusal(index: i) { throw refusal }
                switch try element.get() {
                case .value(let value): return try general(value, i)
                case .raw(let raw):
                    return try rows.row(raw, i) { tape, scratch in
                        TwitterMapper.mapFromTape(kind, tape, index: i, context: context, scratch: &scratch)
                    } general: {
                        try general($0, i)
                    }
                }
            })
    }

    /// The file's elements, each measured against the design's thresholds; one past a safety
    /// limit is handed on as its failure, to cost that record only.
    static func elements(_ file: TwitterJSFile, _ measured: DesignFindings, _ body: (Int, Result<JSONValue, JSONError>) throws -> Void)
        throws
    {
        try file.forEachElement(rejected: { i, e in try body(i, .failure(e)) }) { i, e in
            measured.saw(i, file.reader)
            try body(i, .success(e))
        }
    }
}
