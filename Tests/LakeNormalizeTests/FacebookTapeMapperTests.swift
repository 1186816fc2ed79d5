import LakeCore
@testable import LakeNormalize
import LakeParsers
import Testing
import _LakeTestSupport

/// The Facebook mappers that read a `JSONTape` give the general path's record, or give way to
/// it, on seeded elements of each family built to hit every rule: per-byte mojibake (written as
/// Facebook writes it, `\u00XX` per byte), texts that cleanse to nothing, times of each
/// spelling, coordinates as numbers and strings, titles that do and do not name an owner, keys
/// that collide after snake_case or are not ASCII, PII in the texts.
@Suite struct FacebookTapeMapperTests {
    static let base = RecordContext(
        input: "facebook.zip", inputSHA256: String(repeating: "f", count: 64), path: "", user: "u", ring: ShardRing(Thresholds()))

    static func context(_ path: String) -> RecordContext {
        var context = base
        context.path = path
        return context
    }

    /// `Mojibake.repair` as it was written on scalars: the reference for the byte reading.
    static func repairOnScalars(_ text: String) -> String {
        var bytes: [UInt8] = []
        var high = false
        for s in text.unicodeScalars {
            guard s.value <= 0xFF else { return text }
            if s.value >= 0x80 { high = true }
            bytes.append(UInt8(s.value))
        }
        guard high, let decoded = String(validating: bytes, as: UTF8.self) else { return text }
        return decoded
    }

    /// Each UTF-8 byte of `text` as its own scalar: what Facebook's export makes of it.
    static func mojibake(_ text: String) -> String { String(String.UnicodeScalarView(text.utf8.map { Unicode.Scalar($0) })) }

    @Test func mojibakeRepairedOnBytesAsOnScalars() {
        var rng = SeededRandom(seed: 0xFB0)
        let pieces = ["a", " ", "é", "ß", "\u{C3}", "\u{A9}", "\u{80}", "\u{FF}", "日", "🙂", "ó", "\u{2019}", "Z"]
        var repaired = 0
        for n in 0..<4000 {
            var text = (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            if n % 2 == 0 { text = Self.mojibake(text) }
            let expected = Self.repairOnScalars(text)
            #expect(Mojibake.repair(text) == expected, "text \(n): \(Array(text.unicodeScalars.map(\.value)))")
            if expected != text { repaired += 1 }
        }
        #expect(repaired > 1000, "\(repaired) of 4000 texts repaired")
    }

    /// Maps `value` both ways (written as Facebook writes its JSON); true when the tape mapper
    /// took the element.
    @discardableResult
    static func agree(
        _ value: JSONValue, _ family: ExportMapper.Family, index: Int, path: String, pretty: Bool, scratch: inout ExportMapper.TapeScratch
    ) throws -> Bool {
        let tape = try JSONTape(bytes: escapingLatin1(TapeMapperTests.source(value, pretty: pretty)))
        let context = Self.context(path)
        let element = JSONRecordStream.Element(collection: family == .facebookMessage ? "messages" : nil, value: tape.value())
        let general = Result { try ExportMapper.map(family, element, index: index, context: context) }
        return TapeMapperTests.same(
            ExportMapper.mapFromTape(family, tape, index: index, context: context, scratch: &scratch), general,
            "\(family) \(index): \(CanonicalJSON.string(value))")
    }

    /// JSON text with every scalar from U+0080 to U+00FF written as a `\u00XX` escape.
    static func escapingLatin1(_ json: [UInt8]) -> [UInt8] {
        var out = ""
        for s in String(decoding: json, as: UTF8.self).unicodeScalars {
            if s.value >= 0x80 && s.value <= 0xFF {
                out += "\\u00" + String(s.value, radix: 16)
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return Array(out.utf8)
    }

    static func pick<T>(_ options: [T], _ rng: inout SeededRandom) -> T { options.randomElement(using: &rng)! }

    /// A text for any member: plain, mojibake, PII, cleansed to nothing, not a string.
    static func text(_ rng: inout SeededRandom) -> JSONValue? {
        pick(
            [
                .string("Caminamos por el río hasta que se encendieron las luces. https://bit.ly/x"),
                .string(mojibake("El tren llegó tarde, pero el café estaba rico.")), .string(mojibake("今天我们去市场买了新鲜的水果。")),
                .string("mail ann@example.com or call +1 415 555 0100"), .string("  \t "), .string(""), .number("4"), .null,
                .string(mojibake("Zoë Núñez")), .string("Ada Andersen"), .string("Cafe\u{301}"), .string("\u{C3}"), nil,
            ], &rng)
    }

    static func time(_ rng: inout SeededRandom, ms: Bool) -> JSONValue? {
        pick(
            [
                .number(ms ? "1706431339232" : "1522604259"), .number(ms ? "1706431339232" : "1522604259"),
                .string(ms ? "1694510032915" : "1659735042"), .string(""), .string("soon"), .null, .number("1.5e9"), nil,
            ], &rng)
    }

    static func object(_ members: [(String, JSONValue?)], _ rng: inout SeededRandom) -> JSONValue {
        var m = members.compactMap { key, value in value.map { JSONMember(key, $0) } }
        if Int.random(in: 0..<12, using: &rng) == 0 {
            m.append(JSONMember(pick(["Title", "größe", "timestampMs", "Data", "is_unsent"], &rng), .string("x")))
        }
        return .object(m.shuffled(using: &rng))
    }

    static func post(_ rng: inout SeededRandom) -> JSONValue {
        let degrees: [JSONValue?] = [.number("47.366711"), .string(" 8.5 "), .number("91.0"), .number("1e2"), .string("north"), nil]
        let items = (0..<Int.random(in: 0...2, using: &rng)).map { _ in object([("post", text(&rng))], &rng) }
        let attachments = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
            let place = object(
                [
                    ("name", text(&rng)),
                    ("coordinate", object([("latitude", pick(degrees, &rng)), ("longitude", pick(degrees, &rng))], &rng)),
                ], &rng)
            let item = object(
                [
                    ("place", Bool.random(using: &rng) ? place : nil),
                    (
                        "external_context",
                        Bool.random(using: &rng) ? object([("url", pick([.string("https://e.x/a"), text(&rng)], &rng))], &rng) : nil
                    ),
                ], &rng)
            return object([("data", .array([item]))], &rng)
        }
        return object(
            [
                ("timestamp", time(&rng, ms: false)), ("data", .array(items)),
                ("attachments", attachments.isEmpty ? nil : .array(attachments)),
                ("title", .string("Nuno Dubois updated his status.")),
            ], &rng)
    }

    static let titles: [String] = [
        "Nuno Dubois commented on Søren Andersen's post.", "Nuno Dubois commented on his own post.",
        "Nuno Dubois likes Zoë Dubois's photo.",
        "Ann reacted to Bob’s comment.", "Ann likes a page.", "",
    ]

    static func comment(_ rng: inout SeededRandom) -> JSONValue {
        let items = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
            object(
                [("comment", object([("timestamp", time(&rng, ms: false)), ("comment", text(&rng)), ("author", text(&rng))], &rng))], &rng)
        }
        return object(
            [("timestamp", time(&rng, ms: false)), ("data", .array(items)), ("title", .string(mojibake(pick(titles, &rng))))], &rng)
    }

    static func reaction(_ rng: inout SeededRandom) -> JSONValue {
        let items = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
            object([("reaction", object([("reaction", .string("HAHA")), ("actor", text(&rng))], &rng))], &rng)
        }
        return object(
            [("timestamp", time(&rng, ms: false)), ("data", .array(items)), ("title", .string(mojibake(pick(titles, &rng))))], &rng)
    }

    static func message(_ rng: inout SeededRandom) -> JSONValue {
        let photos: JSONValue = .array([
            .object([JSONMember("uri", .string("photos/1.jpg")), JSONMember("creation_timestamp", .number("1"))])
        ])
        return object(
            [
                ("sender_name", text(&rng)), ("timestamp_ms", time(&rng, ms: true)), ("content", text(&rng)),
                ("photos", Bool.random(using: &rng) ? photos : nil), ("is_geoblocked_for_viewer", .bool(false)),
            ], &rng)
    }

    @Test func seededFacebookElementsMapTheSameOrGiveWay() throws {
        var rng = SeededRandom(seed: 0xFACE)
        let paths = [
            "your_facebook_activity/messages/inbox/ada_andersen_123/message_1.json", "messages/archived_threads/zoe_9/message_2.json",
            "message_1.json",
        ]
        for family in [ExportMapper.Family.facebookPost, .facebookComment, .facebookReaction, .facebookFriend, .facebookMessage] {
            var taken = 0
            var scratch = ExportMapper.TapeScratch()
            for n in 0..<1500 {
                let value: JSONValue
                switch family {
                case .facebookPost: value = Self.post(&rng)
                case .facebookComment: value = Self.comment(&rng)
                case .facebookReaction: value = Self.reaction(&rng)
                case .facebookFriend: value = Self.object([("name", Self.text(&rng)), ("timestamp", Self.time(&rng, ms: false))], &rng)
                default: value = Self.message(&rng)
                }
                let element = n % 97 == 0 ? JSONValue.array([value]) : value
                // One scratch for all, as a worker keeps it from file to file (a message file's thread is kept in it).
                if try Self.agree(element, family, index: n, path: Self.pick(paths, &rng), pretty: n % 2 == 1, scratch: &scratch) {
                    taken += 1
                }
            }
            // Most elements have a time that parses and no colliding key: the comparison is not vacuous.
            #expect(taken > 700, "\(family): \(taken) of 1500 mapped from the tape")
        }
    }
}
