import Foundation
import LakeCore
import LakeStore

/// One member of a shared band bucket as the near pass reads it: the band key, the text hash,
/// its shingle count (-1: no record has the text any more) and its fingerprint
/// (`NearDuplicateRing`). 48 bytes (the band key has 4, and a shingle count fits in 4), so
/// that the members can be sorted by band on disk (`SortedRuns`) and read back in order
/// without the texts' shingles.
struct NearMember: BitwiseCopyable {
    private var bandKey: UInt32
    private var shingles: Int32
    var text: UInt64
    var p0: UInt64, p1: UInt64, p2: UInt64, p3: UInt64

    /// `size` is clamped to 32 bits: a text has far fewer shingles than its limits allow bytes.
    init(band: UInt64, text: UInt64, size: Int, fingerprint p: NearDuplicateRing.Fingerprint) {
        bandKey = UInt32(truncatingIfNeeded: band)
        shingles = Int32(clamping: size)
        self.text = text
        (p0, p1, p2, p3) = (p[0], p[1], p[2], p[3])
    }

    var band: UInt64 { UInt64(bandKey) }
    var size: Int { Int(shingles) }
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
/// so its memory does not grow with them).
///
/// The buckets are compared in two lanes, by their band key's lowest bit, each on a thread of
/// its own while the finder reads the next members: a bucket's members all go to one lane, in
/// order, so each bucket is compared as by one pass, and the candidates are sorted whatever
/// order the lanes note them in. (One comparing thread was the near pass's slowest part once
/// the members were read faster, with the other core idle.) Each lane takes one batch at a
/// time, so its state is never touched by two threads at once.
final class NearDuplicatePass {
    /// Lanes comparing at once.
    static let lanes = 2
    /// Candidate pairs a lane holds before it adds them to the shared runs.
    static let heldCandidates = 4096
    private var ring: NearDuplicateRing
    private var bucket: UInt64?
    private let candidates: Candidates
    private var found: [NearCandidate] = []
    /// Pairs in a window with a record on both sides, earlier member first, when a test asks
    /// (`compared`): handed over between batches.
    private let keepsCompared: Bool
    private(set) var compared: [(UInt64, UInt64)] = []

    /// The runs the lanes add their candidate pairs to, one lane at a time.
    final class Candidates: @unchecked Sendable {
        let runs: SortedRuns<NearCandidate>
        private let lock = NSLock()

        init(_ runs: SortedRuns<NearCandidate>) { self.runs = runs }

        func add(_ pairs: [NearCandidate]) throws {
            lock.lock()
            defer { lock.unlock() }
            for pair in pairs { try runs.append(pair) }
        }
    }

    init(window: Int, candidates: Candidates, keepsCompared: Bool) {
        ring = NearDuplicateRing(window: window)
        self.candidates = candidates
        self.keepsCompared = keepsCompared
    }

    func consume(_ batch: [NearMember]) throws {
        for member in batch {
            if member.band != bucket {
                ring.removeAll()
                bucket = member.band
            }
            let print = member.fingerprint
            if member.size >= 0 {
                if keepsCompared {
                    for i in 0..<ring.count where ring.size(i) >= 0 { compared.append((ring.text(i), member.text)) }
                }
                try ring.forEachCandidate(size: member.size, fingerprint: print) {
                    found.append(NearCandidate(a: ring.text($0), b: member.text))
                    if found.count == Self.heldCandidates { try flush() }
                }
            }
            ring.add(text: member.text, size: member.size, fingerprint: print)
        }
        try flush()
    }

    private func flush() throws {
        try candidates.add(found)
        found.removeAll(keepingCapacity: true)
    }

    /// The pairs noted for `compared` since the last call.
    func takeCompared() -> [(UInt64, UInt64)] {
        defer { compared.removeAll() }
        return compared
    }

    /// One lane: its pass, fed batches in order on a serial queue, up to `depth` of them
    /// waiting, so that the reader waits for a lane only when that lane is `depth` batches
    /// behind. With one batch in flight per lane, the reader waited for one lane while the
    /// other had finished, and each lane was busy about half the time.
    final class Lane: @unchecked Sendable {
        static let depth = 4
        let pass: NearDuplicatePass
        private let queue = DispatchQueue(label: "datapunk.near-pass-lane")
        private let slots = DispatchSemaphore(value: depth)
        private let lock = NSLock()
        private var failure: Error?

        init(_ pass: NearDuplicatePass) { self.pass = pass }

        /// Queues a batch; throws the error a batch before it threw.
        func submit(_ batch: [NearMember]) throws {
            try check()
            slots.wait()
            queue.async { [self] in
                defer { slots.signal() }
                guard failed() == nil else { return }
                do { try pass.consume(batch) } catch { lock.withLock { failure = error } }
            }
        }

        /// Waits for every batch queued; throws the first error one threw.
        func drain() throws {
            queue.sync {}
            try check()
        }

        private func failed() -> Error? { lock.withLock { failure } }

        private func check() throws { if let failure = failed() { throw failure } }
    }

    /// Runs `read`, which hands members to its argument in pass order, on this thread, and the
    /// comparing in `lanes` lanes on others, `batchSize` members a batch, noting candidate pairs
    /// in `candidates`; `compared` is told of the pairs on this thread once the lanes are done.
    static func run(
        window: Int, batchSize: Int = 4096, candidates: SortedRuns<NearCandidate>, compared: ((UInt64, UInt64) -> Void)?,
        read: ((NearMember) throws -> Void) throws -> Void
    ) throws {
        let shared = Candidates(candidates)
        let lanes = (0..<Self.lanes).map { _ in
            Lane(NearDuplicatePass(window: window, candidates: shared, keepsCompared: compared != nil))
        }
        var batches = [[NearMember]](repeating: [], count: lanes.count)
        for i in batches.indices { batches[i].reserveCapacity(batchSize) }
        do {
            try read { member in
                let lane = Int(member.band % UInt64(lanes.count))
                batches[lane].append(member)
                guard batches[lane].count == batchSize else { return }
                try lanes[lane].submit(batches[lane])
                batches[lane].removeAll(keepingCapacity: true)
            }
            for (lane, batch) in zip(lanes, batches) where !batch.isEmpty { try lane.submit(batch) }
        } catch {
            // Stopped: the batches queued finish before the error goes up.
            for lane in lanes { try? lane.drain() }
            throw error
        }
        for lane in lanes { try lane.drain() }
        if let compared { for lane in lanes { for (a, b) in lane.pass.takeCompared() { compared(a, b) } } }
    }
}
