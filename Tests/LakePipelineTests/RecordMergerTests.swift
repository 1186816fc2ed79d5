import Foundation
import LakeCore
@testable import LakePipeline
import LakeStore
import Testing
import _LakeTestSupport

/// The merging of records seen again, on records written straight into a lake.
@Suite struct RecordMergerTests {
    /// A golden record as seen in `input`, with an id of the input's first letter.
    static func copy(of line: [UInt8], input: String) throws -> [UInt8] {
        let r = try JSONValueReader.parse(line)
        let source = try #require(r["source"]).setting("input", .string(input))
        let id = String(repeating: String(input.prefix(1)), count: 32)
        return CanonicalJSON.encode(r.setting("source", source).setting("id", .string(id)))
    }

    static func exported(_ lake: Lake) throws -> [JSONValue] {
        var out: [JSONValue] = []
        try lake.export { out.append(try JSONValueReader.parse($0)) }
        return out
    }

    @Test func theFirstInExportOrderIsKeptEvenWhenItWasASighting() throws {
        let dir = TestPaths.scratch("merger")
        defer { TestPaths.remove(dir) }
        let golden = try String(contentsOfFile: TestPaths.golden + "/twitter-small/export.ndjson", encoding: .utf8)
        let line = Array(golden.split(separator: "\n")[1].utf8)
        let lake = try Lake(directory: dir, create: true)
        func add(_ input: String, job: String) throws {
            try lake.inTransaction {
                try lake.recordInserter(jobID: job).insert(try RecordRow(line: try Self.copy(of: line, input: input)))
            }
        }
        try add("b.zip", job: "j1")
        try add("c.zip", job: "j2")
        var merged = 0
        try lake.inTransaction { merged = try RecordMerger(lake: lake).run().merged }
        #expect(merged == 1)
        var records = try Self.exported(lake)
        #expect(records.count == 1 && records[0]["source"]?["input"]?.stringValue == "b.zip")
        let step = try #require(records[0]["lineage"]?.arrayValue?.last)
        #expect(step["step"]?.stringValue == "merge.seen_again" && step["job"]?.stringValue == "j2")
        #expect(step["source"]?["input"]?.stringValue == "c.zip")
        // Run again: nothing changes.
        try lake.inTransaction { merged = try RecordMerger(lake: lake).run().merged }
        #expect(merged == 0)
        #expect(try Self.exported(lake) == records)
        // The sighting's file now sorts first (a lake whose order changed under it), and a
        // third copy arrives: the sighting becomes the record, the others its sightings.
        let sqlite = try SQLiteDatabase(path: dir + "/catalog.sqlite")
        try sqlite.execute("UPDATE record_sources SET input = 'a.zip' WHERE input = 'c.zip'")
        try add("d.zip", job: "j3")
        try lake.inTransaction { _ = try RecordMerger(lake: lake).run() }
        records = try Self.exported(lake)
        #expect(records.count == 1 && records[0]["source"]?["input"]?.stringValue == "a.zip")
        #expect(records[0]["id"]?.stringValue == step["id"]?.stringValue)
        let steps = records[0]["lineage"]?.arrayValue?.filter { $0["step"]?.stringValue == "merge.seen_again" } ?? []
        #expect(steps.map { $0["source"]?["input"]?.stringValue ?? "" } == ["b.zip", "d.zip"])
        #expect(steps.map { $0["job"]?.stringValue ?? "" } == ["j1", "j3"])
        #expect(try lake.sightingCount() == 2)
    }
}
