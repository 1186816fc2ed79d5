import LakeCore
import LakeParsers

/// Tweets read from the tape (docs/SPEC.md 7.1, "Records from the tape"): the record
/// `mapTweet` gives, with `data` written straight from the element's `JSONTape`.
extension TwitterMapper {
    /// The file kinds with a mapper that reads the tape (the others build the element's value).
    public static func mapsFromTape(_ kind: FileKind) -> Bool {
        switch kind {
        case .tweets, .follower, .following, .like, .directMessages: return true
        // One element per file: a tape mapper would save nothing.
        case .account, .manifest: return false
        }
    }

    /// `map` of the element on `tape`, read from the tape: the same record, or nil when the
    /// element is outside what the tape mapper knows (no object, no `created_at` string, a time
    /// that does not parse, a key that is not ASCII or that two members share after snake_case,
    /// a decoded text that cleansing empties or NFC changes): the general path then maps it,
    /// and throws what it throws.
    public static func mapFromTape(
        _ kind: FileKind, _ t: JSONTape, index: Int, context: RecordContext, scratch: inout ExportMapper.TapeScratch
    ) -> DirectRecord? {
        guard t.count > 0, t.kind(0) == .objectStart else { return nil }
        switch kind {
        case .tweets: return tweet(t, index: index, context: context, scratch: &scratch)
        case .follower, .following: return connection(kind, t, index: index, context: context, scratch: &scratch)
        case .like: return like(t, index: index, context: context, scratch: &scratch)
        case .directMessages: return conversation(t, index: index, context: context, scratch: &scratch)
        case .account, .manifest: return nil
        }
    }

    static let followerLineage: [LakeRecord.LineageStep] = connectionLineage("follower")
    static let followingLineage: [LakeRecord.LineageStep] = connectionLineage("following")
    static func connectionLineage(_ key: String) -> [LakeRecord.LineageStep] {
        [
            .init("parse.twitter_js", version: version), .init("map.twitter.\(key)", version: version),
            .init("normalize.snake_case", version: SnakeCase.version), textStep,
        ]
    }

    /// `mapConnection` on the tape: the wrapped (or bare) object's data, its `accountId` as a
    /// person.
    static func connection(
        _ kind: FileKind, _ t: JSONTape, index: Int, context: RecordContext, scratch: inout ExportMapper.TapeScratch
    ) -> DirectRecord? {
        let follower = kind == .follower
        let wrapper = ExportMapper.members(t, [follower ? "follower" : "following"], scratch: &scratch.bytes).named[0]
        let connection = wrapper >= 0 ? wrapper : 0
        guard t.kind(connection) == .objectStart else { return nil }
        let account = string(t, ExportMapper.members(t, at: connection, ["accountId"], scratch: &scratch.bytes).named[0])
        var data: [UInt8] = []
        data.reserveCapacity(t.input.count)
        guard scratch.writer.write(t, at: connection, rules: Standardize.tapeRules, into: &data) else { return nil }
        let hash = t.contentHash(writer: &scratch.writer, scratch: &scratch.bytes)
        let record = context.record(
            index: index, contentHash: hash, exportKind: "twitter", recordKind: follower ? "follower" : "following", category: "social",
            time: nil, language: nil, languageMethod: nil, data: .object([]),
            entities: account.map { [.init(kind: "person", value: $0, method: "source")] } ?? [],
            lineage: follower ? followerLineage : followingLineage)
        return DirectRecord(record: record, data: data)
    }

    static let tweetLineage: [LakeRecord.LineageStep] = [
        .init("parse.twitter_js", version: version), .init("map.twitter.tweet", version: version),
        .init("normalize.snake_case", version: SnakeCase.version), .init("normalize.timestamp", version: version),
    ]
    static let textKeys = (fullText: Array("full_text".utf8), text: Array("text".utf8))
    /// A tweet's lineage: `tweetLineage`, then `enrich.relationships` (bit 1, a reply),
    /// `normalize.html_entities` (bit 2), `enrich.entities` (bit 4), then `textStep`.
    static let tweetLineages = ExportMapper.lineageTable(
        tweetLineage,
        optional: [
            [.init("enrich.relationships", version: version)], [.init("normalize.html_entities", version: HTMLEntities.version)],
            [.init("enrich.entities", version: TextEntities.version)],
        ], last: [textStep])
    static let tweetNames: [StaticString] = ["created_at", "entities", "lang", "in_reply_to_status_id_str", "in_reply_to_status_id"]

    /// `mapTweet` on the tape.
    static func tweet(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout ExportMapper.TapeScratch) -> DirectRecord? {
        let wrapper = ExportMapper.members(t, ["tweet"], scratch: &scratch.bytes).named[0]
        let tweet = wrapper >= 0 ? wrapper : 0
        guard t.kind(tweet) == .objectStart else { return nil }
        let full = ExportMapper.members(t, at: tweet, tweetNames, becoming: "full_text", scratch: &scratch.bytes)
        let m = full.named
        guard let created = string(t, m[0]), let time = try? Timestamp.parseTwitter(created) else { return nil }
        var entities: [LakeRecord.Entity] = []
        if m[1] >= 0 {
            let lists = ExportMapper.members(t, at: m[1], ["hashtags", "user_mentions", "urls"], scratch: &scratch.bytes).named
            func add(_ list: Int, _ kind: String, _ keys: [StaticString]) {
                for item in elements(t, list) {
                    let found = ExportMapper.members(t, at: item, keys, scratch: &scratch.bytes).named
                    if let value = found.lazy.compactMap({ string(t, $0) }).first {
                        entities.append(.init(kind: kind, value: value, method: "source"))
                    }
                }
            }
            add(lists[0], "hashtag", ["text"])
            add(lists[1], "mention", ["screen_name"])
            add(lists[2], "url", ["expanded_url", "url"])
        }
        let lang = string(t, m[2])
        let language = (lang == nil || lang == "und") ? nil : lang
        var steps = 0
        var relationships: [LakeRecord.Relationship] = []
        if let parent = string(t, m[3]) ?? string(t, m[4]), !parent.isEmpty {
            relationships.append(.init(type: "reply_to", target: parent, confidence: "1", method: "source"))
            steps |= 1
        }
        // `decodingEntities` on the data's `full_text` and `text` (the members snake_case
        // names so).
        let plain = ExportMapper.members(t, at: tweet, [], becoming: "text", scratch: &scratch.bytes).becoming
        var texts = DecodedTexts()
        guard let fullText = texts.text(t, full.becoming, textKeys.fullText), let text = texts.text(t, plain, textKeys.text) else {
            return nil
        }
        if texts.decodedAny { steps |= 2 }
        // `(data["full_text"] ?? data["text"])?.stringValue`: a `full_text` that is no string
        // still hides `text`.
        let body = full.becoming >= 0 ? fullText : text
        let found = TextEntities.find(body ?? "", kinds: .unlisted)
        if !found.isEmpty {
            entities = ExportMapper.unique(entities + found)
            steps |= 4
        }
        var data: [UInt8] = []
        data.reserveCapacity(t.input.count)
        guard scratch.writer.write(t, at: tweet, rules: Standardize.tapeRules, replacing: texts.replacing, into: &data) else { return nil }
        let hash = t.contentHash(writer: &scratch.writer, scratch: &scratch.bytes)
        var record = context.record(
            index: index, contentHash: hash, exportKind: "twitter", recordKind: "tweet", category: "social", time: time,
            language: language, languageMethod: language == nil ? nil : "source", data: .object([]), entities: entities,
            lineage: tweetLineages[steps])
        record.relationships = relationships
        record.detectLanguage(body)
        return DirectRecord(record: record, data: data)
    }

    /// The text at token `i` when it is a string (`stringValue`), else nil.
    static func string(_ t: JSONTape, _ i: Int) -> String? { i >= 0 && t.kind(i) == .string ? t.string(i) : nil }

    /// The element tokens of the array at token `i` (none when it is no array: `arrayValue ?? []`).
    static func elements(_ t: JSONTape, _ i: Int) -> [Int] {
        guard i >= 0, t.kind(i) == .arrayStart else { return [] }
        var out: [Int] = []
        var j = i + 1
        while t.kind(j) != .arrayEnd {
            out.append(j)
            j = t.after(j)
        }
        return out
    }

    /// The canonical JSON of `text` as `Standardize.values` leaves it (cleansed, in NFC), or nil
    /// when that empties it (the member would be dropped) or the tape rule gives up.
    static func standardized(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        var cleaned: [UInt8] = []
        guard let rule = Standardize.tapeRules.string, bytes.withUnsafeBufferPointer({ rule($0, &cleaned) }), !cleaned.isEmpty
        else { return nil }
        var out: [UInt8] = []
        cleaned.withUnsafeBufferPointer { CanonicalJSON.writeEscaped($0, into: &out) }
        return out
    }
}
