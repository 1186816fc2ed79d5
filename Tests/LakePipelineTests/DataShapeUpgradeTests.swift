import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// Migrations 29 and 30 (data without member names, `CompactData`) on `Corpus/lakes/v25` (the
/// Twitter corpus) and `v28` (the last schema-28 build's lake of the 64 KB Takeout corpus): the
/// rows written before keep their whole `data` under kinds with null `keys`, the next job's rows
/// are stored as values under kinds with names, and both read back as a new lake's do, through
/// the export and through the views.
@Suite struct DataShapeUpgradeTests {
    typealias Upgrade = SignatureUpgradeTests

    /// Every record's id and `data` as `lake_records` gives them, in id order.
    static func viewed(_ lake: Lake) throws -> [String] { try Upgrade.rows(lake, "SELECT id, data FROM lake_records ORDER BY id") }

    @Test(arguments: [25, 28])
    func olderRowsKeepTheirDataAndNewOnesLoseTheirNames(version: Int) throws {
        let dir = TestPaths.scratch("data-shape-upgrade-v\(version)")
        defer { TestPaths.remove(dir) }
        let inputs = version == 25 ? Upgrade.twitter : Upgrade.takeout
        let old = try Upgrade.upgraded(version, into: dir + "/old")
        let records = try Upgrade.count(old, "SELECT count(*) FROM records")
        #expect(records > 0)
        #expect(try Upgrade.count(old, "SELECT count(*) FROM record_kinds WHERE keys IS NOT NULL") == 0)
        #expect(try Upgrade.count(old, "SELECT count(*) FROM records WHERE substr(data, 1, 1) = '{'") == records)

        try Upgrade.ingest(inputs, into: dir + "/new")
        let new = try Lake(directory: dir + "/new", create: false)
        // The same records, stored the two ways, read the same.
        #expect(try Upgrade.count(new, "SELECT count(*) FROM records WHERE substr(data, 1, 1) = '['") == records)
        #expect(try Self.viewed(old) == Self.viewed(new))

        // A second job on both: the upgraded lake stores the new rows without names too.
        let mail = TestPaths.corpus + "/real/mail-parser"
        try Upgrade.ingest([mail], into: dir + "/old")
        try Upgrade.ingest([mail], into: dir + "/new")
        let upgraded = try Lake(directory: dir + "/old", create: false)
        let added = try Upgrade.count(upgraded, "SELECT count(*) FROM records") - records
        #expect(added > 0)
        #expect(try Upgrade.count(upgraded, "SELECT count(*) FROM records WHERE substr(data, 1, 1) = '['") == added)
        #expect(try Upgrade.count(upgraded, "SELECT count(*) FROM record_kinds WHERE keys IS NOT NULL") > 0)
        #expect(try Upgrade.export(dir + "/old") == (try Upgrade.export(dir + "/new")))
        #expect(try Self.viewed(upgraded) == Self.viewed(try Lake(directory: dir + "/new", create: false)))
    }
}
