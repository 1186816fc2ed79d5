import LakeCore
import LakeParsers

extension JSONSchema {
    /// Whether the value at token `at` of `tape` fits the schema, that is whether `validate` of
    /// the same value finds no violation, read from the tape without building the value. A
    /// value that does not fit is rare: its violations come from `validate` on the value.
    public func conforms(_ tape: JSONTape, at first: Int = 0) -> Bool {
        compiled.conforms(tape, first, defs)
    }
}

extension JSONSchema.Node {
    /// The bits of `typeMask`, one per JSON Schema type name.
    enum TypeBit {
        static let null: UInt8 = 1, boolean: UInt8 = 2, object: UInt8 = 4, array: UInt8 = 8
        static let string: UInt8 = 16, number: UInt8 = 32, integer: UInt8 = 64
        static let byName: [String: UInt8] = [
            "null": null, "boolean": boolean, "object": object, "array": array, "string": string, "number": number,
            "integer": integer,
        ]
    }

    /// Fills `typeMask` and `byteNames` once the node is compiled. Names are
    /// kept as bytes only when all of them are ASCII: String's `==` (which `validate` uses)
    /// follows canonical equivalence, and an ASCII name is canonically equivalent to no other
    /// ASCII string, so for an ASCII key byte equality decides the same; a non-ASCII name (one
    /// may be equivalent to an ASCII key: U+212A KELVIN SIGN is K) keeps the String path.
    func prepareForTape() {
        typeMask = (types ?? []).reduce(0) { $0 | (TypeBit.byName[$1] ?? 0) }
        byteNames = ByteNames(properties: Array(properties), required: required)
    }

    /// Whether the value at `i` is of one of `types` (`JSONSchema.isType` for each).
    func isOfTypes(_ t: JSONTape, _ i: Int) -> Bool {
        switch t.kind(i) {
        case .null: return typeMask & TypeBit.null != 0
        case .true, .false: return typeMask & TypeBit.boolean != 0
        case .objectStart: return typeMask & TypeBit.object != 0
        case .arrayStart: return typeMask & TypeBit.array != 0
        case .string: return typeMask & TypeBit.string != 0
        case .number:
            if typeMask & TypeBit.number != 0 { return true }
            // Tested on the number's bytes: matching the type's name first, string by string,
            // cost more than the test.
            return typeMask & TypeBit.integer != 0 && t.withBytes(i) { JSONSchema.isIntegerText($0) }
        default: return false
        }
    }

    /// The object at `i` checked by its keys' bytes (`byteNames`): nil when the node has
    /// no byte names or a key is not ASCII (then the String path decides).
    func objectConformsByBytes(_ t: JSONTape, _ i: Int, _ defs: [String: JSONSchema.Node]) -> Bool? {
        guard let names = byteNames else { return nil }
        var found: UInt64 = 0
        var j = i + 1
        while t.kind(j) == .key {
            // A key a name has is ASCII (the names are), so only a key no name has is checked:
            // a non-ASCII one may still be equivalent to a name, and the String path decides.
            let looked: (property: Int, required: UInt64)?? = t.withBytes(j) { key in
                if let found = names.lookup(key) { return found }
                return key.allSatisfy({ $0 < 0x80 }) ? .some(nil) : nil
            }
            guard let looked else { return nil }
            let match = looked ?? (property: -1, required: 0)
            found |= match.required
            if match.property >= 0 {
                if !names.unretainedNodes[match.property]._withUnsafeGuaranteedRef({ $0.conforms(t, j + 1, defs) }) { return false }
            } else if additionalFalse {
                return false
            } else if let extra = additional, !extra.conforms(t, j + 1, defs) {
                return false
            }
            j = t.after(j + 1)
        }
        return found == names.allRequired
    }

    /// `validate` with nothing to report: false at the first violation it would record.
    func conforms(_ t: JSONTape, _ i: Int, _ defs: [String: JSONSchema.Node]) -> Bool {
        if let b = constant { return b }
        if let ref, let target = defs[ref], !target.conforms(t, i, defs) { return false }
        if types != nil, !isOfTypes(t, i) { return false }
        if enumValues != nil || const != nil {
            var writer = JSONTapeCanonical()
            var bytes: [UInt8] = []
            // Deeper than the writer goes: let `validate` decide.
            guard writer.write(t, at: i, into: &bytes) else { return false }
            let text = String(decoding: bytes, as: UTF8.self)
            if let e = enumValues, !e.contains(text) { return false }
            if let c = const, c != text { return false }
        }
        switch t.kind(i) {
        case .objectStart:
            if let byBytes = objectConformsByBytes(t, i, defs) {
                if !byBytes { return false }
                break
            }
            for r in required {
                var j = i + 1, found = false
                while t.kind(j) == .key && !found {
                    found = t.string(j) == r
                    j = t.after(j + 1)
                }
                if !found { return false }
            }
            var j = i + 1
            while t.kind(j) == .key {
                let key = t.string(j)
                if let p = properties[key] {
                    if !p.conforms(t, j + 1, defs) { return false }
                } else if additionalFalse {
                    return false
                } else if let extra = additional, !extra.conforms(t, j + 1, defs) {
                    return false
                }
                j = t.after(j + 1)
            }
        case .arrayStart:
            let count = t.childCount(i)
            if let n = minItems, count < n { return false }
            if let n = maxItems, count > n { return false }
            if let each = items {
                var j = i + 1
                while t.kind(j) != .arrayEnd {
                    if !each.conforms(t, j, defs) { return false }
                    j = t.after(j)
                }
            }
        case .string:
            if minLength == nil, maxLength == nil, pattern == nil, dateTime {
                // A date-time alone is checked on the bytes (every Takeout timestamp).
                if !t.withBytes(i, JSONSchema.isDateTime) { return false }
            } else if minLength == nil, maxLength == nil, !dateTime, let simple = pattern?.simple {
                // A simple pattern alone is matched on the bytes (a tweet's ids): no string made.
                if !t.withBytes(i, { simple.matches($0) }) { return false }
            } else if minLength != nil || maxLength != nil || pattern != nil || dateTime {
                let text = t.string(i)
                if minLength != nil || maxLength != nil {
                    let length = text.unicodeScalars.count
                    if let n = minLength, length < n { return false }
                    if let n = maxLength, length > n { return false }
                }
                if let p = pattern, !Self.matches(p, text) { return false }
                if dateTime, !JSONSchema.isDateTime(text) { return false }
            }
        case .number:
            if minimum != nil || maximum != nil {
                let x = t.withBytes(i, JSONSchema.smallInteger) ?? Double(t.string(i))
                if let min = minimum, let x, x < min.value { return false }
                if let max = maximum, let x, x > max.value { return false }
            }
        default: break
        }
        for sub in allOf where !sub.conforms(t, i, defs) { return false }
        if !anyOf.isEmpty, !anyOf.contains(where: { $0.conforms(t, i, defs) }) { return false }
        if !oneOf.isEmpty, oneOf.filter({ $0.conforms(t, i, defs) }).count != 1 { return false }
        if let not, not.conforms(t, i, defs) { return false }
        return true
    }
}
