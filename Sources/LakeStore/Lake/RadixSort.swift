/// Sorting by a 64-bit key, for `SortedRuns`: a least-significant-digit radix sort, 11 bits
/// a pass (six passes; a pass whose digit is the same for every value is skipped), then each
/// run of equal keys sorted by the full order. For the duplicate stage's runs (256 Ki band
/// rows keyed by random band keys) it replaced a comparison sort that called its order
/// closure some 4.7 million times a run.
@usableFromInline enum RadixSort {
    @usableFromInline static let digitBits = 11
    @usableFromInline static let passes = (64 + digitBits - 1) / digitBits

    /// Sorts `values` by `key`, then equal keys by `ordered` (a strict weak order that sorts
    /// smaller keys first: `key(a) < key(b)` implies `ordered(a, b)`). Values equal under
    /// `ordered` keep no particular order.
    @inlinable static func sort<Element>(_ values: inout [Element], key: (Element) -> UInt64, by ordered: (Element, Element) -> Bool) {
        let n = values.count
        guard n > 1 else { return }
        var keys = values.map(key)
        let buckets = 1 << digitBits, mask = UInt64(buckets - 1)
        // Every pass's digit counts, in one read of the keys.
        var counts = [Int](repeating: 0, count: buckets * passes)
        keys.withUnsafeBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                for key in k {
                    for pass in 0..<passes { c[pass * buckets + Int((key >> UInt64(pass * digitBits)) & mask)] += 1 }
                }
            }
        }
        var otherKeys = keys
        var otherValues = values
        var next = [Int](repeating: 0, count: buckets)
        for pass in 0..<passes {
            let base = pass * buckets
            let shift = UInt64(pass * digitBits)
            // Every key has the same digit here: the pass would move nothing.
            if counts[base + Int((keys[0] >> shift) & mask)] == n { continue }
            var total = 0
            for d in 0..<buckets {
                next[d] = total
                total += counts[base + d]
            }
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    otherKeys.withUnsafeMutableBufferPointer { ok in
                        otherValues.withUnsafeMutableBufferPointer { ov in
                            next.withUnsafeMutableBufferPointer { at in
                                for i in 0..<n {
                                    let d = Int((k[i] >> shift) & mask)
                                    let to = at[d]
                                    at[d] = to + 1
                                    ok[to] = k[i]
                                    ov[to] = v[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &otherKeys)
            swap(&values, &otherValues)
        }
        // Runs of equal keys, in the full order.
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && keys[end] == keys[start] { end += 1 }
            if end - start > 1 { values[start..<end].sort(by: ordered) }
            start = end
        }
    }
}
