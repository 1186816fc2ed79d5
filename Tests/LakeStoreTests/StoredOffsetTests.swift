import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// `source_offset` stored as minutes where its text is spelled as minutes read back
/// (`StoredOffset`, schema 25): every text reads back as it was, whichever form it took, and
/// `lake_records` spells the stored minutes as the canonical line does.
@Suite struct StoredOffsetTests {
    /// Every offset of whole minutes up to ±99:59 and beyond, and texts that must stay as they
    /// are (a minus zero, leading zeros, a one-digit hour, seconds, text, digits that look like
    /// minutes): the stored value reads back as the text, and only the canonical spellings
    /// become digits.
    @Test func everyTextReadsBackAsItWas() {
        var texts: [String] = []
        for m in stride(from: -6_000, through: 6_000, by: 7) { texts.append(StoredOffset.text(m)) }
        texts += ["+00:00", "-00:00", "+5:30", "+005:30", "+05:60", "+05:3", "+05:30:00", "Z", "", "330", "-300", "0", "-", "+100:00"]
        texts += ["+0100:00", "−05:00", "+05:30\u{301}", "12345678901", "+99999:59", "-99999:59", "-999999:59", "+999999:00"]
        // The canonical spellings, written here independently of `StoredOffset.text`.
        let spelled = Set(
            (Array(-6_000...6_000) + [5_999_999, -5_999_999]).map { m in
                String(format: "%@%02d:%02d", m < 0 ? "-" : "+", abs(m) / 60, abs(m) % 60)
            })
        for t in texts {
            let stored = StoredOffset.value(t)
            #expect(StoredOffset.text(stored) == t, "\(t) stored as \(stored)")
            let canonical = spelled.contains(t)
            if case .integer(let m) = stored {
                #expect(canonical, "\(t) stored as \(m)")
            } else {
                #expect(!canonical, "\(t) kept as \(stored)")
            }
        }
        #expect(StoredOffset.value("+05:30") == .integer(330) && StoredOffset.value("-08:00") == .integer(-480))
        #expect(StoredOffset.value("330") == .blob(Array("330".utf8)) && StoredOffset.value("-00:00") == .text("-00:00"))
        #expect(StoredOffset.value(nil) == .null && StoredOffset.text(.null) == nil)
        // The longest spelling stored as minutes has five digits of hours: its digits, sign
        // included, fit in 8; a longer one is kept as it is, and digits of any length as a blob.
        #expect(StoredOffset.value("-99999:59") == .integer(-5_999_999) && StoredOffset.value("-999999:59") == .text("-999999:59"))
        #expect(StoredOffset.value("12345678901") == .blob(Array("12345678901".utf8)))
    }

    /// The committer stores the digits; reading the row and `lake_records` give the text back.
    @Test func aStoredRowHoldsMinutesAndReadsBackItsText() throws {
        let dir = TestPaths.scratch("stored-offset")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let offsets = ["+05:30", "-08:00", "+00:00", "-00:00", "330", nil]
        try lake.inTransaction {
            let inserter = try lake.recordInserter(jobID: "j")
            for (i, offset) in offsets.enumerated() {
                let record = LakeRecord(
                    id: String(format: "%032x", i + 1), source: .init(input: "in", inputSHA256: "s", path: "p", index: i),
                    exportKind: "e", recordKind: "k", occurredAt: "2020-01-01T00:00:00.000Z", sourceOffset: offset, user: "u",
                    partition: "2020-01", shards: [1], category: "c", language: nil, languageMethod: nil, data: .object([]), pii: [],
                    entities: [], lineage: [], contentHash: "00000000000000aa")
                try inserter.insert(RecordRow(record))
            }
        }
        var raw: [SQLiteValue] = []
        try lake.database.prepare("SELECT source_offset FROM records ORDER BY idx").forEachRow { raw.append($0.value(0)) }
        #expect(raw == [.text("330"), .text("-480"), .text("0"), .text("-00:00"), .blob(Array("330".utf8)), .null])
        var viewed: [String?] = []
        try lake.database.prepare("SELECT source_offset FROM lake_records ORDER BY idx").forEachRow { viewed.append($0.text(0)) }
        #expect(viewed == offsets)
        var read: [String?] = []
        try lake.database.prepare("SELECT \(RecordStorage.selectColumns) FROM records r ORDER BY r.idx").forEachRow {
            read.append(RecordStorage.Stored(raw: $0).columns.sourceOffset)
        }
        #expect(read == offsets)
    }
}
