import LakeCore
import LakeNormalize
import LakeParsers
import Testing

@Suite struct TwitterMapperTests {
    let context = RecordContext(input: "t.zip", inputSHA256: "00", path: "data/tweets.js", user: "ada", ring: ShardRing(Thresholds()))

    func tweet(_ extra: [JSONMember] = []) -> JSONValue {
        .object([
            .init("id", .string("42")), .init("created_at", .string("Sat Aug 12 16:10:37 +0000 2023")),
            .init("full_text", .string("hi #x @y")), .init("lang", .string("en")),
            .init("entities", .object([
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
        #expect(wrapped.entities == [.init(kind: "hashtag", value: "x", method: "source"), .init(kind: "mention", value: "y", method: "source")])
        // The raw element differs, so the content hash and id differ.
        #expect(wrapped.id != bare.id)
    }

    @Test func camelCaseKeysBecomeSnakeCase() throws {
        let r = try TwitterMapper.mapTweet(tweet([.init("editInfo", .object([.init("editTweetIds", .array([.string("42")]))]))]), index: 0, context: context)
        #expect(r.data["edit_info"]?["edit_tweet_ids"] == .array([.string("42")]))
    }

    @Test func missingOrImpossibleTimesAreEntryErrors() {
        #expect(throws: LakeError.self) { _ = try TwitterMapper.mapTweet(.object([.init("tweet", .object([.init("id", .string("1"))]))]), index: 0, context: context) }
        #expect(throws: LakeError.self) {
            _ = try TwitterMapper.mapTweet(.object([.init("created_at", .string("Sat Feb 30 16:10:37 +0000 2023"))]), index: 0, context: context)
        }
        #expect(throws: LakeError.self) { _ = try TwitterMapper.mapTweet(.string("x"), index: 0, context: context) }
    }

    @Test func undeterminedLanguageIsNull() throws {
        let r = try TwitterMapper.mapTweet(.object([.init("created_at", .string("Sat Aug 12 16:10:37 +0000 2023")), .init("lang", .string("und"))]), index: 0, context: context)
        #expect(r.language == nil)
        #expect(CanonicalJSON.string(r.jsonValue).contains("\"language\":null"))
    }
}
