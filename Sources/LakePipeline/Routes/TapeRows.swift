import LakeCore
import LakeNormalize
import LakeParsers
import LakeStore
import LakeValidate

/// What a worker reuses while it makes rows from elements' bytes: the element's tape, the
/// mapper's buffers, the data's tape and the line cache. One per worker at a time.
struct TapeRowScratch {
    var tape = JSONTape()
    var mapper = ExportMapper.TapeScratch()
    var data = JSONTape()
    var line = RecordRow.LineCache()
}

extension ChunkedLoader {
    /// The stored row of a record a tape mapper wrote, validated as `ContentValidator.validate`
    /// would, on its data's bytes or tape (nil, to go the general way, when its findings are in
    /// two strings or more).
    static func stored(
        _ direct: inout DirectRecord, _ validator: ContentValidator?, scratch: inout TapeRowScratch
    ) -> (RecordRow, Lake.ChunkMetrics.Validation.Seen)? {
        if let validator {
            guard validator.validate(&direct.record, canonical: direct.data, tape: &scratch.data) else { return nil }
        }
        let seen = Lake.ChunkMetrics.Validation.Seen(direct.record)
        return (RecordRow(taking: &direct.record, data: direct.data, cache: scratch.line), seen)
    }
}

/// The rows of one file's elements handed on as bytes (`JSONFamilyLoader`, `TwitterJSLoader`):
/// a worker reads an element into a tape, checks the file's schema there, and stores what the
/// tape mapper writes; an element the mapper does not take, or one with PII findings in two
/// strings, goes the general way on the same worker.
final class TapeRows: Sendable {
    /// The file's limits, for an element whose tape the reader did not keep.
    let limits: JSONLimits
    let schema: SchemaFindings?
    let validator: ContentValidator?
    let scratch = ScratchPool { TapeRowScratch() }

    init(limits: JSONLimits, schema: SchemaFindings?, validator: ContentValidator?) {
        self.limits = limits
        self.schema = schema
        self.validator = validator
    }

    /// The stored row of element `i`, from its bytes and the tape the reader made of them when
    /// it checked them under its limits (the element's depth counted from the array).
    func row(
        _ raw: CheckedJSON, _ i: Int, map: (JSONTape, inout ExportMapper.TapeScratch) -> DirectRecord?,
        general: (JSONValue) throws -> (RecordRow, Lake.ChunkMetrics.Validation.Seen)
    ) throws -> (RecordRow, Lake.ChunkMetrics.Validation.Seen) {
        try scratch.with { s in
            try s.tape.load(raw, limits: limits)
            schema?.check(i, s.tape)
            if var direct = map(s.tape, &s.mapper), let row = ChunkedLoader.stored(&direct, validator, scratch: &s) { return row }
            return try general(s.tape.value())
        }
    }

    /// Element `i` of an earlier run's chunks, skipped: its schema is checked all the same.
    func skipped(_ raw: CheckedJSON, _ i: Int) {
        guard let schema else { return }
        scratch.with { s in if (try? s.tape.load(raw, limits: limits)) != nil { schema.check(i, s.tape) } }
    }
}
