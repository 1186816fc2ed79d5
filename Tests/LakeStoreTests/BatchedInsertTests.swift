import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakeStore

/// `BatchedInsert`: rows go in by statements of 64, the rest one by one, in the order they were
/// added, so `OR REPLACE` keeps the last row of a key and `OR IGNORE` the first, as row by row.
@Suite struct BatchedInsertTests {
    @Test(arguments: [0, 1, 63, 64, 65, 129, 1000])
    func rowsGoInAsOneByOne(count: Int) throws {
        try SQLiteDatabaseTests.scratchTable("CREATE TABLE r(k INTEGER PRIMARY KEY, v); CREATE TABLE i(k INTEGER PRIMARY KEY, v BLOB)") {
            db in
            var random = SplitMix64(seed: UInt64(count))
            // Keys among a few, so batches hold a key more than once.
            let rows = (0..<count).map { n in (key: Int64(random.next() % 50), value: Int64(n)) }
            func bind(_ row: (key: Int64, value: Int64), _ base: Int32, _ s: SQLiteStatement) throws {
                try s.bind(base + 1, integer: row.key)
                try s.bind(base + 2, integer: row.value)
            }
            var replace = try BatchedInsert(db, "INSERT OR REPLACE INTO r(k, v)", columns: 2, bind: bind)
            var ignore = try BatchedInsert<(key: Int64, value: Int64)>(db, "INSERT OR IGNORE INTO i(k, v)", columns: 2) { row, base, s in
                try s.bind(base + 1, integer: row.key)
                try s.bind(base + 2, bigEndianKeys: [UInt32(row.value)])
            }
            for row in rows {
                try replace.add(row)
                try ignore.add(row)
            }
            try replace.finish()
            try ignore.finish()
            var last: [Int64: Int64] = [:], first: [Int64: [UInt8]] = [:]
            for row in rows {
                last[row.key] = row.value
                if first[row.key] == nil { first[row.key] = withUnsafeBytes(of: UInt32(row.value).bigEndian) { Array($0) } }
            }
            var replaced: [Int64: Int64] = [:], ignored: [Int64: [UInt8]] = [:]
            try db.prepare("SELECT k, v FROM r").forEachRow { replaced[$0.int(0)] = $0.int(1) }
            try db.prepare("SELECT k, v FROM i").forEachRow { ignored[$0.int(0)] = $0.bytes(1) }
            #expect(replaced == last)
            #expect(ignored == first)
        }
    }
}
