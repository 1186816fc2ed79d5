import LakeCore
import LakeParsers

/// Likes and direct-message conversations read from the tape (docs/SPEC.md 7.1, "Records from
/// the tape"): the records `mapLike` and `mapConversation` give, with `data` written straight
/// from the element's `JSONTape`.
extension TwitterMapper {
    /// `decodingEntities` on the tape: each data member the caller names whose string holds a
    /// `&` is decoded, and written standardized in its place (`replacing`).
    struct DecodedTexts {
        var replacing: [(key: [UInt8], value: [UInt8])] = []
        /// Whether decoding changed a text (the record's lineage then has
        /// `normalize.html_entities`).
        var decodedAny = false

        /// The text of the member at token `token`, whose key becomes `key`, as the data holds it:
        /// `.some(nil)` when there is no such member or it is no string, nil when the writer
        /// must give up (decoding leaves a text that standardizing drops).
        mutating func text(_ t: JSONTape, _ token: Int, _ key: [UInt8]) -> String?? {
            guard token >= 0, t.kind(token) == .string else { return .some(nil) }
            let s = t.string(token)
            // A byte search: `contains("&")` compares grapheme clusters, and an `&` a mark
            // joins is no entity either (`decode` leaves it).
            guard ByteSearch.contains(UInt8(ascii: "&"), in: s) else { return .some(s) }
            let d = HTMLEntities.decode(Array(s.utf8))
            if d != s { decodedAny = true }
            guard let value = standardized(d) else { return nil }
            replacing.append((key, value))
            return .some(d)
        }
    }

    /// A like's lineage: the first three steps, then `normalize.html_entities` (bit 1),
    /// `derive.snowflake_time` (bit 2), `enrich.relationships` (bit 4), then `textStep`.
    static let likeLineages = ExportMapper.lineageTable(
        [
            .init("parse.twitter_js", version: version), .init("map.twitter.like", version: version),
            .init("normalize.snake_case", version: SnakeCase.version),
        ],
        optional: [
            [.init("normalize.html_entities", version: HTMLEntities.version)], [.init("derive.snowflake_time", version: version)],
            [.init("enrich.relationships", version: version)],
        ], last: [textStep])
    /// The member a time from the snowflake adds to a like's data.
    static let snowflakeSource = (key: Array("time_source".utf8), value: Array(#""snowflake""#.utf8))

    /// `mapLike` on the tape: the wrapped (or bare) like's data, its time from the `tweetId`
    /// snowflake, its `expandedUrl` as a URL and the liked tweet as `like_of`.
    static func like(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout ExportMapper.TapeScratch) -> DirectRecord? {
        let wrapper = ExportMapper.members(t, ["like"], scratch: &scratch.bytes).named[0]
        let like = wrapper >= 0 ? wrapper : 0
        guard t.kind(like) == .objectStart else { return nil }
        let m = ExportMapper.members(t, at: like, ["tweetId", "expandedUrl"], becoming: "full_text", scratch: &scratch.bytes)
        let tweet = string(t, m.named[0])
        let time = tweet.flatMap(snowflakeTime)
        var texts = DecodedTexts()
        guard texts.text(t, m.becoming, textKeys.fullText) != nil else { return nil }
        let steps = (texts.decodedAny ? 1 : 0) | (time == nil ? 0 : 2) | (tweet == nil ? 0 : 4)
        var data: [UInt8] = []
        data.reserveCapacity(t.input.count + 32)
        guard
            scratch.writer.write(
                t, at: like, rules: Standardize.tapeRules, extra: time == nil ? [] : [snowflakeSource], replacing: texts.replacing,
                into: &data)
        else { return nil }
        let hash = t.contentHash(writer: &scratch.writer, scratch: &scratch.bytes)
        var record = context.record(
            index: index, contentHash: hash, exportKind: "twitter", recordKind: "like", category: "social", time: time, language: nil,
            languageMethod: nil, data: .object([]),
            entities: string(t, m.named[1]).map { [.init(kind: "url", value: $0, method: "source")] } ?? [], lineage: likeLineages[steps])
        record.relationships = tweet.map { [.init(type: "like_of", target: $0, confidence: "1", method: "source")] } ?? []
        return DirectRecord(record: record, data: data)
    }

    static let conversationLineage: [LakeRecord.LineageStep] = [
        .init("parse.twitter_js", version: version), .init("map.twitter.dm_conversation", version: version),
        .init("normalize.snake_case", version: SnakeCase.version), .init("normalize.timestamp", version: version), textStep,
    ]

    /// `mapConversation` on the tape: the wrapped (or bare) conversation's data, its earliest
    /// `messageCreate.createdAt`, and the senders and recipients as participants in the order
    /// they first appear. Nil when a time does not parse (the general path refuses the element).
    static func conversation(
        _ t: JSONTape, index: Int, context: RecordContext, scratch: inout ExportMapper.TapeScratch
    ) -> DirectRecord? {
        let wrapper = ExportMapper.members(t, ["dmConversation"], scratch: &scratch.bytes).named[0]
        let conversation = wrapper >= 0 ? wrapper : 0
        guard t.kind(conversation) == .objectStart else { return nil }
        let messages = ExportMapper.members(t, at: conversation, ["messages"], scratch: &scratch.bytes).named[0]
        var earliest: Timestamp?
        var people: [String] = []
        for message in elements(t, messages) {
            let create = ExportMapper.members(t, at: message, ["messageCreate"], scratch: &scratch.bytes).named[0]
            guard create >= 0 else { continue }
            let parts = ExportMapper.members(t, at: create, ["createdAt", "senderId", "recipientId"], scratch: &scratch.bytes).named
            if let text = string(t, parts[0]) {
                guard let time = try? Timestamp.parseISO8601(text) else { return nil }
                if earliest.map({ time.millis < $0.millis }) ?? true { earliest = time }
            }
            for id in [string(t, parts[1]), string(t, parts[2])] {
                if let id, !people.contains(id) { people.append(id) }
            }
        }
        var data: [UInt8] = []
        data.reserveCapacity(t.input.count)
        guard scratch.writer.write(t, at: conversation, rules: Standardize.tapeRules, into: &data) else { return nil }
        let hash = t.contentHash(writer: &scratch.writer, scratch: &scratch.bytes)
        let record = context.record(
            index: index, contentHash: hash, exportKind: "twitter", recordKind: "dm_conversation", category: "communication",
            time: earliest, language: nil, languageMethod: nil, data: .object([]),
            entities: people.map { .init(kind: "person", value: $0, method: "participant") }, lineage: conversationLineage)
        return DirectRecord(record: record, data: data)
    }
}
