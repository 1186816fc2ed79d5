import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// Migration 38 (`record_texts` keyed by its record's rowid) on `Corpus/lakes/v37`, the last
/// schema-37 build's lake of `Corpus/generated/twitter-seed8-300KB`: every text row is kept,
/// now found by rowid, with the text hash it had; no text is hashed again; the next job's
/// links and export are those of a new lake given the same two jobs.
@Suite struct TextRowidUpgradeTests {
    typealias Upgrade = SignatureUpgradeTests

    /// Each text row as "record id, text hash" (hex id), in id order, by `sql`.
    static func texts(_ database: SQLiteDatabase, _ sql: String = rowidSQL) throws -> [String] {
        var out: [String] = []
        try database.prepare(sql).forEachRow {
            out.append("\($0.text(0) ?? "") \($0.isNull(1) ? "null" : String($0.int(1)))")
        }
        return out
    }

    static let rowidSQL = "SELECT hex(r.id), t.text_hash FROM record_texts t JOIN records r ON r.rowid = t.record ORDER BY 1"

    @Test func aV37LakeKeepsEveryTextRowUnderItsRecordsRowid() throws {
        let dir = TestPaths.scratch("text-rowid-upgrade")
        defer { TestPaths.remove(dir) }
        let fixture = TestPaths.corpus + "/lakes/v37/catalog.sqlite"
        let before = try Self.texts(
            try SQLiteDatabase(path: fixture, readOnly: true), "SELECT hex(record_id), text_hash FROM record_texts ORDER BY 1")
        var mark: Int64 = 0
        try SQLiteDatabase(path: fixture, readOnly: true).prepare("SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?")
            .forEachRow([.text(Lake.textMarkKey)]) { mark = $0.int(0) }
        #expect(before.count == 288 && mark > 0)

        let old = try Upgrade.upgraded(37, into: dir + "/old")
        #expect(try Self.texts(old.database) == before)
        #expect(try Upgrade.count(old, "SELECT count(*) FROM record_texts") == 288)
        #expect(try old.textsHashedThrough() == mark)
        #expect(try Upgrade.export(dir + "/old") == TestPaths.read(TestPaths.golden + "/generated/twitter-seed8-300KB.ndjson"))
        // A job with nothing new hashes nothing: the texts were kept, not dropped.
        var hashed = -1
        try old.inTransaction { hashed = try NearDuplicateFinder(lake: old).hashNewRecords() }
        #expect(hashed == 0)

        // A second job on the upgraded lake, and the same two jobs on a new lake.
        try Upgrade.secondJobEndsAsOnANewLake(dir)
        let (a, b) = (try Lake(directory: dir + "/old", create: false), try Lake(directory: dir + "/new", create: false))
        #expect(try Self.texts(a.database) == (try Self.texts(b.database)))
    }
}
