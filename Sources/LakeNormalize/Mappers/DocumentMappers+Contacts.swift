import LakeCore
import LakeParsers

/// Contacts: one record per vCard.
extension DocumentMappers {
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
}
