import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// Statements that keep their bound bytes (`SQLiteStatement.keepBoundBytes`, the record
/// inserter's): what goes in is what was bound, value by value, across many rounds of one
/// statement, with values empty, small, filling blocks and larger than a block; and an
/// integer bound as its digits is stored as SQLite stores the integer in a text column.
@Suite struct SQLiteBoundBytesTests {
    @Test func keptBytesGoInAsBoundRoundAfterRound() throws {
        try SQLiteDatabaseTests.scratchTable("CREATE TABLE t(round, n, a TEXT, b BLOB, c TEXT, d BLOB)") { db in
            let rows = 4
            let insert = try db.prepare(
                "INSERT INTO t VALUES " + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", "))
            insert.keepBoundBytes()
            var random = SplitMix64(seed: 0xB0B)
            var expected: [[SQLiteValue]] = []
            for round in 0..<60 {
                insert.reset()
                for r in 0..<rows {
                    // Sizes from none to four blocks: some rounds fill several blocks.
                    let sizes = (0..<4).map { _ in
                        [0, 1, 15, 300, 16 << 10, (16 << 10) + 1, 70_000, 250_000][Int(random.next() % 8)]
                    }
                    // Each value its own filler byte, and random bytes at both ends: a value
                    // written over another's place shows.
                    let bytes = sizes.map { n -> [UInt8] in
                        var b = [UInt8](repeating: UInt8(truncatingIfNeeded: random.next() % 95 + 32), count: n)
                        for i in Array(b.indices.prefix(8)) + Array(b.indices.suffix(8)) {
                            b[i] = UInt8(truncatingIfNeeded: random.next() % 95 + 32)
                        }
                        return b
                    }
                    let base = Int32(r * 6)
                    try insert.bind(base + 1, integer: Int64(round))
                    try insert.bind(base + 2, integer: Int64(r))
                    try insert.bind(base + 3, utf8: bytes[0])
                    try insert.bind(base + 4, blob: bytes[1])
                    try insert.bind(base + 5, text: String(decoding: bytes[2], as: UTF8.self))
                    try insert.bind(base + 6, .blob(bytes[3]))
                    expected.append([
                        .integer(Int64(round)), .integer(Int64(r)), .text(String(decoding: bytes[0], as: UTF8.self)),
                        .blob(bytes[1]), .text(String(decoding: bytes[2], as: UTF8.self)), .blob(bytes[3]),
                    ])
                }
                try insert.execute()
            }
            var stored: [[SQLiteValue]] = []
            try db.prepare("SELECT round, n, a, b, c, d FROM t ORDER BY round, n").forEachRow { s in
                stored.append((0..<6).map { s.value($0) })
            }
            #expect(stored.count == expected.count)
            for (n, (a, b)) in zip(stored, expected).enumerated() { #expect(a == b, "row \(n)") }
        }
    }

    @Test func anIntegerBoundAsItsDigitsIsStoredAsSQLiteStoresTheInteger() throws {
        try SQLiteDatabaseTests.scratchTable("CREATE TABLE t(k INTEGER, v TEXT)") { db in
            let insert = try db.prepare("INSERT INTO t VALUES (?, ?)")
            insert.keepBoundBytes()
            var random = SplitMix64(seed: 0xD161)
            let values: [Int64] =
                [0, 1, -1, 9, 10, -300, 330, Int64.max, Int64.min]
                + (0..<200).map { _ in Int64(bitPattern: random.next()) >> (random.next() % 64) }
            for (k, v) in values.enumerated() {
                try insert.bind(1, integer: Int64(k))
                try insert.bind(2, digitsOf: v)
                try insert.execute()
                try insert.bind(1, integer: Int64(-k - 1))
                try insert.bind(2, integer: v)
                try insert.execute()
            }
            var mismatches = 0, rows = 0
            try db.prepare("SELECT a.v, b.v, typeof(a.v), typeof(b.v) FROM t a JOIN t b ON b.k = -a.k - 1 WHERE a.k >= 0").forEachRow { s in
                rows += 1
                if s.value(0) != s.value(1) || s.text(2) != "text" || s.text(3) != "text" { mismatches += 1 }
            }
            #expect(rows == values.count && mismatches == 0)
        }
    }
}
