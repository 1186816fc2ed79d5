import Foundation

/// Users to shards by consistent hashing with replication (docs/SPEC.md, "Shards").
///
/// The ring holds `shardCount × virtualNodes` points; point `(s, v)` sits at
/// XXH64 of the UTF-8 text `"shard:<s>:vnode:<v>"`. Points are ordered by position, ties by
/// shard number. A user sits at XXH64 of `"user:<user id>"`; the first point at or after it
/// (wrapping round) gives the primary shard, and walking on clockwise, each point of a shard
/// not yet chosen adds a replica until `replicationFactor` shards are chosen.
///
/// ```swift
/// let ring = ShardRing(shardCount: 16, virtualNodes: 64, replicationFactor: 2)
/// ring.shards(for: "alice")  // e.g. [5, 12]: primary first
/// ```
public struct ShardRing: Sendable {
    public let shardCount: Int
    public let replicationFactor: Int
    private let points: [(position: UInt64, shard: Int)]

    public init(shardCount: Int, virtualNodes: Int, replicationFactor: Int) {
        precondition(shardCount > 0 && virtualNodes > 0 && replicationFactor > 0)
        self.shardCount = shardCount
        self.replicationFactor = min(replicationFactor, shardCount)
        var pts: [(position: UInt64, shard: Int)] = []
        pts.reserveCapacity(shardCount * virtualNodes)
        // Each point's text written as bytes after its shard's prefix: an interpolated string
        // per point cost more than its hash.
        var text: [UInt8] = []
        for s in 0..<shardCount {
            let prefix = Array("shard:\(s):vnode:".utf8)
            for v in 0..<virtualNodes {
                text.removeAll(keepingCapacity: true)
                text.append(contentsOf: prefix)
                DecimalText.withDigits(of: Int64(v)) { text.append(contentsOf: $0) }
                pts.append((XXH64.hash(text), s))
            }
        }
        pts.sort { $0.position != $1.position ? $0.position < $1.position : $0.shard < $1.shard }
        points = pts
    }

    /// The ring of `thresholds`, made once per process and shared (its points are an array:
    /// copies share them). The default ring has 32,768 points: making it cost about 100
    /// million instructions, once for every input of an ingest.
    public init(_ thresholds: Thresholds) {
        let key = [thresholds.shardCount, thresholds.shardVirtualNodes, thresholds.replicationFactor]
        self = Self.made.ring(key) {
            ShardRing(shardCount: key[0], virtualNodes: key[1], replicationFactor: key[2])
        }
    }

    private static let made = Made()

    /// The rings made so far, by shard count, virtual nodes and replication factor.
    private final class Made: @unchecked Sendable {
        private let lock = NSLock()
        private var rings: [[Int]: ShardRing] = [:]

        func ring(_ key: [Int], _ make: () -> ShardRing) -> ShardRing {
            lock.lock()
            defer { lock.unlock() }
            if let ring = rings[key] { return ring }
            let ring = make()
            rings[key] = ring
            return ring
        }
    }

    /// Each shard's share of the ring (the fraction of user keys whose primary it is), by shard.
    public func ownership() -> [Double] {
        var share = [Double](repeating: 0, count: shardCount)
        for (i, p) in points.enumerated() {
            let previous = i == 0 ? points[points.count - 1].position : points[i - 1].position
            share[p.shard] += Double(p.position &- previous) / 18_446_744_073_709_551_616.0
        }
        return share
    }

    /// The shards holding `user`, primary first.
    public func shards(for user: String) -> [Int] {
        let key = XXH64.hash("user:\(user)")
        var lo = 0
        var hi = points.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if points[mid].position < key { lo = mid + 1 } else { hi = mid }
        }
        var chosen: [Int] = []
        var i = lo
        // Stops at the last shard needed (a `where` clause would walk the whole ring).
        while chosen.count < replicationFactor && i < lo + points.count {
            let shard = points[i % points.count].shard
            if !chosen.contains(shard) { chosen.append(shard) }
            i += 1
        }
        return chosen
    }
}
