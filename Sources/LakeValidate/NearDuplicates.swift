import LakeCore

/// Text similarity for near-duplicate records (issue 16; not yet wired into the duplicate
/// stage, see docs/FEATURES.md): texts are normalized (lower-cased, white space collapsed),
/// cut into 5-scalar shingles, and summarized by a 64-value MinHash signature read as 8 bands
/// of 8 rows. Two texts whose signatures share a band are candidates; a candidate pair is a
/// near duplicate when the exact Jaccard similarity of their shingle sets is at least 0.95.
/// With 8×8, a pair at similarity 0.95 shares a band with probability 0.9998, a pair at 0.5
/// with probability 0.031.
///
/// ```swift
/// let a = NearDuplicates.shingles("The train was late again.")
/// NearDuplicates.jaccard(a, NearDuplicates.shingles("The train was late again!"))  // 0.9
/// ```
public enum NearDuplicates {
    public static let shingleLength = 5
    public static let bands = 8
    public static let rows = 8
    /// Pairs at this similarity or more are near duplicates.
    public static let threshold = 0.95

    /// Lower-cased, runs of white space as one space, trimmed.
    public static func normalized(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var space = false
        for s in text.lowercased().unicodeScalars {
            if s.properties.isWhitespace {
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
    public static func shingles(_ text: String) -> Set<UInt64> {
        let s = normalized(text)
        guard !s.isEmpty else { return [] }
        func hash(_ part: ArraySlice<Unicode.Scalar>) -> UInt64 {
            XXH64.hash(Array(String(String.UnicodeScalarView(part)).utf8))
        }
        guard s.count > shingleLength else { return [hash(s[...])] }
        var out = Set<UInt64>()
        for i in 0...(s.count - shingleLength) { out.insert(hash(s[i..<(i + shingleLength)])) }
        return out
    }

    /// Exact Jaccard similarity of two shingle sets (1 for two empty sets).
    public static func jaccard(_ a: Set<UInt64>, _ b: Set<UInt64>) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        let common = a.intersection(b).count
        return Double(common) / Double(a.count + b.count - common)
    }

    /// The 64 hash functions: `a·x + b` over 64-bit words, with odd `a`, from SplitMix64 seed 16.
    static let permutations: [(a: UInt64, b: UInt64)] = {
        var rng = SplitMix64(seed: 16)
        return (0..<(bands * rows)).map { _ in (rng.next() | 1, rng.next()) }
    }()

    /// The MinHash signature of a shingle set (all `UInt64.max` for an empty one).
    public static func signature(_ shingles: Set<UInt64>) -> [UInt64] {
        permutations.map { p in shingles.reduce(UInt64.max) { min($0, p.a &* $1 &+ p.b) } }
    }

    /// One key per band: XXH64 of the band's rows, with the band's number in front.
    public static func bandKeys(_ signature: [UInt64]) -> [UInt64] {
        (0..<bands).map { band in
            var bytes: [UInt8] = [UInt8(band)]
            for v in signature[(band * rows)..<((band + 1) * rows)] { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
            return XXH64.hash(bytes)
        }
    }
}
