import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// `records.checksum` as stored from schema 35: the top 31 bits of the XXH64 of the record's
/// canonical line (4 bytes in SQLite); a row written before, with the whole XXH64, still reads;
/// a checksum that is neither refuses the export.
@Suite struct StoredChecksumTests {
    @Test func theTop31BitsAreStoredAndEitherWidthReads() throws {
        let dir = TestPaths.scratch("stored-checksum")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let row = try CompactDataTests.row(CompactDataTests.point, id: 1)
        try lake.inTransaction { try lake.recordInserter(jobID: "j").insert(row) }
        let hash = XXH64.hash(row.canonicalLine)
        var stored: Int64 = -1
        try lake.database.prepare("SELECT checksum FROM records").forEachRow { stored = $0.int(0) }
        #expect(stored == Int64(hash >> 33))
        #expect((0..<(1 << 31)).contains(stored))
        func exported() throws -> [[UInt8]] {
            var lines: [[UInt8]] = []
            try lake.export { lines.append($0) }
            return lines
        }
        #expect(try exported() == [row.canonicalLine])
        // A row of schema 34 or before holds the whole XXH64.
        try lake.database.prepare("UPDATE records SET checksum = ?").run([.integer(Int64(bitPattern: hash))])
        #expect(try exported() == [row.canonicalLine])
        for wrong in [Int64(hash >> 33) ^ 1, Int64(bitPattern: hash ^ 1), Int64(hash >> 32)] {
            try lake.database.prepare("UPDATE records SET checksum = ?").run([.integer(wrong)])
            #expect(throws: LakeError.self) { try exported() }
        }
    }
}
