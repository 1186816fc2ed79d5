import LakeCore

/// Text similarity for near-duplicate records (docs/SPEC.md 5.11; the duplicate stage calls it
/// with the texts `NearDuplicateText` picks): texts are normalized (lower-cased, white space collapsed),
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
    public static func shingles(_ text: String) -> Set<UInt64> { shingles(normalized: normalized(text)) }

    /// The shingles of an already normalized text.
    public static func shingles(normalized s: [Unicode.Scalar]) -> Set<UInt64> {
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
        var out = [UInt64](repeating: .max, count: permutations.count)
        for x in shingles {
            for (i, p) in permutations.enumerated() { out[i] = min(out[i], p.a &* x &+ p.b) }
        }
        return out
    }

    /// One key per band: XXH64 of the band's rows, with `scope` (the record kind and user, so
    /// only texts of one kind and one user meet) and the band's number in front.
    public static func bandKeys(_ signature: [UInt64], scope: String = "") -> [UInt64] {
        (0..<bands).map { band in
            var bytes: [UInt8] = Array(scope.utf8) + [0, UInt8(band)]
            for v in signature[(band * rows)..<((band + 1) * rows)] { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
            return XXH64.hash(bytes)
        }
    }

    /// The identity of a normalized text within `scope`: XXH64 of the scope, a NUL, and the
    /// text's UTF-8.
    public static func textHash(_ normalized: [Unicode.Scalar], scope: String) -> UInt64 {
        XXH64.hash(Array(scope.utf8) + [0] + Array(String(String.UnicodeScalarView(normalized)).utf8))
    }
}

extension NearDuplicates {
    /// A similarity as recorded on a link: hundredths, rounded down (0.9549 is `0.95`, a pair
    /// just under 1 is `0.99`, never `1.00`).
    public static func similarityText(_ similarity: Double) -> String {
        ContentValidator.Finding.hundredths(Int((similarity * 100 + 1e-9).rounded(.down)))
    }
}
