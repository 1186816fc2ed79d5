import LakeCore
@testable import LakeNormalize
import LakeParsers
import Testing
import _LakeTestSupport

/// The Timeline mapper that reads a `JSONTape` gives `Mapped.timeline`'s record, or gives way
/// to it: Android's `Timeline.json` and iOS's `location-history.json` in the layouts
/// EXPORT-FORMATS.md describes, and seeded segments, signals and profiles (times under each
/// member and of each kind, points as degrees or `geo:` anywhere in the element, several or
/// none, strings that only look like points, keys that collide).
@Suite struct TimelineTapeMapperTests {
    /// Every element of `json` (routed by `path`) maps the same both ways; returns how many
    /// there were and how many the tape mapper took.
    static func agreeAll(_ json: String, path: String) throws -> (elements: Int, taken: Int) {
        guard case .json(let family)? = ExportMapper.route(path: path) else {
            Issue.record("not routed: \(path)")
            return (0, 0)
        }
        let stream = JSONRecordStream(reader: JSONReader(bytes: Array(json.utf8)), collections: family.collections, rawElements: true)
        var elements = 0, taken = 0
        try stream.forEach { i, e in
            guard family.keeps(e), let raw = e.raw else { return }
            elements += 1
            if try TapeMapperTests.agree(raw.bytes, index: i, "\(path) #\(i)", family: family, collection: e.collection) { taken += 1 }
        }
        return (elements, taken)
    }

    @Test func exportLayoutsMapTheSameFromTheTape() throws {
        let a = try Self.agreeAll(TimelineMapperTests.android, path: "Timeline.json")
        #expect(a.elements == 3 && a.taken == 3, "Timeline.json: \(a)")
        let i = try Self.agreeAll(TimelineMapperTests.ios, path: "location-history.json")
        #expect(i.elements == 2 && i.taken == 2, "location-history.json: \(i)")
    }

    static func pick<T>(_ options: [T], _ rng: inout SeededRandom) -> T { options.randomElement(using: &rng)! }

    /// The byte check never turns away a text in which `point(in:)` finds a point.
    @Test func theByteCheckKeepsEveryPoint() {
        var rng = SeededRandom(seed: 0x6E0)
        let alphabet: [Character] = [
            "°", "°", "g", "G", "e", "E", "o", "O", ":", ":", "1", "9", ".", ".", ",", " ", "-", "\u{301}", "\u{130}", "\u{212A}", "ｇ",
            "\u{B1}",
        ]
        let seeds = ["geo:", "GEO:", "Geo:", "31.5°, -73.1°", "geo:30.1,-105.9", "1.5°,2.5°", ""]
        var points = 0, turnedAway = 0
        for n in 0..<20_000 {
            var text = n % 3 == 0 ? Self.pick(seeds, &rng) : ""
            text += rng.string(from: alphabet, maxLength: n % 3 == 0 ? 2 : 14)
            let bytes = Array(text.utf8)
            let may = bytes.withUnsafeBufferPointer { Mapped.mayHoldPoint($0) }
            if Mapped.point(in: text) != nil {
                points += 1
                #expect(may, "\(text.debugDescription) spells a point the byte check turns away")
            } else if !may {
                turnedAway += 1
            }
        }
        #expect(points > 800 && turnedAway > 5000, "\(points) points, \(turnedAway) texts turned away")
    }

    @Test func seededTimelineElementsMapTheSameOrGiveWay() throws {
        var rng = SeededRandom(seed: 0x7131)
        let times: [JSONValue?] = [
            .string("2024-06-21T19:51:13.014-06:00"), .string("2024-05-01T08:00:00.000Z"), .string(""), .string("2024-02-30T00:00:00Z"),
            .number("1717000000"), .null, nil, nil,
        ]
        let points: [JSONValue] = [
            .string("31.1234567°, -73.1234567°"), .string("geo:30.123456,-105.987654"), .string("GEO:1.5,2.5"), .string("91.5°, 10°"),
            .string("48.8566°,2.3522°"), .string("about 5° warmer"), .string("geo:nowhere"), .string("°"), .string("  geo:1,2"),
            .number("31.5"), .string("no point here"),
        ]
        func somewhere(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 2 ? 2 : 5), using: &rng) {
            case 0: return Self.pick(points, &rng)
            case 1: return TapeMapperTests.randomValue(&rng, depth: 3)
            case 2: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in somewhere(depth + 1) })
            default:
                let keys = ["latLng", "LatLng", "point", "placeLocation", "topCandidate", "visit", "timelinePath", "start", "end"]
                return .object(
                    (0..<Int.random(in: 0...3, using: &rng)).map { _ in JSONMember(Self.pick(keys, &rng), somewhere(depth + 1)) })
            }
        }
        var taken = 0, pointed = 0
        for n in 0..<3000 {
            var members: [JSONMember] = []
            func maybe(_ key: String, _ v: JSONValue?) { if let v { members.append(JSONMember(key, v)) } }
            maybe("startTime", Self.pick(times, &rng))
            if Bool.random(using: &rng) { maybe("timestamp", Self.pick(times, &rng)) }
            if Int.random(in: 0..<3, using: &rng) == 0 {
                var position: [JSONMember] = [JSONMember("accuracyMeters", .number("13"))]
                if let t = Self.pick(times, &rng) { position.append(JSONMember("timestamp", t)) }
                if Bool.random(using: &rng) { position.append(JSONMember("LatLng", Self.pick(points, &rng))) }
                members.append(JSONMember("position", Self.pick([.object(position.shuffled(using: &rng)), .string("x")], &rng)))
            }
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                members.append(JSONMember(Self.pick(["visit", "activity", "timelinePath", "endTime", "probability"], &rng), somewhere(0)))
            }
            if Int.random(in: 0..<15, using: &rng) == 0 { maybe(Self.pick(["geo", "start_time", "größe"], &rng), .string("1")) }
            members.shuffle(using: &rng)
            let value: JSONValue = n % 60 == 0 ? .array([]) : .object(members)
            let collection = Self.pick(["semanticSegments", "rawSignals", "userLocationProfile", nil] as [String?], &rng)
            if try TapeMapperTests.agree(
                TapeMapperTests.source(value, pretty: n % 2 == 1), index: n,
                "timeline \(n) in \(collection ?? "nil"): \(CanonicalJSON.string(value))",
                family: .takeoutTimeline, collection: collection)
            {
                taken += 1
                if Mapped.firstPoint(value) != nil { pointed += 1 }
            }
        }
        #expect(taken > 1500 && pointed > 400, "\(taken) taken, \(pointed) with a point, of 3000")
    }
}
