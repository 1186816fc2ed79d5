import LakeCore
import LakeParsers

/// Maps Twitter/X archive data files to canonical records (docs/SPEC.md, "Twitter").
public enum TwitterMapper {
    public static let version = "1"

    /// Which files this mapper reads, by the `window.YTD.<name>` global name.
    public enum FileKind: String, Sendable {
        case tweets, account, like, directMessages, follower, following
        /// `data/manifest.js` (`window.__THAR_CONFIG`): one object, one record.
        case manifest
    }

    /// The file kind for a global name: `tweets` and the pre-2022 `tweet` are tweets; `account`
    /// is the account; `like`; `direct_messages` and `direct_messages_group`; `follower`; `following`.
    public static func fileKind(globalName: String) -> FileKind? {
        switch globalName {
        case "tweets", "tweet": return .tweets
        case "account": return .account
        case "like": return .like
        case "direct_messages", "direct_messages_group": return .directMessages
        case "follower": return .follower
        case "following": return .following
        case "__THAR_CONFIG": return .manifest
        default: return nil
        }
    }

    /// Maps one element of a file of `kind`.
    public static func map(_ kind: FileKind, _ element: JSONValue, index: Int, context: RecordContext) throws -> LakeRecord {
        switch kind {
        case .tweets: return try mapTweet(element, index: index, context: context)
        case .account: return try mapAccount(element, index: index, context: context)
        case .like: return try mapLike(element, index: index, context: context)
        case .directMessages: return try mapConversation(element, index: index, context: context)
        case .follower, .following: return try mapConnection(kind, element, index: index, context: context)
        case .manifest: return try mapManifest(element, index: index, context: context)
        }
    }

    /// The archive's manifest (`window.__THAR_CONFIG = {…}`): `record_kind` `manifest`,
    /// `category` `profile`, time from `archiveInfo.generationDate` (ISO-8601), the user's
    /// `userName` as a mention and `accountId` as a person (method `source`).
    public static func mapManifest(_ element: JSONValue, index: Int, context: RecordContext) throws -> LakeRecord {
        let manifest = try object(element, "the manifest", index)
        var lineage: [LakeRecord.LineageStep] = [
            .init("parse.twitter_js", version: version), .init("map.twitter.manifest", version: version),
            .init("normalize.snake_case", version: SnakeCase.version),
        ]
        var time: Timestamp?
        if let generated = manifest["archiveInfo"]?["generationDate"]?.stringValue {
            do { time = try Timestamp.parseISO8601(generated) } catch let e as TimestampError {
                throw e.lakeError(location: "element \(index)")
            }
            lineage.append(.init("normalize.timestamp", version: version))
        }
        var entities: [LakeRecord.Entity] = []
        if let name = manifest["userInfo"]?["userName"]?.stringValue {
            entities.append(.init(kind: "mention", value: name, method: "source"))
        }
        if let id = manifest["userInfo"]?["accountId"]?.stringValue { entities.append(.init(kind: "person", value: id, method: "source")) }
        return context.record(
            index: index, raw: element, exportKind: "twitter", recordKind: "manifest", category: "profile", time: time, language: nil,
            languageMethod: nil, data: Standardize.values(SnakeCase.convertKeys(manifest)), entities: entities,
            lineage: lineage + [textStep])
    }

    /// Twitter's snowflake epoch (2010-11-04T01:42:54.657Z) in Unix milliseconds.
    public static let snowflakeEpochMillis: Int64 = 1_288_834_974_657
    /// The first snowflake id: smaller ids are sequential and carry no time.
    public static let firstSnowflakeID: UInt64 = 29_700_859_247

    /// The time in a snowflake id (its top 41 bits are milliseconds since the snowflake epoch),
    /// or nil for an id that is not a snowflake.
    public static func snowflakeTime(_ id: String) -> Timestamp? {
        guard let v = UInt64(id), v >= firstSnowflakeID else { return nil }
        return Timestamp(millis: Int64(v >> 22) + snowflakeEpochMillis, offsetSeconds: nil)
    }

    /// One element of like.js (`{"like": {"tweetId", "fullText", "expandedUrl"}}`). The file has
    /// no time: `occurred_at` is derived from the liked tweet's snowflake id (when it is one),
    /// marked `"time_source": "snowflake"` with the lineage step `derive.snowflake_time`.
    public static func mapLike(_ element: JSONValue, index: Int, context: RecordContext) throws -> LakeRecord {
        let like = try object(element["like"] ?? element, "like", index)
        let time = like["tweetId"]?.stringValue.flatMap(snowflakeTime)
        var (data, decoded) = decodingEntities(SnakeCase.convertKeys(like), keys: ["full_text"])
        var steps: [LakeRecord.LineageStep] = [
            .init("parse.twitter_js", version: version), .init("map.twitter.like", version: version),
            .init("normalize.snake_case", version: SnakeCase.version),
        ]
        if decoded { steps.append(.init("normalize.html_entities", version: HTMLEntities.version)) }
        if time != nil {
            data = data.adding("time_source", .string("snowflake"))
            steps.append(.init("derive.snowflake_time", version: version))
        }
        var entities: [LakeRecord.Entity] = []
        if let url = like["expandedUrl"]?.stringValue { entities.append(.init(kind: "url", value: url, method: "source")) }
        var relationships: [LakeRecord.Relationship] = []
        if let tweet = like["tweetId"]?.stringValue {
            relationships.append(.init(type: "like_of", target: tweet, confidence: "1", method: "source"))
            steps.append(.init("enrich.relationships", version: version))
        }
        var record = context.record(
            index: index, raw: element, exportKind: "twitter", recordKind: "like", category: "social", time: time, language: nil,
            languageMethod: nil, data: Standardize.values(data), entities: entities, lineage: steps + [textStep])
        record.relationships = relationships
        return record
    }

    /// One conversation of direct-messages.js (`{"dmConversation": {"conversationId", "messages": [...]}}`):
    /// one record, its time the earliest `messageCreate.createdAt` (ISO-8601), its data the
    /// conversation with snake_case keys, messages in file order.
    public static func mapConversation(_ element: JSONValue, index: Int, context: RecordContext) throws -> LakeRecord {
        let conversation = try object(element["dmConversation"] ?? element, "dmConversation", index)
        var earliest: Timestamp?
        var people: [String] = []
        for message in conversation["messages"]?.arrayValue ?? [] {
            guard let create = message["messageCreate"] else { continue }
            if let text = create["createdAt"]?.stringValue {
                let t: Timestamp
                do { t = try Timestamp.parseISO8601(text) } catch let e as TimestampError {
                    throw e.lakeError(location: "element \(index)")
                }
                if earliest.map({ t.millis < $0.millis }) ?? true { earliest = t }
            }
            for id in [create["senderId"]?.stringValue, create["recipientId"]?.stringValue].compactMap({ $0 }) where !people.contains(id) {
                people.append(id)
            }
        }
        return context.record(
            index: index, raw: element, exportKind: "twitter", recordKind: "dm_conversation", category: "communication", time: earliest,
            language: nil, languageMethod: nil, data: Standardize.values(SnakeCase.convertKeys(conversation)),
            entities: people.map { .init(kind: "person", value: $0, method: "participant") },
            lineage: [
                .init("parse.twitter_js", version: version), .init("map.twitter.dm_conversation", version: version),
                .init("normalize.snake_case", version: SnakeCase.version), .init("normalize.timestamp", version: version), textStep,
            ])
    }

    /// One element of follower.js or following.js (`{"follower": {"accountId", "userLink"}}`); no time.
    public static func mapConnection(_ kind: FileKind, _ element: JSONValue, index: Int, context: RecordContext) throws -> LakeRecord {
        let key = kind == .follower ? "follower" : "following"
        let connection = try object(element[key] ?? element, key, index)
        return context.record(
            index: index, raw: element, exportKind: "twitter", recordKind: key, category: "social", time: nil, language: nil,
            languageMethod: nil, data: Standardize.values(SnakeCase.convertKeys(connection)),
            entities: connection["accountId"]?.stringValue.map { [.init(kind: "person", value: $0, method: "source")] } ?? [],
            lineage: [
                .init("parse.twitter_js", version: version), .init("map.twitter.\(key)", version: version),
                .init("normalize.snake_case", version: SnakeCase.version), textStep,
            ])
    }

    /// Twitter writes `&amp;`, `&lt;` and `&gt;` in tweet texts: the named keys of `data` get
    /// their HTML character references decoded (SPEC 5, `normalize.html_entities`).
    static func decodingEntities(_ data: JSONValue, keys: Set<String>) -> (JSONValue, Bool) {
        guard case .object(let members) = data else { return (data, false) }
        var changed = false
        let out = members.map { m -> JSONMember in
            guard keys.contains(m.key), case .string(let s) = m.value, ByteSearch.contains(UInt8(ascii: "&"), in: s) else { return m }
            let decoded = HTMLEntities.decode(Array(s.utf8))
            if decoded != s { changed = true }
            return JSONMember(m.key, .string(decoded))
        }
        return (.object(out), changed)
    }

    /// Applied last to every Twitter record's data: strings cleansed, empty values omitted (SPEC 5.3).
    static let textStep = LakeRecord.LineageStep("normalize.text", version: TextCleansing.version)

    static func object(_ v: JSONValue, _ what: String, _ index: Int) throws -> JSONValue {
        guard case .object = v else {
            throw LakeError(.twitterRecord, scope: .entry, location: "element \(index)", message: "\(what) is not a JSON object")
        }
        return v
    }

    /// The user named by an account.js element: its `username`, else its `accountId`.
    public static func user(fromAccountElement element: JSONValue) -> String? {
        let account = element["account"] ?? element
        return account["username"]?.stringValue ?? account["accountId"]?.stringValue
    }

    /// The user named by data/manifest.js: `userInfo.userName`, else `userInfo.accountId`.
    public static func user(fromManifest manifest: JSONValue) -> String? {
        manifest["userInfo"]?["userName"]?.stringValue ?? manifest["userInfo"]?["accountId"]?.stringValue
    }

    /// One element of tweets.js (`{"tweet": {...}}` or, before 2020, the bare tweet).
    /// - Throws: `LakeError` (`twitter.record`) when the element is not an object or has no
    ///   usable `created_at`; `timestamp.invalid` when the time is impossible.
    public static func mapTweet(_ element: JSONValue, index: Int, context: RecordContext) throws -> LakeRecord {
        let tweet = element["tweet"] ?? element
        guard case .object = tweet else {
            throw LakeError(.twitterRecord, scope: .entry, location: "element \(index)", message: "tweet is not a JSON object")
        }
        guard let created = tweet["created_at"]?.stringValue else {
            throw LakeError(.twitterRecord, scope: .entry, location: "element \(index)", message: "tweet has no created_at string")
        }
        let time: Timestamp
        do { time = try Timestamp.parseTwitter(created) } catch let e as TimestampError {
            throw e.lakeError(location: "element \(index)")
        }
        var entities: [LakeRecord.Entity] = []
        if let e = tweet["entities"] {
            for h in e["hashtags"]?.arrayValue ?? [] {
                if let t = h["text"]?.stringValue { entities.append(.init(kind: "hashtag", value: t, method: "source")) }
            }
            for m in e["user_mentions"]?.arrayValue ?? [] {
                if let t = m["screen_name"]?.stringValue { entities.append(.init(kind: "mention", value: t, method: "source")) }
            }
            for u in e["urls"]?.arrayValue ?? [] {
                if let t = u["expanded_url"]?.stringValue ?? u["url"]?.stringValue {
                    entities.append(.init(kind: "url", value: t, method: "source"))
                }
            }
        }
        let lang = tweet["lang"]?.stringValue
        let language = (lang == nil || lang == "und") ? nil : lang
        var lineage: [LakeRecord.LineageStep] = [
            .init("parse.twitter_js", version: version), .init("map.twitter.tweet", version: version),
            .init("normalize.snake_case", version: SnakeCase.version),
            .init("normalize.timestamp", version: version),
        ]
        var relationships: [LakeRecord.Relationship] = []
        if let parent = tweet["in_reply_to_status_id_str"]?.stringValue ?? tweet["in_reply_to_status_id"]?.stringValue, !parent.isEmpty {
            relationships.append(.init(type: "reply_to", target: parent, confidence: "1", method: "source"))
            lineage.append(.init("enrich.relationships", version: version))
        }
        let (data, decoded) = decodingEntities(SnakeCase.convertKeys(tweet), keys: ["full_text", "text"])
        if decoded { lineage.append(.init("normalize.html_entities", version: HTMLEntities.version)) }
        // Twitter lists hashtags, mentions and URLs itself; e-mail addresses, phone numbers and
        // dates in the text are found by pattern (SPEC 5.7).
        let found = TextEntities.find((data["full_text"] ?? data["text"])?.stringValue ?? "", kinds: .unlisted)
        if !found.isEmpty {
            entities = ExportMapper.unique(entities + found)
            lineage.append(.init("enrich.entities", version: TextEntities.version))
        }
        var record = context.record(
            index: index, raw: element, exportKind: "twitter", recordKind: "tweet", category: "social", time: time,
            language: language, languageMethod: language == nil ? nil : "source",
            data: Standardize.values(data), entities: entities, lineage: lineage + [textStep])
        record.relationships = relationships
        // No language from Twitter (`lang` missing or `und`): detected from the text (SPEC 5.9).
        record.detectLanguage((data["full_text"] ?? data["text"])?.stringValue)
        return record
    }

    /// One element of account.js (`{"account": {...}}`); its time is `createdAt`.
    public static func mapAccount(_ element: JSONValue, index: Int, context: RecordContext) throws -> LakeRecord {
        let account = element["account"] ?? element
        guard case .object = account else {
            throw LakeError(.twitterRecord, scope: .entry, location: "element \(index)", message: "account is not a JSON object")
        }
        var time: Timestamp?
        if let created = account["createdAt"]?.stringValue {
            do { time = try Timestamp.parseISO8601(created) } catch let e as TimestampError {
                throw e.lakeError(location: "element \(index)")
            }
        }
        return context.record(
            index: index, raw: element, exportKind: "twitter", recordKind: "account", category: "profile", time: time,
            language: nil, languageMethod: nil, data: Standardize.values(SnakeCase.convertKeys(account)),
            entities: account["email"]?.stringValue.map { [.init(kind: "email", value: $0, method: "source")] } ?? [],
            lineage: [
                .init("parse.twitter_js", version: version), .init("map.twitter.account", version: version),
                .init("normalize.snake_case", version: SnakeCase.version),
                .init("normalize.timestamp", version: version),
                textStep,
            ])
    }
}
