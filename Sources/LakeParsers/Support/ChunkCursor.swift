import Foundation

/// A byte cursor over a chunk source: the current chunk, the absolute offset and the line,
/// for the streaming parsers that read byte by byte (CSV, mbox, iCalendar, vCard, HTML).
/// Memory: one chunk.
public final class ChunkCursor {
    public typealias ChunkSource = () throws -> [UInt8]?

    private let source: ChunkSource?
    private var buffer: [UInt8]
    private var position = 0
    private var base: Int64 = 0
    private var exhausted: Bool
    /// 1-based line of the next byte (counts LF).
    public private(set) var line = 1

    public init(source: @escaping ChunkSource) {
        self.source = source
        buffer = []
        exhausted = false
    }

    public init(bytes: [UInt8]) {
        source = nil
        buffer = bytes
        exhausted = true
    }

    /// A source that yields `bytes` once.
    public static func oneShot(_ bytes: [UInt8]) -> () -> [UInt8]? {
        var done = false
        return {
            if done { return nil }
            done = true
            return bytes
        }
    }

    /// A source that yields `bytes` in chunks of `size` (the last may be shorter): for tests
    /// and fuzz targets that check a reader gives the same result however input is cut.
    public static func chunks(of bytes: [UInt8], size: Int) -> () -> [UInt8]? {
        var offset = 0
        let step = max(1, size)
        return {
            guard offset < bytes.count else { return nil }
            let end = min(bytes.count, offset + step)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }

    /// Offset of the next byte from the start of the input.
    public var offset: Int64 { base + Int64(position) }

    /// The next byte without consuming it, or nil at the end.
    @inline(__always)
    public func peek() throws -> UInt8? {
        if position < buffer.count { return buffer[position] }
        return try refill() ? buffer[position] : nil
    }

    /// Consumes and returns the next byte, or nil at the end.
    @inline(__always)
    public func next() throws -> UInt8? {
        if position >= buffer.count, !(try refill()) { return nil }
        let b = buffer[position]
        position += 1
        if b == 0x0A { line += 1 }
        return b
    }

    /// Consumes bytes while `keep` holds, appending them to `out`; stops at the end of input.
    /// Fast path for runs inside one chunk.
    public func take(while keep: (UInt8) -> Bool, into out: inout [UInt8], limit: Int) throws -> Bool {
        while true {
            if position >= buffer.count, !(try refill()) { return true }
            let start = position
            while position < buffer.count, keep(buffer[position]) { position += 1 }
            if position > start {
                for b in buffer[start..<position] where b == 0x0A { line += 1 }
                out.append(contentsOf: buffer[start..<position])
                if out.count > limit { return false }
            }
            if position < buffer.count { return true }
        }
    }

    /// `take(while: { $0 != 0x0A }, into:limit:)`: the bytes up to the next line feed (not
    /// taken), each chunk's found by `memchr` instead of a test per byte (an mbox is read a line
    /// at a time, its attachments' base64 included).
    public func takeLine(into out: inout [UInt8], limit: Int) throws -> Bool {
        while true {
            if position >= buffer.count, !(try refill()) { return true }
            let start = position
            position = buffer.withUnsafeBufferPointer { b in
                let from = b.baseAddress! + start
                guard let found = memchr(from, 0x0A, b.count - start) else { return b.count }
                return start + from.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            if position > start {
                out.append(contentsOf: buffer[start..<position])
                if out.count > limit { return false }
            }
            if position < buffer.count { return true }
        }
    }

    /// Whether the next bytes are `prefix` (reading ahead across chunks as needed); consumes
    /// nothing.
    public func hasPrefix(_ prefix: [UInt8]) throws -> Bool {
        while buffer.count - position < prefix.count {
            guard !exhausted, let source, let chunk = try source() else {
                exhausted = true
                break
            }
            // Keep the unread tail and append the new chunk; the offset base moves by what is dropped.
            base += Int64(position)
            buffer = Array(buffer[position...]) + chunk
            position = 0
        }
        guard buffer.count - position >= prefix.count else { return false }
        return buffer[position..<position + prefix.count].elementsEqual(prefix)
    }

    /// Skips `count` bytes.
    public func skip(_ count: Int) throws {
        for _ in 0..<count { _ = try next() }
    }

    private func refill() throws -> Bool {
        while position >= buffer.count {
            if exhausted { return false }
            guard let source, let chunk = try source() else {
                exhausted = true
                return false
            }
            base += Int64(buffer.count)
            buffer = chunk
            position = 0
        }
        return true
    }
}
