import LakeCore
import LakeNormalize
import LakeParsers
import Testing

@Suite struct TwitterMapperTests {
    let context = RecordContext(input: "t.zip", inputSHA256: "00", path: "data/tweets.js", user: "ada", ring: ShardRing(Thresholds()))

    func tweet(_ extra: [JSONMember] = []) -> JSONValue {
        .object(
            [
                .init("id", .string("42")), .init("created_at", .string("Sat Aug 12 16:10:37 +0000 2023")),
                .init("full_text", .string("hi #x @y")), .init("lang", .string("en")),
                .init(
                    "entities",
                    .object([
                        .init("hashtags", .array([.object([.init("text", .string("x"))])])),
                        .init("user_mentions", .array([.object([.init("screen_name", .string("y"))])])),
                        .init("urls", .array([])),
                    ])),
            ] + extra)
    }

    @Test func wrappedAndBareTweetsMapTheSameData() throws {
        let wrapped = try TwitterMapper.mapTweet(.object([.init("tweet", tweet())]), index: 0, context: context)
        let bare = try TwitterMapper.mapTweet(tweet(), index: 0, context: context)
        #expect(wrapped.data == bare.data)
        #expect(wrapped.occurredAt == "2023-08-12T16:10:37.000Z")
        #expect(wrapped.partition == "2023-08")
        #expect(wrapped.recordKind == "tweet")
        #expect(wrapped.user == "ada")
        #expect(wrapped.language == "en")
        #expect(
            wrapped.entities == [
                .init(kind: "hashtag", value: "x", method: "source"), .init(kind: "mention", value: "y", method: "source"),
            ])
        // The raw element differs, so the content hash and id differ.
        #expect(wrapped.id != bare.id)
    }

    @Test func camelCaseKeysBecomeSnakeCase() throws {
        let r = try TwitterMapper.mapTweet(
            tweet([.init("editInfo", .object([.init("editTweetIds", .array([.string("42")]))]))]), index: 0, context: context)
        #expect(r.data["edit_info"]?["edit_tweet_ids"] == .array([.string("42")]))
    }

    @Test func missingOrImpossibleTimesAreEntryErrors() {
        #expect(throws: LakeError.self) {
            _ = try TwitterMapper.mapTweet(.object([.init("tweet", .object([.init("id", .string("1"))]))]), index: 0, context: context)
        }
        #expect(throws: LakeError.self) {
            _ = try TwitterMapper.mapTweet(
                .object([.init("created_at", .string("Sat Feb 30 16:10:37 +0000 2023"))]), index: 0, context: context)
        }
        #expect(throws: LakeError.self) { _ = try TwitterMapper.mapTweet(.string("x"), index: 0, context: context) }
    }

    @Test func undeterminedLanguageIsNull() throws {
        let r = try TwitterMapper.mapTweet(
            .object([.init("created_at", .string("Sat Aug 12 16:10:37 +0000 2023")), .init("lang", .string("und"))]), index: 0,
            context: context)
        #expect(r.language == nil)
        #expect(CanonicalJSON.string(r.jsonValue).contains("\"language\":null"))
    }

    /// The sample archive's tweet 1050118621198921728 was created 2018-10-10T20:19:24Z: its
    /// snowflake id says the same, to the millisecond Twitter does not show.
    @Test func likesTakeTheirTimeFromTheSnowflakeAndSaySo() throws {
        #expect(TwitterMapper.snowflakeTime("1050118621198921728")?.iso8601 == "2018-10-10T20:19:24.211Z")
        #expect(TwitterMapper.snowflakeTime("20") == nil && TwitterMapper.snowflakeTime("x") == nil)
        let like: JSONValue = .object([
            .init(
                "like",
                .object([
                    .init("tweetId", .string("1050118621198921728")), .init("fullText", .string("t")),
                    .init("expandedUrl", .string("https://twitter.com/i/web/status/1")),
                ]))
        ])
        let r = try TwitterMapper.map(.like, like, index: 0, context: context)
        #expect(r.recordKind == "like" && r.occurredAt == "2018-10-10T20:19:24.211Z" && r.sourceOffset == nil)
        #expect(r.data["time_source"]?.stringValue == "snowflake" && r.data["tweet_id"]?.stringValue == "1050118621198921728")
        #expect(r.lineage.map(\.step).contains("derive.snowflake_time"))
        // An old sequential id has no time, and nothing claims one.
        let old: JSONValue = .object([.init("like", .object([.init("tweetId", .string("12345"))]))])
        let o = try TwitterMapper.map(.like, old, index: 1, context: context)
        #expect(o.occurredAt == nil && o.data["time_source"] == nil && !o.lineage.map(\.step).contains("derive.snowflake_time"))
    }

    @Test func conversationsTakeTheirEarliestMessageAndParticipants() throws {
        func message(_ id: String, _ at: String, _ from: String, _ to: String) -> JSONValue {
            .object([
                .init(
                    "messageCreate",
                    .object([
                        .init("id", .string(id)), .init("createdAt", .string(at)),
                        .init("senderId", .string(from)), .init("recipientId", .string(to)),
                    ]))
            ])
        }
        let conversation: JSONValue = .object([
            .init(
                "dmConversation",
                .object([
                    .init("conversationId", .string("1-2")),
                    .init(
                        "messages",
                        .array([message("9", "2024-06-10T14:00:00.000Z", "1", "2"), message("8", "2024-06-09T08:30:00.500Z", "2", "1")])),
                ]))
        ])
        let r = try TwitterMapper.map(.directMessages, conversation, index: 0, context: context)
        #expect(r.recordKind == "dm_conversation" && r.occurredAt == "2024-06-09T08:30:00.500Z")
        #expect(r.entities.map(\.value) == ["1", "2"] && r.entities.allSatisfy { $0.kind == "person" && $0.method == "participant" })
        #expect(throws: LakeError.self) { try TwitterMapper.map(.follower, .array([]), index: 0, context: context) }
    }
}
