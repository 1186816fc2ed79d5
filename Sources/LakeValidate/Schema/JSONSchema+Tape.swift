import LakeCore
import LakeParsers

extension JSONSchema {
    /// Whether the value at token `at` of `tape` fits the schema, that is whether `validate` of
    /// the same value finds no violation, read from the tape without building the value. A
    /// value that does not fit is rare: its violations come from `validate` on the value.
    public func conforms(_ tape: JSONTape, at first: Int = 0) -> Bool {
        compiled.conforms(tape, first, defs)
    }

    static func isType(_ tape: JSONTape, _ i: Int, _ t: String) -> Bool {
        switch (t, tape.kind(i)) {
        case ("null", .null), ("boolean", .true), ("boolean", .false), ("object", .objectStart), ("array", .arrayStart),
            ("string", .string), ("number", .number):
            return true
        case ("integer", .number): return tape.withBytes(i) { !$0.contains { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 } }
        default: return false
        }
    }
}

extension JSONSchema.Node {
    /// `validate` with nothing to report: false at the first violation it would record.
    func conforms(_ t: JSONTape, _ i: Int, _ defs: [String: JSONSchema.Node]) -> Bool {
        if let b = constant { return b }
        if let ref, let target = defs[ref], !target.conforms(t, i, defs) { return false }
        if let types, !types.contains(where: { JSONSchema.isType(t, i, $0) }) { return false }
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
            if minLength != nil || maxLength != nil || pattern != nil || dateTime {
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
                let n = t.string(i)
                if let min = minimum, let x = Double(n), x < min.value { return false }
                if let max = maximum, let x = Double(n), x > max.value { return false }
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
