import LakeCore
import LakeParsers

/// My Activity's legacy HTML page: one record per entry.
extension DocumentMappers {
    /// One entry of a My Activity HTML page: `record_kind` `activity` like the JSON form, with
    /// `title_url` the first link, `time_text` as the page wrote it and `"time_source": "html"`
    /// (the page's zone abbreviation may be the exporter's, not the event's).
    public static func activity(_ a: TakeoutActivityReader.Entry, index: Int, context: RecordContext) -> LakeRecord {
        let title = TextCleansing.clean(a.title)
        let links: JSONValue = .array(a.links.map { finish([.init("text", clean($0.text)), .init("url", .string($0.url))]) })
        let raw = JSONValue.object([
            .init("header", .string(a.header)), .init("title", .string(a.title)), .init("lines", .array(a.lines.map { .string($0) })),
            .init("links", .array(a.links.map { .array([.string($0.text), .string($0.url)]) })),
            .init("time", a.timeText.map { .string($0) } ?? .null),
            .init("products", .array(a.products.map { .string($0) })), .init("details", .array(a.details.map { .string($0) })),
            .init("locations", .array(a.locations.map { .array([.string($0.text), .string($0.url)]) })),
        ])
        var data: [JSONMember] = [
            .init("header", clean(a.header)), .init("title", .string(title)),
            .init("title_url", a.links.first.map { .string($0.url) } ?? .null),
            .init("links", links), .init("time_text", clean(a.timeText)), .init("products", .array(a.products.map { clean($0) })),
            .init("details", .array(a.details.map { clean($0) })),
            .init("locations", .array(a.locations.map { finish([.init("name", clean($0.text)), .init("url", .string($0.url))]) })),
        ]
        if a.time != nil { data.append(.init("time_source", .string("html"))) }
        var entities: [LakeRecord.Entity] = a.links.first.map { [.init(kind: "url", value: $0.url, method: "source")] } ?? []
        entities += TextEntities.find(title)
        var steps = lineage("parse.takeout_html", "activity", parseVersion: TakeoutActivityReader.version)
        if a.time != nil { steps.append(.init("normalize.timestamp", version: version)) }
        if !entities.isEmpty { steps.append(.init("enrich.entities", version: TextEntities.version)) }
        var record = context.record(
            index: index, raw: raw, exportKind: "google-takeout", recordKind: "activity", category: "activity", time: a.time, language: nil,
            languageMethod: nil, data: finish(data), entities: ExportMapper.unique(entities), lineage: steps)
        record.detectLanguage(title)
        return record
    }
}
