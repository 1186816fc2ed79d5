import LakeCore
@testable import LakeNormalize
import LakeParsers
import Testing
import _LakeTestSupport

/// The mappers that read a `JSONTape` give the general path's record, or give way to it: the
/// standardized data on random values, and Takeout's location records on the real exports in
/// `Corpus/real` and on seeded elements built to hit every rule (times of each spelling, E7
/// values as numbers and strings, keys that collide after snake_case, text to cleanse, PII).
@Suite struct TapeMapperTests {
    static let context = RecordContext(
        input: "takeout.zip", inputSHA256: String(repeating: "c", count: 64), path: "Takeout/Location History (Timeline)/Records.json",
        user: "u", ring: ShardRing(Thresholds()))

    /// Export-like values: camelCase keys (some colliding after snake_case, some not ASCII),
    /// text to cleanse, empty values to drop.
    static func randomValue(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 7), using: &rng) {
        case 0: return [.null, .string(""), .array([]), .object([])].randomElement(using: &rng)!
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(["0", "-1.50", "1e9", "407123456"].randomElement(using: &rng)!)
        case 3:
            return .string(
                rng.string(from: ["a", "B", " ", "\t", "\r", "\n", "\u{1}", "\u{7F}", "e", "\u{301}", "\u{A0}", "ß"], maxLength: 6))
        case 4, 5: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            let keys = ["fooBar", "foo_bar", "FooBAR", "x", "X", "1st", "größe", "a b", "HTTPServer", "geo", "lat"]
            return .object(
                (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    JSONMember(keys.randomElement(using: &rng)!, randomValue(&rng, depth: depth + 1))
                })
        }
    }

    @Test func standardizedDataIsTheGeneralPaths() throws {
        var rng = SeededRandom(seed: 0x57DA)
        var taken = 0
        for n in 0..<3000 {
            let v = Self.randomValue(&rng, depth: 0)
            let tape = try JSONTape(bytes: Self.source(v))
            var writer = JSONTapeCanonical()
            var out: [UInt8] = []
            guard writer.write(tape, rules: Standardize.tapeRules, into: &out) else { continue }
            taken += 1
            #expect(out == CanonicalJSON.encode(Standardize.values(SnakeCase.convertKeys(v))), "value \(n): \(CanonicalJSON.string(v))")
        }
        // Most values have no colliding or non-ASCII key: the comparison is not vacuous.
        #expect(taken > 2000, "\(taken) of 3000 written from the tape")
    }

    /// Maps `bytes` both ways; true when the tape mapper took the element.
    @discardableResult
    static func agree(
        _ bytes: [UInt8], index: Int, _ label: String, family: ExportMapper.Family = .takeoutLocationRecords,
        collection: String? = "locations"
    ) throws -> Bool {
        let tape = try JSONTape(bytes: bytes)
        let element = JSONRecordStream.Element(collection: collection, value: tape.value())
        let general = Result { try ExportMapper.map(family, element, index: index, context: context) }
        var scratch = ExportMapper.TapeScratch()
        return same(
            ExportMapper.mapFromTape(family, tape, collection: collection, index: index, context: context, scratch: &scratch), general,
            label)
    }

    /// True when the tape mapper took the element (`direct`), after checking that its record is
    /// the general mapper's, byte for byte.
    static func same(_ direct: DirectRecord?, _ general: Result<LakeRecord, any Error>, _ label: String) -> Bool {
        guard let direct else { return false }
        guard case .success(let record) = general else {
            Issue.record("\(label): the tape mapper took an element the general mapper refuses: \(general)")
            return true
        }
        #expect(direct.data == CanonicalJSON.encode(record.data), "\(label)")
        var rebuilt = direct.record
        rebuilt.data = record.data
        #expect(rebuilt == record, "\(label)")
        return true
    }

    /// Every location record of the real exports (their elements as the stream hands them on).
    @Test func realExportsMapTheSameFromTheTape() throws {
        let files = [
            "google_takeout_parser/Takeout/Location History (Timeline)/Records.json",
            "google_takeout_parser/Takeout/Standortverlauf/Records.json",
            "google-takeout-to-sqlite/zip_contents/Takeout/Location History/Location History.json",
        ]
        var elements = 0, taken = 0
        for file in files {
            let bytes = TestPaths.read(TestPaths.root + "/Corpus/real/" + file)
            let stream = JSONRecordStream(
                reader: JSONReader(bytes: bytes), collections: ExportMapper.Family.takeoutLocationRecords.collections, rawElements: true)
            try stream.forEach { i, e in
                guard e.collection == "locations" else { return }
                elements += 1
                if try Self.agree(e.raw?.bytes ?? CanonicalJSON.encode(e.value), index: i, "\(file) #\(i)") { taken += 1 }
            }
        }
        #expect(elements >= 4)
        #expect(taken == elements, "\(taken) of \(elements) real records mapped from the tape")
    }

    @Test func seededElementsMapTheSameOrGiveWay() throws {
        var rng = SeededRandom(seed: 0x10CA)
        let times: [JSONValue?] = [
            nil, .string("1500000000000"), .number("1500000000123"), .string(""), .string("soon"), .number("1.5e12"), .null,
            .object([]),
        ]
        let isoTimes: [JSONValue?] = [
            nil, .string("2019-07-01T10:00:00.123Z"), .string("2019-07-01T10:00:00+02:00"), .string("x"), .string(""),
        ]
        let e7s: [JSONValue?] = [
            nil, .number("407000000"), .string("-739000000"), .number("40.7"), .string("north"), .number("2000000000"), .null,
        ]
        let texts: [JSONValue] = [
            .string("WIFI"), .string("  padded\r\n"), .string("mail me: ann@example.com"), .string("+1 415 555 0100"),
            .string("Cafe\u{301}"),
            .string(""), .null, .number("3"),
        ]
        var taken = 0
        for n in 0..<2000 {
            var members: [JSONMember] = []
            func maybe(_ key: String, _ v: JSONValue?) { if let v { members.append(JSONMember(key, v)) } }
            maybe("timestampMs", times.randomElement(using: &rng)!)
            maybe("timestamp", isoTimes.randomElement(using: &rng)!)
            maybe("latitudeE7", e7s.randomElement(using: &rng)!)
            maybe("longitudeE7", e7s.randomElement(using: &rng)!)
            maybe("source", texts.randomElement(using: &rng)!)
            maybe("accuracy", [nil, .number("20")].randomElement(using: &rng)!)
            if Int.random(in: 0..<4, using: &rng) == 0 { members.append(JSONMember("activity", Self.randomValue(&rng, depth: 2))) }
            if Int.random(in: 0..<10, using: &rng) == 0 {
                members.append(
                    JSONMember(["geo", "lat_e7", "größe", "timestampMs", "deviceTag"].randomElement(using: &rng)!, .number("1")))
            }
            members.shuffle(using: &rng)
            let value: JSONValue = n % 50 == 0 ? .array([]) : .object(members)
            if try Self.agree(layout(value, n), index: n, "element \(n): \(CanonicalJSON.string(value))") { taken += 1 }
        }
        #expect(taken > 1000, "\(taken) of 2000 mapped from the tape")
    }

    /// Every Semantic Location History and Chrome history record of the real exports.
    @Test func realSemanticLocationsAndVisitsMapTheSameFromTheTape() throws {
        let files: [(String, ExportMapper.Family)] = [
            (
                "google_takeout_parser/Takeout/Location History (Timeline)/Semantic Location History/2017/2017_DECEMBER.json",
                .takeoutSemanticLocation
            ),
            ("google_takeout_parser/Takeout/Chrome/BrowserHistory.json", .chromeHistory),
        ]
        for (file, family) in files {
            var elements = 0, taken = 0
            let stream = JSONRecordStream(
                reader: JSONReader(bytes: TestPaths.read(TestPaths.root + "/Corpus/real/" + file)), collections: family.collections,
                rawElements: true)
            try stream.forEach { i, e in
                guard e.collection != nil else { return }
                elements += 1
                let bytes = e.raw?.bytes ?? CanonicalJSON.encode(e.value)
                if try Self.agree(bytes, index: i, "\(file) #\(i)", family: family, collection: e.collection) { taken += 1 }
            }
            #expect(elements >= 1 && taken == elements, "\(file): \(taken) of \(elements) mapped from the tape")
        }
    }

    /// Semantic locations (a visit, a segment, neither; times of each kind; points and names
    /// present or not, nested where the mapper looks) and Chrome visits (times, URLs, titles).
    @Test func seededSemanticLocationsAndVisitsMapTheSameOrGiveWay() throws {
        var rng = SeededRandom(seed: 0x5E11)
        let ms: [JSONValue?] = [nil, .string("1512948565026"), .number("1512948565026"), .string(""), .string("x"), .null]
        let iso: [JSONValue?] = [nil, .string("2017-12-10T23:29:25.026Z"), .string("bad"), .string("")]
        let e7s: [JSONValue?] = [nil, .number("555555555"), .string("-1066666666"), .number("5.5")]
        let names: [JSONValue?] = [nil, .string("  Café Zürich "), .string("name"), .number("1"), .string("")]
        var taken = 0
        for n in 0..<1500 {
            var duration: [JSONMember] = []
            var location: [JSONMember] = []
            func maybe(_ m: inout [JSONMember], _ key: String, _ v: JSONValue?) { if let v { m.append(JSONMember(key, v)) } }
            maybe(&duration, "startTimestampMs", ms.randomElement(using: &rng)!)
            maybe(&duration, "startTimestamp", iso.randomElement(using: &rng)!)
            maybe(&location, "latitudeE7", e7s.randomElement(using: &rng)!)
            maybe(&location, "longitudeE7", e7s.randomElement(using: &rng)!)
            maybe(&location, "name", names.randomElement(using: &rng)!)
            var inner: [JSONMember] = [JSONMember("duration", .object(duration.shuffled(using: &rng)))]
            inner.append(JSONMember(["location", "startLocation", "endLocation"].randomElement(using: &rng)!, .object(location)))
            if Bool.random(using: &rng) { inner.append(JSONMember("placeConfidence", .string("HIGH_CONFIDENCE"))) }
            let wrapper = ["placeVisit", "activitySegment", "other"].randomElement(using: &rng)!
            let element: JSONValue =
                wrapper == "other" ? .object(inner) : .object([JSONMember(wrapper, .object(inner.shuffled(using: &rng)))])
            if try Self.agree(
                layout(element, n), index: n, "semantic \(n): \(CanonicalJSON.string(element))", family: .takeoutSemanticLocation,
                collection: "timelineObjects")
            {
                taken += 1
            }
            var visit: [JSONMember] = [JSONMember("page_transition", .string("LINK"))]
            maybe(
                &visit, "time_usec",
                [nil, .number("1617404690134513"), .string("1617404690134513"), .string("soon")].randomElement(using: &rng)!)
            maybe(&visit, "url", [nil, .string("https://sean.fish"), .string("")].randomElement(using: &rng)!)
            maybe(
                &visit, ["title", "Title"].randomElement(using: &rng)!,
                [nil, .string("Wetter in Berlin heute und morgen"), .string(" sean "), .null].randomElement(using: &rng)!)
            let v = JSONValue.object(visit.shuffled(using: &rng))
            if try Self.agree(
                layout(v, n), index: n, "visit \(n): \(CanonicalJSON.string(v))", family: .chromeHistory, collection: "Browser History")
            {
                taken += 1
            }
        }
        #expect(taken > 1500, "\(taken) of 3000 mapped from the tape")
    }

    /// Every My Activity record of the real exports.
    @Test func realActivityMapsTheSameFromTheTape() throws {
        var elements = 0, taken = 0
        for product in ["Maps", "Google Play Books", "Search"] {
            let file = "google-takeout-to-sqlite/zip_contents/Takeout/My Activity/\(product)/My Activity.json"
            let stream = JSONRecordStream(
                reader: JSONReader(bytes: TestPaths.read(TestPaths.root + "/Corpus/real/" + file)), rawElements: true)
            try stream.forEach { i, e in
                elements += 1
                let bytes = e.raw?.bytes ?? CanonicalJSON.encode(e.value)
                if try Self.agree(bytes, index: i, "\(file) #\(i)", family: .takeoutActivity, collection: nil) { taken += 1 }
            }
        }
        #expect(elements >= 3)
        #expect(taken == elements, "\(taken) of \(elements) real records mapped from the tape")
    }

    /// My Activity elements: titles with URLs, addresses, phones, text to cleanse and text in
    /// other languages; times of each kind; a `Title` key that becomes the data's title.
    @Test func seededActivityMapsTheSameOrGivesWay() throws {
        var rng = SeededRandom(seed: 0xAC71)
        let titles: [JSONValue?] = [
            nil, .string("Searched for cheap flights"), .string("Visited https://example.org/a?b=1"), .string("  Mail ana@example.org\r\n"),
            .string("Call +1 415 555 0100 now"), .string("Suchte nach dem günstigsten Flug nach Berlin"), .string(""),
            .string("Cafe\u{301} crème"), .number("3"), .null, .string("Выполнен поиск по запросу погода в Москве"),
        ]
        let times: [JSONValue?] = [
            nil, .string("2021-03-04T05:06:07.890Z"), .string("2021-03-04T05:06:07+01:00"), .string(""), .string("later"), .number("1"),
        ]
        var taken = 0
        for n in 0..<1500 {
            var members: [JSONMember] = [JSONMember("header", .string(["Search", "YouTube", "Maps"].randomElement(using: &rng)!))]
            func maybe(_ key: String, _ v: JSONValue?) { if let v { members.append(JSONMember(key, v)) } }
            maybe("title", titles.randomElement(using: &rng)!)
            maybe("titleUrl", [nil, .string("https://www.google.com/search?q=x"), .string("")].randomElement(using: &rng)!)
            maybe("time", times.randomElement(using: &rng)!)
            maybe("products", [nil, .array([.string("Search")]), .array([])].randomElement(using: &rng)!)
            if Int.random(in: 0..<4, using: &rng) == 0 {
                members.append(
                    JSONMember("subtitles", .array([.object([JSONMember("name", titles.randomElement(using: &rng)! ?? .null)])])))
            }
            if Int.random(in: 0..<8, using: &rng) == 0 {
                members.append(
                    JSONMember(
                        ["Title", "TITLE", "details", "größe"].randomElement(using: &rng)!, titles.randomElement(using: &rng)! ?? .null))
            }
            members.shuffle(using: &rng)
            let label = "element \(n): \(CanonicalJSON.string(.object(members)))"
            if try Self.agree(layout(.object(members), n), index: n, label, family: .takeoutActivity, collection: nil) { taken += 1 }
        }
        #expect(taken > 700, "\(taken) of 1500 mapped from the tape")
    }

    /// The point the location mapper adds to `data`, written directly, is its canonical JSON.
    @Test func pointsAreWrittenAsCanonicalJSON() {
        var rng = SeededRandom(seed: 0x6E0)
        for n in 0..<2000 {
            let p = GeoPoint(
                latE7: Int64.random(in: -2_000_000_000...2_000_000_000, using: &rng),
                lngE7: Int64.random(in: -3_600_000_000...3_600_000_000, using: &rng))
            #expect(p.canonicalJSON == CanonicalJSON.encode(p.json), "point \(n)")
        }
        for p in [
            GeoPoint(latMicro: 0, lngMicro: 0), GeoPoint(latMicro: -1, lngMicro: 90_000_001),
            GeoPoint(latMicro: -90_000_000, lngMicro: 180_000_000),
        ] {
            #expect(p.canonicalJSON == CanonicalJSON.encode(p.json))
        }
    }

    /// `ExportMapper.members` finds each name's last member, and the last member whose key
    /// snake_case makes the `becoming` name, on keys that differ in one byte or in length.
    @Test func membersAreFoundByTheirWholeKeys() throws {
        var rng = SeededRandom(seed: 0x3E3B)
        let alphabet = Array("abAB_")
        var scratch: [UInt8] = []
        for n in 0..<3000 {
            let keys = (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                String((0..<Int.random(in: 1...4, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            }
            let tape = try JSONTape(bytes: Self.source(.object(keys.enumerated().map { JSONMember($1, .number(String($0))) })))
            let found = ExportMapper.members(tape, ["ab", "aB", "a_b", "ba"], becoming: "a_b", scratch: &scratch)
            // The token of the value of member `m` is 2 + 2m.
            func last(_ match: (String) -> Bool) -> Int { keys.lastIndex(where: match).map { 2 + 2 * $0 } ?? -1 }
            #expect(found.named == ["ab", "aB", "a_b", "ba"].map { name in last { $0 == name } }, "\(n): \(keys)")
            #expect(found.becoming == last { SnakeCase.convert($0) == "a_b" }, "\(n): \(keys)")
        }
    }

    /// Compact or pretty, as exports come.
    func layout(_ v: JSONValue, _ n: Int) -> [UInt8] { Self.source(v, pretty: n % 2 == 1) }

    /// `v` as an export writes it: members in their order, duplicates kept (canonical JSON
    /// would keep only the last).
    static func source(_ v: JSONValue, pretty: Bool = false) -> [UInt8] {
        let separator = pretty ? ",\n  " : ","
        switch v {
        case .array(let items):
            return Array(
                ("[" + items.map { String(decoding: source($0, pretty: pretty), as: UTF8.self) }.joined(separator: separator) + "]").utf8)
        case .object(let members):
            let text = members.map {
                CanonicalJSON.string(.string($0.key)) + ":" + String(decoding: source($0.value, pretty: pretty), as: UTF8.self)
            }
            return Array(("{" + text.joined(separator: separator) + "}").utf8)
        default: return CanonicalJSON.encode(v)
        }
    }
}
