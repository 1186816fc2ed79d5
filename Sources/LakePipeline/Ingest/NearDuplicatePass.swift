import LakeCore
import LakeStore

/// The comparing half of the near pass (`NearDuplicateFinder.similarFirstRecords`): it takes
/// the shared buckets' members in order, batch by batch, and keeps for each later first record
/// its best earlier one (the most similar, then the earliest). The finder reads the next batch
/// from scratch storage while this compares the last one on another thread; one batch at a
/// time, so its state is never touched by two threads at once.
final class NearDuplicatePass {
    /// Members in pass order: band key, and the text's first record (nil: no record any more).
    typealias Batch = [(key: UInt64, first: NearDuplicateScratch.First?)]

    private var ring: NearDuplicateRing
    private var bucket: UInt64?
    private var best: [String: (target: Lake.ExportPosition, similarity: Double)] = [:]
    /// Told of every pair compared, earlier member first (for a test).
    private let compared: ((NearDuplicateScratch.First, NearDuplicateScratch.First) -> Void)?

    init(window: Int, compared: ((NearDuplicateScratch.First, NearDuplicateScratch.First) -> Void)?) {
        ring = NearDuplicateRing(window: window)
        self.compared = compared
    }

    func consume(_ batch: Batch) {
        for (key, first) in batch {
            if key != bucket {
                ring.removeAll()
                bucket = key
            }
            if let first {
                if let compared {
                    for i in 0..<ring.count { if let member = ring.member(i) { compared(member, first) } }
                }
                ring.forEachNear(first.shingles) { near(ring.position($0), first.position, $1) }
            }
            ring.add(first)
        }
    }

    /// A pair sharing several bands is compared once per band: the same similarity, so the same
    /// outcome. The outcome does not depend on the order pairs are compared in.
    private func near(_ pa: Lake.ExportPosition, _ pb: Lake.ExportPosition, _ similarity: Double) {
        let (later, earlier) = pa < pb ? (pb, pa) : (pa, pb)
        let id = String(decoding: later.id, as: UTF8.self)
        if let current = best[id], current.similarity > similarity || (current.similarity == similarity && current.target <= earlier) {
            return
        }
        best[id] = (earlier, similarity)
    }

    /// Each later record's id, with its target's id and the similarity.
    var links: [String: (target: String, similarity: Double)] {
        best.mapValues { (String(decoding: $0.target.id, as: UTF8.self), $0.similarity) }
    }

    /// Runs `read`, which hands members to its argument in pass order, on this thread, and the
    /// comparing on another, `batchSize` members at a time; the links found.
    static func run(
        window: Int, batchSize: Int = 4096, compared: ((NearDuplicateScratch.First, NearDuplicateScratch.First) -> Void)?,
        read: ((UInt64, NearDuplicateScratch.First?) throws -> Void) throws -> Void
    ) throws -> [String: (target: String, similarity: Double)] {
        let pass = NearDuplicatePass(window: window, compared: compared)
        var batch: Batch = []
        batch.reserveCapacity(batchSize)
        var pending: Parallel.Pending<Void>?
        do {
            try read { key, first in
                batch.append((key, first))
                guard batch.count == batchSize else { return }
                _ = try pending?.wait()
                pending = Parallel.start([batch], workers: 1) { pass.consume($0) }
                batch.removeAll(keepingCapacity: true)
            }
        } catch {
            // Stopped: the batch being compared finishes before the error goes up.
            _ = try? pending?.wait()
            throw error
        }
        _ = try pending?.wait()
        pass.consume(batch)
        return pass.links
    }
}
