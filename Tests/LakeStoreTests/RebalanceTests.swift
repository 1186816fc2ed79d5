import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// The shard ring's balance and `rebalance` (docs/SPEC.md 6).
@Suite struct RebalanceTests {
    /// The design's balance threshold: no shard's share of the ring is more than 10% off the
    /// mean, for the default ring and the shard counts around it.
    @Test(arguments: [2, 8, 15, 16, 17, 24, 32]) func theRingIsBalancedWithinATenth(shards: Int) {
        var t = Thresholds()
        t.shardCount = shards
        let share = ShardRing(t).ownership()
        #expect(abs(share.reduce(0, +) - 1) < 1e-9)
        let worst = share.map { abs($0 * Double(shards) - 1) }.max() ?? 1
        #expect(worst <= 0.1, "\(shards) shards: a share \(worst) off the mean")
    }

    static func record(_ i: Int, ring: ShardRing) -> LakeRecord {
        let user = "user-\(i)"
        let time: String? = i % 2 == 0 ? "2019-0\(1 + i % 9)-01T00:00:00.000Z" : nil
        return LakeRecord(
            id: String(format: "%032x", i), source: .init(input: "in.zip", inputSHA256: "s", path: "p", index: i), exportKind: "x",
            recordKind: "y", occurredAt: time, sourceOffset: nil, user: user, partition: time.map { String($0.prefix(7)) } ?? "undated",
            shards: ring.shards(for: user), category: "c", language: nil, languageMethod: nil, data: .object([]), pii: [], entities: [],
            lineage: [], contentHash: "0000000000000001")
    }

    static func lake(_ dir: String, users: Int, ring: ShardRing) throws -> Lake {
        let lake = try Lake(directory: dir, create: true)
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for i in 0..<users { try ins.insert(record(i, ring: ring)) }
        }
        return lake
    }

    /// From 16 to 17 shards, about 1/17 of the users change primary, all to the new shard;
    /// the others keep theirs; records in cold files move too; the export is what a lake built
    /// on 17 shards from the start gives; the load per shard stays within a tenth of the mean.
    @Test func growingByOneShardMovesAboutOneInNPlusOne() throws {
        let dir = TestPaths.scratch("rebalance")
        defer { TestPaths.remove(dir) }
        let users = 30_000
        var t16 = Thresholds(), t17 = Thresholds()
        t16.shardCount = 16
        t17.shardCount = 17
        let lake = try Self.lake(dir + "/a", users: users, ring: ShardRing(t16))
        #expect(try !lake.archive(asOf: (2024, 1, 1)).isEmpty)
        let c = try lake.rebalance(to: ShardRing(t17))
        #expect(c.users == users)
        let fraction = Double(c.primaryMoved) / Double(users)
        #expect(abs(fraction - 1.0 / 17) < 0.2 / 17, "primary moved for \(fraction) of users")
        #expect(c.moved >= c.primaryMoved && c.moved < users / 4)
        #expect(try lake.shardCount() == 17)
        let mean = Double(users) / 17
        #expect(c.load.count == 17 && c.load.allSatisfy { abs(Double($0) / mean - 1) <= 0.1 }, "\(c.load)")
        var moved: [[UInt8]] = []
        try lake.export { moved.append($0) }
        var direct: [[UInt8]] = []
        try Self.lake(dir + "/b", users: users, ring: ShardRing(t17)).export { direct.append($0) }
        #expect(moved == direct)
        // Every user whose primary moved is now on the new shard.
        let ring16 = ShardRing(t16), ring17 = ShardRing(t17)
        for i in stride(from: 0, to: users, by: 7) {
            let a = ring16.shards(for: "user-\(i)")[0], b = ring17.shards(for: "user-\(i)")[0]
            #expect(a == b || b == 16)
        }
        // Again with the same count: nothing moves.
        let again = try lake.rebalance(to: ShardRing(t17))
        #expect(again.moved == 0 && again.records == 0)
    }
}
