import LakeConform
import LakeCore
import LakeParsers
import Testing

/// Projection per level, the two comparison modes and the first difference (docs/SPEC.md 9.2).
@Suite struct ConformComparisonTests {
    let record =
        #"{"category":"post","data":{"created_at":"2024-03-01T10:00:00.000Z","full_text":"hi","n":1.50},"id":"a1","lineage":[],"occurred_at":"2024-03-01T10:00:00.000Z","record_kind":"tweet","export_kind":"twitter","source":{"index":0,"input":"x.zip","input_sha256":"ff","path":"data/tweets.js"},"user":"ada","pii":[]}"#

    func value(_ s: String) throws -> JSONValue { try JSONReader.parse(Array(s.utf8), limits: JSONLimits()) }

    @Test func eachLevelKeepsItsMembers() throws {
        let r = try value(record)
        let parse = try #require(ConformLevel.parse.project(r))
        #expect(
            CanonicalJSON.string(parse)
                == #"{"export_kind":"twitter","record_kind":"tweet","source":{"index":0,"input":"x.zip","path":"data/tweets.js"}}"#)
        let normalize = try #require(ConformLevel.normalize.project(r))
        #expect(normalize["data"] != nil && normalize["occurred_at"] != nil && normalize["pii"] == nil && normalize["id"] == nil)
        #expect(ConformLevel.enrich.project(r)?["pii"] != nil)
        #expect(ConformLevel.full.project(r) == r)
        #expect(ConformLevel.refusals.project(r) == nil)
        let refusal = try value(#"{"refused":{"input":"a.zip","entry":"../x","rule":"archive.unsafe_path","message":"m"}}"#)
        #expect(ConformLevel.full.project(refusal) == nil)
        #expect(
            CanonicalJSON.string(ConformLevel.refusals.project(refusal)!)
                == #"{"refused":{"entry":"../x","input":"a.zip","rule":"archive.unsafe_path"}}"#)
    }

    @Test func theShapeLevelKeepsKeysAndTimesButOnlyTypesOfValues() throws {
        let shape = try #require(ConformLevel.shape.project(try value(record)))
        #expect(
            CanonicalJSON.string(shape)
                == #"{"category":"post","data":{"created_at":"","full_text":"","n":0},"#
                + #""export_kind":"twitter","occurred_at":"2024-03-01T10:00:00.000Z","record_kind":"tweet","#
                + #""source":{"index":0,"input":"x.zip","path":"data/tweets.js"},"user":"ada"}"#)
        #expect(ConformLevel.shape.project(shape) == shape)
        // Another value of the same type passes; a renamed key, a changed type or a time does not.
        let expected = Array((record + "\n").utf8)
        func got(_ from: String, _ to: String) -> [UInt8] { Array((record.replacingOccurrences(of: from, with: to) + "\n").utf8) }
        #expect(ConformComparison.compare(expected: expected, got: got(#""hi""#, #""other""#), level: .shape, mode: .bytes).passed)
        let renamed = ConformComparison.compare(expected: expected, got: got("full_text", "fullText"), level: .shape, mode: .bytes)
        #expect(renamed.difference?.fields.map(\.pointer) == ["/data/fullText", "/data/full_text"])
        #expect(!ConformComparison.compare(expected: expected, got: got("1.50", #""1.50""#), level: .shape, mode: .bytes).passed)
        let late = got(#""occurred_at":"2024-03-01T10"#, #""occurred_at":"2024-03-01T11"#)
        #expect(
            ConformComparison.compare(expected: expected, got: late, level: .shape, mode: .bytes).difference?.fields.map(\.pointer) == [
                "/occurred_at"
            ])
    }

    @Test(arguments: [
        ("1", "1e0"), ("1.0", "1e0"), ("10e-1", "1e0"), ("0.1e1", "1e0"), ("-0.50", "-5e-1"), ("0", "0"), ("0.000", "0"),
        ("1200", "1.2e3"), ("12E+2", "1.2e3"), ("123456789012345678901", "1.23456789012345678901e20"),
    ])
    func numbersHaveOneSpelling(_ n: String, _ expected: String) { #expect(ConformValues.number(n) == expected) }

    @Test func timesCompareAsInstants() {
        #expect(ConformValues.instant("2024-03-01T11:00:00+01:00") == "2024-03-01T10:00:00.000Z")
        #expect(ConformValues.instant("2024-03-01T10:00:00.5Z") == "2024-03-01T10:00:00.500Z")
        #expect(ConformValues.instant("2024-01-01T00:30:00+01:00") == "2023-12-31T23:30:00.000Z")
        #expect(ConformValues.instant("2024-03-01 10:00:00Z") == nil && ConformValues.instant("hello") == nil)
        #expect(ConformValues.instant("2024-03-01T10:00:00") == nil)
        // Section 8's ISO-8601 rules: a real day, seconds up to 59, 1 to 9 fraction digits.
        #expect(ConformValues.instant("2024-02-30T10:00:00Z") == nil && ConformValues.instant("2024-03-01T10:00:60Z") == nil)
        #expect(ConformValues.instant("2024-03-01T10:00:00.1234567891Z") == nil)
    }

    @Test func bytesAndSemanticModes() throws {
        let expected = Array((record + "\n").utf8)
        let shifted = Array(
            (record.replacingOccurrences(
                of: #""occurred_at":"2024-03-01T10:00:00.000Z""#, with: #""occurred_at":"2024-03-01T11:00:00+01:00""#
            )
            .replacingOccurrences(of: "1.50", with: "1.5") + "\n").utf8)
        #expect(!ConformComparison.compare(expected: expected, got: shifted, level: .normalize, mode: .bytes).passed)
        #expect(ConformComparison.compare(expected: expected, got: shifted, level: .normalize, mode: .semantic).passed)
        // Below `normalize` the data is not compared at all.
        #expect(ConformComparison.compare(expected: expected, got: shifted, level: .parse, mode: .bytes).passed)
    }

    @Test func theFirstDifferenceNamesTheRecordAndTheField() throws {
        let second = record.replacingOccurrences(of: #""id":"a1""#, with: #""id":"a2""#).replacingOccurrences(
            of: #""index":0"#, with: #""index":1"#)
        let expected = Array((record + "\n" + second + "\n").utf8)
        let wrongTime = second.replacingOccurrences(of: "2024-03-01T10:00:00.000Z\",\"record", with: "2024-03-01T11:00:00.000Z\",\"record")
        let c = ConformComparison.compare(
            expected: expected, got: Array((record + "\n" + wrongTime + "\n").utf8), level: .full, mode: .bytes)
        let d = try #require(c.difference)
        #expect(d.line == 2 && d.record == "id a2")
        #expect(d.fields == [.init(pointer: "/occurred_at", expected: #""2024-03-01T10:00:00.000Z""#, got: #""2024-03-01T11:00:00.000Z""#)])
        // Reordered: the same records, out of order.
        let reordered = ConformComparison.compare(
            expected: expected, got: Array((second + "\n" + record + "\n").utf8), level: .full, mode: .bytes)
        #expect(reordered.difference?.summary.contains("out of order") == true)
        // Dropped and added.
        let dropped = try #require(
            ConformComparison.compare(expected: expected, got: Array((record + "\n").utf8), level: .full, mode: .bytes).difference)
        #expect(dropped.missing == ["id a2"] && dropped.extra.isEmpty)
        let added = try #require(
            ConformComparison.compare(expected: Array((record + "\n").utf8), got: expected, level: .full, mode: .bytes).difference)
        #expect(added.extra == ["id a2"] && added.summary.contains("1 record(s) more"))
        // Not JSON.
        let broken = try #require(
            ConformComparison.compare(expected: expected, got: Array((record + "\n{\"id\": \n").utf8), level: .full, mode: .bytes)
                .difference)
        #expect(broken.line == 2 && broken.summary.hasPrefix("line 2 is not JSON"))
        // A renamed key: the field is absent on one side and present on the other.
        let renamed = record.replacingOccurrences(of: "full_text", with: "fullText")
        let r = try #require(
            ConformComparison.compare(
                expected: Array((record + "\n").utf8), got: Array((renamed + "\n").utf8), level: .normalize, mode: .semantic
            ).difference)
        #expect(r.fields.map(\.pointer) == ["/data/fullText", "/data/full_text"])
    }
}
