import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// The numbered migrations (`LakeSchema`), tested on catalogs as each older version of
/// datapunk wrote them (`Corpus/lakes/v1`…`v6`, made by `Scripts/make-old-lakes.py` from the
/// CREATE statements in the repository's history, with the rows of one real ingest).
@Suite struct LakeSchemaTests {
    /// Each column as (name, type, not null, default, primary key), by table: order is left out,
    /// since a column added by a migration comes last where a new lake has it in place.
    static func shape(_ lake: Lake) throws -> [String: Set<String>] {
        var tables: [String] = []
        try lake.database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").forEachRow {
            tables.append($0.text(0) ?? "")
        }
        var shape: [String: Set<String>] = [:]
        for t in tables {
            var cols = Set<String>()
            try lake.database.prepare("PRAGMA table_info(\(t))").forEachRow { r in
                cols.insert([r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)].map { $0 ?? "NULL" }.joined(separator: "|"))
            }
            shape[t] = cols
        }
        var indexes: Set<String> = []
        try lake.database.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").forEachRow {
            indexes.insert($0.text(0) ?? "")
        }
        shape["(indexes)"] = indexes
        var views: Set<String> = []
        try lake.database.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'view'").forEachRow {
            views.insert(($0.text(0) ?? "") + ": " + ($0.text(1) ?? ""))
        }
        shape["(views)"] = views
        return shape
    }

    static func pageSize(_ database: SQLiteDatabase) throws -> Int64 {
        var size: Int64 = 0
        try database.prepare("PRAGMA page_size").forEachRow { size = $0.int(0) }
        return size
    }

    @Test func migrationsAreNumberedOneByOne() {
        #expect(LakeSchema.migrations.map(\.version) == Array(1...LakeSchema.migrations.count))
        #expect(Lake.schemaVersion == LakeSchema.migrations.count)
    }

    /// v15 holds its records in cold partition files (archived before `archived_ids` had
    /// content hashes, migration 17), the others in the catalog.
    @Test(arguments: Array(1...10) + [15]) func anOlderLakeUpgradesAndKeepsItsRows(version: Int) throws {
        let dir = TestPaths.scratch("schema-v\(version)")
        defer { TestPaths.remove(dir) }
        try FileManager.default.copyItem(atPath: TestPaths.corpus + "/lakes/v\(version)", toPath: dir + "/old")
        let before = try SQLiteDatabase(path: dir + "/old/catalog.sqlite", readOnly: true)
        #expect(try LakeSchema.currentVersion(before) == version)
        let oldPageSize = try Self.pageSize(before)

        let old = try Lake(directory: dir + "/old", create: false)
        #expect(try LakeSchema.currentVersion(old.database) == Lake.schemaVersion)
        let fresh = try Lake(directory: dir + "/new", create: true)
        #expect(try Self.shape(old) == Self.shape(fresh))
        // A new catalog gets 16 KiB pages; an older one keeps the size it was written with.
        #expect(try Self.pageSize(fresh.database) == Lake.pageSize && Lake.pageSize == 16384)
        #expect(try Self.pageSize(old.database) == oldPageSize && oldPageSize == 4096)

        var lines: [UInt8] = []
        try old.export { lines += $0 + [0x0A] }
        #expect(lines == TestPaths.read(TestPaths.corpus + "/lakes/export.ndjson"))
        let jobs = try old.jobs()
        #expect(jobs.count == 1 && jobs.first?.state == .completed && jobs.first?.priority == .normal)
        #expect(try old.files(jobID: jobs[0].jobID).map(\.status).filter { $0 == .loaded }.count == 4)
        // Opened again, nothing is applied twice.
        #expect(try LakeSchema.currentVersion(Lake(directory: dir + "/old", create: false).database) == Lake.schemaVersion)
    }

    /// A migration stopped part-way leaves the catalog at its old version, whole (one transaction).
    /// The record indexes as `sqlite_master` holds them, by name.
    static func recordIndexes(_ lake: Lake) throws -> [String: String] {
        var out: [String: String] = [:]
        try lake.database.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'").forEachRow {
            out[$0.text(0) ?? ""] = $0.text(1) ?? ""
        }
        return out
    }

    @Test func aFirstLoadDefersTheSecondaryRecordIndexesAndBuildsThemAsTheMigrationsDo() throws {
        let dir = TestPaths.scratch("bulk-indexes")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let migrated = try Self.recordIndexes(lake)
        // The deferred ones are the migrations' own; there is no id index at rest (schema 37).
        #expect(migrated[Lake.idIndex.name] == nil)
        for index in Lake.deferredRecordIndexes { #expect(migrated[index.name] == index.sql) }
        #expect(try lake.buildRecordIndexes() == 0)
        #expect(try lake.deferRecordIndexesIfEmpty())
        #expect(try Self.recordIndexes(lake) == migrated.filter { m in !Lake.deferredRecordIndexes.contains { $0.name == m.key } })
        // The two with keys in no order of insertion wait (SPEC 7.4); the two that grow at
        // their edge stay.
        #expect(try Set(Self.recordIndexes(lake).keys) == ["records_order", "records_kind"])
        let golden = try String(contentsOfFile: TestPaths.golden + "/twitter-small/export.ndjson", encoding: .utf8)
        try lake.inTransaction {
            let inserter = try lake.recordInserter(jobID: "j")
            for line in golden.split(separator: "\n") { try inserter.insert(try RecordRow(line: Array(line.utf8))) }
        }
        #expect(try lake.buildRecordIndexes() == Lake.deferredRecordIndexes.count)
        #expect(try Self.recordIndexes(lake) == migrated)
        // A lake with records keeps its indexes.
        #expect(try !lake.deferRecordIndexesIfEmpty())
        #expect(try Self.recordIndexes(lake) == migrated)
    }

    @Test func aFailedMigrationChangesNothing() throws {
        let dir = TestPaths.scratch("schema-fail")
        defer { TestPaths.remove(dir) }
        try FileManager.default.copyItem(atPath: TestPaths.corpus + "/lakes/v2", toPath: dir + "/old")
        let db = try SQLiteDatabase(path: dir + "/old/catalog.sqlite")
        // A column the v4 migration adds, already there: that migration fails.
        try db.execute("ALTER TABLE files ADD COLUMN metadata TEXT")
        #expect(throws: (any Error).self) { try LakeSchema.migrate(db) }
        #expect(try LakeSchema.currentVersion(db) == 2)
        var columns: [String] = []
        try db.prepare("PRAGMA table_info(jobs)").forEachRow { columns.append($0.text(1) ?? "") }
        #expect(!columns.contains("priority"))
    }

    /// A catalog of a later schema than this build's is refused, to read and to write: its rows
    /// may be stored in forms this build would misread. Nothing in it changes.
    @Test func aLakeOfALaterSchemaIsRefusedAndLeftAsItIs() throws {
        let dir = TestPaths.scratch("schema-newer")
        defer { TestPaths.remove(dir) }
        try Lake(directory: dir, create: true).database.execute("PRAGMA user_version = \(Lake.schemaVersion + 1)")
        for create in [false, true] {
            do {
                _ = try Lake(directory: dir, create: create)
                Issue.record("a newer lake was opened (create: \(create))")
            } catch let e as LakeError {
                #expect(e.rule == .lakeNewerVersion, "\(e)")
                #expect(e.message.contains("version \(Lake.schemaVersion + 1), newer than this datapunk's \(Lake.schemaVersion)"))
            }
        }
        let db = try SQLiteDatabase(path: dir + "/catalog.sqlite", readOnly: true)
        #expect(try LakeSchema.currentVersion(db) == Lake.schemaVersion + 1)
    }
}
