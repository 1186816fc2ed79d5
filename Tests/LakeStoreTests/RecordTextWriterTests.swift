import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// `RecordTextWriter`: the rows it holds back come out as set, in any number of runs, and the
/// `record_texts_hash` index it rebuilds for an empty table is the migration's own.
@Suite struct RecordTextWriterTests {
    /// Each row's text hash (nil: not compared), source and index, by record id.
    static func rows(_ lake: Lake) throws -> [String: [Int64?]] {
        var out: [String: [Int64?]] = [:]
        try lake.database.prepare("SELECT record_id, text_hash, source, idx FROM record_texts").forEachRow {
            out[RecordStorage.idText($0.value(0))] = [$0.isNull(1) ? nil : $0.int(1), $0.int(2), $0.int(3)]
        }
        return out
    }

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
        var expected: [String: [Int64?]] = [:]
        var bands = Set<[Int64]>()
        for round in 0..<2 {
            try lake.inTransaction {
                let writer = try lake.recordTextWriter()
                var batch: [(id: String, source: Int64, index: Int64, hash: UInt64?, bands: [UInt32])] = []
                for i in 0..<3000 {
                    // Ids of 16 bytes (32 hex digits) wait; another id is written at once.
                    let id = i == 7 ? "legacy-\(round)" : String(format: "%016llx%016llx", random.next(), random.next())
                    let hash: UInt64? = i % 5 == 0 ? nil : random.next() % 500
                    // A text's keys follow from its hash (two may be equal: stored once).
                    let keys = hash.map { [UInt32($0 * 7 % 50), UInt32($0 * 13 % 50), UInt32($0 % 3)] } ?? []
                    let source = Int64(random.next() % 9), index = Int64(bitPattern: random.next() >> 1)
                    batch.append((id, source, index, hash, keys))
                    expected[id] = [hash.map { Int64(bitPattern: $0) }, source, index]
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
                try writer.set(
                    (0..<70_000).map { _ in (String(format: "%016llx%016llx", random.next(), random.next()), 1, 0, random.next(), []) })
                try writer.finish { throw Stop() }
            }
        }
        #expect(try Self.rows(lake).isEmpty)
        #expect(try Self.index(lake) == Lake.recordTextsIndex.sql)
    }

    /// `textBandBuckets` from signatures sorted in runs of a few members: every band key that
    /// two or more texts share, in ascending order, its texts in signed order, as a plain sort
    /// of every (key, text) pair gives them; a bucket of one text is not given.
    @Test func bucketsComeInSignedOrderFromAnyNumberOfRuns() throws {
        let dir = TestPaths.scratch("record-text-buckets")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var random = SplitMix64(seed: 6)
        var pairs: [(key: Int64, text: Int64)] = []
        try lake.inTransaction {
            let writer = try lake.recordTextWriter()
            for _ in 0..<400 {
                // Texts on both sides of zero as signed integers, keys over all 32 bits; few
                // keys, so buckets.
                let text = random.next()
                let keys = (0..<5).map { _ in UInt32(random.next() % 40) &* 0x0400_0001 }
                try writer.set([(String(format: "%016llx%016llx", random.next(), random.next()), 1, 0, text, keys)])
                for key in Set(keys) { pairs.append((Int64(key), Int64(bitPattern: text))) }
            }
            try writer.finish()
        }
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.text < $1.text }
        var expected: [[Int64]] = []
        var key: Int64?
        for p in pairs {
            if p.key != key { expected.append([p.key]) }
            key = p.key
            expected[expected.count - 1].append(p.text)
        }
        expected.removeAll { $0.count < 3 }
        #expect(expected.count > 10)
        for runLength in [1, 7, 1 << 18] {
            var got: [[Int64]] = []
            try lake.textBandBuckets(runLength: runLength) { key, texts in
                got.append([Int64(bitPattern: key)] + texts.map { Int64(bitPattern: $0) })
            }
            #expect(got == expected, "runs of \(runLength)")
        }
    }

    /// The blob is SPEC's: each distinct key once, 4 bytes big-endian, ascending.
    @Test func aSignatureIsItsKeysBigEndianAscending() throws {
        let dir = TestPaths.scratch("record-text-blob")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        try lake.inTransaction {
            let writer = try lake.recordTextWriter()
            try writer.set([(String(repeating: "a", count: 32), 1, 0, 9, [0x0102_0304, 1, 0x0102_0304])])
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
        let error = #expect(throws: LakeError.self) { try lake.textBandBuckets { _, _ in } }
        #expect(error?.message.contains("text_signatures row -5") == true)
    }
}
