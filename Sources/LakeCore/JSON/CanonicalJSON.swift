import CICU
import Foundation

/// The canonical JSON text of docs/SPEC.md: keys sorted by Unicode code point, no
/// insignificant whitespace, strings NFC-normalized with minimal escaping, numbers as spelled.
///
/// ```swift
/// CanonicalJSON.string(.object([.init("b", .number("1.0")), .init("a", .string("x\n"))]))
/// // {"a":"x\n","b":1.0}
/// ```
///
/// Duplicate keys (after NFC): the last member wins, at its sorted position.
public enum CanonicalJSON {
    /// Canonical UTF-8 bytes of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    /// Canonical text of `value`.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    /// Appends the canonical bytes of `value` to `out`.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            if !writeSmallASCIIKeyed(members, into: &out) {
                for (i, member) in sortedMembers(members).enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    writeEscaped(member.key, into: &out)
                    out.append(UInt8(ascii: ":"))
                    write(member.value, into: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Objects of at most this many members take `writeSmallASCIIKeyed`.
    static let smallObject = 32

    /// Writes the members of a small object whose keys are all ASCII (NFC as they are) in
    /// canonical order, sorted as indices in a stack buffer by insertion (stable: the last of
    /// equal keys is written, at their place), with no array of key bytes per member as
    /// `sortedMembers` makes. False, with nothing written, for any other object.
    static func writeSmallASCIIKeyed(_ members: [JSONMember], into out: inout [UInt8]) -> Bool {
        let count = members.count
        guard count <= smallObject, members.allSatisfy({ $0.key.utf8.allSatisfy { $0 < 0x80 } }) else { return false }
        guard count > 0 else { return true }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { order in
            for i in 0..<count {
                var j = i
                while j > 0, ByteOrder.precedes(members[i].key, members[order[j - 1]].key) {
                    order[j] = order[j - 1]
                    j -= 1
                }
                order[j] = i
            }
            var i = 0
            while i < count {
                var last = i
                while last + 1 < count, SameBytes.same(members[order[last + 1]].key, members[order[i]].key) { last += 1 }
                if i > 0 { out.append(UInt8(ascii: ",")) }
                let member = members[order[last]]
                writeEscaped(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
                i = last + 1
            }
        }
        return true
    }

    /// Members with NFC keys, sorted by code point (UTF-8 byte order is code point order),
    /// the last of any duplicates kept.
    static func sortedMembers(_ members: [JSONMember]) -> [(key: [UInt8], value: JSONValue)] {
        var keyed: [(key: [UInt8], order: Int, value: JSONValue)] = []
        keyed.reserveCapacity(members.count)
        for (i, m) in members.enumerated() {
            keyed.append((Array(nfc(m.key).utf8), i, m.value))
        }
        keyed.sort { a, b in
            if a.key != b.key { return a.key.lexicographicallyPrecedes(b.key) }
            return a.order < b.order
        }
        var result: [(key: [UInt8], value: JSONValue)] = []
        result.reserveCapacity(keyed.count)
        for entry in keyed {
            if let last = result.last, last.key == entry.key {
                result[result.count - 1] = (entry.key, entry.value)
            } else {
                result.append((entry.key, entry.value))
            }
        }
        return result
    }

    /// Writes `"…"` for a string after NFC normalization.
    /// Text that is NFC already (nearly all) is escaped from its bytes where they lie: copying
    /// the string for the mutating `withUTF8` took a quarter of the time of a short string.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        let written = s.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            if isPlain(utf8) {
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: utf8)
                out.append(UInt8(ascii: "\""))
                return true
            }
            guard isNFC(utf8) else { return false }
            writeEscaped(utf8, into: &out)
            return true
        }
        if written == true { return }
        var text = nfc(s)
        text.withUTF8 { writeEscaped($0, into: &out) }
    }

    static func writeEscaped(_ s: String, into out: inout [UInt8]) {
        var text = s
        text.withUTF8 { writeEscaped($0, into: &out) }
    }

    static func writeEscaped(_ bytes: [UInt8], into out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { writeEscaped($0, into: &out) }
    }

    /// The quoted, minimally escaped form of UTF-8 `bytes`: runs that need no escape are
    /// copied whole.
    public static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var run = 0
        var i = 0
        let raw = UnsafeRawPointer(bytes.baseAddress)
        while i < bytes.count {
            // Eight bytes at a time to the first that may need an escape.
            if let raw { i = ByteWords.firstFlagged(raw, from: i, count: bytes.count, Self.escapes) }
            guard i < bytes.count else { break }
            let b = bytes[i]
            i += 1
            if b >= 0x20 && b != 0x22 && b != 0x5C { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<(i - 1)]))
            run = i
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            default:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
                out.append(Hex.digit(b >> 4))
                out.append(Hex.digit(b & 0x0F))
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count]))
        out.append(UInt8(ascii: "\""))
    }

    /// Flags the bytes of `word` that need an escape: controls, `"` and `\\`.
    @inline(__always)
    static func escapes(_ word: UInt64) -> UInt64 { ByteWords.quotesAndBackslashes(word) | ByteWords.controls(word) }

    /// Unicode Normalization Form C, by ICU's normalizer (Debian's libicu, `CICU`). Strings
    /// whose scalars are all below U+0300 are already NFC (no scalar there has NFC_Quick_Check
    /// No or Maybe), so they skip the normalizer; in UTF-8 those are exactly the strings
    /// without a byte of 0xCC or more. The others are checked by ICU's quick check and
    /// normalized only when it fails, on the UTF-8 in place (Foundation's normalizer, used
    /// before, bridged every string to an `NSString`, and left an LV Hangul syllable followed by
    /// a trailing jamo uncomposed).
    public static func nfc(_ s: String) -> String {
        var s = s
        return s.withUTF8 { bytes in nfcBytes(bytes).map { String(decoding: $0, as: UTF8.self) } } ?? s
    }

    /// True for UTF-8 that is NFC without asking the normalizer: no byte of 0xCC or more (see `nfc`).
    public static func isNFC(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { !bytes.contains { $0 >= 0xCC } }

    /// Whether UTF-8 `u` is written between quotes as it is: no byte below 0x20, no quote and
    /// no backslash (nothing to escape), no byte of 0xCC or more (NFC already: `isNFC`). Eight
    /// ASCII bytes at a time, then byte by byte from the first that is not plain ASCII.
    @inlinable @inline(__always)
    public static func isPlain(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let raw = UnsafeRawPointer(u.baseAddress) else { return true }
        let high = ByteWords.ones &* 0x80
        var i = ByteWords.firstFlagged(raw, from: 0, count: u.count) {
            ByteWords.controls($0) | ByteWords.quotesAndBackslashes($0) | $0 & high
        }
        while i < u.count {
            let b = u[i]
            if b < 0x20 || b == 0x22 || b == 0x5C || b >= 0xCC { return false }
            i += 1
        }
        return true
    }

    /// Appends UTF-8 `bytes` in NFC to `out` (a copy unless the normalizer changes them).
    public static func appendNFC(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if let normalized = nfcBytes(bytes) {
            out.append(contentsOf: normalized)
        } else {
            out.append(contentsOf: bytes)
        }
    }

    /// The longest text the normalizer is given at once (its lengths are 32-bit, its output up
    /// to three times its input); a longer one goes in pieces.
    static let nfcPiece = 1 << 28

    /// The NFC of UTF-8 `bytes`, nil when they are NFC already. Bytes that are not UTF-8 are
    /// read as `String(decoding:)` repairs them first. A text longer than `piece` is cut
    /// before scalars NFC never joins with what precedes them (`dp_nfc_boundary_before`), so
    /// its pieces normalize as the whole does.
    static func nfcBytes(_ bytes: UnsafeBufferPointer<UInt8>, piece: Int = nfcPiece) -> [UInt8]? {
        if isNFC(bytes) { return nil }
        guard bytes.count <= piece else { return nfcPieces(bytes, piece: piece) }
        return nfcWhole(bytes, piece: piece)
    }

    /// `nfcBytes` of a text of at most a quarter of the normalizer's 32-bit lengths, in one call.
    /// ICU checks first, without a buffer (the quick check only), so a text in NFC already costs
    /// no allocation and one that is not is normalized once.
    static func nfcWhole(_ bytes: UnsafeBufferPointer<UInt8>, piece: Int) -> [UInt8]? {
        if bytes.withMemoryRebound(to: CChar.self, { dp_nfc_utf8($0.baseAddress, Int32($0.count), nil, 0) }) == -1 { return nil }
        var status: Int64 = 0
        let out = [UInt8](unsafeUninitializedCapacity: bytes.count * 3 + 4) { buffer, count in
            status = bytes.withMemoryRebound(to: CChar.self) { input in
                buffer.withMemoryRebound(to: CChar.self) { output in
                    dp_nfc_utf8(input.baseAddress, Int32(input.count), output.baseAddress, Int32(output.count))
                }
            }
            count = status > 0 && status <= Int64(buffer.count) ? Int(status) : 0
        }
        switch status {
        case -1: return nil
        case -2:
            // Not UTF-8: normalize its repaired text.
            let repaired = Array(String(decoding: bytes, as: UTF8.self).utf8)
            return repaired.withUnsafeBufferPointer { nfcBytes($0, piece: piece) } ?? repaired
        default:
            precondition(Int(status) == out.count, "NFC longer than three times its text")
            return out
        }
    }

    /// `nfcBytes` of a text longer than `piece`, piece by piece. A piece ends at the last
    /// boundary at or under `piece` bytes, or when there is none (a run of combining marks that
    /// long) at the first one after, so the pieces normalize as the whole text does.
    static func nfcPieces(_ bytes: UnsafeBufferPointer<UInt8>, piece: Int) -> [UInt8]? {
        func isBoundary(_ i: Int) -> Bool { bytes[i] & 0xC0 != 0x80 && dp_nfc_boundary_before(scalar(bytes, at: i)) == 1 }
        var out: [UInt8] = []
        var changed = false, start = 0
        while start < bytes.count {
            var end = min(start + piece, bytes.count)
            if end < bytes.count {
                var cut = end
                while cut > start && !isBoundary(cut) { cut -= 1 }
                if cut == start {
                    cut = end
                    // (Past the normalizer's 32-bit lengths, the cut is made anyway.)
                    while cut < bytes.count && !isBoundary(cut) && cut - start < Int(Int32.max) / 4 { cut += 1 }
                }
                end = cut
            }
            let part = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if let normalized = nfcWhole(part, piece: piece) {
                out.append(contentsOf: normalized)
                changed = true
            } else {
                out.append(contentsOf: part)
            }
            start = end
        }
        return changed ? out : nil
    }

    /// The code point whose UTF-8 starts at `i` (U+FFFD for a malformed start).
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32 {
        var iterator = bytes[i..<min(i + 4, bytes.count)].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let s) = decoder.decode(&iterator) { return s.value }
        return 0xFFFD
    }
}
