import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// Migration 21 (`text_signatures`) on `Corpus/lakes/v20`, a lake the last schema-20 build
/// made from `Corpus/generated/twitter-seed8-300KB` (two of its tweets are near duplicates).
/// The migration drops the old band rows and the text hashes; the lake still exports what it
/// did, and the next job hashes every text again, so its links are those of a lake that never
/// had the old table. Migration 22 (each text row's source and index) on `Corpus/lakes/v21`,
/// the last schema-21 build's lake of the same input: its rows are kept and given their places.
/// Migration 23 (annotations without member names) on `Corpus/lakes/v22`: rows stored canonical
/// read beside compact ones. Migration 24 (entities stored with numbers) on `Corpus/lakes/v23`.
@Suite struct SignatureUpgradeTests {
    static var twitter: [String] { archives("twitter-seed8-300KB") }

    /// The archives of generated corpus `name`, in name order.
    static func archives(_ name: String) -> [String] {
        let dir = TestPaths.corpus + "/generated/" + name
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".zip") || $0.hasSuffix(".tgz") }
            .sorted().map { dir + "/" + $0 }
    }

    static func ingest(_ inputs: [String], into dir: String) throws {
        var options = IngestOptions()
        options.lakeDirectory = dir
        _ = try IngestJob(options: options).run(inputs: inputs)
    }

    static func export(_ dir: String) throws -> [UInt8] {
        var lines: [UInt8] = []
        try Lake(directory: dir, create: false).export { lines += $0 + [0x0A] }
        return lines
    }

    /// Each row `sql` gives, its columns as text joined by spaces (`null` for NULL).
    static func rows(_ lake: Lake, _ sql: String) throws -> [String] {
        var out: [String] = []
        try lake.database.prepare(sql).forEachRow { r in
            out.append((0..<r.columnCount).map { r.isNull($0) ? "null" : r.text($0) ?? "" }.joined(separator: " "))
        }
        return out
    }

    static func count(_ lake: Lake, _ sql: String) throws -> Int64 {
        var n: Int64 = -1
        try lake.database.prepare(sql).forEachRow { n = $0.int(0) }
        return n
    }

    /// `Corpus/lakes/v<version>` copied to `dir` and opened (so migrated), after checking the
    /// copy is at that version.
    static func upgraded(_ version: Int, into dir: String) throws -> Lake {
        try FileManager.default.copyItem(atPath: TestPaths.corpus + "/lakes/v\(version)", toPath: dir)
        let before = try SQLiteDatabase(path: dir + "/catalog.sqlite", readOnly: true)
        #expect(try LakeSchema.currentVersion(before) == version)
        let lake = try Lake(directory: dir, create: false)
        #expect(try LakeSchema.currentVersion(lake.database) == Lake.schemaVersion)
        return lake
    }

    @Test func aV20LakeHashesItsTextsAgainAtTheNextJob() throws {
        let dir = TestPaths.scratch("signature-upgrade")
        defer { TestPaths.remove(dir) }
        #expect(Self.twitter.count == 2)
        let old = try Self.upgraded(20, into: dir + "/old")
        #expect(try Self.count(old, "SELECT count(*) FROM record_texts") == 0)
        #expect(try Self.count(old, "SELECT count(*) FROM text_signatures") == 0)
        #expect(try Self.count(old, "SELECT count(*) FROM sqlite_master WHERE name = 'text_bands'") == 0)
        #expect(try old.textsHashedThrough() == 0)
        let golden = TestPaths.read(TestPaths.golden + "/generated/twitter-seed8-300KB.ndjson")
        #expect(try Self.export(dir + "/old") == golden)
        #expect(golden.split(separator: 0x0A).filter { String(decoding: $0, as: UTF8.self).contains("\"minhash\"") }.count == 2)

        // A second job (other input) on the upgraded lake, and the same two jobs on a new lake.
        let mail = TestPaths.corpus + "/real/mail-parser"
        try Self.ingest([mail], into: dir + "/old")
        try Self.ingest(Self.twitter, into: dir + "/new")
        try Self.ingest([mail], into: dir + "/new")
        let upgraded = try Self.export(dir + "/old")
        #expect(upgraded == (try Self.export(dir + "/new")))
        #expect(upgraded.count > golden.count)
        let again = try Lake(directory: dir + "/old", create: false)
        #expect(try Self.count(again, "SELECT count(*) FROM record_texts") > 288)
        #expect(
            try Self.count(again, "SELECT count(*) FROM text_signatures")
                == Self.count(again, "SELECT count(DISTINCT text_hash) FROM record_texts WHERE text_hash IS NOT NULL"))
    }

    /// The identical-text links of a lake, as (record, first record of its text) pairs.
    static func identical(_ dir: String) throws -> [[String]] {
        var out: [[String]] = []
        try Lake(directory: dir, create: false).identicalTextRecords { id, first, _ in out.append([id, first]) }
        return out
    }

    @Test func aV21LakeGivesEachTextRowItsRecordsPlace() throws {
        let dir = TestPaths.scratch("text-place-upgrade")
        defer { TestPaths.remove(dir) }
        let old = try Self.upgraded(21, into: dir + "/old")
        // Kept, not hashed again: every text row, each with its record's place (migration 22),
        // then under its record's rowid (38).
        #expect(try Self.count(old, "SELECT count(*) FROM record_texts") == 288)
        #expect(try Self.count(old, "SELECT count(*) FROM record_texts t JOIN records r ON r.rowid = t.record") == 288)
        #expect(try old.textsHashedThrough() > 0)
        #expect(try Self.export(dir + "/old") == TestPaths.read(TestPaths.golden + "/generated/twitter-seed8-300KB.ndjson"))

        try Self.secondJobEndsAsOnANewLake(dir)
    }

    /// A second job (the mail-parser messages) on the upgraded lake `dir/old`, and the same
    /// two jobs on a new lake `dir/new`: the same export and identical-text links.
    static func secondJobEndsAsOnANewLake(_ dir: String) throws {
        let mail = TestPaths.corpus + "/real/mail-parser"
        try Self.ingest([mail], into: dir + "/old")
        try Self.ingest(Self.twitter, into: dir + "/new")
        try Self.ingest([mail], into: dir + "/new")
        #expect(try Self.export(dir + "/old") == (try Self.export(dir + "/new")))
        let links = try Self.identical(dir + "/old")
        #expect(!links.isEmpty)
        #expect(links == (try Self.identical(dir + "/new")))
    }

    /// Each annotation of every `lake_records` row (id order), parsed (numbers as spelled).
    static func annotations(_ dir: String) throws -> [[JSONValue]] {
        var out: [[JSONValue]] = []
        let lake = try Lake(directory: dir, create: false)
        try lake.database.prepare("SELECT id, language, entities, pii, relationships FROM lake_records ORDER BY id").forEachRow { r in
            let parsed = try (2..<5).map { try JSONValueReader.parse(r.bytes($0)) }
            out.append([.string(r.text(0) ?? ""), r.text(1).map { .string($0) } ?? .null] + parsed)
        }
        return out
    }

    static let canonicalRows = """
        SELECT count(*) FROM records WHERE substr(language, 1, 1) = '{' OR substr(entities, 1, 2) = '[{'
          OR substr(pii, 1, 2) = '[{' OR substr(relationships, 1, 2) = '[{'
        """
    static let compactRows = """
        SELECT count(*) FROM records WHERE substr(language, 1, 1) = '[' OR substr(entities, 1, 2) = '[['
          OR substr(pii, 1, 2) = '[[' OR substr(relationships, 1, 2) = '[['
        """

    @Test func aV22LakeReadsItsCanonicalAnnotationsBesideCompactOnes() throws {
        let dir = TestPaths.scratch("annotations-upgrade")
        defer { TestPaths.remove(dir) }
        let old = try Self.upgraded(22, into: dir + "/old")
        #expect(try Self.count(old, Self.canonicalRows) == 334)
        #expect(try Self.count(old, Self.compactRows) == 0)
        #expect(try Self.export(dir + "/old") == TestPaths.read(TestPaths.golden + "/generated/twitter-seed8-300KB.ndjson"))

        // A second job on the upgraded lake stores its rows compact; the old rows read as before.
        let mail = TestPaths.corpus + "/real/mail-parser"
        try Self.ingest([mail], into: dir + "/old")
        try Self.ingest(Self.twitter, into: dir + "/new")
        try Self.ingest([mail], into: dir + "/new")
        let again = try Lake(directory: dir + "/old", create: false)
        #expect(try Self.count(again, Self.canonicalRows) > 0)
        #expect(try Self.count(again, Self.compactRows) > 0)
        #expect(try Self.export(dir + "/old") == (try Self.export(dir + "/new")))
        let annotations = try Self.annotations(dir + "/old")
        #expect(annotations.count > 334)
        #expect(annotations == (try Self.annotations(dir + "/new")))
    }

    static var takeout: [String] { archives("google-takeout-seed1-64KB") }

    /// Rows whose entities hold a number (a kind, method or value stored as schema 24 does).
    /// Rows whose entity list (their own, or the one stored once they name: schema 39) holds numbers.
    static let numberedEntityRows = """
        SELECT count(*) FROM (SELECT \(LakeViews.listed("r.entities")) AS entities FROM records r) r
        WHERE substr(r.entities, 1, 2) = '[[' AND EXISTS (
          SELECT 1 FROM json_each(r.entities) e, json_each(e.value) v WHERE v.type = 'integer')
        """

    /// Migration 24 (entities' kinds, methods and values from data stored as numbers) on
    /// `Corpus/lakes/v23`, the last schema-23 build's lake of the 64 KB Takeout corpus: its
    /// entities, strings only, read beside numbered ones, through export and `lake_records`.
    @Test func aV23LakeReadsItsStringEntitiesBesideNumberedOnes() throws {
        let dir = TestPaths.scratch("entities-upgrade")
        defer { TestPaths.remove(dir) }
        #expect(Self.takeout.count == 6)
        let old = try Self.upgraded(23, into: dir + "/old")
        #expect(try Self.count(old, "SELECT count(*) FROM records WHERE substr(entities, 1, 3) = '[[\"'") == 377)
        #expect(try Self.count(old, Self.numberedEntityRows) == 0)
        #expect(try Self.export(dir + "/old") == TestPaths.read(TestPaths.golden + "/generated/google-takeout-seed1-64KB.ndjson"))

        // The same export on a new lake stores numbers; both read the same.
        try Self.ingest(Self.takeout, into: dir + "/new")
        let new = try Lake(directory: dir + "/new", create: false)
        #expect(try Self.count(new, Self.numberedEntityRows) == 377)
        #expect(try Self.export(dir + "/new") == (try Self.export(dir + "/old")))
        #expect(try Self.annotations(dir + "/old") == (try Self.annotations(dir + "/new")))

        // A second job on both: the upgraded lake then holds both forms, and still reads the same.
        let mail = TestPaths.corpus + "/real/mail-parser"
        try Self.ingest([mail], into: dir + "/old")
        try Self.ingest([mail], into: dir + "/new")
        let again = try Lake(directory: dir + "/old", create: false)
        #expect(try Self.count(again, Self.numberedEntityRows) > 0)
        #expect(try Self.export(dir + "/old") == (try Self.export(dir + "/new")))
        #expect(try Self.annotations(dir + "/old") == (try Self.annotations(dir + "/new")))
    }
}
