/// XXH64 of each fixed-size chunk of a byte stream (the last chunk may be shorter): where two
/// reads of the same file differ, the first differing chunk says where.
///
/// ```swift
/// let h = ChunkHasher(chunkBytes: 1 << 20)
/// h.update(bytes)
/// h.finish()  // one XXH64 per MiB
/// ```
public final class ChunkHasher {
    public let chunkBytes: Int
    private var hashes: [UInt64] = []
    private let xxh = XXH64()
    private var filled = 0

    public init(chunkBytes: Int) {
        precondition(chunkBytes > 0)
        self.chunkBytes = chunkBytes
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while !rest.isEmpty {
            let n = min(chunkBytes - filled, rest.count)
            xxh.update(UnsafeRawBufferPointer(rebasing: rest[0..<n]))
            filled += n
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
            if filled == chunkBytes { close() }
        }
    }

    private func close() {
        hashes.append(xxh.digest())
        xxh.reset()
        filled = 0
    }

    /// The hashes, the last (partial) chunk's included.
    public func finish() -> [UInt64] {
        if filled > 0 { close() }
        return hashes
    }

    /// The 0-based index of the first chunk where `a` and `b` differ, or nil when they are equal.
    public static func firstDifference(_ a: [UInt64], _ b: [UInt64]) -> Int? {
        if let i = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset { return i }
        return a.count == b.count ? nil : min(a.count, b.count)
    }
}
