import LakeCore
import LakeNormalize
import LakeParsers
import LakeValidate

/// A CSV file: sniffed dialect, standardized header, inferred column types (`IngestJob.loadCSV`).
struct CSVLoader: RouteLoader {
    let recordKind: String
    let exportKind: String

    /// A CSV names no charset: one whose head is no Unicode form is read as Windows-1252 (what
    /// spreadsheets save; its printable range is ISO-8859-1's, plus 0x80-0x9F), not refused.
    func text(_ raw: @escaping JSONReader.ChunkSource) -> JSONReader.ChunkSource {
        UnicodeForm.utf8Source(raw, legacy: "windows-1252")
    }

    func load(_ entry: EntryToLoad, into loader: ChunkedLoader) throws -> EntryLoaded {
        let loaded = try loader.loadCSV(source: entry.text, recordKind: recordKind, exportKind: exportKind)
        return EntryLoaded(records: loaded.records, findings: CSVHeaderCheck.findings(loaded.header, recordKind: recordKind, entry.context))
    }
}

/// A vCard file: one `contact` per card, numbered in order; the vCard reader's offset.
struct VCardLoader: RouteLoader {
    let exportKind: String

    func load(_ entry: EntryToLoad, into loader: ChunkedLoader) throws -> EntryLoaded {
        let cards = VCardReader(source: entry.text)
        let exportKind = exportKind, context = entry.context
        return EntryLoaded(
            records: try loader.load(
                bytesRead: { cards.offset }, elements: ChunkedLoader.counted(cards.next),
                map: { i, card in DocumentMappers.contact(card, index: i, exportKind: exportKind, context: context) }))
    }
}

/// An iCalendar file: one `calendar_event` per VEVENT (time zones resolved by the reader).
struct ICalendarLoader: RouteLoader {
    let exportKind: String

    func load(_ entry: EntryToLoad, into loader: ChunkedLoader) throws -> EntryLoaded {
        let calendar = ICalendarReader(source: entry.text)
        let exportKind = exportKind, context = entry.context
        return EntryLoaded(
            records: try loader.load(
                bytesRead: { calendar.offset }, elements: ChunkedLoader.counted(calendar.nextEvent),
                map: { i, event in try DocumentMappers.event(event, index: i, exportKind: exportKind, context: context) }))
    }
}

/// A My Activity page in the legacy HTML form: one `activity` per entry; its `<meta charset>`
/// names the encoding when it is not UTF-8.
struct ActivityHTMLLoader: RouteLoader {
    func text(_ raw: @escaping JSONReader.ChunkSource) -> JSONReader.ChunkSource {
        UnicodeForm.utf8Source(raw, declared: { UnicodeForm.htmlMetaCharset($0) })
    }

    func load(_ entry: EntryToLoad, into loader: ChunkedLoader) throws -> EntryLoaded {
        let page = TakeoutActivityReader(source: entry.text)
        let context = entry.context
        return EntryLoaded(
            records: try loader.load(
                bytesRead: { page.offset }, elements: { body in while let a = try page.next() { try body(a.index, a) } },
                map: { i, a in DocumentMappers.activity(a, index: i, context: context) }))
    }
}
