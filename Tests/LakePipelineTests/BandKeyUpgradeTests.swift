import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// Migration 26 (band keys of 4 bytes) on `Corpus/lakes/v25`, the lake the last schema-25
/// build made from `Corpus/generated/twitter-seed8-300KB` (two of its tweets are near
/// duplicates). Every signature is cut to the row a new lake computes for the same text, so
/// nothing is hashed again; a damaged one is dropped with its texts' rows, and the next job
/// hashes those texts again.
@Suite struct BandKeyUpgradeTests {
    typealias Upgrade = SignatureUpgradeTests

    /// Every `text_signatures` row as its text hash and the hex of its blob, in hash order.
    static func signatures(_ lake: Lake) throws -> [String] {
        try Upgrade.rows(lake, "SELECT text_hash, hex(bands) FROM text_signatures ORDER BY text_hash")
    }

    @Test func aV25LakeKeepsItsTextsWithTheKeysANewLakeComputes() throws {
        let dir = TestPaths.scratch("band-key-upgrade")
        defer { TestPaths.remove(dir) }
        let before = try SQLiteDatabase(path: TestPaths.corpus + "/lakes/v25/catalog.sqlite", readOnly: true)
        var v25Bytes: Int64 = 0
        try before.prepare("SELECT sum(length(bands)) FROM text_signatures").forEachRow { v25Bytes = $0.int(0) }
        let old = try Upgrade.upgraded(25, into: dir + "/old")
        // Kept, not hashed again: every text row and every signature, at half the bytes.
        #expect(try Upgrade.count(old, "SELECT count(*) FROM record_texts") == 288)
        #expect(try Upgrade.count(old, "SELECT count(*) FROM text_signatures") == 286)
        #expect(try Upgrade.count(old, "SELECT sum(length(bands)) FROM text_signatures") * 2 == v25Bytes)
        #expect(try Upgrade.count(old, "SELECT count(*) FROM sqlite_master WHERE name = 'text_signatures_v25'") == 0)
        let golden = TestPaths.read(TestPaths.golden + "/generated/twitter-seed8-300KB.ndjson")
        #expect(try Upgrade.export(dir + "/old") == golden)

        try Upgrade.ingest(Upgrade.twitter, into: dir + "/new")
        let new = try Lake(directory: dir + "/new", create: false)
        let signatures = try Self.signatures(new)
        #expect(signatures.count == 286)
        #expect(try Self.signatures(old) == signatures)

        // A second job on both: the same links and the same export.
        let mail = TestPaths.corpus + "/real/mail-parser"
        try Upgrade.ingest([mail], into: dir + "/old")
        try Upgrade.ingest([mail], into: dir + "/new")
        let upgraded = try Upgrade.export(dir + "/old")
        #expect(upgraded == (try Upgrade.export(dir + "/new")))
        #expect(upgraded.split(separator: 0x0A).filter { String(decoding: $0, as: UTF8.self).contains("\"minhash\"") }.count == 2)
    }

    /// A signature that is not whole 8-byte keys is not cut into a wrong one: it goes with its
    /// texts' rows and the text mark, and the next job hashes those texts again.
    @Test func aDamagedV25SignatureIsComputedAgainByTheNextJob() throws {
        let dir = TestPaths.scratch("band-key-damaged")
        defer { TestPaths.remove(dir) }
        try FileManager.default.copyItem(atPath: TestPaths.corpus + "/lakes/v25", toPath: dir + "/old")
        var damaged: Int64 = 0
        do {
            let db = try SQLiteDatabase(path: dir + "/old/catalog.sqlite")
            // The text of the most records (a text two records share, when there is one).
            try db.prepare(
                "SELECT text_hash FROM record_texts WHERE text_hash IS NOT NULL GROUP BY text_hash ORDER BY count(*) DESC, text_hash LIMIT 1"
            ).forEachRow { damaged = $0.int(0) }
            try db.prepare("UPDATE text_signatures SET bands = x'0102030405060708090a0b0c' WHERE text_hash = ?").run([.integer(damaged)])
        }
        let old = try Lake(directory: dir + "/old", create: false)
        #expect(try Upgrade.count(old, "SELECT count(*) FROM text_signatures WHERE text_hash = \(damaged)") == 0)
        #expect(try Upgrade.count(old, "SELECT count(*) FROM record_texts WHERE text_hash = \(damaged)") == 0)
        #expect(try Upgrade.count(old, "SELECT count(*) FROM record_texts") < 288)
        #expect(try old.textsHashedThrough() == 0)

        let mail = TestPaths.corpus + "/real/mail-parser"
        try Upgrade.ingest([mail], into: dir + "/old")
        try Upgrade.ingest(Upgrade.twitter, into: dir + "/new")
        try Upgrade.ingest([mail], into: dir + "/new")
        let again = try Lake(directory: dir + "/old", create: false)
        #expect(try Self.signatures(again) == (try Self.signatures(Lake(directory: dir + "/new", create: false))))
        #expect(try Upgrade.count(again, "SELECT count(*) FROM record_texts WHERE text_hash = \(damaged)") > 0)
        #expect(try Upgrade.export(dir + "/old") == (try Upgrade.export(dir + "/new")))
    }

    /// The cut itself: the top 4 bytes of each 8-byte key, ascending, each once; a blob of
    /// another length, or of more than 16 keys, is none.
    @Test func aV25BlobIsCutToTheTopOfEachKey() {
        let blob: [UInt8] = [0xFF, 0, 0, 1, 9, 9, 9, 9, 0, 0, 0, 2, 7, 7, 7, 7, 0xFF, 0, 0, 1, 8, 8, 8, 8]
        #expect(LakeSchema.shortKeys(ofV25Signature: blob) == [2, 0xFF00_0001])
        #expect(LakeSchema.shortKeys(ofV25Signature: []) == [])
        #expect(LakeSchema.shortKeys(ofV25Signature: Array(blob[..<12])) == nil)
        #expect(LakeSchema.shortKeys(ofV25Signature: [UInt8](repeating: 1, count: 8 * 17)) == nil)
    }
}
