import CKernels
import LakeCore

/// Text similarity for near-duplicate records (docs/SPEC.md 5.11; the duplicate stage calls it
/// with the texts `NearDuplicateText` picks): texts are normalized (lower-cased, white space
/// collapsed), cut into 5-scalar shingles, and summarized by a 256-value MinHash signature read
/// as 16 bands of 16 rows. Two texts whose signatures share a band are candidates; a candidate
/// pair is a near duplicate when the exact Jaccard similarity of their shingle sets is at least
/// 0.95. With 16×16, a pair at similarity 0.95 shares a band with probability 0.9999, at 0.9
/// with 0.96, at 0.7 with 0.052 and at 0.5 with 0.0002: 8×8 (0.38 at 0.7) made thousands of
/// texts that share a sentence but not a link each other's candidates.
///
/// ```swift
/// let a = NearDuplicates.shingles("The train was late again.")
/// NearDuplicates.jaccard(a, NearDuplicates.shingles("The train was late again!"))  // 0.9
/// ```
public enum NearDuplicates {
    public static let shingleLength = 5
    public static let bands = 16
    public static let rows = 16
    /// Pairs at this similarity or more are near duplicates.
    public static let threshold = 0.95

    /// Lower-cased (`Lowercase`), runs of white space (`ScalarClass.isWhitespace`) as one space,
    /// trimmed: the rule as written, scalar by scalar. The duplicate stage builds the same text
    /// straight into UTF-8, an ASCII string byte by byte (`Normalized`).
    public static func normalized(_ text: String) -> [Unicode.Scalar] { collapsed(Lowercase.scalars(text)) }

    /// Already lower-cased scalars with each run of white space as one space, trimmed.
    private static func collapsed(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        var space = false
        for s in scalars {
            if ScalarClass.isWhitespace(s) {
                space = !out.isEmpty
            } else {
                if space { out.append(" ") }
                space = false
                out.append(s)
            }
        }
        return out
    }

    /// The XXH64 of each distinct shingle (the whole text when it is shorter than one).
    public static func shingles(_ text: String) -> Set<UInt64> { shingles(normalized: normalized(text)) }

    /// The shingles of an already normalized text: the XXH64 of each shingle's UTF-8 bytes.
    public static func shingles(normalized s: [Unicode.Scalar]) -> Set<UInt64> { Set(shingleHashes(normalized: s)) }

    /// The XXH64 of every shingle in text order, a repeated shingle repeated (the whole text
    /// when it is shorter than one), hashed in place in one UTF-8 copy of the text. Its
    /// distinct values are `shingles(normalized:)`; a signature needs no more than this.
    public static func shingleHashes(normalized s: [Unicode.Scalar]) -> [UInt64] { shingleHashes(Normalized(normalized: s)) }

    /// How many distinct values `hashes` holds (`Set(hashes).count`), without sorting them or
    /// building a set: an open-addressing table of twice their count, on the stack for a text's
    /// few hundred shingles. The values are XXH64 hashes, so their bits index the table.
    public static func distinctCount(_ hashes: [UInt64]) -> Int {
        guard hashes.count > 1 else { return hashes.count }
        var size = 16
        while size < hashes.count * 2 { size <<= 1 }
        let mask = size - 1
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: size) { table in
            table.initialize(repeating: 0)
            // 0 marks an empty slot, so a hash of 0 is counted apart.
            var count = 0, zero = false
            for h in hashes {
                if h == 0 {
                    if !zero { (zero, count) = (true, count + 1) }
                    continue
                }
                var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
                while true {
                    let v = table[i]
                    if v == h { break }
                    if v == 0 {
                        table[i] = h
                        count += 1
                        break
                    }
                    i = (i + 1) & mask
                }
            }
            return count
        }
    }

    /// Exact Jaccard similarity of two shingle sets (1 for two empty sets).
    public static func jaccard(_ a: Set<UInt64>, _ b: Set<UInt64>) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        let common = a.intersection(b).count
        return Double(common) / Double(a.count + b.count - common)
    }

    /// The 256 hash functions: `a·x + b` over 64-bit words, with odd `a`, from SplitMix64 seed 16.
    static let permutations: [(a: UInt64, b: UInt64)] = {
        var rng = SplitMix64(seed: 16)
        return (0..<(bands * rows)).map { _ in (rng.next() | 1, rng.next()) }
    }()

    /// The permutations' `a`s and `b`s, each in one array (the signature's inner loop).
    static let multipliers = permutations.map(\.a)
    static let addends = permutations.map(\.b)

    /// The MinHash signature of a shingle set (all `UInt64.max` for an empty one): for each
    /// permutation, the least `a·x + b` over the shingles. The minimums are taken in C
    /// (`dp_minhash`): eight permutations per AVX-512 instruction on a processor that has it,
    /// four per AVX2 one (each product from three of 32 bits) on one that has only that, the
    /// same values from a plain loop on one that has neither (a minimum does not depend on the
    /// order the shingles come in).
    public static func signature(_ shingles: Set<UInt64>) -> [UInt64] { signature(hashes: Array(shingles)) }

    /// The signature of the set of `hashes` (repeats change no minimum).
    public static func signature(hashes xs: [UInt64]) -> [UInt64] {
        // Taken on the stack and copied: `Array(unsafeUninitializedCapacity:)` runs generic code
        // that looks the array's type up at run time, under a lock the hashing threads share.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: multipliers.count) { out in
            multipliers.withUnsafeBufferPointer { a in
                addends.withUnsafeBufferPointer { b in
                    xs.withUnsafeBufferPointer { x in
                        dp_minhash(a.baseAddress, b.baseAddress, a.count, x.baseAddress, x.count, out.baseAddress)
                    }
                }
            }
            return Array(UnsafeBufferPointer(out))
        }
    }

    /// One key per band: the top 32 bits of XXH64 of the band's rows, with `scope` (the record
    /// kind and user, so only texts of one kind and one user meet) and the band's number in
    /// front. A key only makes two texts candidates, and the exact Jaccard decides, so 32 bits
    /// do: a lake stores 4 bytes a key (schema 26), not 8.
    public static func bandKeys(_ signature: [UInt64], scope: String = "") -> [UInt32] {
        // One buffer for every band: the scope and a NUL stay, the band's number and rows change.
        var bytes = Array(scope.utf8)
        bytes.append(0)
        let head = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 1 + rows * 8))
        return (0..<bands).map { band in
            bytes.withUnsafeMutableBytes { b in
                b[head] = UInt8(band)
                for r in 0..<rows {
                    b.storeBytes(of: signature[band * rows + r].littleEndian, toByteOffset: head + 1 + r * 8, as: UInt64.self)
                }
            }
            return UInt32(truncatingIfNeeded: XXH64.hash(bytes) >> 32)
        }
    }

    /// The identity of a normalized text within `scope`: XXH64 of the scope, a NUL, and the
    /// text's UTF-8.
    public static func textHash(_ normalized: [Unicode.Scalar], scope: String) -> UInt64 {
        textHash(Normalized(normalized: normalized), scope: scope)
    }
}

extension NearDuplicates {
    /// A similarity as recorded on a link: hundredths, rounded down (0.9549 is `0.95`, a pair
    /// just under 1 is `0.99`, never `1.00`).
    public static func similarityText(_ similarity: Double) -> String {
        ContentValidator.Finding.hundredths(Int((similarity * 100 + 1e-9).rounded(.down)))
    }
}

extension NearDuplicates {
    /// The shingles of a normalized text as a sorted array (for `similarityIfNear`).
    public static func sortedShingles(normalized s: [Unicode.Scalar]) -> [UInt64] { sortedShingles(Normalized(normalized: s)) }

    /// The shingles of a normalized text as a sorted array.
    public static func sortedShingles(_ s: Normalized) -> [UInt64] {
        var hashes = shingleHashes(s)
        hashes.sort()
        var kept = 0
        for i in hashes.indices where kept == 0 || hashes[kept - 1] != hashes[i] {
            hashes[kept] = hashes[i]
            kept += 1
        }
        hashes.removeSubrange(kept...)
        return hashes
    }

    /// The Jaccard similarity of two sorted shingle arrays when it is at least `threshold`,
    /// else nil; equal to `jaccard` on the same sets. It stops as soon as more shingles of
    /// either side went unmatched than the threshold allows, so a far pair costs a few steps.
    public static func similarityIfNear(_ a: [UInt64], _ b: [UInt64], threshold: Double = threshold) -> Double? {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in similarityIfNear(a, b, threshold: threshold) } }
    }

    /// `similarityIfNear` over two buffers (the near pass keeps its members' shingles in one
    /// arena, so comparing them retains nothing).
    @inlinable
    public static func similarityIfNear(
        _ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>, threshold: Double = threshold
    ) -> Double? {
        guard a.count + b.count > 0 else { return 1 }
        return similarityIfNear(a, b, needed: sharedNeeded(a.count, b.count, threshold: threshold), threshold: threshold)
    }

    /// `similarityIfNear` with `needed`, `sharedNeeded(a.count, b.count, threshold:)`, computed
    /// by the caller (the near pass computes it once per size, not once per pair).
    @inlinable
    public static func similarityIfNear(
        _ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>, needed: Int, threshold: Double = threshold
    ) -> Double? {
        let total = a.count + b.count
        guard total > 0 else { return 1 }
        let missA = a.count - needed, missB = b.count - needed
        guard missA >= 0, missB >= 0 else { return nil }
        var i = 0, j = 0, common = 0
        while i < a.count, j < b.count {
            let x = a[i], y = b[j]
            if x == y {
                common += 1
                i += 1
                j += 1
            } else if x < y {
                i += 1
                if i - common > missA { return nil }
            } else {
                j += 1
                if j - common > missB { return nil }
            }
        }
        let similarity = Double(common) / Double(total - common)
        return similarity >= threshold ? similarity : nil
    }

    /// How many shingles two sets of `x` and `y` must share to be near: common / (total -
    /// common) >= t  ⟺  common >= t·total / (1 + t).
    public static func sharedNeeded(_ x: Int, _ y: Int, threshold: Double) -> Int {
        Int((threshold * Double(x + y) / (1 + threshold) - 1e-9).rounded(.up))
    }

    /// Whether sets of `x` and `y` shingles can be near at all (both hold as many as they must
    /// share): what `similarityIfNear` checks first, from the sizes alone.
    @inlinable
    public static func sizesAllowNear(_ x: Int, _ y: Int, threshold: Double = threshold) -> Bool {
        let needed = sharedNeeded(x, y, threshold: threshold)
        return x + y == 0 || (x >= needed && y >= needed)
    }

    /// The sizes of the sets that can be near a set of `y` shingles (`sizesAllowNear`), a
    /// range (the condition is linear in each size), nil when there are none: the near pass
    /// checks a member's size against it with two comparisons.
    public static func nearSizes(_ y: Int, threshold t: Double = threshold) -> ClosedRange<Int>? {
        let r = t / (1 + t)
        // Estimates from the condition without rounding, then settled by `sizesAllowNear` itself.
        var lo = max(0, Int((Double(y) * r / (1 - r)).rounded(.down)))
        while lo > 0 && sizesAllowNear(lo - 1, y, threshold: t) { lo -= 1 }
        while lo <= y && !sizesAllowNear(lo, y, threshold: t) { lo += 1 }
        guard sizesAllowNear(lo, y, threshold: t) else { return nil }
        var hi = max(lo, Int((Double(y) * (1 - r) / r).rounded(.up)))
        while hi > lo && !sizesAllowNear(hi, y, threshold: t) { hi -= 1 }
        while sizesAllowNear(hi + 1, y, threshold: t) { hi += 1 }
        return lo...hi
    }
}
