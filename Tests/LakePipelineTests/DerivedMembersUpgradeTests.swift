import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// Migration 31 (derived members, `CompactData.Rule`) on `Corpus/lakes/v30`, the last
/// schema-30 build's lake of the 64 KB Takeout corpus: its rows keep every value (no derived
/// entry in any kind's `keys`), a new lake of the same input stores the times and points as
/// `0`, and both read the same through the export and every view; a second job on the upgraded
/// lake derives its members too.
@Suite struct DerivedMembersUpgradeTests {
    typealias Upgrade = SignatureUpgradeTests

    /// Every view's rows, each as its columns' text, view by view in id order.
    static func views(_ lake: Lake) throws -> [String] {
        var names: [String] = []
        try lake.database.prepare("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").forEachRow {
            names.append($0.text(0) ?? "")
        }
        #expect(names.count > 10)
        return try names.flatMap { try [$0] + Upgrade.rows(lake, "SELECT * FROM \($0) ORDER BY id") }
    }

    static let derivedKinds = "SELECT count(*) FROM record_kinds WHERE keys LIKE '[[%' OR keys LIKE '%,[%'"

    @Test func olderRowsKeepTheirValuesAndNewOnesDeriveThem() throws {
        let dir = TestPaths.scratch("derived-members-upgrade")
        defer { TestPaths.remove(dir) }
        let old = try Upgrade.upgraded(30, into: dir + "/old")
        let records = try Upgrade.count(old, "SELECT count(*) FROM records")
        #expect(records > 0)
        #expect(try Upgrade.count(old, "SELECT count(*) FROM records WHERE substr(data, 1, 1) = '['") > 0)
        #expect(try Upgrade.count(old, Self.derivedKinds) == 0)
        #expect(try Upgrade.export(dir + "/old") == TestPaths.read(TestPaths.golden + "/generated/google-takeout-seed1-64KB.ndjson"))

        try Upgrade.ingest(Upgrade.takeout, into: dir + "/new")
        let new = try Lake(directory: dir + "/new", create: false)
        #expect(try Upgrade.count(new, "SELECT count(*) FROM records") == records)
        // Activities' times, points and their timestamps are derived in the new lake.
        #expect(try Upgrade.count(new, Self.derivedKinds) >= 3)
        #expect(try Self.views(old) == Self.views(new))

        // A second job on both: the upgraded lake derives the new rows' members too.
        let more = TestPaths.corpus + "/real/google-takeout-to-sqlite/zip_contents"
        try Upgrade.ingest([more], into: dir + "/old")
        try Upgrade.ingest([more], into: dir + "/new")
        let upgraded = try Lake(directory: dir + "/old", create: false)
        #expect(try Upgrade.count(upgraded, "SELECT count(*) FROM records") > records)
        #expect(try Upgrade.count(upgraded, Self.derivedKinds) > 0)
        #expect(try Upgrade.export(dir + "/old") == (try Upgrade.export(dir + "/new")))
        #expect(try Self.views(upgraded) == Self.views(try Lake(directory: dir + "/new", create: false)))
    }
}
