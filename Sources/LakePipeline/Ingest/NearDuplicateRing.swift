import CKernels
import LakeValidate

/// The last `window` members of one band bucket, for the near pass (`NearDuplicateFinder`):
/// each one's text hash, shingle count and fingerprint, side by side in plain arrays. A new
/// member is checked against each of them from these alone; only the pairs that pass
/// (`forEachCandidate`) have their shingles read and compared.
///
/// A fingerprint is 256 bits, one set for each shingle (its top 8 bits choose which). A bit set
/// in A's fingerprint and not in B's stands for at least one shingle of A that B lacks, so
/// when more such bits are set than A may lack (`size - needed`), the pair is not near: an
/// exact test, it never rules out a near pair. Texts sharing a band but far apart (the same
/// link, a common phrase) differ in dozens of shingles: on one 2.6 GB Takeout archive, 46,204
/// of 4.27 billion pairs in the window passed it.
struct NearDuplicateRing {
    let window: Int
    /// Each slot's text hash.
    private var texts: [UInt64] = []
    /// Each slot's shingle count; -1 when no record has the text any more.
    private var sizes: [Int] = []
    /// Each slot's fingerprint, one array per 64-bit word (for `dp_near_candidates`).
    private var w0: [UInt64] = [], w1: [UInt64] = [], w2: [UInt64] = [], w3: [UInt64] = []
    /// The slot the next member replaces once the ring is full.
    private var oldest = 0

    init(window: Int) { self.window = window }

    var count: Int { sizes.count }

    /// Empties the ring for the next bucket, keeping its storage.
    mutating func removeAll() {
        texts.removeAll(keepingCapacity: true)
        sizes.removeAll(keepingCapacity: true)
        w0.removeAll(keepingCapacity: true)
        w1.removeAll(keepingCapacity: true)
        w2.removeAll(keepingCapacity: true)
        w3.removeAll(keepingCapacity: true)
        oldest = 0
    }

    func text(_ i: Int) -> UInt64 { texts[i] }

    /// The slot's shingle count, -1 for no record.
    func size(_ i: Int) -> Int { sizes[i] }

    /// Calls `candidate(slot)` for each member that may be near a text of `size` shingles with
    /// fingerprint `pb`, in slot order: both sizes allow it (`NearDuplicates.nearSizes`) and
    /// neither fingerprint has more bits of its own than its text may lack. The sizes that can
    /// be near, and how many shingles each must share, are worked out once, not per member; the
    /// slots are tested in C (`dp_near_candidates`, eight at a time with AVX-512).
    func forEachCandidate(size: Int, fingerprint pb: Fingerprint, _ candidate: (Int) throws -> Void) rethrows {
        guard let allowed = NearDuplicates.nearSizes(size), !sizes.isEmpty else { return }
        let lo = allowed.lowerBound, hi = allowed.upperBound
        try withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * allowed.count) { slack in
            // Each allowed size's slack: the shingles it, and this text, may lack of the other.
            for (k, x) in allowed.enumerated() {
                let needed = NearDuplicates.sharedNeeded(x, size, threshold: NearDuplicates.threshold)
                slack[k] = Int64(x - needed)
                slack[allowed.count + k] = Int64(size - needed)
            }
            try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: sizes.count) { out in
                let found = sizes.withUnsafeBufferPointer { sizes in
                    w0.withUnsafeBufferPointer { w0 in
                        w1.withUnsafeBufferPointer { w1 in
                            w2.withUnsafeBufferPointer { w2 in
                                w3.withUnsafeBufferPointer { w3 in
                                    sizes.withMemoryRebound(to: Int64.self) { sizes in
                                        dp_near_candidates(
                                            sizes.baseAddress, w0.baseAddress, w1.baseAddress, w2.baseAddress, w3.baseAddress, sizes.count,
                                            pb[0], pb[1], pb[2], pb[3], Int64(lo), Int64(hi), slack.baseAddress,
                                            slack.baseAddress! + allowed.count, out.baseAddress)
                                    }
                                }
                            }
                        }
                    }
                }
                for k in 0..<found { try candidate(Int(out[k])) }
            }
        }
    }

    typealias Fingerprint = SIMD4<UInt64>

    /// 256 bits: for each shingle, the bit its top 8 bits name. Set in four plain words: a
    /// `SIMD4` element chosen at run time went through memory for every shingle (3.7% of the
    /// duplicate stage's text hashing).
    static func fingerprint(_ shingles: [UInt64]) -> Fingerprint {
        var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
        for h in shingles {
            let bit: UInt64 = 1 << ((h >> 56) & 63)
            switch h >> 62 {
            case 0: w0 |= bit
            case 1: w1 |= bit
            case 2: w2 |= bit
            default: w3 |= bit
            }
        }
        return Fingerprint(w0, w1, w2, w3)
    }

    /// Adds a member (`size` -1: no record), replacing the oldest once the ring holds `window`.
    mutating func add(text: UInt64, size: Int, fingerprint: Fingerprint) {
        if sizes.count < window {
            texts.append(text)
            sizes.append(size)
            w0.append(fingerprint[0])
            w1.append(fingerprint[1])
            w2.append(fingerprint[2])
            w3.append(fingerprint[3])
        } else {
            texts[oldest] = text
            sizes[oldest] = size
            (w0[oldest], w1[oldest], w2[oldest], w3[oldest]) = (fingerprint[0], fingerprint[1], fingerprint[2], fingerprint[3])
            oldest = (oldest + 1) % window
        }
    }
}
