import LakeCore
import LakeParsers

extension ContentValidator {
    /// `validate(_:data:)` of a record whose `data` is the canonical JSON `data`: most records
    /// have no finding, and that is seen on the bytes themselves (`findsNothing(canonical:)`),
    /// with no tape. Any other record has its data read into `tape` and validated there.
    /// False, with `record` as it was, as `validate(_:data:)` gives it (or when `data` does not
    /// parse): the caller then validates the record's value.
    public func validate(_ record: inout LakeRecord, canonical data: [UInt8], tape: inout JSONTape) -> Bool {
        if data.withUnsafeBufferPointer({ findsNothing(canonical: $0) }) == true {
            apply([], to: &record)
            return true
        }
        guard (try? tape.parse(data, limits: .canonicalLines)) != nil else { return false }
        return validate(&record, data: tape)
    }

    /// `findsNothing(in:)` of canonical JSON `b`, read on its bytes: true when no string has a
    /// finding, nil when this cannot tell (a string with a finding, a key with an escape, or `b`
    /// is not the compact JSON a canonical writer gives). Each string is scanned on its bytes
    /// under the key of the member it belongs to, as `findsNothing(in:)` does; one the scanner
    /// cannot find anything in (`PIIScanner.mayFind`) is passed over. A string with an escape
    /// is decoded first, by the tape's own parser (every tweet's `source` is a link with quoted
    /// attributes, which sent each tweet through the whole tape before).
    public func findsNothing(canonical b: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard !b.isEmpty, let end = value(b, 0, field: nil, depth: 0), end == b.count else { return nil }
        return true
    }

    /// Where the value at `i` ends, each string in it found to hold nothing under `field` (the
    /// key's bytes between its quotes); nil as `findsNothing(canonical:)` gives it, and for a
    /// value nested deeper than a canonical writer writes (`JSONTapeCanonical.maxDepth`).
    private func value(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, field: Range<Int>?, depth: Int) -> Int? {
        guard i < b.count, depth <= JSONTapeCanonical.maxDepth else { return nil }
        switch b[i] {
        case UInt8(ascii: "\""):
            guard let (close, escaped) = Self.stringEnd(b, i) else { return nil }
            guard escaped else { return holdsNothing(UnsafeBufferPointer(rebasing: b[(i + 1)..<close]), b, field: field) ? close + 1 : nil }
            guard let decoded = try? JSONTape(bytes: Array(b[i...close]), limits: .canonicalLines), decoded.kind(0) == .string else {
                return nil
            }
            return decoded.withBytes(0) { holdsNothing($0, b, field: field) } ? close + 1 : nil
        case UInt8(ascii: "{"):
            var j = i + 1
            if j < b.count, b[j] == UInt8(ascii: "}") { return j + 1 }
            while j < b.count, b[j] == UInt8(ascii: "\""), let (close, escaped) = Self.stringEnd(b, j), !escaped, close + 1 < b.count,
                b[close + 1] == UInt8(ascii: ":"), let end = value(b, close + 2, field: (j + 1)..<close, depth: depth + 1), end < b.count
            {
                if b[end] == UInt8(ascii: "}") { return end + 1 }
                guard b[end] == UInt8(ascii: ",") else { return nil }
                j = end + 1
            }
            return nil
        case UInt8(ascii: "["):
            var j = i + 1
            if j < b.count, b[j] == UInt8(ascii: "]") { return j + 1 }
            while let end = value(b, j, field: field, depth: depth + 1), end < b.count {
                if b[end] == UInt8(ascii: "]") { return end + 1 }
                guard b[end] == UInt8(ascii: ",") else { return nil }
                j = end + 1
            }
            return nil
        default:
            // A number, true, false or null: up to the next structural byte.
            var j = i
            while j < b.count, b[j] != UInt8(ascii: ","), b[j] != UInt8(ascii: "]"), b[j] != UInt8(ascii: "}") {
                guard b[j] != UInt8(ascii: "\""), b[j] != UInt8(ascii: "{"), b[j] != UInt8(ascii: "[") else { return nil }
                j += 1
            }
            return j > i ? j : nil
        }
    }

    /// The index of the quote that closes the string opening at `i`, and whether the string
    /// holds an escape (a backslash: it is decoded before it is scanned); nil when it does not
    /// close.
    private static func stringEnd(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (close: Int, escaped: Bool)? {
        var j = i + 1
        var escaped = false
        while j < b.count {
            if b[j] == UInt8(ascii: "\"") { return (j, escaped) }
            if b[j] == UInt8(ascii: "\\") {
                escaped = true
                j += 1
            }
            j += 1
        }
        return nil
    }

    /// Whether the scanner finds nothing in the text `bytes` (decoded) under the field named
    /// `b[field]` ("" for none), as `scan` answers.
    private func holdsNothing(_ bytes: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, field: Range<Int>?) -> Bool {
        guard scanner.mayFind(in: bytes) else { return true }
        let name = field.map { String(decoding: UnsafeBufferPointer(rebasing: b[$0]), as: UTF8.self) } ?? ""
        return scanner.scan(bytes: bytes, field: name).isEmpty
    }
}
