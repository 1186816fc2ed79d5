import LakeCore
@testable import LakeNormalize
import LakeParsers
import Testing
import _LakeTestSupport

/// The like and direct-message mappers that read a `JSONTape` give `mapLike`'s and
/// `mapConversation`'s records, or give way to them, on seeded elements built to hit every
/// rule: wrapped, bare and misplaced objects; tweet ids that are snowflakes, small, numbers or
/// empty; texts with HTML references, under `fullText` or `full_text` or both; keys that
/// collide with the `time_source` a snowflake adds; messages of every shape, times that do not
/// parse, participants repeated or missing.
@Suite struct TwitterTapeLikeTests {
    static func agree(_ value: JSONValue, _ n: Int, kind: TwitterMapper.FileKind) throws -> Bool {
        try TwitterTapeMapperTests.agree(
            TapeMapperTests.source(value, pretty: n % 2 == 1), index: n, "\(kind) \(n): \(CanonicalJSON.string(value))", kind: kind)
    }

    static func pick<T>(_ options: [T], _ rng: inout SeededRandom) -> T { options.randomElement(using: &rng)! }

    static let texts: [JSONValue?] = [
        .string("Fish &amp; chips &lt;3"), .string("plain words about the weather"), .string("mail ann@example.com today"),
        .string("  &amp;  "), .string("&#32;"), .string("caf&eacute; e\u{301}"), .string("& alone &bogus;"), .number("5"), .null,
        .string(""), .string("  padded \r\n"), nil,
    ]

    /// `wrapped` in `key` (or bare, in an array, under the other key, or a string under it).
    static func placed(_ inner: JSONValue, _ key: String, _ other: String, _ n: Int) -> JSONValue {
        switch n % 17 {
        case 0: return .array([inner])
        case 1: return .object([JSONMember(key, .string("not an object"))])
        case 2, 3, 4: return inner
        case 5: return .object([JSONMember(other, inner)])
        default: return .object([JSONMember(key, inner)])
        }
    }

    @Test func seededLikesMapTheSameOrGiveWay() throws {
        var rng = SeededRandom(seed: 0x11CE)
        var taken = 0, timed = 0, decoded = 0
        for n in 0..<3000 {
            var members: [JSONMember] = []
            func maybe(_ key: String, _ v: JSONValue?) { if let v { members.append(JSONMember(key, v)) } }
            let id = Self.pick(
                [
                    JSONValue.string("1438316560456814601"), .string("1682277724612698112"), .string("834245105"), .string("29700859247"),
                    .string("29700859246"), .string(""), .string("x1"), .number("1438316560456814601"), .null,
                ], &rng)
            if Int.random(in: 0..<10, using: &rng) > 0 { maybe("tweetId", id) }
            maybe(Self.pick(["fullText", "fullText", "fullText", "full_text"], &rng), Self.pick(Self.texts, &rng))
            if Int.random(in: 0..<20, using: &rng) == 0 { maybe("full_text", Self.pick(Self.texts, &rng)) }
            maybe(
                "expandedUrl",
                Self.pick([.string("https://twitter.com/i/web/status/1438316560456814601"), .string(" x "), .number("3"), nil], &rng))
            if Int.random(in: 0..<15, using: &rng) == 0 {
                maybe(Self.pick(["timeSource", "time_source", "größe", "TweetId"], &rng), .string("manual"))
            }
            if Int.random(in: 0..<10, using: &rng) == 0 { maybe("extra", TapeMapperTests.randomValue(&rng, depth: 2)) }
            members.shuffle(using: &rng)
            let value = Self.placed(.object(members), "like", "tweet", n)
            if try Self.agree(value, n, kind: .like) {
                taken += 1
                if case .string(let s)? = value["like"]?["tweetId"], TwitterMapper.snowflakeTime(s) != nil { timed += 1 }
                if let t = value["like"]?["fullText"]?.stringValue, t.contains("&amp;") { decoded += 1 }
            }
        }
        // Every rule is exercised on the tape, not only by giving way.
        #expect(taken > 1500 && timed > 300 && decoded > 50, "\(taken) taken, \(timed) timed, \(decoded) decoded of 3000")
    }

    static func message(_ rng: inout SeededRandom) -> JSONValue {
        let people: [JSONValue?] = [.string("759720"), .string("3128746474"), .string("17567770"), .number("12"), .string(""), nil]
        switch Int.random(in: 0..<12, using: &rng) {
        case 0: return .object([JSONMember("joinConversation", .object([JSONMember("initiatingUserId", .string("1"))]))])
        case 1: return .string("not a message")
        case 2: return .object([JSONMember("messageCreate", .string("empty"))])
        default:
            var members: [JSONMember] = []
            func maybe(_ key: String, _ v: JSONValue?) { if let v { members.append(JSONMember(key, v)) } }
            maybe("recipientId", Self.pick(people, &rng))
            maybe("senderId", Self.pick(people, &rng))
            maybe("text", Self.pick(Self.texts, &rng))
            maybe("reactions", .array([]))
            maybe(
                "urls",
                Self.pick([.array([]), .array([.object([JSONMember("expanded", .string("http://chaosnet.net/global"))])]), nil], &rng))
            maybe("id", .string(String(Int.random(in: 1...Int.max, using: &rng))))
            let times: [JSONValue?] = [
                .string("2021-09-15T06:00:28.597Z"), .string("2020-02-06T06:26:39.683Z"), .string("2022-09-12T17:38:27+02:00"),
                .string("2020-02-06T06:26:39.683Z"), .number("1600000000"), nil,
            ]
            maybe("createdAt", Int.random(in: 0..<60, using: &rng) == 0 ? .string("yesterday") : Self.pick(times, &rng))
            members.shuffle(using: &rng)
            return .object([JSONMember("messageCreate", .object(members))])
        }
    }

    @Test func seededConversationsMapTheSameOrGiveWay() throws {
        var rng = SeededRandom(seed: 0xD1A1)
        var taken = 0, withPeople = 0
        for n in 0..<2000 {
            var members: [JSONMember] = []
            if Int.random(in: 0..<8, using: &rng) > 0 { members.append(JSONMember("conversationId", .string("759720-3128746474"))) }
            let messages: JSONValue
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: messages = .object([])
            case 1: messages = .array([])
            default: messages = .array((0..<Int.random(in: 1...6, using: &rng)).map { _ in Self.message(&rng) })
            }
            if Int.random(in: 0..<12, using: &rng) > 0 { members.append(JSONMember("messages", messages)) }
            if Int.random(in: 0..<20, using: &rng) == 0 {
                members.append(JSONMember(Self.pick(["ConversationId", "conversation_id", "größe"], &rng), .string("1")))
            }
            members.shuffle(using: &rng)
            let value = Self.placed(.object(members), "dmConversation", "like", n)
            if try Self.agree(value, n, kind: .directMessages) {
                taken += 1
                if CanonicalJSON.string(value).contains("senderId\":\"") { withPeople += 1 }
            }
        }
        #expect(taken > 1000 && withPeople > 500, "\(taken) taken, \(withPeople) with participants, of 2000")
    }

    /// Elements in the layout real archives write (two spaces, `" : "`), as `forEachRawElement`
    /// hands them on: every one maps from the tape.
    @Test func archiveLayoutsMapTheSameFromTheTape() throws {
        let file = """
            window.YTD.like.part0 = [
              {
                "like" : {
                  "tweetId" : "1438316560456814601",
                  "fullText" : "@someone Three-year-old looks at a computer &amp; smiles https://t.co/oJnofobEeA",
                  "expandedUrl" : "https://twitter.com/i/web/status/1438316560456814601"
                }
              },
              {
                "like" : {
                  "tweetId" : "834245105",
                  "fullText" : "Lower than C!",
                  "expandedUrl" : "https://twitter.com/i/web/status/834245105"
                }
              }
            ]
            """
        let messages = """
            window.YTD.direct_messages.part0 = [
              {
                "dmConversation" : {
                  "conversationId" : "759720-3128746474",
                  "messages" : [
                    {
                      "messageCreate" : {
                        "recipientId" : "759720",
                        "reactions" : [ ],
                        "urls" : [ ],
                        "text" : "Hello again. Is the console still there?",
                        "mediaUrls" : [ ],
                        "senderId" : "3128746474",
                        "id" : "1438019868868100109",
                        "createdAt" : "2021-09-15T06:00:28.597Z"
                      }
                    },
                    {
                      "messageCreate" : {
                        "recipientId" : "3128746474",
                        "reactions" : [ ],
                        "urls" : [ { "url" : "https://t.co/x", "expanded" : "https://example.com/a", "display" : "example.com/a" } ],
                        "text" : "Yes,\\nsee https://t.co/x",
                        "mediaUrls" : [ ],
                        "senderId" : "759720",
                        "id" : "1225304780953792516",
                        "createdAt" : "2020-02-06T06:26:39.683Z"
                      }
                    }
                  ]
                }
              }
            ]
            """
        for (text, kind, count) in [(file, TwitterMapper.FileKind.like, 2), (messages, .directMessages, 1)] {
            var sent = false
            let js = try TwitterJSFile(source: {
                defer { sent = true }
                return sent ? nil : Array(text.utf8)
            })
            var elements = 0, taken = 0
            try js.forEachRawElement(rejected: { i, e in Issue.record("\(kind) #\(i): \(e)") }) { i, e in
                elements += 1
                guard case .raw(let raw) = e else {
                    Issue.record("\(kind) #\(i) was not handed on as bytes")
                    return
                }
                if try TwitterTapeMapperTests.agree(raw.bytes, index: i, "\(kind) #\(i)", kind: kind) { taken += 1 }
            }
            #expect(elements == count && taken == count, "\(kind): \(taken) of \(elements) mapped from the tape")
        }
    }
}
