import LakeStore
import LakeValidate

/// The last `window` members of one band bucket, for the near pass (`NearDuplicateFinder`):
/// their positions in a ring, and their sorted shingles back to back in one arena, so that
/// comparing a new member with each of them copies and retains nothing. Most pairs are ruled
/// out by their sizes alone; the positions are read only for a pair that is near.
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
    /// many shingles each must share, are worked out once, not per member.
    func forEachNear(_ shingles: [UInt64], _ near: (Int, Double) -> Void) {
        let size = shingles.count
        guard let allowed = NearDuplicates.nearSizes(size) else { return }
        let lo = allowed.lowerBound, hi = allowed.upperBound
        let needed = allowed.map { NearDuplicates.sharedNeeded($0, size, threshold: NearDuplicates.threshold) }
        arena.withUnsafeBufferPointer { pool in
            shingles.withUnsafeBufferPointer { b in
                starts.withUnsafeBufferPointer { starts in
                    sizes.withUnsafeBufferPointer { sizes in
                        // A slot with no record has size -1, under any range.
                        for i in 0..<sizes.count where sizes[i] >= lo && sizes[i] <= hi {
                            let a = UnsafeBufferPointer(rebasing: pool[starts[i]..<starts[i] + sizes[i]])
                            if let similarity = NearDuplicates.similarityIfNear(a, b, needed: needed[sizes[i] - lo]) {
                                near(i, similarity)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds a member, replacing the oldest once the ring holds `window`.
    mutating func add(_ first: NearDuplicateScratch.First?, text: UInt64) {
        let size = first?.shingles.count ?? -1
        let slot: Int
        if sizes.count < window {
            slot = sizes.count
            positions.append(nil)
            texts.append(0)
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
