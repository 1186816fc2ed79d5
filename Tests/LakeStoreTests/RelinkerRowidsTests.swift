import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// `Lake.Relinker.rowids` finds hot records' rows by id without an index on ids (schema 37):
/// ids of 32 hex digits (stored as 16 bytes) and any other (stored as text), in the order asked,
/// nil for one not hot; through `records_id` when a load left it, the same answers.
@Suite struct RelinkerRowidsTests {
    @Test func rowsAreFoundByIdWithAndWithoutTheIDIndex() throws {
        let dir = TestPaths.scratch("relinker-rowids")
        defer { TestPaths.remove(dir) }
        var rows = try FirstLoadTests.rows("twitter-small/export.ndjson")
        // One id that is not 32 hex digits: stored as text.
        rows[3].columns.id = "not-a-hex-id"
        let lake = try Lake(directory: dir, create: true)
        try FirstLoadTests.load(lake, rows)
        #expect(try !FirstLoadTests.hasIDIndex(lake))
        var stored: [String: Int64] = [:]
        try lake.database.prepare("SELECT rowid, id FROM records").forEachRow { stored[RecordStorage.idText($0.value(1))] = $0.int(0) }
        #expect(stored.count == rows.count)
        let asked = [rows[5].columns.id, String(repeating: "0", count: 32), "not-a-hex-id", rows[0].columns.id, "missing"]
        let expected = asked.map { stored[$0] }
        #expect(expected.compactMap { $0 }.count == 3)
        #expect(try lake.relinker().rowids(of: asked) == expected)
        try lake.inTransaction { try lake.buildIDIndex() }
        #expect(try FirstLoadTests.hasIDIndex(lake))
        #expect(try lake.relinker().rowids(of: asked) == expected)
        #expect(try lake.relinker().rowids(of: []).isEmpty)
    }

    /// The filter that spares most rows of the pass a dictionary look-up: every word put in is
    /// found (no row wanted is passed over), and few others are (one in 16 at most, for
    /// evenly spread words).
    @Test func theIDFilterFindsEveryWantedWordAndFewOthers() {
        var random = SplitMix64(seed: 46)
        for count in [1, 7, 1_000, 53_671] {
            var filter = Lake.Relinker.IDFilter(count: count)
            let wanted = (0..<count).map { _ in random.next() }
            for w in wanted { filter.insert(w) }
            #expect(wanted.allSatisfy { filter.contains($0) }, "\(count) words")
            let others = (0..<100_000).filter { _ in filter.contains(random.next()) }.count
            #expect(others <= 100_000 / 14, "\(count) words: \(others) of 100,000 others pass")
        }
    }

    /// A rowid a step handed on is checked against the record it names: a row holding another
    /// record is an internal error, and nothing is written.
    @Test func aRowHoldingAnotherRecordIsRefused() throws {
        let dir = TestPaths.scratch("relinker-wrong-row")
        defer { TestPaths.remove(dir) }
        let rows = try FirstLoadTests.rows("twitter-small/export.ndjson")
        let lake = try Lake(directory: dir, create: true)
        try FirstLoadTests.load(lake, rows)
        var rowid: Int64 = 0, id = ""
        try lake.database.prepare("SELECT rowid, id FROM records ORDER BY rowid LIMIT 1 OFFSET 5").forEachRow {
            rowid = $0.int(0)
            id = RecordStorage.idText($0.value(1))
        }
        let relinker = try lake.relinker()
        var changed = 0
        let other = rows.map(\.columns.id).first { $0 != id }!
        #expect(throws: LakeError.self) {
            try lake.inTransaction {
                _ = try relinker.relinkParts(rowid: rowid, id: other) {
                    changed += 1; return ($0, $1)
                }
            }
        }
        #expect(changed == 0)
        var relinked = false
        try lake.inTransaction {
            relinked = try relinker.relinkParts(rowid: rowid, id: id) {
                changed += 1; return ($0, $1)
            }
        }
        #expect(relinked)
        #expect(changed == 1)
        // A content-hash group's records carry their rows (the column after `selectColumns`).
        var hash = ""
        try lake.database.prepare("SELECT content_hash FROM records WHERE rowid = ?").forEachRow([.integer(rowid)]) {
            hash = RecordStorage.hashText($0.value(0))
        }
        let group = try lake.hotRecords(contentHash: hash)
        #expect(!group.isEmpty)
        #expect(group.contains { $0.id == id && $0.rowid == rowid })
    }
}
