import LakeCore
import LakeStore

/// Commands that rewrite the lake outside an ingest (`erase`, `archive`, `restore`): each
/// marks itself as the lake's writer like an ingest, and refuses to start while another writer
/// is at work, so nothing arrives in the middle of the rewrite.
public enum LakeMaintenance {
    public static func exclusively<T>(_ lake: Lake, command: String, _ body: () throws -> T) throws -> T {
        let mark = try lake.markWriter(jobID: command)
        defer { mark.release() }
        if let others = lake.describeWriters() {
            throw LakeError(
                .lakeLocked, scope: .input, input: lake.directory,
                message: "\(others) is writing to the lake; run \(command) when it has ended")
        }
        // Indexes a first load stopped half way left unbuilt (`Lake.buildRecordIndexes`).
        try lake.buildRecordIndexes()
        return try body()
    }

    /// `datapunk archive --as-of DATE`.
    public static func archive(
        _ lake: Lake, asOf: (year: Int64, month: Int64, day: Int64), policy: Lake.TierPolicy,
        progress: (Lake.PartitionMove) -> Void = { _ in }
    ) throws -> [Lake.PartitionMove] {
        try exclusively(lake, command: "archive") { try lake.archive(asOf: asOf, policy: policy, progress: progress) }
    }

    /// `datapunk rebalance --shards N`, on the ring of the thresholds with N shards.
    public static func rebalance(_ lake: Lake, shards: Int, thresholds: Thresholds = Thresholds()) throws -> Lake.RebalanceCounts {
        var t = thresholds
        t.shardCount = shards
        return try exclusively(lake, command: "rebalance") { try lake.rebalance(to: ShardRing(t)) }
    }

    /// `datapunk restore PARTITION`.
    public static func restore(_ lake: Lake, partition: String) throws -> Int {
        try exclusively(lake, command: "restore") { try lake.restore(partition) }
    }
}
