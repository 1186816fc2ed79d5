import LakeCore
import LakeNormalize
import LakeParsers

/// A mailbox: one `email` per message, read from the raw bytes (each message names its own
/// charsets); the offset is the mbox reader's. Its metadata: the first 20 messages' subjects
/// and senders, and the count.
struct MboxLoader: RouteLoader {
    func load(_ entry: EntryToLoad, into loader: ChunkedLoader) throws -> EntryLoaded {
        let mbox = MboxReader(source: entry.raw)
        var subjects: [JSONValue] = [], senders: [JSONValue] = []
        let context = entry.context
        let records = try loader.load(
            bytesRead: { mbox.offset },
            elements: { body in
                while let m = try mbox.next() {
                    if subjects.count < 20 {
                        let mail = MailMessage.parse(m.raw)
                        subjects.append(.string(TextCleansing.clean(mail.subject ?? "")))
                        senders.append(.string(TextCleansing.clean(mail.from ?? "")))
                    }
                    try body(m.index, m)
                }
            },
            map: { _, message in MailMapper.map(message, context: context) })
        let metadata: JSONValue = .object([
            .init("first_senders", .array(senders)), .init("first_subjects", .array(subjects)),
            .init("messages", .number(String(records))),
        ])
        return EntryLoaded(records: records, metadata: metadata)
    }
}

/// One message file (`.eml`, or headers found by content): one `email` record.
struct MessageLoader: RouteLoader {
    func load(_ entry: EntryToLoad, into loader: ChunkedLoader) throws -> EntryLoaded {
        let message = MboxReader(source: entry.raw)
        let context = entry.context
        return EntryLoaded(
            records: try loader.load(
                bytesRead: { message.offset }, elements: ChunkedLoader.counted(message.wholeMessage),
                map: { _, m in MailMapper.map(m, context: context) }))
    }
}
