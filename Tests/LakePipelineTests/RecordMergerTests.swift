import Foundation
import LakeCore
@testable import LakePipeline
@testable import LakeStore
import Testing
import _LakeTestSupport

/// The merging of records seen again, on records written straight into a lake.
@Suite struct RecordMergerTests {
    /// A golden record as seen in `input`, with an id of the input's first letter.
    static func copy(of line: [UInt8], input: String, index: Int? = nil, id: String? = nil) throws -> [UInt8] {
        let r = try JSONValueReader.parse(line)
        var source = try #require(r["source"]).setting("input", .string(input))
        if let index { source = source.setting("index", .number(String(index))) }
        let id = id ?? String(repeating: String(input.prefix(1)), count: 32)
        return CanonicalJSON.encode(r.setting("source", source).setting("id", .string(id)))
    }

    /// A record of the small Twitter golden export (its second line).
    static func goldenTweet() throws -> [UInt8] {
        let golden = try String(contentsOfFile: TestPaths.golden + "/twitter-small/export.ndjson", encoding: .utf8)
        return Array(golden.split(separator: "\n")[1].utf8)
    }

    static func exported(_ lake: Lake) throws -> [JSONValue] {
        var out: [JSONValue] = []
        try lake.export { out.append(try JSONValueReader.parse($0)) }
        return out
    }

    @Test func theFirstInExportOrderIsKeptEvenWhenItWasASighting() throws {
        let dir = TestPaths.scratch("merger")
        defer { TestPaths.remove(dir) }
        let line = try Self.goldenTweet()
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

    /// The content-hash groups name the records `hotRecords` reads, in the same (export) order;
    /// a group is read for merging only when its records span files or it has sightings, and
    /// two same records of one file stay two records.
    @Test func aGroupIsReadForMergingOnlyWhenItsRecordsCouldBeOneAnothers() throws {
        let dir = TestPaths.scratch("merger-groups")
        defer { TestPaths.remove(dir) }
        let line = try Self.goldenTweet()
        let lake = try Lake(directory: dir, create: true)
        let copies = [
            try Self.copy(of: line, input: "b.zip", index: 7, id: String(repeating: "e", count: 32)),
            try Self.copy(of: line, input: "b.zip", index: 3, id: String(repeating: "f", count: 32)),
        ]
        try lake.inTransaction {
            let inserter = try lake.recordInserter(jobID: "j1")
            for copy in copies { try inserter.insert(try RecordRow(line: copy)) }
        }
        var groups: [[Lake.HashMember]] = []
        var read: [[Lake.StoredRecord]] = []
        try lake.sharedContentHashGroups { group, records in
            groups.append(group)
            read.append(try records())
        }
        let group = try #require(groups.count == 1 ? groups[0] : nil)
        let hot = try lake.hotRecords(contentHash: group[0].contentHash)
        #expect(group.map(\.id) == hot.map(\.id) && group.map(\.rowid) == hot.map(\.rowid))
        #expect(read[0].map(\.id) == hot.map(\.id) && read[0].map(\.canonical) == hot.map(\.canonical))
        #expect(group.map(\.id) == [String(repeating: "f", count: 32), String(repeating: "e", count: 32)])
        #expect(group[0].source == group[1].source)
        #expect(!RecordMerger.couldMerge(group, sightings: []))
        var merged = -1
        try lake.inTransaction { merged = try RecordMerger(lake: lake).run().merged }
        #expect(try merged == 0 && Self.exported(lake).count == 2)
        // A third copy from another file: the group spans files and is merged.
        try lake.inTransaction {
            try lake.recordInserter(jobID: "j2").insert(try RecordRow(line: try Self.copy(of: line, input: "c.zip", index: 3)))
        }
        groups = []
        try lake.sharedContentHashGroups { group, _ in groups.append(group) }
        #expect(groups.count == 1 && RecordMerger.couldMerge(groups[0], sightings: []))
        try lake.inTransaction { merged = try RecordMerger(lake: lake).run().merged }
        #expect(try merged == 1 && Self.exported(lake).count == 2)
        // One file's records with a sighting of their content hash are read too.
        let sighting = Lake.Sighting(
            id: "s", survivor: group[0].id, jobID: "j", input: "a.zip", inputSHA256: "", path: "", index: 0)
        #expect(RecordMerger.couldMerge(group, sightings: [sighting]))
    }
}
