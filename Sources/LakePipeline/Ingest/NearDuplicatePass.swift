import LakeCore
import LakeStore

/// The comparing half of the near pass (`NearDuplicateFinder.forEachSimilar`): it takes the
/// shared buckets' members in order, batch by batch, and notes every near pair in `hits`
/// (sorted runs on disk, so its memory does not grow with the links). The finder reads the
/// next batch from scratch storage while this compares the last one on another thread; one
/// batch at a time, so its state is never touched by two threads at once.
final class NearDuplicatePass {
    /// Members in pass order: band key, text hash, and the text's first record (nil: no record
    /// any more).
    typealias Batch = [(key: UInt64, text: UInt64, first: NearDuplicateScratch.First?)]

    private var ring: NearDuplicateRing
    private var bucket: UInt64?
    private let hits: NearDuplicateHits
    /// Told of every pair compared, earlier member first (for a test).
    private let compared: ((NearDuplicateScratch.First, NearDuplicateScratch.First) -> Void)?

    init(window: Int, hits: NearDuplicateHits, compared: ((NearDuplicateScratch.First, NearDuplicateScratch.First) -> Void)?) {
        ring = NearDuplicateRing(window: window)
        self.hits = hits
        self.compared = compared
    }

    func consume(_ batch: Batch) throws {
        for (key, text, first) in batch {
            if key != bucket {
                ring.removeAll()
                bucket = key
            }
            guard let first else {
                ring.add(nil, text: text, fingerprint: .init())
                continue
            }
            if let compared {
                for i in 0..<ring.count { if let member = ring.member(i) { compared(member, first) } }
            }
            let print = NearDuplicateRing.fingerprint(first.shingles)
            try ring.forEachNear(first.shingles, fingerprint: print) { i, similarity in
                // Which of the two first records comes later decides the link's direction.
                let earlierInRing = ring.position(i) < first.position
                try hits.add(
                    later: earlierInRing ? text : ring.text(i), earlier: earlierInRing ? ring.text(i) : text, similarity: similarity)
            }
            ring.add(first, text: text, fingerprint: print)
        }
    }

    /// Runs `read`, which hands members to its argument in pass order, on this thread, and the
    /// comparing on another, `batchSize` members at a time, noting near pairs in `hits`.
    static func run(
        window: Int, batchSize: Int = 4096, hits: NearDuplicateHits,
        compared: ((NearDuplicateScratch.First, NearDuplicateScratch.First) -> Void)?,
        read: ((UInt64, UInt64, NearDuplicateScratch.First?) throws -> Void) throws -> Void
    ) throws {
        let pass = NearDuplicatePass(window: window, hits: hits, compared: compared)
        var batch: Batch = []
        batch.reserveCapacity(batchSize)
        var pending: Parallel.Pending<Void>?
        do {
            try read { key, text, first in
                batch.append((key, text, first))
                guard batch.count == batchSize else { return }
                _ = try pending?.wait()
                pending = Parallel.start([batch], workers: 1) { try pass.consume($0) }
                batch.removeAll(keepingCapacity: true)
            }
        } catch {
            // Stopped: the batch being compared finishes before the error goes up.
            _ = try? pending?.wait()
            throw error
        }
        _ = try pending?.wait()
        try pass.consume(batch)
    }
}
