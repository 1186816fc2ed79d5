import LakeCore
import LakeParsers

/// Calendars: one record per VEVENT.
extension DocumentMappers {
    /// One VEVENT: `record_kind` `calendar_event`, time from DTSTART (UTC, zoned, floating or a
    /// date, as section 8 reads them); organizer and attendees (`mailto:` dropped) as e-mail
    /// entities with method `participant`, the location as a place, text entities of summary
    /// and description.
    /// - Throws: `LakeError` with the first of the event's `problems` (one record rejected).
    public static func event(_ e: CalendarEvent, index: Int, exportKind: String, context: RecordContext) throws -> LakeRecord {
        try rejectIfBroken(e.problems, index: index)
        func time(_ t: CalendarTime?) -> JSONValue {
            guard let t else { return .null }
            return finish([
                .init("at", .string(t.timestamp.iso8601)), .init("kind", .string(t.kind.rawValue)), .init("tzid", clean(t.tzid)),
            ])
        }
        func address(_ s: String) -> String {
            let c = TextCleansing.clean(s)
            return c.lowercased().hasPrefix("mailto:") ? String(c.dropFirst(7)) : c
        }
        // Summary and description are cleansed once: the fields, the entity search and the language use them.
        let summary = TextCleansing.clean(e.summary ?? ""), description = TextCleansing.clean(e.description ?? "")
        let data = finish([
            .init("uid", clean(e.uid)), .init("summary", .string(summary)), .init("description", .string(description)),
            .init("location", clean(e.location)), .init("start", time(e.start)), .init("end", time(e.end)),
            .init("recurrence", clean(e.recurrence)), .init("status", clean(e.status)),
            .init("organizer", e.organizer.map { .string(address($0)) } ?? .null), .init("organizer_name", clean(e.organizerName)),
            .init("attendees", .array(e.attendees.map { .string(address($0)) })),
        ])
        var entities: [LakeRecord.Entity] = []
        for a in [e.organizer].compactMap({ $0 }) + e.attendees {
            let v = address(a)
            if v.contains("@") { entities.append(.init(kind: "email", value: v, method: "participant")) }
        }
        if let n = e.organizerName.map(TextCleansing.clean), !n.isEmpty {
            entities.append(.init(kind: "person", value: n, method: "participant"))
        }
        if let l = e.location.map(TextCleansing.clean), !l.isEmpty { entities.append(.init(kind: "place", value: l, method: "source")) }
        entities += TextEntities.find(summary) + TextEntities.find(description)
        var steps = lineage("parse.ics", "calendar_event")
        if e.start != nil { steps.append(.init("normalize.timestamp", version: version)) }
        if !entities.isEmpty { steps.append(.init("enrich.entities", version: TextEntities.version)) }
        var record = context.record(
            index: index, raw: raw(e.properties), exportKind: exportKind, recordKind: "calendar_event", category: "calendar",
            time: e.start?.timestamp, language: nil, languageMethod: nil, data: data, entities: ExportMapper.unique(entities),
            lineage: steps)
        record.detectLanguage([summary, description].filter { !$0.isEmpty }.joined(separator: "\n"))
        return record
    }
}
