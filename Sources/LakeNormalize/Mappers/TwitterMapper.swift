import LakeCore
import LakeParsers

/// Maps Twitter/X archive data files to canonical records (docs/SPEC.md, "Twitter").
public enum TwitterMapper {
    public static let version = "1"

    /// Which files this mapper reads, by the `window.YTD.<name>` global name.
    public enum FileKind: String, Sendable {
        case tweets, account
    }

    /// The file kind for a global name: `tweets` and the pre-2022 `tweet` are tweets; `account` is the account.
    public static func fileKind(globalName: String) -> FileKind? {
        switch globalName {
        case "tweets", "tweet": return .tweets
        case "account": return .account
        default: return nil
        }
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
        return context.record(
            index: index, raw: element, exportKind: "twitter", recordKind: "tweet", category: "social", time: time,
            language: language, languageMethod: language == nil ? nil : "source",
            data: SnakeCase.convertKeys(tweet), entities: entities,
            lineage: [
                .init("parse.twitter_js", version: version), .init("map.twitter.tweet", version: version),
                .init("normalize.snake_case", version: SnakeCase.version),
                .init("normalize.timestamp", version: version),
            ])
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
            language: nil, languageMethod: nil, data: SnakeCase.convertKeys(account), entities: [],
            lineage: [
                .init("parse.twitter_js", version: version), .init("map.twitter.account", version: version),
                .init("normalize.snake_case", version: SnakeCase.version),
                .init("normalize.timestamp", version: version),
            ])
    }
}
