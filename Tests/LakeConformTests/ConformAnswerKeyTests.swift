import Foundation
import LakeConform
import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

/// A kit's expectations are checked against each case's answer key (docs/SPEC.md 9.2).
@Suite struct ConformAnswerKeyTests {
    static let folder = TestPaths.corpus + "/generated/twitter-seed1-64KB"
    static let golden = TestPaths.root + "/Golden/generated/twitter-seed1-64KB.ndjson"

    static func lines() -> [String] { String(decoding: TestPaths.read(golden), as: UTF8.self).split(separator: "\n").map(String.init) }
    static func problems(_ lines: [String]) throws -> [String] {
        try ConformAnswerKey.problems(
            golden: Array((lines.joined(separator: "\n") + "\n").utf8), manifest: TestPaths.read(folder + "/manifest.json"))
    }

    @Test func everyCommittedGoldenFitsItsKey() throws {
        for name in ["twitter-seed1-64KB", "facebook-seed1-64KB", "google-takeout-seed1-64KB", "adversarial-seed1"] {
            let problems = try ConformAnswerKey.problems(
                golden: TestPaths.read(TestPaths.root + "/Golden/generated/\(name).ndjson"),
                manifest: TestPaths.read(TestPaths.corpus + "/generated/\(name)/manifest.json"))
            #expect(problems.isEmpty, "\(name): \(problems)")
        }
        #expect(
            try ConformAnswerKey.problems(
                golden: TestPaths.read(TestPaths.root + "/Golden/twitter-small/export.ndjson"),
                manifest: TestPaths.read(TestPaths.corpus + "/twitter-small/manifest.json")
            ).isEmpty)
    }

    @Test func aGoldenThatLostARecordOrAFindingOrGainedALinkDoesNot() throws {
        var lines = Self.lines()
        // A tweet dropped: its entry's count is off.
        let tweet = try #require(lines.firstIndex { $0.contains(#""record_kind":"tweet""#) && !$0.contains(#""pii":[{"#) })
        var dropped = lines
        dropped.remove(at: tweet)
        #expect(try Self.problems(dropped).contains { $0.contains("records, the key counts") })
        // A planted value's finding removed: missed.
        let withPII = try #require(lines.firstIndex { $0.contains(#""pii":[{"#) })
        let record = try JSONReader.parse(Array(lines[withPII].utf8), limits: JSONLimits())
        lines[withPII] = CanonicalJSON.string(record.setting("pii", .array([])))
        #expect(try Self.problems(lines).contains { $0.contains("1 missed") })
        // A duplicate link the key does not plant.
        var linked = Self.lines()
        let second = try #require(linked.indices.last)
        let r = try JSONReader.parse(Array(linked[second].utf8), limits: JSONLimits())
        let link: JSONValue = .object([
            .init("type", .string("duplicate_of")), .init("target", r["id"] ?? .null), .init("confidence", .number("1")),
            .init("method", .string("content_hash")),
        ])
        linked[second] = CanonicalJSON.string(r.setting("relationships", .array((r["relationships"]?.arrayValue ?? []) + [link])))
        #expect(try Self.problems(linked).contains { $0.hasPrefix("exact_duplicate") && $0.contains("1 not planted") })
    }

    /// csv-spectrum's rows against the committed golden, and the ZIP code that was read as a
    /// time (`08123` → 1970-01-01T02:15:23.000Z) is caught.
    /// The merge case's golden holds the key's records and sightings; one that lost a step,
    /// gained a record or named its sightings out of order does not.
    @Test func theMergeCaseGoldenHoldsItsKey() throws {
        let key = TestPaths.read(TestPaths.corpus + "/cases/overlapping-takeouts/expected.json")
        let golden = String(decoding: TestPaths.read(TestPaths.golden + "/conformance/overlapping-takeouts.ndjson"), as: UTF8.self)
        let lines = golden.split(separator: "\n").map(String.init)
        func problems(_ lines: [String]) throws -> [String] {
            try ConformAnswerKey.mergeProblems(golden: Array((lines.joined(separator: "\n") + "\n").utf8), expected: key)
        }
        let clean = try problems(lines)
        #expect(clean.isEmpty, "\(clean)")
        // A record lost: the count, and the kept record that is not there.
        #expect(try problems(Array(lines.dropLast())).count == 2)
        var record = try JSONValueReader.parse(Array(lines[0].utf8))
        var lineage = try #require(record["lineage"]?.arrayValue)
        let steps = lineage.filter { $0["step"]?.stringValue == "merge.seen_again" }
        #expect(steps.count == 2)
        lineage = lineage.filter { $0["step"]?.stringValue != "merge.seen_again" } + steps.reversed()
        record = record.setting("lineage", .array(lineage))
        let swapped = [String(decoding: CanonicalJSON.encode(record), as: UTF8.self)] + lines.dropFirst()
        let wrongOrder = try problems(swapped)
        #expect(wrongOrder.first?.contains("names sightings") == true, "\(wrongOrder)")
        lineage.removeLast()
        let lost = [String(decoding: CanonicalJSON.encode(record.setting("lineage", .array(lineage))), as: UTF8.self)] + lines.dropFirst()
        #expect(try problems(lost).count == 1)
    }

    @Test func csvSpectrumRowsAreChecked() throws {
        let golden = TestPaths.read(TestPaths.root + "/Golden/conformance/csv-spectrum.ndjson")
        let expected = TestPaths.corpus + "/conformance/csv-spectrum/json"
        #expect(try ConformAnswerKey.spectrumProblems(golden: golden, expected: expected).isEmpty)
        let broken = String(decoding: golden, as: UTF8.self).replacingOccurrences(
            of: #""zip":"08123""#, with: #""zip":"1970-01-01T02:15:23.000Z""#)
        let problems = try ConformAnswerKey.spectrumProblems(golden: Array(broken.utf8), expected: expected)
        #expect(problems == [#"comma_in_quotes.csv row 0 zip: "1970-01-01T02:15:23.000Z", csv-spectrum has "08123""#])
    }

    /// Each real fixture's golden holds the records its peer project's tests assert, and a
    /// changed value is caught.
    @Test func realSampleGoldensHoldThePeersExpectations() throws {
        let root = try JSONReader.parse(
            TestPaths.read(TestPaths.corpus + "/real/expected.json"), limits: JSONLimits(maxDocumentBytes: 1 << 26))
        let cases = root["cases"]?.arrayValue ?? []
        #expect(cases.count >= 7)
        for c in cases {
            let name = ConformKit.realCaseName(c["name"]?.stringValue ?? "")
            let golden = TestPaths.read(TestPaths.root + "/Golden/conformance/\(name).ndjson")
            #expect(try ConformAnswerKey.realProblems(golden: golden, expected: c).isEmpty, "\(name)")
        }
        let ics = try #require(cases.first { $0["name"]?.stringValue == "python-icalendar" })
        let golden = String(decoding: TestPaths.read(TestPaths.root + "/Golden/conformance/real-python-icalendar.ndjson"), as: UTF8.self)
        let shifted = golden.replacingOccurrences(
            of: "\"occurred_at\":\"2014-08-29T12:00:00.000Z\"", with: "\"occurred_at\":\"2014-08-29T16:00:00.000Z\"")
        #expect(shifted != golden)
        #expect(!(try ConformAnswerKey.realProblems(golden: Array(shifted.utf8), expected: ics)).isEmpty)
    }
}
