import LakeCore
@testable import LakeNormalize
import LakeParsers
import Testing
import _LakeTestSupport

/// The tweet mapper that reads a `JSONTape` gives `mapTweet`'s record, or gives way to it, on
/// seeded elements built to hit every rule: wrapped and bare tweets, each spelling of
/// `created_at`, entity lists of every shape, `lang` and reply ids of every type, texts with
/// HTML references (under `full_text`, `text` or `fullText`), PII in the text, colliding keys.
@Suite struct TwitterTapeMapperTests {
    static let context = RecordContext(
        input: "twitter.zip", inputSHA256: String(repeating: "d", count: 64), path: "data/tweets.js", user: "u",
        ring: ShardRing(Thresholds()))

    /// Maps `bytes` both ways; true when the tape mapper took the element.
    @discardableResult
    static func agree(_ bytes: [UInt8], index: Int, _ label: String, kind: TwitterMapper.FileKind = .tweets) throws -> Bool {
        let tape = try JSONTape(bytes: bytes)
        let general = Result { try TwitterMapper.map(kind, tape.value(), index: index, context: context) }
        var scratch = ExportMapper.TapeScratch()
        return TapeMapperTests.same(
            TwitterMapper.mapFromTape(kind, tape, index: index, context: context, scratch: &scratch), general, label)
    }

    static func pick<T>(_ options: [T], _ rng: inout SeededRandom) -> T { options.randomElement(using: &rng)! }

    static func entityList(_ key: String, _ rng: inout SeededRandom) -> JSONValue {
        func item() -> JSONValue {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: return .string("loose")
            case 1: return .object([])
            case 2: return .object([JSONMember(key, .number("7"))])
            case 3: return .object([JSONMember(key, .string("first")), JSONMember(key, .string("last"))])
            default: return .object([JSONMember(key, .string(pick(["rust", "ann_b", "https://e.x/a?b=1&c=2", "Zu\u{308}rich"], &rng)))])
            }
        }
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return .null
        case 1: return .object([])
        default: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in item() })
        }
    }

    static func tweet(_ rng: inout SeededRandom, _ n: Int) -> JSONValue {
        var members: [JSONMember] = []
        func maybe(_ key: String, _ v: JSONValue?) { if let v { members.append(JSONMember(key, v)) } }
        let times: [JSONValue?] = [
            .string("Wed Oct 10 20:19:24 +0000 2018"), .string("Sat Aug 12 16:10:37 -0800 2023"), .string("Thu Feb 29 23:59:59 +0000 2024"),
            .string("Fri Feb 30 10:00:00 +0000 2023"), .string("yesterday"), .number("1539202764"), nil, .string(""),
        ]
        maybe("created_at", n % 40 == 0 ? times.randomElement(using: &rng)! : times[Int.random(in: 0..<3, using: &rng)])
        maybe("id_str", .string(String(UInt64.random(in: 1...UInt64(1) << 62, using: &rng))))
        let texts: [JSONValue] = [
            .string("Fish &amp; chips &lt;3 &gt; all"), .string("plain words about the weather today"),
            .string("mail ann@example.com or call +1 415 555 0100 on 2024-03-01"), .string("  &amp;  "), .string("&#32;"),
            .string("caf&eacute; e\u{301}"), .string("&amp;amp; &bogus; & alone"), .number("5"), .null, .string(""),
            .string("Der Zug war wieder zu spät, aber der Kaffee war gut."), .string("Tom &\u{301} Jerry &\u{20DD}amp;"),
        ]
        let textKey = pick(["full_text", "full_text", "text", "fullText"], &rng)
        maybe(textKey, texts.randomElement(using: &rng)!)
        if Int.random(in: 0..<5, using: &rng) == 0 { maybe(pick(["text", "full_text"], &rng), texts.randomElement(using: &rng)!) }
        maybe("lang", [nil, .string("en"), .string("und"), .string("de"), .number("1"), .null].randomElement(using: &rng)!)
        maybe(
            "in_reply_to_status_id_str",
            [nil, .string("1552312411591417860"), .string(""), .null, .number("12")].randomElement(using: &rng)!)
        maybe("in_reply_to_status_id", [nil, .string("99"), .number("99")].randomElement(using: &rng)!)
        if Int.random(in: 0..<4, using: &rng) > 0 {
            var lists: [JSONMember] = []
            if Bool.random(using: &rng) { lists.append(JSONMember("hashtags", entityList("text", &rng))) }
            if Bool.random(using: &rng) { lists.append(JSONMember("user_mentions", entityList("screen_name", &rng))) }
            if Bool.random(using: &rng) {
                lists.append(JSONMember("urls", entityList(pick(["expanded_url", "url"], &rng), &rng)))
            }
            maybe("entities", Int.random(in: 0..<12, using: &rng) == 0 ? .string("none") : .object(lists))
        }
        maybe("favorite_count", [nil, .string("3"), .number("3")].randomElement(using: &rng)!)
        maybe("retweeted", [nil, .bool(false)].randomElement(using: &rng)!)
        maybe(
            "source",
            [nil, .string("<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>")].randomElement(using: &rng)!)
        if Int.random(in: 0..<8, using: &rng) == 0 { members.append(JSONMember("edit_info", TapeMapperTests.randomValue(&rng, depth: 2))) }
        if Int.random(in: 0..<15, using: &rng) == 0 {
            members.append(JSONMember(pick(["idStr", "größe", "Lang", "created_at"], &rng), .string("x")))
        }
        members.shuffle(using: &rng)
        let inner = JSONValue.object(members)
        switch n % 23 {
        case 0: return .array([inner])
        case 1: return .object([JSONMember("tweet", .string("not a tweet"))])
        case 2, 3, 4, 5, 6: return inner
        default: return .object([JSONMember("tweet", inner)])
        }
    }

    @Test func seededTweetsMapTheSameOrGiveWay() throws {
        var rng = SeededRandom(seed: 0x7EE7)
        var taken = 0
        for n in 0..<3000 {
            let value = Self.tweet(&rng, n)
            if try Self.agree(TapeMapperTests.source(value, pretty: n % 2 == 1), index: n, "element \(n): \(CanonicalJSON.string(value))") {
                taken += 1
            }
        }
        #expect(taken > 1500, "\(taken) of 3000 mapped from the tape")
    }

    /// The elements of the generator's tweet files (both archive layouts) all map from the tape.
    @Test func generatedTweetsMapTheSameFromTheTape() throws {
        let lines = [
            #"{"tweet":{"created_at":"Wed Oct 10 20:19:24 +0000 2018","full_text":"Fish &amp; chips","id_str":"1050118621198921728","lang":"en","entities":{"hashtags":[{"text":"food","indices":["0","5"]}],"user_mentions":[],"urls":[]}}}"#,
            #"{"created_at":"Sat Aug 12 16:10:37 +0000 2023","text":"@ann see https://t.co/x","id_str":"5","in_reply_to_status_id":"4","entities":{"urls":[{"url":"https://t.co/x","expanded_url":"https://example.com/a"}],"user_mentions":[{"screen_name":"ann"}]}}"#,
        ]
        for (i, line) in lines.enumerated() {
            #expect(try Self.agree(Array(line.utf8), index: i, "line \(i)"), "line \(i) mapped from the tape")
        }
    }

    /// Every element of the real follower.js and following.js (twitter-to-sqlite's fixtures)
    /// maps the same from the tape.
    @Test func realConnectionsMapTheSameFromTheTape() throws {
        for (name, kind) in [("follower", TwitterMapper.FileKind.follower), ("following", .following)] {
            let bytes = TestPaths.read(TestPaths.root + "/Corpus/real/twitter-to-sqlite/zip_contents/\(name).js")
            var sent = false
            let file = try TwitterJSFile(source: {
                defer { sent = true }
                return sent ? nil : bytes
            })
            var elements = 0, taken = 0
            try file.forEachRawElement(rejected: { i, e in Issue.record("\(name) #\(i): \(e)") }) { i, e in
                elements += 1
                let raw: [UInt8]
                switch e {
                case .raw(let r): raw = r.bytes
                case .value(let v): raw = CanonicalJSON.encode(v)
                }
                if try Self.agree(raw, index: i, "\(name) #\(i)", kind: kind) { taken += 1 }
            }
            #expect(elements >= 2 && taken == elements, "\(name): \(taken) of \(elements) mapped from the tape")
        }
    }

    /// Connections of every shape: wrapped or bare (or wrapped in the other kind's key), the
    /// account id a string, a number, empty or missing, a link to cleanse, colliding keys.
    @Test func seededConnectionsMapTheSameOrGiveWay() throws {
        var rng = SeededRandom(seed: 0xF011)
        var taken = 0
        for n in 0..<1500 {
            let kind: TwitterMapper.FileKind = n % 2 == 0 ? .follower : .following
            var members: [JSONMember] = []
            func maybe(_ key: String, _ v: JSONValue?) { if let v { members.append(JSONMember(key, v)) } }
            maybe("accountId", Self.pick([.string("73747798"), .number("12158"), .string(""), .null, nil], &rng))
            maybe("userLink", Self.pick([.string("https://twitter.com/intent/user?user_id=12158"), .string("  x\r\n"), nil], &rng))
            if Int.random(in: 0..<10, using: &rng) == 0 { maybe(Self.pick(["AccountId", "account_id", "größe"], &rng), .string("1")) }
            members.shuffle(using: &rng)
            let inner = JSONValue.object(members)
            let value: JSONValue
            switch n % 13 {
            case 0: value = .array([inner])
            case 1: value = .object([JSONMember(kind == .follower ? "follower" : "following", .string("not an object"))])
            case 2, 3: value = inner
            case 4: value = .object([JSONMember(kind == .follower ? "following" : "follower", inner)])
            default: value = .object([JSONMember(kind == .follower ? "follower" : "following", inner)])
            }
            if try Self.agree(
                TapeMapperTests.source(value, pretty: n % 2 == 1), index: n, "\(kind) \(n): \(CanonicalJSON.string(value))", kind: kind)
            {
                taken += 1
            }
        }
        #expect(taken > 1000, "\(taken) of 1500 mapped from the tape")
    }
}
