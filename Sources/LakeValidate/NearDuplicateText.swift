import LakeCore
import LakeParsers

/// Which records take part in near-duplicate detection, and the text compared (docs/SPEC.md
/// 5.11): records of the text kinds below, their named `data` fields joined by a newline,
/// normalized by `NearDuplicates.normalized`. Texts shorter than `minimumScalars` after that
/// are left out: "ok", "thanks!" and "lol" say nothing about whether two records are the same.
///
/// ```swift
/// NearDuplicateText.text(kind: "tweet", tape: try JSONTape(bytes: data))  // "the train was late again. https://t.co/…"
/// ```
public enum NearDuplicateText {
    /// The fields compared per record kind, as paths under `data`; `*` stands for every element
    /// of an array.
    public static let fields: [(kind: String, paths: [[String]])] = [
        ("activity", [["title"], ["title_url"]]),
        ("comment", [["data", "*", "comment", "comment"]]),
        ("email", [["subject"], ["text"]]),
        ("message", [["content"]]),
        ("post", [["data", "*", "post"]]),
        ("tweet", [["full_text"], ["text"]]),
    ]
    public static let kinds = fields.map(\.kind)
    public static let minimumScalars = 16
    private static let pathsByKind = Dictionary(uniqueKeysWithValues: fields.map { ($0.kind, $0.paths) })

    /// The normalized text of a record of `kind` whose `data` is on `tape`, or nil when the kind
    /// takes no part or the text is shorter than `minimumScalars`. Read off the tape, without
    /// building its values; of two members of one name (not in canonical data), the last.
    public static func text(kind: String, tape: JSONTape) -> NearDuplicates.Normalized? {
        guard let paths = pathsByKind[kind], tape.count > 0 else { return nil }
        var parts: [String] = []
        for path in paths { collect(tape, 0, path.map { Array($0.utf8) }[...], into: &parts) }
        return joined(parts)
    }

    /// `text(kind:tape:)` of a record's `data` as canonical JSON (one object, no whitespace
    /// between tokens), with `data` parsed under `limits` only when it must be. For a kind whose
    /// fields are all top-level members (a tweet's, a mail's, an activity's), the members are
    /// skipped by their brackets and quotes (`JSONElementSpans`) to the ones named, and only
    /// their strings are decoded; a string with an escape is parsed alone. Bytes that are not
    /// that shape, or a named string that is not plain UTF-8, go through the tape, which throws
    /// where `data` is not JSON. The members skipped are not checked byte by byte: a stored
    /// record's whole `data` is checked where it is read whole (its checksum, on export).
    public static func text(kind: String, canonical data: [UInt8], limits: JSONLimits) throws(JSONError) -> NearDuplicates.Normalized? {
        guard pathsByKind[kind] != nil else { return nil }
        if let keys = topLevelKeysByKind[kind], let text = topLevelText(data, keys) { return long(text) }
        return text(kind: kind, tape: try JSONTape(bytes: data, limits: limits))
    }

    /// The compared text of `parts`: joined by a newline and normalized, or nil when shorter
    /// than `minimumScalars`.
    private static func joined(_ parts: [String]) -> NearDuplicates.Normalized? {
        var text = NearDuplicates.Normalized()
        for (i, part) in parts.enumerated() {
            if i > 0 { text.appendSpace() }
            text.append(part)
        }
        return long(text)
    }

    /// `text`, or nil when it is shorter than `minimumScalars`.
    private static func long(_ text: NearDuplicates.Normalized) -> NearDuplicates.Normalized? {
        text.scalarCount >= minimumScalars ? text : nil
    }

    /// Each kind's field names as bytes, for the kinds whose fields are all top-level members.
    private static let topLevelKeysByKind: [String: [[UInt8]]] = Dictionary(
        uniqueKeysWithValues: fields.compactMap { f in
            f.paths.allSatisfy({ $0.count == 1 && $0[0] != "*" }) ? (f.kind, f.paths.map { Array($0[0].utf8) }) : nil
        })

    /// The non-empty strings of the top-level members named `keys` (in the order of `keys`; of
    /// a name given twice, the last member), or nil when `data` is not an object written without
    /// whitespace whose keys have no escape, or a named string holds a control byte or is not
    /// valid UTF-8 (the caller then reads it through the tape).
    /// Whether `b` may not start a value after a key's colon (`,`, `}` or whitespace): a switch,
    /// where `",} \t\n\r".utf8.contains` went through the string's view (about 220
    /// instructions a member).
    @inline(__always)
    static func endsValue(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            return true
        default: return false
        }
    }

    static func topLevelText(_ data: [UInt8], _ keys: [[UInt8]]) -> NearDuplicates.Normalized? {
        data.withUnsafeBufferPointer { s -> NearDuplicates.Normalized? in
            let n = s.count
            guard n >= 2, s[0] == UInt8(ascii: "{"), s[n - 1] == UInt8(ascii: "}") else { return nil }
            return withUnsafeTemporaryAllocation(of: Range<Int>?.self, capacity: keys.count) { found in
                found.initialize(repeating: nil)
                var p = 1
                while p < n - 1 {
                    guard s[p] == UInt8(ascii: "\""), let keyEnd = JSONElementSpans.end(of: s, from: p), keyEnd < n - 1,
                        s[keyEnd] == UInt8(ascii: ":"), !endsValue(s[keyEnd + 1]),
                        let valueEnd = JSONElementSpans.end(of: s, from: keyEnd + 1), valueEnd < n
                    else { return nil }
                    let key = UnsafeBufferPointer(rebasing: s[(p + 1)..<(keyEnd - 1)])
                    guard !key.contains(UInt8(ascii: "\\")) else { return nil }
                    for (k, name) in keys.enumerated() where SameBytes.same(key, name) { found[k] = (keyEnd + 1)..<valueEnd }
                    p = valueEnd
                    guard next(s, &p) else { return nil }
                }
                return strings(s, UnsafeBufferPointer(found))
            }
        }
    }

    /// The non-empty strings at `found` (ranges of `s` that hold a value; a value not a string
    /// is passed over), in order, joined by a newline and normalized; nil when one holds a
    /// control byte or is not valid UTF-8.
    private static func strings(_ s: UnsafeBufferPointer<UInt8>, _ found: UnsafeBufferPointer<Range<Int>?>) -> NearDuplicates.Normalized? {
        var text = NearDuplicates.Normalized()
        var parts = 0
        for case let value? in found where s[value.lowerBound] == UInt8(ascii: "\"") {
            guard value.count >= 2, s[value.upperBound - 1] == UInt8(ascii: "\"") else { return nil }
            let inner = UnsafeBufferPointer(rebasing: s[(value.lowerBound + 1)..<(value.upperBound - 1)])
            guard !inner.isEmpty else { continue }
            // One pass for all: a control byte sends the record to the tape, a backslash has the
            // string parsed alone, a byte past ASCII has it validated and read as a `String`.
            var escaped = false, ascii = true
            for b in inner where b < 0x20 || b == UInt8(ascii: "\\") || b >= 0x80 {
                guard b >= 0x20 else { return nil }
                if b == UInt8(ascii: "\\") { escaped = true } else { ascii = false }
            }
            if parts > 0 { text.appendSpace() }
            parts += 1
            if escaped {
                guard let tape = try? JSONTape(bytes: Array(UnsafeBufferPointer(rebasing: s[value]))) else { return nil }
                text.append(tape.string(0))
            } else if ascii {
                text.appendASCII(inner)
            } else {
                guard let part = String(validating: inner, as: UTF8.self) else { return nil }
                text.append(part)
            }
        }
        return text
    }

    /// `text(kind:canonical:limits:)` of a record's `data` stored compact (docs/SPEC.md 7.4):
    /// `values` the array of its top-level values, `keys` the array of their names. The named
    /// members' values are found by their places among the names, without writing the object
    /// out again. nil when this cannot answer and the canonical JSON must: the kind's fields are
    /// not all top-level members, the arrays are not that shape, a name has an escape, or a named
    /// value is not a string (a derived member's stored `0` stands for its value). `.some(nil)`:
    /// the record has no text.
    public static func text(kind: String, values: [UInt8], keys: [UInt8]) -> NearDuplicates.Normalized?? {
        guard let wanted = topLevelKeysByKind[kind] else { return nil }
        // Each wanted name's place among the names (of a name given twice, the last; -1: none),
        // and then its value's range. On the stack: an array made with `repeating:` is made by
        // generic code that looks its type up at run time, under a lock the hashing threads share.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: wanted.count) { places in
            places.initialize(repeating: -1)
            let names = keys.withUnsafeBufferPointer { k -> Int? in
                var count = 0
                let ok = forEachElement(k) { range in
                    // A derived member's entry is an array, its name first (`["created_at","t"]`):
                    // its place holds a place holder, so a wanted one is left to the canonical JSON.
                    let derived = k[range.lowerBound] == UInt8(ascii: "[")
                    let start = derived ? range.lowerBound + 1 : range.lowerBound
                    guard start < range.upperBound, k[start] == UInt8(ascii: "\""),
                        let nameEnd = JSONElementSpans.end(of: k, from: start), nameEnd <= range.upperBound, nameEnd - start >= 2
                    else { return false }
                    let name = UnsafeBufferPointer(rebasing: k[(start + 1)..<(nameEnd - 1)])
                    guard !name.contains(UInt8(ascii: "\\")) else { return false }
                    for (w, n) in wanted.enumerated() where SameBytes.same(name, n) {
                        if derived { return false }
                        places[w] = count
                    }
                    count += 1
                    return true
                }
                return ok ? count : nil
            }
            guard let names else { return nil }
            return values.withUnsafeBufferPointer { v -> NearDuplicates.Normalized?? in
                withUnsafeTemporaryAllocation(of: Range<Int>?.self, capacity: wanted.count) { found in
                    found.initialize(repeating: nil)
                    var i = 0
                    guard
                        forEachElement(
                            v,
                            { range in
                                for (w, place) in places.enumerated() where place == i { found[w] = range }
                                i += 1
                                return true
                            }), i == names
                    else { return nil }
                    // A named value that is not a string may be a derived member's place holder.
                    for case let range? in found where v[range.lowerBound] != UInt8(ascii: "\"") { return nil }
                    guard let text = strings(v, UnsafeBufferPointer(found)) else { return nil }
                    return .some(long(text))
                }
            }
        }
    }

    /// From the end of a member or element at `p`, inside the object or array `s`: past its
    /// comma to the next one, or at the closing bracket; false when it is neither.
    @inline(__always)
    private static func next(_ s: UnsafeBufferPointer<UInt8>, _ p: inout Int) -> Bool {
        guard s[p] == UInt8(ascii: ",") else { return p == s.count - 1 }
        p += 1
        return p < s.count - 1
    }

    /// Calls `body` with each element's range of the JSON array `s` (written without whitespace
    /// between tokens); false when `s` is not that, or `body` returns false.
    private static func forEachElement(_ s: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Bool) -> Bool {
        let n = s.count
        guard n >= 2, s[0] == UInt8(ascii: "["), s[n - 1] == UInt8(ascii: "]") else { return false }
        var p = 1
        while p < n - 1 {
            guard !endsValue(s[p]), let end = JSONElementSpans.end(of: s, from: p), end < n, body(p..<end) else { return false }
            p = end
            guard next(s, &p) else { return false }
        }
        return true
    }

    private static let star = Array("*".utf8)

    private static func collect(_ tape: JSONTape, _ i: Int, _ path: ArraySlice<[UInt8]>, into parts: inout [String]) {
        guard let step = path.first else {
            if tape.kind(i) == .string {
                let s = tape.string(i)
                if !s.isEmpty { parts.append(s) }
            }
            return
        }
        switch tape.kind(i) {
        case .arrayStart where step == star:
            var e = i + 1
            for _ in 0..<tape.childCount(i) {
                collect(tape, e, path.dropFirst(), into: &parts)
                e = tape.after(e)
            }
        case .objectStart where step != star:
            var k = i + 1, found: Int?
            for _ in 0..<tape.childCount(i) {
                if tape.withBytes(k, { SameBytes.same($0, step) }) { found = k + 1 }
                k = tape.after(k + 1)
            }
            if let found { collect(tape, found, path.dropFirst(), into: &parts) }
        default: return
        }
    }
}
