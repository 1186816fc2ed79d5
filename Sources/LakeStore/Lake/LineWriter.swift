import Foundation
import LakeCore

/// One growing buffer of raw memory that a canonical line is written into (`RecordLine`), kept
/// between lines by its owner, or a line written straight into an array's storage
/// (`array(capacity:_:)`). Every record's checksum is taken of its whole line: appending its
/// thirty-odd pieces to an `Array` checked the array's uniqueness and capacity for each of them,
/// which cost more than the copies.
struct LineWriter: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// Whether `base` was allocated here (else it is an array's storage, lent for one line).
    private var owned: Bool

    init(capacity: Int = 2048) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        owned = true
    }

    private init(lent buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress!
        capacity = buffer.count
        owned = false
    }

    deinit { if owned { base.deallocate() } }

    /// The bytes `write` writes, as an array made with room for `capacity` of them: written in
    /// place when they fit (one allocation), else through a buffer of their own.
    static func array(capacity: Int, _ write: (inout LineWriter) -> Void) -> [UInt8] {
        var grown: [UInt8]?
        let line = [UInt8](unsafeUninitializedCapacity: max(capacity, 16)) { buffer, initialized in
            var out = LineWriter(lent: buffer)
            write(&out)
            if out.owned {
                grown = out.array
                initialized = 0
            } else {
                initialized = out.count
            }
        }
        return grown ?? line
    }

    /// The bytes written since the last `reset`.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// The bytes written, as an array.
    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    mutating func reset() { count = 0 }

    /// Room for `n` more bytes.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private mutating func grow(_ needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        if owned { base.deallocate() }
        base = moved
        capacity = larger
        owned = true
    }

    @inline(__always)
    mutating func append(_ p: UnsafeRawBufferPointer) {
        guard let start = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        (base + count).update(from: start.assumingMemoryBound(to: UInt8.self), count: p.count)
        count += p.count
    }

    @inline(__always)
    mutating func append(_ a: [UInt8]) { a.withUnsafeBytes { append($0) } }

    @inline(__always)
    mutating func append(_ s: StaticString) { append(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)) }

    @inline(__always)
    mutating func append(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// `n` in decimal, as JSON writes an integer.
    mutating func appendDecimal(_ n: Int) { DecimalText.withDigits(of: Int64(n)) { append($0) } }

    /// `s` as `CanonicalJSON.writeString` writes it. Text with no byte below 0x20, no quote,
    /// no backslash and no byte of 0xCC or more is already NFC and needs no escape: it is
    /// copied between quotes (ids, hashes, times); anything else goes through the writer.
    mutating func appendString(_ s: String) {
        let plain =
            s.utf8.withContiguousStorageIfAvailable { u -> Bool in
                guard CanonicalJSON.isPlain(u) else { return false }
                reserve(u.count + 2)
                base[count] = UInt8(ascii: "\"")
                count += 1
                append(UnsafeRawBufferPointer(u))
                base[count] = UInt8(ascii: "\"")
                count += 1
                return true
            } ?? false
        if plain { return }
        var out: [UInt8] = []
        CanonicalJSON.writeString(s, into: &out)
        append(out)
    }

}
