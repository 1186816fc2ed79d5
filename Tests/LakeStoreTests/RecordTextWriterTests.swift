import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// `RecordTextWriter`: the rows it holds back come out as set, in any number of runs, and the
/// `record_texts_hash` index it rebuilds for an empty table is the migration's own.
@Suite struct RecordTextWriterTests {
    /// Each row's text hash (nil: not compared), by its record's rowid.
    static func rows(_ lake: Lake) throws -> [Int64: Int64?] {
        var out: [Int64: Int64?] = [:]
        try lake.database.prepare("SELECT record, text_hash FROM record_texts").forEachRow {
            out.updateValue($0.isNull(1) ? nil : $0.int(1), forKey: $0.int(0))
        }
        return out
    }

    /// A random record id of 16 bytes, as 32 hex digits.
    static func id(_ random: inout SplitMix64) -> String { String(format: "%016llx%016llx", random.next(), random.next()) }

    static func index(_ lake: Lake) throws -> String? {
        var sql: String?
        try lake.database.prepare("SELECT sql FROM sqlite_master WHERE name = 'record_texts_hash'").forEachRow { sql = $0.text(0) }
        return sql
    }

    /// Every text's band keys, as (key, text) pairs in signed order, from `text_signatures`.
    static func bands(_ lake: Lake) throws -> [[Int64]] {
        var out: [[Int64]] = []
        try lake.forEachTextSignature { text, keys in
            for key in keys { out.append([Int64(key), Int64(bitPattern: text)]) }
        }
        return out.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test func rowsComeOutAsSetIntoEmptyAndFilledTables() throws {
        let dir = TestPaths.scratch("record-text-writer")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let migrated = try Self.index(lake)
        #expect(migrated == Lake.recordTextsIndex.sql)
        var random = SplitMix64(seed: 4)
        var expected: [Int64: Int64?] = [:]
        var bands = Set<[Int64]>()
        // Rowids in no order, none twice; the second round's among the first's.
        var rowids = Array(Int64(1)...6000)
        rowids.shuffle(using: &random)
        for round in 0..<2 {
            try lake.inTransaction {
                let writer = try lake.recordTextWriter()
                var batch: [(rowid: Int64, id: String, hash: UInt64?, bands: [UInt32])] = []
                for i in 0..<3000 {
                    // Ids of 16 bytes (32 hex digits) wait in runs; another id waits apart.
                    let id = i == 7 ? "legacy-\(round)" : Self.id(&random)
                    let hash: UInt64? = i % 5 == 0 ? nil : random.next() % 500
                    // A text's keys follow from its hash (two may be equal: stored once).
                    let keys = hash.map { [UInt32($0 * 7 % 50), UInt32($0 * 13 % 50), UInt32($0 % 3)] } ?? []
                    let rowid = rowids[round * 3000 + i]
                    batch.append((rowid, id, hash, keys))
                    expected.updateValue(hash.map { Int64(bitPattern: $0) }, forKey: rowid)
                    if let hash { for k in keys { bands.insert([Int64(k), Int64(bitPattern: hash)]) } }
                }
                try writer.set(Array(batch[..<1000]))
                try writer.set(Array(batch[1000...]))
                try writer.finish()
            }
            let stored = try Self.rows(lake)
            #expect(stored.count == expected.count)
            #expect(stored == expected, "\(stored.filter { expected[$0.key] != $0.value }.prefix(3))")
            #expect(try Self.bands(lake) == bands.sorted { $0.lexicographicallyPrecedes($1) })
            #expect(try Self.index(lake) == migrated)
        }
        #expect(try !FileManager.default.contentsOfDirectory(atPath: lake.stagingDirectory).contains { $0.hasPrefix("text-") })
    }

    /// A stop in `finish` (after the index was dropped) rolls back with the transaction: the
    /// index is there again.
    @Test func aStopAfterTheIndexWasDroppedLeavesItInPlace() throws {
        let dir = TestPaths.scratch("record-text-writer-stop")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        struct Stop: Error {}
        var random = SplitMix64(seed: 5)
        #expect(throws: Stop.self) {
            try lake.inTransaction {
                let writer = try lake.recordTextWriter()
                try writer.set((1...70_000).map { (Int64($0), Self.id(&random), random.next(), []) })
                try writer.finish { throw Stop() }
            }
        }
        #expect(try Self.rows(lake).isEmpty)
        #expect(try Self.index(lake) == Lake.recordTextsIndex.sql)
    }

    /// `sharedBandMembers` from signatures, partitions sorted in memory or through runs of a
    /// few members: every member of a band key that two or more texts share, in signed text
    /// order, then key order, as a plain sort of every shared (text, key) pair gives them; a
    /// key of one text gives nothing.
    @Test func sharedMembersComeInSignedOrderWhateverTheMemory() throws {
        let dir = TestPaths.scratch("record-text-buckets")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var random = SplitMix64(seed: 6)
        var pairs: [(key: Int64, text: Int64)] = []
        var last: UInt64 = 0
        try lake.inTransaction {
            let writer = try lake.recordTextWriter()
            for n in 1...400 {
                // Texts on both sides of zero as signed integers, some sharing their top 32 bits
                // with the text before, keys over all 32 bits; few keys, so buckets.
                let text = n % 4 == 0 ? last & 0xFFFF_FFFF_0000_0000 | random.next() >> 32 : random.next()
                last = text
                // A third of the texts have a key of their own too: a bucket of one.
                let own = n % 3 == 0 ? [UInt32(truncatingIfNeeded: random.next())] : []
                let keys = (0..<5).map { _ in UInt32(random.next() % 40) &* 0x0400_0001 } + own
                try writer.set([(Int64(n), Self.id(&random), text, keys)])
                for key in Set(keys) { pairs.append((Int64(key), Int64(bitPattern: text))) }
            }
            try writer.finish()
        }
        let texts = Dictionary(grouping: pairs, by: \.key).mapValues(\.count)
        let expected = pairs.filter { texts[$0.key]! > 1 }.sorted { $0.text != $1.text ? $0.text < $1.text : $0.key < $1.key }
            .map { [$0.text, $0.key] }
        #expect(expected.count > 100 && expected.count < pairs.count)
        for memoryLimit in [2, 7, Lake.sharedBandsMemoryLimit] {
            var got: [[Int64]] = []
            try lake.sharedBandMembers(memoryLimit: memoryLimit) { text, key in
                got.append([Int64(bitPattern: text), Int64(bitPattern: key)])
            }
            #expect(got == expected, "partitions of at most \(memoryLimit) in memory")
            let left = lake.scratchFiles.all.filter { FileManager.default.fileExists(atPath: $0) }
            #expect(left.isEmpty, "scratch files left: \(left)")
        }
    }

    /// The blob is SPEC's: each distinct key once, 4 bytes big-endian, ascending.
    @Test func aSignatureIsItsKeysBigEndianAscending() throws {
        let dir = TestPaths.scratch("record-text-blob")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        try lake.inTransaction {
            let writer = try lake.recordTextWriter()
            try writer.set([(1, String(repeating: "a", count: 32), 9, [0x0102_0304, 1, 0x0102_0304])])
            try writer.finish()
        }
        var hex: [String] = []
        try lake.database.prepare("SELECT text_hash, hex(bands) FROM text_signatures").forEachRow {
            hex.append("\($0.int(0)) \($0.text(1) ?? "")")
        }
        #expect(hex == ["9 0000000101020304"])
    }

    /// A signature whose blob is not whole 4-byte keys stops the pass with the row named.
    @Test func aDamagedSignatureIsAnError() throws {
        let dir = TestPaths.scratch("record-text-damaged")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        try lake.database.execute("INSERT INTO text_signatures(text_hash, bands) VALUES (-5, x'0102030405')")
        let error = #expect(throws: LakeError.self) { try lake.sharedBandMembers { _, _ in } }
        #expect(error?.message.contains("text_signatures row -5") == true)
    }
}

/// `finish(verifying:)` and `records_deleted_text`: a text row names its record by rowid only
/// while that record stays.
@Suite struct RecordTextRowidTests {
    /// Stores a bare record row of `id` at `rowid` (no source, kind or owner rows: only the
    /// columns a text row's check reads matter here).
    static func store(_ lake: Lake, rowid: Int64, id: String) throws {
        try lake.database.prepare(
            "INSERT INTO records(rowid, id, source, idx, kind, owner, content_hash, data, checksum) VALUES (?, ?, 1, ?, 1, 1, 0, '{}', 0)"
        ).run([.integer(rowid), RecordStorage.idValue(id), .integer(rowid)])
    }

    @Test func aVerifiedRowGoesInOnlyWhileItsRowidNamesItsRecord() throws {
        let dir = TestPaths.scratch("record-text-verified")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var random = SplitMix64(seed: 11)
        // Rowid 6's record has a text id (a lake from before 16-byte ids).
        let ids = (0..<5).map { _ in RecordTextWriterTests.id(&random) } + ["older-text-id"]
        try lake.inTransaction {
            for (n, id) in ids.enumerated() where n != 2 { try Self.store(lake, rowid: Int64(n + 1), id: id) }
            // Rowid 4 now holds another record than the one read there.
            try lake.database.prepare("DELETE FROM records WHERE rowid = 4").run()
            try Self.store(lake, rowid: 4, id: RecordTextWriterTests.id(&random))
            try Self.store(lake, rowid: 8, id: "older-text-id")
        }
        for verifying in [false, true] {
            try lake.inTransaction {
                try lake.database.execute("DELETE FROM record_texts; DELETE FROM text_signatures;")
                let writer = try lake.recordTextWriter()
                try writer.set(ids.enumerated().map { (Int64($0.offset + 1), $0.element, UInt64($0.offset + 100), [1]) })
                // Rowid 7 has no record; 8's is not the text id read.
                try writer.set([(7, "older-text-id", 107, [1]), (8, "another-text-id", 108, [1])])
                try writer.finish(verifying: verifying)
            }
            let kept = try RecordTextWriterTests.rows(lake).keys.sorted()
            // Unverified, every row goes in; verified, not those of rowids 3 and 7 (no record),
            // 4 (another record since) nor 8 (another id).
            #expect(kept == (verifying ? [1, 2, 5, 6] : [1, 2, 3, 4, 5, 6, 7, 8]), "verifying: \(verifying)")
        }
    }

    @Test func aDeletedRecordTakesItsTextRowWithIt() throws {
        let dir = TestPaths.scratch("record-text-deleted")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var random = SplitMix64(seed: 12)
        try lake.inTransaction {
            for rowid in Int64(1)...4 { try Self.store(lake, rowid: rowid, id: RecordTextWriterTests.id(&random)) }
            let writer = try lake.recordTextWriter()
            try writer.set((1...4).map { (Int64($0), "", UInt64($0), []) })
            try writer.finish()
            try lake.database.prepare("DELETE FROM records WHERE rowid IN (2, 4)").run()
        }
        #expect(try RecordTextWriterTests.rows(lake).keys.sorted() == [1, 3])
        // A new record given rowid 4 again has no text.
        try lake.inTransaction { try Self.store(lake, rowid: 4, id: RecordTextWriterTests.id(&random)) }
        #expect(try RecordTextWriterTests.rows(lake).keys.sorted() == [1, 3])
    }
}
