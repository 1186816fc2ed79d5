import LakeCore
@testable import LakeNormalize
import LakeParsers
import Testing

/// The on-device Timeline exports (not in Takeout, not made by our generator): Android's
/// `Timeline.json` (`semanticSegments`, `rawSignals`, degree strings, local offsets) and iOS's
/// `location-history.json` (a top-level array, `geo:` points, numbers as strings), as
/// EXPORT-FORMATS.md describes them.
@Suite struct TimelineMapperTests {
    static let context = RecordContext(
        input: "phone.zip", inputSHA256: String(repeating: "b", count: 64), path: "Timeline.json", user: "u",
        ring: ShardRing(Thresholds()))

    static func records(_ json: String, path: String) throws -> [LakeRecord] {
        guard case .json(let family)? = ExportMapper.route(path: path) else { Issue.record("not routed: \(path)"); return [] }
        let stream = JSONRecordStream(reader: JSONReader(bytes: Array(json.utf8)), collections: family.collections)
        var out: [LakeRecord] = []
        try stream.forEach { i, e in if family.keeps(e) { out.append(try ExportMapper.map(family, e, index: i, context: context)) } }
        return out
    }

    /// Android's `Timeline.json`: segments, a signal, and the profile.
    static let android = #"""
        {"semanticSegments": [
          {"startTime": "2024-06-21T19:51:13.014-06:00", "endTime": "2024-06-21T20:30:00.000-06:00",
           "startTimeTimezoneUtcOffsetMinutes": -360,
           "visit": {"probability": 0.9, "topCandidate": {"placeId": "ChIJ1", "placeLocation": {"latLng": "31.1234567°, -73.1234567°"}}}},
          {"startTime": "2024-06-21T21:00:00.000-06:00",
           "timelinePath": [{"point": "91.5000000°, 10.0000000°", "time": "2024-06-21T21:00:00.000-06:00"}]}
        ],
        "rawSignals": [{"position": {"LatLng": "48.8566000°, 2.3522000°", "accuracyMeters": 13, "timestamp": "2024-06-22T08:00:00.000+02:00"}}],
        "userLocationProfile": {"frequentPlaces": []}}
        """#
    /// iOS's `location-history.json`: a top-level array, `geo:` points.
    static let ios = #"""
        [{"startTime": "2024-05-01T08:00:00.000-07:00", "endTime": "2024-05-01T09:00:00.000-07:00",
          "visit": {"hierarchyLevel": "0", "probability": "0.850000", "topCandidate": {"placeLocation": "geo:30.123456,-105.987654", "probability": "0.000000"}}},
         {"startTime": "2024-05-01T09:00:00.000-07:00", "activity": {"start": "geo:30.1,-105.9", "end": "geo:30.2,-105.8", "distanceMeters": "1000.0"}}]
        """#

    @Test func androidSegmentsAndSignals() throws {
        let json = Self.android
        let r = try Self.records(json, path: "Timeline.json")
        #expect(r.map(\.recordKind) == ["timeline_segment", "timeline_segment", "timeline_signal", "timeline_profile"])
        #expect(r[0].occurredAt == "2024-06-22T01:51:13.014Z" && r[0].sourceOffset == "-06:00")
        #expect(CanonicalJSON.string(r[0].data["geo"]!) == #"{"lat":31.123457,"lng":-73.123457}"#)
        #expect(CanonicalJSON.string(r[1].data["geo"]!) == #"{"lat":91.500000,"lng":10.000000,"out_of_bounds":true}"#)
        #expect(r[2].occurredAt == "2024-06-22T06:00:00.000Z" && r[2].sourceOffset == "+02:00")
        #expect(r[2].entities.contains(.init(kind: "place", value: "48.856600,2.352200", method: "coordinates")))
        // The file's other members make one profile record, without time or point.
        #expect(r[3].occurredAt == nil && r[3].data["geo"] == nil && r[3].source.index == 3)
        #expect(r.prefix(3).allSatisfy { $0.lineage.contains { $0.step == "normalize.geo" } })
    }

    @Test func iosLocationHistory() throws {
        let json = Self.ios
        let r = try Self.records(json, path: "location-history.json")
        #expect(r.count == 2)
        #expect(r[0].occurredAt == "2024-05-01T15:00:00.000Z" && r[0].sourceOffset == "-07:00")
        #expect(CanonicalJSON.string(r[0].data["geo"]!) == #"{"lat":30.123456,"lng":-105.987654}"#)
        #expect(CanonicalJSON.string(r[1].data["geo"]!) == #"{"lat":30.100000,"lng":-105.900000}"#)
        // Numbers written as strings stay strings.
        #expect(r[0].data["visit"]?["probability"] == .string("0.850000"))
    }

    @Test func impossibleTimeIsARecordError() {
        #expect(throws: LakeError.self) { _ = try Self.records(#"[{"startTime": "2024-02-30T00:00:00Z"}]"#, path: "location-history.json") }
    }
}
