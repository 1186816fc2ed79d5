import LakeStore
import LakeValidate

/// The last `window` members of one band bucket, for the near pass (`NearDuplicateFinder`):
/// their positions in a ring, and their sorted shingles back to back in one arena, so that
/// comparing a new member with each of them copies and retains nothing. Most pairs are ruled
/// out by their sizes alone, and most of the rest by their fingerprints (below), without
/// walking the shingles; the positions are read only for a pair that is near.
///
/// A fingerprint is 256 bits, one set for each shingle (its top 8 bits choose which). A bit set
/// in A's fingerprint and not in B's stands for at least one shingle of A that B lacks, so
/// when more such bits are set than A may lack (`size - needed`), the pair is not near: an
/// exact test, it never rules out a near pair. Texts sharing a band but far apart (the same
/// link, a common phrase) differ in dozens of shingles, so at 10 GB, where the comparing took
/// the pass's time, most pairs end here.
struct NearDuplicateRing {
    let window: Int
    /// Each slot's first record; nil when no record has the text any more.
    private var positions: [Lake.ExportPosition?] = []
    /// Each slot's text hash.
    private var texts: [UInt64] = []
    /// Where each slot's shingles start in `arena`, and how many (-1: no record).
    private var starts: [Int] = []
    private var sizes: [Int] = []
    private var arena: [UInt64] = []
    /// Each slot's fingerprint.
    private var prints: [Fingerprint] = []
    /// Shingles in `arena` that belong to a slot (the rest were replaced).
    private var live = 0
    /// The slot the next member replaces once the ring is full.
    private var oldest = 0

    init(window: Int) { self.window = window }

    var count: Int { sizes.count }

    /// Empties the ring for the next bucket, keeping its storage.
    mutating func removeAll() {
        positions.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        sizes.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        prints.removeAll(keepingCapacity: true)
        live = 0
        oldest = 0
    }

    /// Slot `i` as a first record (for a test's observer), nil for no record.
    func member(_ i: Int) -> NearDuplicateScratch.First? {
        guard let position = positions[i] else { return nil }
        return .init(position: position, shingles: Array(arena[starts[i]..<starts[i] + sizes[i]]))
    }

    func position(_ i: Int) -> Lake.ExportPosition { positions[i]! }

    func text(_ i: Int) -> UInt64 { texts[i] }

    /// Calls `near(slot, similarity)` for each member whose text is near `shingles`
    /// (`NearDuplicates.similarityIfNear`), in slot order. The sizes that can be near, and how
    /// many shingles each must share, are worked out once, not per member. `pb` is the
    /// shingles' `fingerprint`, made once by the caller for this and `add`.
    func forEachNear(_ shingles: [UInt64], fingerprint pb: Fingerprint, _ near: (Int, Double) throws -> Void) rethrows {
        let size = shingles.count
        guard let allowed = NearDuplicates.nearSizes(size) else { return }
        let lo = allowed.lowerBound, hi = allowed.upperBound
        let needed = allowed.map { NearDuplicates.sharedNeeded($0, size, threshold: NearDuplicates.threshold) }
        try arena.withUnsafeBufferPointer { pool in
            try shingles.withUnsafeBufferPointer { b in
                try starts.withUnsafeBufferPointer { starts in
                    try sizes.withUnsafeBufferPointer { sizes in
                        try prints.withUnsafeBufferPointer { prints in
                            // A slot with no record has size -1, under any range.
                            for i in 0..<sizes.count where sizes[i] >= lo && sizes[i] <= hi {
                                let n = needed[sizes[i] - lo]
                                let pa = prints[i]
                                let onlyA = Self.bits(pa & ~pb), onlyB = Self.bits(pb & ~pa)
                                guard onlyA <= sizes[i] - n, onlyB <= size - n else { continue }
                                let a = UnsafeBufferPointer(rebasing: pool[starts[i]..<starts[i] + sizes[i]])
                                if let similarity = NearDuplicates.similarityIfNear(a, b, needed: n) { try near(i, similarity) }
                            }
                        }
                    }
                }
            }
        }
    }

    typealias Fingerprint = SIMD4<UInt64>

    /// 256 bits: for each shingle, the bit its top 8 bits name.
    static func fingerprint(_ shingles: [UInt64]) -> Fingerprint {
        var print = Fingerprint()
        for h in shingles { print[Int(h >> 62)] |= 1 << ((h >> 56) & 63) }
        return print
    }

    static func bits(_ p: Fingerprint) -> Int {
        p[0].nonzeroBitCount &+ p[1].nonzeroBitCount &+ p[2].nonzeroBitCount &+ p[3].nonzeroBitCount
    }

    /// Adds a member, replacing the oldest once the ring holds `window`; `fingerprint` is its
    /// shingles' (`fingerprint(_:)`), unused for nil.
    mutating func add(_ first: NearDuplicateScratch.First?, text: UInt64, fingerprint: Fingerprint) {
        let size = first?.shingles.count ?? -1
        let slot: Int
        if sizes.count < window {
            slot = sizes.count
            positions.append(nil)
            texts.append(0)
            prints.append(Fingerprint())
            starts.append(0)
            sizes.append(-1)
        } else {
            slot = oldest
            oldest = (oldest + 1) % window
            live -= max(0, sizes[slot])
        }
        positions[slot] = first?.position
        texts[slot] = text
        sizes[slot] = size
        starts[slot] = arena.count
        if let first {
            arena.append(contentsOf: first.shingles)
            live += size
            prints[slot] = fingerprint
        }
        // Replaced members leave their shingles behind: once they are most of the arena, the
        // live ones move to a new one (a compaction copies fewer shingles than were added since
        // the last one, so the copying is linear).
        if arena.count > 4096 && arena.count > 2 * live { compact() }
    }

    private mutating func compact() {
        var packed: [UInt64] = []
        packed.reserveCapacity(2 * live)
        for i in sizes.indices where sizes[i] >= 0 {
            let start = starts[i]
            starts[i] = packed.count
            packed.append(contentsOf: arena[start..<start + sizes[i]])
        }
        arena = packed
    }
}
