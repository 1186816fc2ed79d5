import LakeCore
import LakeNormalize
import LakeParsers
import LakeStore

/// One entry on its way to records: its bytes, what every record of it carries, and the limits.
struct EntryToLoad {
    /// The entry's bytes as stored (a mailbox is read as such: its charsets are its messages').
    let raw: JSONReader.ChunkSource
    /// The same bytes as UTF-8 (`UnicodeForm.utf8Source`; UTF-16 and UTF-32 transcoded), made
    /// by the route's `text(_:)`.
    let text: JSONReader.ChunkSource
    let context: RecordContext
    let thresholds: Thresholds
}

/// What loading an entry gave, for its `files` row.
struct EntryLoaded {
    var records: Int
    /// Design thresholds the entry went past.
    var findings: [Finding] = []
    /// Content metadata the reader saw on the way (a mailbox's first senders and subjects).
    var metadata: JSONValue?
}

/// One route of the table: the reader over an entry's bytes, the offset its checkpoints count
/// in, and the mapper of each element. Elements go to `ChunkedLoader`, which maps them on the
/// workers and commits them in chunks.
protocol RouteLoader {
    /// The entry's text as this route reads it (by default UTF-8 from any Unicode form).
    func text(_ raw: @escaping JSONReader.ChunkSource) -> JSONReader.ChunkSource
    func load(_ entry: EntryToLoad, into loader: ChunkedLoader) throws -> EntryLoaded
}

extension RouteLoader {
    func text(_ raw: @escaping JSONReader.ChunkSource) -> JSONReader.ChunkSource { UnicodeForm.utf8Source(raw, declared: { _ in nil }) }
}

/// The route table: each route and the loader that reads it.
extension ExportMapper.Route {
    var loader: RouteLoader {
        switch self {
        case .json(let family): return JSONFamilyLoader(family: family)
        case .csv(let recordKind, let exportKind): return CSVLoader(recordKind: recordKind, exportKind: exportKind)
        case .vcard(let exportKind): return VCardLoader(exportKind: exportKind)
        case .icalendar(let exportKind): return ICalendarLoader(exportKind: exportKind)
        case .activityHTML: return ActivityHTMLLoader()
        case .message: return MessageLoader()
        case .mbox: return MboxLoader()
        case .twitterJS: return TwitterJSLoader()
        }
    }
}
