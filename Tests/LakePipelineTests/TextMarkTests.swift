import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// The text mark (`Lake.textsHashedThrough`): a job looks for unhashed text records above it
/// only, and no deletion or `VACUUM` can leave a new record below it unhashed.
@Suite struct TextMarkTests {
    /// Tweets `ids` (distinct texts) added to the lake in one transaction.
    static func add(_ lake: Lake, _ ids: ClosedRange<Int>) throws {
        let golden = try String(contentsOfFile: TestPaths.golden + "/twitter-small/export.ndjson", encoding: .utf8)
        let line = try #require(golden.split(separator: "\n").first { $0.contains(#""record_kind":"tweet""#) })
        let tweet = try JSONValueReader.parse(Array(line.utf8))
        try lake.inTransaction {
            let inserter = try lake.recordInserter(jobID: "j1")
            for i in ids {
                let text = "tweet number \(i) says something long enough to be compared"
                let record = tweet.setting("data", try #require(tweet["data"]).setting("full_text", .string(text)))
                    .setting("id", .string(String(format: "%032x", i)))
                    .setting("source", try #require(tweet["source"]).setting("index", .number(String(i))))
                try inserter.insert(try RecordRow(line: CanonicalJSON.encode(record)))
            }
        }
    }

    static func hash(_ lake: Lake) throws -> Int {
        var n = 0
        try lake.inTransaction { n = try NearDuplicateFinder(lake: lake).hashNewRecords() }
        return n
    }

    @Test func newRecordsAreHashedWhateverWasDeletedBefore() throws {
        let dir = TestPaths.scratch("text-mark")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        try Self.add(lake, 1...40)
        #expect(try lake.textsHashedThrough() == 0)
        #expect(try Self.hash(lake) == 40)
        #expect(try lake.textsHashedThrough() == 40 && lake.lastRecordRowid() == 40)
        // Only what is above the mark is looked at: a row taken away below it is not found again.
        try lake.database.execute("DELETE FROM record_texts WHERE record = 7")
        try Self.add(lake, 41...50)
        #expect(try Self.hash(lake) == 10)
        // The newest records deleted: the next ones take their rowids, below the old mark.
        try lake.database.execute("DELETE FROM records WHERE rowid > 30")
        #expect(try lake.textsHashedThrough() == 30)
        try Self.add(lake, 51...60)
        #expect(try lake.lastRecordRowid() == 40)
        #expect(try Self.hash(lake) == 10)
        // A record deleted in the middle leaves the mark where it is.
        try lake.database.execute("DELETE FROM records WHERE rowid = 12")
        #expect(try lake.textsHashedThrough() == 40)
        // `VACUUM` keeps the rowids of a table with an index: the text rows and the mark stay.
        let rows = try Self.texts(lake)
        try lake.compact()
        #expect(try lake.textsHashedThrough() == 40)
        #expect(try Self.texts(lake) == rows)
        #expect(try Self.hash(lake) == 0)
        #expect(try Self.notedRowids(lake) == nil)
    }

    /// Each text row as "rowid id text-hash", in rowid order.
    static func texts(_ lake: Lake) throws -> [String] {
        var out: [String] = []
        try lake.database.prepare(
            "SELECT t.record, hex(r.id), t.text_hash FROM record_texts t LEFT JOIN records r ON r.rowid = t.record ORDER BY 1"
        ).forEachRow { out.append("\($0.int(0)) \($0.text(1) ?? "none") \($0.int(2))") }
        return out
    }

    /// The rowids a `VACUUM` noted and did not settle.
    static func notedRowids(_ lake: Lake) throws -> String? {
        var noted: String?
        try lake.database.prepare("SELECT value FROM settings WHERE key = ?").forEachRow([.text(Lake.vacuumKey)]) { noted = $0.text(0) }
        return noted
    }

    /// A `VACUUM` that numbers the records anew (SQLite does for a table with no index, so the
    /// test drops them) takes every text row, signature and the mark: rowids name other records.
    @Test func rowsNumberedAnewTakeTheTextsAndTheMark() throws {
        let dir = TestPaths.scratch("text-mark-renumbered")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        try Self.add(lake, 1...40)
        #expect(try Self.hash(lake) == 40)
        try lake.database.execute("DELETE FROM records WHERE rowid = 12")
        var indexes: [String] = []
        try lake.database.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'").forEachRow {
            indexes.append($0.text(0) ?? "")
        }
        #expect(!indexes.isEmpty)
        for name in indexes { try lake.database.execute("DROP INDEX \(name)") }
        try lake.compact()
        #expect(try lake.lastRecordRowid() == 39)
        #expect(try Self.texts(lake).isEmpty)
        #expect(try lake.textsHashedThrough() == 0)
        #expect(try Self.notedRowids(lake) == nil)
    }

    /// A `VACUUM` cut short is settled when the lake is next opened: the text rows stay when
    /// the rowids are those noted, and go when they are not.
    @Test func aVacuumCutShortIsSettledAtTheNextOpen() throws {
        let dir = TestPaths.scratch("text-mark-vacuum-cut")
        defer { TestPaths.remove(dir) }
        var lake: Lake? = try Lake(directory: dir, create: true)
        try Self.add(lake!, 1...10)
        #expect(try Self.hash(lake!) == 10)
        let rows = try Self.texts(lake!)
        for (noted, kept) in [(try Lake.rowidFingerprint(lake!.database), true), ("10 54", false)] {
            try lake!.database.prepare("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)").run([
                .text(Lake.vacuumKey), .text(noted),
            ])
            lake = nil
            lake = try Lake(directory: dir, create: false)
            #expect(try Self.texts(lake!) == (kept ? rows : []), "noted \(noted)")
            #expect(try lake!.textsHashedThrough() == (kept ? 10 : 0))
            #expect(try Self.notedRowids(lake!) == nil)
        }
        #expect(try Lake.rowidFingerprint(lake!.database) == "10 55")
    }
}
