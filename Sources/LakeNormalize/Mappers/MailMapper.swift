import LakeCore
import LakeParsers

/// Maps mbox messages (Gmail's Takeout mbox, any mboxrd file) to `email` records (docs/SPEC.md,
/// "Mail").
public enum MailMapper {
    public static let version = "1"

    /// Address headers whose addresses become `email` entities, in this order.
    static let addressHeaders = ["From", "Sender", "Reply-To", "To", "Cc", "Bcc"]

    /// The export kind of an entry, by its path: `google-takeout` under a `Takeout/` folder, else `mail`.
    public static func exportKind(path: String) -> String {
        // `PlainSearch`: the string-processing `contains` cost 16,000 instructions a message.
        path.hasPrefix("Takeout/") || PlainSearch.contains("/Takeout/", in: path) ? "google-takeout" : "mail"
    }

    /// One message of an mbox file. Never fails: a message is always kept, as far as it reads.
    public static func map(_ message: MboxReader.Message, context: RecordContext) -> LakeRecord {
        let mail = MailMessage.parse(message.raw)
        var fields: [JSONMember] = []
        func putCleaned(_ key: String, _ clean: String) {
            if !clean.isEmpty { fields.append(.init(key, .string(clean))) }
        }
        func put(_ key: String, _ text: String?) {
            if let text { putCleaned(key, TextCleansing.clean(text)) }
        }
        put("from", mail.from)
        put("sender", mail.header("Sender"))
        put("reply_to", mail.header("Reply-To"))
        put("to", mail.to)
        put("cc", mail.header("Cc"))
        put("bcc", mail.header("Bcc"))
        // Subject and text are cleansed once: the fields, the entity search and the language use them.
        let subject = TextCleansing.clean(mail.subject ?? "")
        let text = TextCleansing.clean(mail.text)
        putCleaned("subject", subject)
        put("date", mail.header("Date"))
        put("message_id", mail.messageID)
        put("in_reply_to", mail.header("In-Reply-To"))
        put("thread_id", mail.header("X-GM-THRID"))
        let labels = mail.gmailLabels.map(TextCleansing.clean).filter { !$0.isEmpty }
        if !labels.isEmpty { fields.append(.init("labels", .array(labels.map { .string($0) }))) }
        putCleaned("text", text)
        fields.append(.init("text_source", .string(mail.textSource)))
        if !mail.attachments.isEmpty {
            fields.append(
                .init(
                    "attachments",
                    .array(
                        mail.attachments.map { a in
                            var m: [JSONMember] = [.init("content_type", .string(a.contentType)), .init("size", .number(String(a.size)))]
                            if let name = a.filename.map(TextCleansing.clean), !name.isEmpty { m.append(.init("filename", .string(name))) }
                            return .object(m)
                        })))
        }
        put("envelope_sender", message.envelopeSender)
        if message.isOversized {
            fields.append(.init("truncated", .bool(true)))
            fields.append(.init("size", .number(String(message.size))))
        }
        if mail.truncatedStructure { fields.append(.init("structure_truncated", .bool(true))) }
        if mail.truncatedHeaders { fields.append(.init("headers_truncated", .bool(true))) }
        if !mail.unconvertedCharsets.isEmpty {
            fields.append(.init("charset_unconverted", .array(mail.unconvertedCharsets.map { .string($0) })))
        }

        // The Date header when it parses, else the envelope's `From ` line date (UTC, no offset).
        var time = mail.date
        if time != nil {
            fields.append(.init("time_source", .string("date_header")))
        } else if let envelope = message.envelopeDate {
            time = Timestamp(millis: envelope.millis, offsetSeconds: nil)
            fields.append(.init("time_source", .string("envelope")))
        }

        var entities: [LakeRecord.Entity] = []
        var seenAddresses = Set<String>(), seenNames = Set<String>()
        var people: [LakeRecord.Entity] = []
        for name in addressHeaders {
            guard let value = mail.header(name) else { continue }
            for a in MailAddresses.parse(value) {
                if seenAddresses.insert(a.address).inserted { entities.append(.init(kind: "email", value: a.address, method: "header")) }
                if let person = a.name.map(TextCleansing.clean), !person.isEmpty, seenNames.insert(person).inserted {
                    people.append(.init(kind: "person", value: person, method: "header"))
                }
            }
        }
        entities += people
        // URLs, phone numbers, dates and further addresses in the text (SPEC 5.7).
        var patternFound = false
        let found = TextEntities.find(text, kinds: TextEntities.Kinds.all.subtracting(.tags))
        let before = entities.count
        entities = ExportMapper.unique(entities + found)
        patternFound = entities.count > before

        let contentHash = Hex.string(XXH64.hash(message.raw))
        var record = context.record(
            index: message.index, contentHash: contentHash, exportKind: exportKind(path: context.path), recordKind: "email",
            category: "communication", time: time, language: nil, languageMethod: nil, data: .object(fields), entities: entities,
            lineage: [
                .init("parse.mbox", version: version), .init("parse.mime", version: MailMessage.version),
                .init("map.mail.message", version: version),
                .init("normalize.text", version: TextCleansing.version), .init("normalize.timestamp", version: version),
            ] + (patternFound ? [.init("enrich.entities", version: TextEntities.version)] : []))
        record.detectLanguage([subject, text].filter { !$0.isEmpty }.joined(separator: "\n"))
        return record
    }
}
