import LakeCore
import LakeParsers

/// Mappers for the non-JSON files of Takeout (docs/SPEC.md 5.8): vCard contacts, iCalendar
/// events, and My Activity in its legacy HTML form.
public enum DocumentMappers {
    public static let version = "1"

    /// The raw form hashed for `content_hash`: the content lines as `[name, {parameters}, value]`.
    static func raw(_ lines: [ContentLine]) -> JSONValue {
        .array(
            lines.map { line in
                .array([
                    .string(line.name), .object(line.parameters.sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) }),
                    .string(line.value),
                ])
            })
    }

    static func clean(_ s: String?) -> JSONValue { s.map { .string(TextCleansing.clean($0)) } ?? .null }

    /// A record whose reader found a problem in it is rejected alone: the first problem's rule,
    /// the record's index and the line go into the error (the value itself does not).
    static func rejectIfBroken(_ problems: [RecordProblem], index: Int) throws {
        guard let p = problems.first else { return }
        throw LakeError(.init(p.rule), scope: .entry, location: "record \(index), line \(p.line)", message: p.reason)
    }

    static func finish(_ data: [JSONMember]) -> JSONValue { Flatten.prune(.object(data)) ?? .object([]) }

    static func lineage(_ parse: String, _ kind: String) -> [LakeRecord.LineageStep] {
        [
            .init(parse, version: version), .init("map.google-takeout.\(kind)", version: version),
            .init("normalize.text", version: TextCleansing.version),
        ]
    }

    /// One vCard: `record_kind` `contact`, no time; e-mail addresses and phone numbers as
    /// entities (method `source`), the formatted name as a person.
    public static func contact(_ card: VCard, index: Int, exportKind: String, context: RecordContext) -> LakeRecord {
        func values(_ vs: [VCard.Value]) -> JSONValue {
            .array(vs.map { v in finish([.init("value", clean(v.value)), .init("types", .array(v.types.map { .string($0) }))]) })
        }
        let nameParts = ["family", "given", "additional", "prefix", "suffix"]
        let name = zip(nameParts, card.name).map { JSONMember($0.0, clean($0.1)) }
        var members: [JSONMember] = [
            .init("formatted_name", clean(card.formattedName)), .init("name", .object(name)), .init("emails", values(card.emails)),
            .init("phones", values(card.phones)), .init("addresses", values(card.addresses)),
            .init("organization", clean(card.organization)),
            .init("birthday", clean(card.birthday)), .init("note", clean(card.note)), .init("uid", clean(card.uid)),
            .init("version", clean(card.version)),
        ]
        if !card.categories.isEmpty { members.append(.init("categories", .array(card.categories.map(clean)))) }
        let data = finish(members)
        var entities: [LakeRecord.Entity] = []
        if let fn = card.formattedName.map(TextCleansing.clean), !fn.isEmpty {
            entities.append(.init(kind: "person", value: fn, method: "source"))
        }
        // Only values that are addresses become e-mail entities (a vCard EMAIL may hold a note or a URL).
        entities += card.emails.compactMap { e in
            var v = TextCleansing.clean(e.value)
            if v.lowercased().hasPrefix("mailto:") { v = String(v.dropFirst(7)) }
            return TextEntities.isEmailAddress(v) ? .init(kind: "email", value: v, method: "source") : nil
        }
        entities += card.phones.compactMap { p in
            PhoneNumbers.normalize(telURI: p.value).map { .init(kind: "phone", value: $0, method: "source") }
        }
        var steps = lineage("parse.vcf", "contact")
        if !entities.isEmpty { steps.append(.init("enrich.entities", version: TextEntities.version)) }
        return context.record(
            index: index, raw: raw(card.properties), exportKind: exportKind, recordKind: "contact", category: "contact", time: nil,
            language: nil, languageMethod: nil, data: data, entities: ExportMapper.unique(entities), lineage: steps)
    }

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
        var steps = lineage("parse.takeout_html", "activity")
        if a.time != nil { steps.append(.init("normalize.timestamp", version: version)) }
        if !entities.isEmpty { steps.append(.init("enrich.entities", version: TextEntities.version)) }
        var record = context.record(
            index: index, raw: raw, exportKind: "google-takeout", recordKind: "activity", category: "activity", time: a.time, language: nil,
            languageMethod: nil, data: finish(data), entities: ExportMapper.unique(entities), lineage: steps)
        record.detectLanguage(title)
        return record
    }
}
