import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// The duplicate stage's reader of text records (`Lake.unhashedTextRecords`): each record's
/// stored `data` (`Lake.StoredData`) gives back its canonical JSON on whatever thread asks,
/// whether the row holds it compact under its kind's names (two sets of names, so two kind refs
/// read one after the other; each ref's names read once), with members derived from its time,
/// or keeps its whole line beside it.
@Suite struct TextRecordReadTests {
    @Test func eachRecordsDataComesBackCanonical() throws {
        let dir = TestPaths.scratch("text-record-read")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var rng = SeededRandom(seed: 12)
        var records: [LakeRecord] = []
        for i in 0..<120 {
            var r = CompactRecordTests.record(&rng, id: String(format: "%032x", i), index: i)
            r.exportKind = "twitter"
            r.recordKind = "tweet"
            r.category = "social"
            r.dataClass = "personal"
            r.user = i % 3 == 0 ? "bob" : "alice"
            r.lineage = [.init("parse.twitter_js", version: "1")]
            // Two sets of member names; the time as a member where the record has one.
            var members: [JSONMember] = [.init("full_text", .string("text \(i) \u{E9}\"\n"))]
            members.append(i % 2 == 0 ? .init("lang", .string("fr")) : .init("n", .number("\(i)")))
            if let t = r.occurredAt { members.append(.init("created_at", .string(t))) }
            r.data = .object(members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
            // Every fifth row keeps its whole line: its partition is not its time's.
            if i % 5 == 0 { r.partition = "1999-01" }
            records.append(r)
        }
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in records { try ins.insert(r) }
        }
        var lines = 0
        try lake.database.prepare("SELECT count(*) FROM records WHERE line IS NOT NULL").forEachRow { lines = Int($0.int(0)) }
        #expect(lines >= 20)
        var refs = 0
        try lake.database.prepare("SELECT count(*) FROM record_kinds WHERE keys IS NOT NULL").forEachRow { refs = Int($0.int(0)) }
        #expect(refs >= 2)

        var got: [String: Lake.TextRecord] = [:]
        var cursor: Lake.TextCursor? = Lake.TextCursor()
        while let c = cursor {
            let page = try lake.unhashedTextRecords(kinds: ["tweet"], after: c, limit: 7)
            for r in page.records { got[r.id] = r }
            cursor = page.next
        }
        #expect(got.count == records.count)
        for r in records {
            guard let read = got[r.id] else { continue }
            #expect(try read.stored.canonical() == CanonicalJSON.encode(r.data), "record \(r.source.index)")
            #expect(read.kind == "tweet" && read.user == r.user, "record \(r.source.index)")
        }
    }
}
