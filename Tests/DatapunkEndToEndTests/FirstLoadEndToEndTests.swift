import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

/// A load stores records without the `records_id` index, building it only to read a file a
/// second time (`Lake+BulkIndexes`): such a file must still add nothing, and the lake keeps no
/// id index once the job ends.
@Suite(.serialized) struct FirstLoadEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    static func exported(_ lake: String) throws -> [UInt8] {
        let r = try dp(["export", "--lake", lake, "--no-manifest"])
        #expect(r.status == 0, "\(r.stderrText)")
        return r.stdout
    }

    /// A My Activity file of `count` searches.
    static func activity(_ count: Int) -> [UInt8] {
        let items = (0..<count).map { i in
            #"{"header":"Search","title":"Searched for lake \#(i)","titleUrl":"https://www.google.com/search?q=lake+\#(i)","time":"2024-01-0\#(1 + i % 9)T10:00:00.000Z","products":["Search"]}"#
        }
        return Array(("[" + items.joined(separator: ",") + "]").utf8)
    }

    static let activityPath = "Takeout/My Activity/Search/MyActivity.json"

    /// A zip at `path` of My Activity files of `counts` searches, all under one name.
    static func zip(_ path: String, activities counts: [Int]) throws {
        let writer = try ArchiveWriter(path: path, format: .zip)
        for count in counts { try writer.addFile(activityPath, contents: activity(count)) }
        try writer.close()
    }

    @Test func theSameExportTwiceInOneIngestIsStoredOnce() throws {
        let dir = TestPaths.scratch("first-load-same-input")
        defer { TestPaths.remove(dir) }
        let zip = dir + "/takeout-a.zip"
        try Self.zip(zip, activities: [40])
        // A copy under another name: the same input SHA-256, so the same record ids. It sorts
        // first, so its records are the ones kept.
        let copy = dir + "/copy.zip"
        try FileManager.default.copyItem(atPath: zip, toPath: copy)
        let both = try Self.dp(["ingest", zip, copy, "--lake", dir + "/both"])
        #expect(both.status == 0, "\(both.stderrText)")
        let alone = try Self.dp(["ingest", copy, "--lake", dir + "/alone"])
        #expect(alone.status == 0, "\(alone.stderrText)")
        let lines = try Self.exported(dir + "/both")
        #expect(lines.split(separator: UInt8(ascii: "\n")).count == 40)
        #expect(lines == (try Self.exported(dir + "/alone")))
        // Ingested again, as a new job: nothing is added, and no id index is left behind.
        let again = try Self.dp(["ingest", zip, "--lake", dir + "/both", "--parallel", "2"])
        #expect(again.status == 0, "\(again.stderrText)")
        #expect(try Self.exported(dir + "/both") == lines)
        #expect(try !ResumeEndToEndTests.recordIndexes(dir + "/both").contains("records_id"))
    }

    @Test func twoEntriesWithOneNameAddOnlyWhatTheSecondHasNew() throws {
        let dir = TestPaths.scratch("first-load-same-name")
        defer { TestPaths.remove(dir) }
        let zip = dir + "/takeout-b.zip"
        // The second entry repeats the first's 30 searches and adds 5.
        try Self.zip(zip, activities: [30, 35])
        let r = try Self.dp(["ingest", zip, "--lake", dir + "/lake"])
        #expect(r.status == 0, "\(r.stderrText)")
        let lines = try Self.exported(dir + "/lake").split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 35)
        #expect(Set(lines.map { Array($0) }).count == 35)
    }
}
