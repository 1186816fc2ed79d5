import LakeCore
import LakeStore

/// One member of a shared band bucket as the near pass reads it: the band key, the text hash,
/// its shingle count (-1: no record has the text any more) and its fingerprint
/// (`NearDuplicateRing`). 56 bytes, so that the members can be sorted by band on disk
/// (`SortedRuns`) and read back in order without the texts' shingles.
struct NearMember: BitwiseCopyable {
    var band: UInt64
    var text: UInt64
    var size: Int
    var p0: UInt64, p1: UInt64, p2: UInt64, p3: UInt64

    init(band: UInt64, text: UInt64, size: Int, fingerprint p: NearDuplicateRing.Fingerprint) {
        self.band = band
        self.text = text
        self.size = size
        (p0, p1, p2, p3) = (p[0], p[1], p[2], p[3])
    }

    var fingerprint: NearDuplicateRing.Fingerprint { .init(p0, p1, p2, p3) }
}

/// A pair of texts in one bucket's window that the ring could not rule out: the earlier member
/// `a` (in the bucket's text-hash order) and the later `b`.
struct NearCandidate: BitwiseCopyable {
    var a: UInt64
    var b: UInt64
}

/// The comparing half of the near pass (`NearDuplicateFinder.forEachSimilar`): it takes the
/// shared buckets' members in order, batch by batch, keeps each bucket's last `window` in a
/// ring, and notes every pair the ring cannot rule out in `candidates` (sorted runs on disk,
/// so its memory does not grow with them). The finder reads the next batch while this
/// compares the last one on another thread; one batch at a time, so its state is never
/// touched by two threads at once.
final class NearDuplicatePass {
    private var ring: NearDuplicateRing
    private var bucket: UInt64?
    private let candidates: SortedRuns<NearCandidate>
    /// Told of every pair in a window with a record on both sides, earlier member first (for a
    /// test).
    private let compared: ((UInt64, UInt64) -> Void)?

    init(window: Int, candidates: SortedRuns<NearCandidate>, compared: ((UInt64, UInt64) -> Void)?) {
        ring = NearDuplicateRing(window: window)
        self.candidates = candidates
        self.compared = compared
    }

    func consume(_ batch: [NearMember]) throws {
        for member in batch {
            if member.band != bucket {
                ring.removeAll()
                bucket = member.band
            }
            let print = member.fingerprint
            if member.size >= 0 {
                if let compared {
                    for i in 0..<ring.count where ring.size(i) >= 0 { compared(ring.text(i), member.text) }
                }
                try ring.forEachCandidate(size: member.size, fingerprint: print) {
                    try candidates.append(NearCandidate(a: ring.text($0), b: member.text))
                }
            }
            ring.add(text: member.text, size: member.size, fingerprint: print)
        }
    }

    /// Runs `read`, which hands members to its argument in pass order, on this thread, and the
    /// comparing on another, `batchSize` members at a time, noting candidate pairs in
    /// `candidates`.
    static func run(
        window: Int, batchSize: Int = 4096, candidates: SortedRuns<NearCandidate>, compared: ((UInt64, UInt64) -> Void)?,
        read: ((NearMember) throws -> Void) throws -> Void
    ) throws {
        let pass = NearDuplicatePass(window: window, candidates: candidates, compared: compared)
        var batch: [NearMember] = []
        batch.reserveCapacity(batchSize)
        var pending: Parallel.Pending<Void>?
        do {
            try read { member in
                batch.append(member)
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
