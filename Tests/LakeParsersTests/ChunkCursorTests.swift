import Testing

@testable import LakeParsers

/// `ChunkCursor.takeLine` (a line feed found by `memchr`) against `take(while:)` with the same
/// test, byte by byte: the same bytes taken, the same answer at the limit, the same offset and
/// line after, across every chunking.
@Suite struct ChunkCursorTests {
    /// `bytes` handed over in chunks of the sizes `sizes` gives in turn.
    static func cursor(_ bytes: [UInt8], sizes: [Int]) -> ChunkCursor {
        var at = 0, n = 0
        return ChunkCursor {
            guard at < bytes.count else { return nil }
            let size = sizes[n % sizes.count]
            n += 1
            defer { at = min(bytes.count, at + size) }
            return Array(bytes[at..<min(bytes.count, at + size)])
        }
    }

    @Test func takeLineTakesWhatTakeWhileTakes() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
                Int.random(in: 0..<8, using: &generator) == 0 ? 0x0A : UInt8.random(in: 0...255, using: &generator)
            }
            let sizes = (0..<3).map { _ in Int.random(in: 1...40, using: &generator) }
            let limit = Int.random(in: 1...60, using: &generator)
            let (a, b) = (Self.cursor(bytes, sizes: sizes), Self.cursor(bytes, sizes: sizes))
            while true {
                var (x, y): ([UInt8], [UInt8]) = ([], [])
                let fits = try a.takeLine(into: &x, limit: limit)
                let same = try b.take(while: { $0 != 0x0A }, into: &y, limit: limit)
                #expect(x == y && fits == same && a.offset == b.offset && a.line == b.line, "\(bytes) \(sizes)")
                guard x == y, a.offset == b.offset, try a.next() == b.next() else { break }
                if a.offset == Int64(bytes.count) { break }
            }
        }
    }
}
