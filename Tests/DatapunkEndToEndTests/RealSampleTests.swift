import Foundation
import LakeCore
import Testing
import _LakeTestSupport

/// The real-sample suite: export files from other projects' public test fixtures
/// (Corpus/real/SOURCES.md), ingested as a user would, and held to the records *those*
/// projects' tests assert (Corpus/real/expected.json), not to our own output.
@Suite struct RealSampleTests {
    struct Case: CustomStringConvertible {
        var name: String
        var input: String
        var status: Int32
        var extra: [String]
        var counts: [(String, Int)]
        /// Expected fields per record; `contains` holds text a field must contain (where the peer
        /// asserts a substring).
        var records: [(path: String, index: Int, fields: [(String, JSONValue)], contains: [(String, String)])]
        var description: String { name }
    }

    static let folder = TestPaths.corpus + "/real"

    static func cases() throws -> [Case] {
        let root = try JSONValueReader.parse(TestPaths.read(folder + "/expected.json"))
        return (root["cases"]?.arrayValue ?? []).map { c in
            Case(
                name: c["name"]?.stringValue ?? "?", input: c["input"]?.stringValue ?? "",
                status: Int32(c["status"]?.realSampleNumber ?? "0") ?? 0,
                extra: c["arguments"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                counts: (c["counts"]?.objectMembers ?? []).map { ($0.key, Int($0.value.realSampleNumber ?? "") ?? -1) },
                records: (c["records"]?.arrayValue ?? []).map { r in
                    (
                        r["path"]?.stringValue ?? "", Int(r["index"]?.realSampleNumber ?? "") ?? -1,
                        (r["fields"]?.objectMembers ?? []).map { ($0.key, $0.value) },
                        (r["contains"]?.objectMembers ?? []).map { ($0.key, $0.value.stringValue ?? "") }
                    )
                })
        }
    }

    /// `data/location_infos/0/name` inside a record: the JSON pointer `/data/location_infos/0/name`
    /// (the fixtures' keys hold no `~` or `/`).
    static func value(_ record: JSONValue, at path: String) -> JSONValue? { JSONPointer.resolve("/" + path, in: record) }

    @Test func theSuiteCoversTheFamilies() throws {
        #expect(try Self.cases().count >= 7)
    }

    @Test(arguments: try RealSampleTests.cases())
    func ingestedAsTheirOwnTestsExpect(_ c: Case) throws {
        let lake = TestPaths.scratch("real")
        defer { TestPaths.remove(lake) }
        let ingest = try CommandRunner.run(CommandRunner.datapunk, ["ingest", Self.folder + "/" + c.input, "--lake", lake] + c.extra)
        #expect(ingest.status == c.status, "\(c.name): \(ingest.stderrText)")
        #expect(ingest.status != 4)
        let export = try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", lake])
        #expect(export.status == 0)
        var byPath: [String: [Int: JSONValue]] = [:]
        for line in export.stdoutText.split(separator: "\n") {
            let r = try JSONValueReader.parse(Array(line.utf8))
            let path = r["source"]?["path"]?.stringValue ?? ""
            let index = Int(r["source"]?["index"]?.realSampleNumber ?? "") ?? -1
            byPath[path, default: [:]][index] = r
        }
        for (path, count) in c.counts {
            #expect((byPath[path]?.count ?? 0) == count, "\(c.name): \(path) has \(byPath[path]?.count ?? 0) records, want \(count)")
        }
        for want in c.records {
            guard let record = byPath[want.path]?[want.index] else {
                Issue.record("\(c.name): no record \(want.index) of \(want.path)")
                continue
            }
            for (field, expected) in want.fields {
                // `null` expects the field absent (or null): an array's element past its end.
                let got = Self.value(record, at: field) ?? (expected == .null ? .null : nil)
                #expect(got == expected, "\(c.name): \(want.path) #\(want.index) \(field)")
            }
            for (field, text) in want.contains {
                #expect(
                    Self.value(record, at: field)?.stringValue?.contains(text) == true, "\(c.name): \(want.path) #\(want.index) \(field)")
            }
        }
    }
}

extension JSONValue {
    /// A number's text as spelled, or nil.
    fileprivate var realSampleNumber: String? {
        if case .number(let n) = self { return n }
        return nil
    }
}
