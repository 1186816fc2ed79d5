import Foundation

/// A record's annotations — language, entities, PII findings, relationships — stored without
/// their member names (docs/SPEC.md 7.4, "Compact records"). Their canonical JSON names the
/// same members in every object (`{"kind":…,"method":…,"value":…}`: 33 of an entity's bytes
/// are names and punctuation), so a row keeps only the values, as a JSON array of arrays:
/// `[["url","source","https://…"]]`. Each value is copied as its canonical bytes, so
/// `expand` gives back the canonical JSON byte for byte; the stored form is still JSON that
/// any SQLite tool reads (the `lake_records` view rebuilds the objects from it).
///
/// A row written before schema 23 holds the canonical JSON itself (`[{…}]`, or `{…}` for a
/// language); an object of another shape, or with a nested value, is stored as it is too.
/// The first bytes tell the forms apart: `[[` or `[` (a language) for the compact one.
public enum CompactAnnotations {
    /// One object shape: its member names, in canonical order, each written as `"name":`.
    public struct Form: Sendable {
        public let names: [String]
        let prefixes: [[UInt8]]

        init(_ names: String...) {
            self.names = names
            prefixes = names.map { Array("\"\($0)\":".utf8) }
        }
    }

    /// Each annotation's object forms; two forms of one annotation differ in their member count.
    public static let language = [Form("code", "confidence", "method"), Form("code", "method")]
    public static let entities = [Form("kind", "method", "value")]
    public static let pii = [Form("end", "field", "score", "start", "type")]
    public static let relationships = [Form("confidence", "method", "target", "type")]

    /// The stored forms of a row's four annotations (nil stays nil: the empty value), and of
    /// its `data` without member names (`CompactData`; nil: stored whole).
    struct StoredForms: Sendable {
        var language: [UInt8]?
        var entities: [UInt8]?
        var pii: [UInt8]?
        var relationships: [UInt8]?
        var data: CompactData.Shaped?

        /// `cache`, a worker's, holds the last names made: the same names share them.
        init(_ c: borrowing RecordRow.Columns, cache: RecordRow.LineCache? = nil) {
            language = c.language.map { compactLanguage($0, data: c.data) }
            entities = c.entities.map { compactEntities($0, data: c.data) }
            pii = c.pii.map { compactPII($0, data: c.data) }
            relationships = c.relationships.map { compactRelationships($0, data: c.data) }
            data = CompactData.shape(
                c.data, held: cache?.lastKeys, millis: c.occurredAt.flatMap { StoredTime.millis($0) },
                offset: StoredOffset.minutes(c.sourceOffset))
            if let cache, let keys = data?.keys { cache.lastKeys = keys }
        }

        /// The columns' annotations as read from `records` (either form) made canonical: the
        /// inverse of `init`, annotation by annotation.
        static func canonical(_ c: inout RecordRow.Columns) {
            c.language = c.language.map { expandLanguage($0, data: c.data) }
            c.entities = c.entities.map { expandEntities($0, data: c.data) }
            c.pii = c.pii.map { expandPII($0, data: c.data) }
            c.relationships = c.relationships.map { expandRelationships($0, data: c.data) }
        }
    }

    /// A canonical language object as a row whose data is `data` stores it (schema 28): its
    /// values without names, the code and method coded (`CompactCodes`); `json` itself when it
    /// is not one of the language's forms, or has a number where a code would go.
    public static func compactLanguage(_ json: [UInt8], data: [UInt8]) -> [UInt8] {
        coding(languageCodes, data) { compactObject(json, language, coder: &$0) }
    }

    /// The canonical JSON of a stored language; `stored` itself when it names a code that is not there.
    public static func expandLanguage(_ stored: [UInt8], data: [UInt8]) -> [UInt8] {
        coding(languageCodes, data) { expandObject(stored, language, coder: &$0) }
    }

    /// A canonical relationship list as a row whose data is `data` stores it, as `compactLanguage`.
    public static func compactRelationships(_ json: [UInt8], data: [UInt8]) -> [UInt8] {
        coding(relationshipCodes, data) { compactList(json, relationships, coder: &$0) }
    }

    /// The canonical JSON of a stored relationship list, as `expandLanguage`.
    public static func expandRelationships(_ stored: [UInt8], data: [UInt8]) -> [UInt8] {
        coding(relationshipCodes, data) { expandList(stored, relationships, coder: &$0) }
    }

    /// A canonical PII list as a row whose data is `data` stores it (schema 34), as `compactLanguage`:
    /// a field that points at a top-level member as its index, a built-in type as its index.
    public static func compactPII(_ json: [UInt8], data: [UInt8]) -> [UInt8] {
        coding(piiCodes, data) { compactList(json, pii, coder: &$0) }
    }

    /// The canonical JSON of a stored PII list, as `expandLanguage`.
    public static func expandPII(_ stored: [UInt8], data: [UInt8]) -> [UInt8] {
        coding(piiCodes, data) { expandList(stored, pii, coder: &$0) }
    }

    /// `body` with a coder of `codes` against `data`.
    private static func coding(_ codes: [[Code]], _ data: [UInt8], _ body: (inout Coder?) -> [UInt8]) -> [UInt8] {
        data.withUnsafeBufferPointer { d in
            var coder: Coder? = Coder(codes: codes, data: d)
            return body(&coder)
        }
    }

    // MARK: - Compacting

    /// `[{…},{…}]` as `[[…],[…]]`, or `json` itself when an element is not an object of one of
    /// `forms` with scalar values (or it is already compact).
    public static func compactList(_ json: [UInt8], _ forms: [Form]) -> [UInt8] {
        var none: Coder? = nil
        return compactList(json, forms, coder: &none)
    }

    /// `compactList`, each value coded by `coder` when there is one (`CompactCodes`).
    static func compactList(_ json: [UInt8], _ forms: [Form], coder: inout Coder?) -> [UInt8] {
        json.withUnsafeBufferPointer { b in
            guard b.count > 2, b[0] == bracket, b[1] == brace else { return nil }
            return list(b, capacity: b.count) { i, out in values(b, at: i, forms, coder: &coder, into: &out) }
        } ?? json
    }

    /// `{…}` as `[…]`, or `json` itself when it is not an object of one of `forms` with scalar values.
    public static func compactObject(_ json: [UInt8], _ forms: [Form]) -> [UInt8] {
        var none: Coder? = nil
        return compactObject(json, forms, coder: &none)
    }

    /// `compactObject`, each value coded by `coder` when there is one (`CompactCodes`).
    static func compactObject(_ json: [UInt8], _ forms: [Form], coder: inout Coder?) -> [UInt8] {
        json.withUnsafeBufferPointer { b in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            guard let end = values(b, at: 0, forms, coder: &coder, into: &out), end == b.count else { return nil }
            return out
        } ?? json
    }

    /// Writes the values of the object at `start` as an array when it has exactly the members
    /// of one of `forms`, in order, each a scalar, and returns the index after its `}`; nil
    /// (with `out` as it was) otherwise, or when `coder` finds a number where a code goes.
    /// Written as it is read: no array of ranges per object.
    private static func values(
        _ b: UnsafeBufferPointer<UInt8>, at start: Int, _ forms: [Form], coder: inout Coder?, into out: inout [UInt8]
    ) -> Int? {
        guard start < b.count, b[start] == brace else { return nil }
        let mark = out.count
        forms: for (f, form) in forms.enumerated() {
            out.removeSubrange(mark...)
            out.append(bracket)
            var i = start + 1
            for (n, prefix) in form.prefixes.enumerated() {
                if n > 0 {
                    guard i < b.count, b[i] == comma else { continue forms }
                    out.append(comma)
                    i += 1
                }
                guard hasPrefix(b, prefix, at: i) else { continue forms }
                i += prefix.count
                guard let end = scalarEnd(b, at: i) else { continue forms }
                let value = UnsafeBufferPointer(rebasing: b[i..<end])
                if coder == nil {
                    out.append(contentsOf: value)
                } else {
                    guard coder!.write(value, form: f, slot: n, encode: true, into: &out) else { continue forms }
                }
                i = end
            }
            guard i < b.count, b[i] == closeBrace else { continue forms }
            out.append(closeBracket)
            return i + 1
        }
        out.removeSubrange(mark...)
        return nil
    }

    // MARK: - Expanding

    /// The canonical JSON of a stored list: `[[…]]` rebuilt, anything else as it is.
    public static func expandList(_ stored: [UInt8], _ forms: [Form]) -> [UInt8] {
        var none: Coder? = nil
        return expandList(stored, forms, coder: &none)
    }

    /// `expandList`, each value decoded by `coder` when there is one (`CompactCodes`).
    static func expandList(_ stored: [UInt8], _ forms: [Form], coder: inout Coder?) -> [UInt8] {
        stored.withUnsafeBufferPointer { b in
            guard b.count > 2, b[0] == bracket, b[1] == bracket else { return nil }
            return list(b, capacity: b.count * 3) { i, out in object(b, at: i, forms, coder: &coder, into: &out) }
        } ?? stored
    }

    /// The canonical JSON of a stored object: `[…]` rebuilt, anything else as it is.
    public static func expandObject(_ stored: [UInt8], _ forms: [Form]) -> [UInt8] {
        var none: Coder? = nil
        return expandObject(stored, forms, coder: &none)
    }

    /// `expandObject`, each value decoded by `coder` when there is one (`CompactCodes`).
    static func expandObject(_ stored: [UInt8], _ forms: [Form], coder: inout Coder?) -> [UInt8] {
        stored.withUnsafeBufferPointer { b in
            var out: [UInt8] = []
            out.reserveCapacity(b.count * 2)
            guard let end = object(b, at: 0, forms, coder: &coder, into: &out), end == b.count else { return nil }
            return out
        } ?? stored
    }

    /// Writes the object whose values are the array at `start` (the form with as many members)
    /// and returns the index after the array's `]`; nil when it is not such an array. The
    /// values are counted first, then written: no array of ranges per object. Nil too (with
    /// `out` as it was) when `coder` finds a code that names nothing.
    private static func object(
        _ b: UnsafeBufferPointer<UInt8>, at start: Int, _ forms: [Form], coder: inout Coder?, into out: inout [UInt8]
    ) -> Int? {
        guard let (count, i) = scalars(b, at: start) else { return nil }
        guard let f = forms.firstIndex(where: { $0.prefixes.count == count }) else { return nil }
        let mark = out.count
        out.append(brace)
        var at = start + 1
        for (n, prefix) in forms[f].prefixes.enumerated() {
            if n > 0 { out.append(comma) }
            out.append(contentsOf: prefix)
            let end = scalarEnd(b, at: at)!
            let value = UnsafeBufferPointer(rebasing: b[at..<end])
            if coder == nil {
                out.append(contentsOf: value)
            } else if !coder!.write(value, form: f, slot: n, encode: false, into: &out) {
                out.removeSubrange(mark...)
                return nil
            }
            at = end + 1
        }
        out.append(closeBrace)
        return i
    }

    // MARK: - Scanning

    /// The list `b` (its first element at 1) written element by element by `element`, which
    /// returns the index after the element it read (nil: not one); the commas and the closing
    /// bracket are copied. Nil unless the list ends exactly at the end of `b`.
    static func list(
        _ b: UnsafeBufferPointer<UInt8>, capacity: Int, _ element: (Int, inout [UInt8]) -> Int?
    ) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)  // one allocation: `[bracket]` then reserving made two
        out.append(bracket)
        var i = 1
        while true {
            guard let end = element(i, &out), end < b.count else { return nil }
            i = end
            if b[i] == comma {
                out.append(comma)
                i += 1
            } else {
                guard b[i] == closeBracket, i + 1 == b.count else { return nil }
                out.append(closeBracket)
                return out
            }
        }
    }

    /// How many scalars the array at `start` holds, and the index after its `]`; nil when it is
    /// not an array of scalars.
    static func scalars(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> (count: Int, end: Int)? {
        guard start < b.count, b[start] == bracket else { return nil }
        var count = 0
        var i = start + 1
        while true {
            guard let end = scalarEnd(b, at: i), end < b.count else { return nil }
            count += 1
            i = end + 1
            if b[end] == closeBracket { return (count, i) }
            guard b[end] == comma else { return nil }
        }
    }

    static let bracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
    static let brace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8], at i: Int) -> Bool {
        guard b.count - i >= prefix.count else { return false }
        for (n, byte) in prefix.enumerated() where b[i + n] != byte { return false }
        return true
    }

    /// The index after the string, number or literal at `i`; nil for an object, an array or nothing.
    /// A string ends at its first quote that no backslash escapes; anything else at the next
    /// `,`, `]` or `}` (canonical JSON has no spaces).
    static func scalarEnd(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard start < b.count else { return nil }
        var i = start
        if b[i] == quote {
            // Each quote `memchr` finds ends the string unless an odd run of backslashes, inside
            // the string, stands before it (what skipping each backslash's next byte gives).
            let base = b.baseAddress!
            i += 1
            while i < b.count, let found = memchr(base + i, Int32(quote), b.count - i) {
                let q = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                var k = q - 1
                while k > start, b[k] == backslash { k -= 1 }
                if (q - 1 - k) % 2 == 0 { return q + 1 }
                i = q + 1
            }
            return nil
        }
        while i < b.count, b[i] != comma, b[i] != closeBracket, b[i] != closeBrace {
            guard b[i] != bracket, b[i] != brace, b[i] != quote else { return nil }
            i += 1
        }
        return i > start ? i : nil
    }
}
