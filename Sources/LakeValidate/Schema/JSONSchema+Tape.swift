import LakeCore
import LakeParsers

extension JSONSchema {
    /// Whether the value at token `at` of `tape` fits the schema, that is whether `validate` of
    /// the same value finds no violation, read from the tape without building the value. A
    /// value that does not fit is rare: its violations come from `validate` on the value.
    public func conforms(_ tape: JSONTape, at first: Int = 0) -> Bool {
        compiledRoot!._withUnsafeGuaranteedRef { $0.conforms(tape, first) }
    }

    /// Sets every node's `TapeLinks` once all are compiled: a `$ref` is resolved to its node
    /// here, not looked up by name for each value.
    func linkForTape() {
        var seen = Set<ObjectIdentifier>()
        func visit(_ n: Node) {
            guard seen.insert(ObjectIdentifier(n)).inserted else { return }
            n.link(defs)
            for p in n.properties.values { visit(p) }
            for child in [n.additional, n.items, n.not].compactMap({ $0 }) + n.allOf + n.anyOf + n.oneOf { visit(child) }
        }
        for name in defs.keys.sorted() { visit(defs[name]!) }
        visit(compiled)
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

    /// What `conforms` reads of a node, as values with no reference counted: the schemas are
    /// shared by every worker, and each retain and release of a node, a list or a pattern
    /// changed a count every core wrote (a fifth of the check's time on a tweet). The nodes
    /// named here are held by the schema (`JSONSchema.defs`, `compiled` and the nodes' own
    /// fields), and the lists are freed with their node.
    struct TapeLinks {
        var ref: Unmanaged<JSONSchema.Node>?
        var additional: Unmanaged<JSONSchema.Node>?
        var items: Unmanaged<JSONSchema.Node>?
        var not: Unmanaged<JSONSchema.Node>?
        var allOf = UnsafeMutableBufferPointer<Unmanaged<JSONSchema.Node>>(start: nil, count: 0)
        var anyOf = UnsafeMutableBufferPointer<Unmanaged<JSONSchema.Node>>(start: nil, count: 0)
        var oneOf = UnsafeMutableBufferPointer<Unmanaged<JSONSchema.Node>>(start: nil, count: 0)
        var names: Unmanaged<ByteNames>?
        var simple: Unmanaged<PatternBox>?
        var minimum: Double?, maximum: Double?
        var types = false
        /// `enum` or `const`: the value's canonical JSON is compared (rare, off the fast path).
        var enumOrConst = false
        /// An object whose members nothing constrains: no names, no additional members' schema.
        var openObject = false
        /// An object of which only the presence of names is asked (`anyOf` of `required`s): its
        /// keys are read until the last is found.
        var requiredOnly = false
        var string = StringCheck.none

        enum StringCheck { case none, dateTime, simple, general }

        mutating func free() {
            for list in [allOf, anyOf, oneOf] where list.baseAddress != nil { list.deallocate() }
            (allOf, anyOf, oneOf) = (.init(start: nil, count: 0), .init(start: nil, count: 0), .init(start: nil, count: 0))
        }

        static func list(_ nodes: [JSONSchema.Node]) -> UnsafeMutableBufferPointer<Unmanaged<JSONSchema.Node>> {
            guard !nodes.isEmpty else { return .init(start: nil, count: 0) }
            let list = UnsafeMutableBufferPointer<Unmanaged<JSONSchema.Node>>.allocate(capacity: nodes.count)
            _ = list.initialize(from: nodes.map { Unmanaged.passUnretained($0) })
            return list
        }
    }

    /// A `SimplePattern` held by a class of its own, read through `TapeLinks` without a copy.
    final class PatternBox {
        let pattern: SimplePattern
        init(_ pattern: SimplePattern) { self.pattern = pattern }
    }

    /// Fills `typeMask`, `byteNames` and `tape` from the node's fields, `$ref` resolved in
    /// `defs`, once every node is compiled (`JSONSchema.linkForTape`). Names are kept as bytes
    /// only when all of them are ASCII: String's `==` (which `validate` uses) follows canonical
    /// equivalence, and an ASCII name is canonically equivalent to no other ASCII string, so for
    /// an ASCII key byte equality decides the same; a non-ASCII name (one may be equivalent to
    /// an ASCII key: U+212A KELVIN SIGN is K) keeps the String path.
    func link(_ defs: [String: JSONSchema.Node]) {
        typeMask = (types ?? []).reduce(0) { $0 | (TypeBit.byName[$1] ?? 0) }
        byteNames = ByteNames(properties: Array(properties), required: required)
        tape.free()
        var t = TapeLinks()
        t.ref = ref.flatMap { defs[$0] }.map { Unmanaged.passUnretained($0) }
        t.additional = additional.map { Unmanaged.passUnretained($0) }
        t.items = items.map { Unmanaged.passUnretained($0) }
        t.not = not.map { Unmanaged.passUnretained($0) }
        (t.allOf, t.anyOf, t.oneOf) = (TapeLinks.list(allOf), TapeLinks.list(anyOf), TapeLinks.list(oneOf))
        t.names = byteNames.map { Unmanaged.passUnretained($0) }
        (t.minimum, t.maximum) = (minimum?.value, maximum?.value)
        t.types = types != nil
        t.enumOrConst = enumValues != nil || const != nil
        t.openObject = properties.isEmpty && required.isEmpty && additional == nil && !additionalFalse
        t.requiredOnly = properties.isEmpty && !required.isEmpty && additional == nil && !additionalFalse
        if minLength == nil, maxLength == nil, pattern == nil, dateTime {
            t.string = .dateTime
        } else if minLength == nil, maxLength == nil, !dateTime, let simple = pattern?.simple {
            patternBox = PatternBox(simple)
            t.simple = Unmanaged.passUnretained(patternBox!)
            t.string = .simple
        } else if minLength != nil || maxLength != nil || pattern != nil || dateTime {
            t.string = .general
        }
        tape = t
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

    /// The object at `i` checked by its keys' bytes (`names`): nil when a key is not ASCII
    /// (then the String path decides).
    func objectConformsByBytes(_ t: JSONTape, _ i: Int, _ names: ByteNames) -> Bool? {
        var found: UInt64 = 0
        var j = i + 1
        while t.kind(j) == .key {
            // A key a name has is ASCII (the names are), so only a key no name has is checked:
            // a non-ASCII one may still be equivalent to a name, and the String path decides.
            let at = t.withBytes(j) { key -> Int in
                let at = names.index(of: key)
                return at >= 0 || key.allSatisfy({ $0 < 0x80 }) ? at : -2
            }
            guard at > -2 else { return nil }
            let property = at >= 0 ? names.property(at) : nil
            if at >= 0 {
                found |= names.requiredBits(at)
                // The keys after decide nothing more: the String path would find them all too.
                if tape.requiredOnly, found == names.allRequired { return true }
            }
            if let property {
                if !property._withUnsafeGuaranteedRef({ $0.conforms(t, j + 1) }) { return false }
            } else if additionalFalse {
                return false
            } else if let extra = tape.additional, !extra._withUnsafeGuaranteedRef({ $0.conforms(t, j + 1) }) {
                return false
            }
            j = t.after(j + 1)
        }
        return found == names.allRequired
    }

    /// `validate` with nothing to report: false at the first violation it would record.
    func conforms(_ t: JSONTape, _ i: Int) -> Bool {
        if let b = constant { return b }
        let links = tape
        if let ref = links.ref, !ref._withUnsafeGuaranteedRef({ $0.conforms(t, i) }) { return false }
        if links.types, !isOfTypes(t, i) { return false }
        if links.enumOrConst, !enumOrConstFits(t, i) { return false }
        switch t.kind(i) {
        case .objectStart:
            if links.openObject { break }
            if let names = links.names, let byBytes = names._withUnsafeGuaranteedRef({ objectConformsByBytes(t, i, $0) }) {
                if !byBytes { return false }
                break
            }
            if !objectConformsByStrings(t, i) { return false }
        case .arrayStart:
            let count = t.childCount(i)
            if let n = minItems, count < n { return false }
            if let n = maxItems, count > n { return false }
            if let each = links.items {
                var j = i + 1
                while t.kind(j) != .arrayEnd {
                    if !each._withUnsafeGuaranteedRef({ $0.conforms(t, j) }) { return false }
                    j = t.after(j)
                }
            }
        case .string:
            switch links.string {
            case .none: break
            // A date-time alone is checked on the bytes (every Takeout timestamp).
            case .dateTime: if !t.withBytes(i, JSONSchema.isDateTime) { return false }
            // A simple pattern alone is matched on the bytes (a tweet's ids): no string made.
            case .simple:
                if let p = links.simple, !t.withBytes(i, { b in p._withUnsafeGuaranteedRef { $0.pattern.matches(b) } }) { return false }
            case .general: if !stringFits(t.string(i)) { return false }
            }
        case .number:
            if links.minimum != nil || links.maximum != nil {
                let x = t.withBytes(i, JSONSchema.smallInteger) ?? Double(t.string(i))
                if let min = links.minimum, let x, x < min { return false }
                if let max = links.maximum, let x, x > max { return false }
            }
        default: break
        }
        for sub in links.allOf where !sub._withUnsafeGuaranteedRef({ $0.conforms(t, i) }) { return false }
        if !links.anyOf.isEmpty, !links.anyOf.contains(where: { $0._withUnsafeGuaranteedRef { $0.conforms(t, i) } }) { return false }
        if !links.oneOf.isEmpty, links.oneOf.filter({ $0._withUnsafeGuaranteedRef { $0.conforms(t, i) } }).count != 1 { return false }
        if let not = links.not, not._withUnsafeGuaranteedRef({ $0.conforms(t, i) }) { return false }
        return true
    }

    /// `enum` and `const` on the value's canonical JSON.
    private func enumOrConstFits(_ t: JSONTape, _ i: Int) -> Bool {
        var writer = JSONTapeCanonical()
        var bytes: [UInt8] = []
        // Deeper than the writer goes: let `validate` decide.
        guard writer.write(t, at: i, into: &bytes) else { return false }
        let text = String(decoding: bytes, as: UTF8.self)
        if let e = enumValues, !e.contains(text) { return false }
        if let c = const, c != text { return false }
        return true
    }

    /// The object at `i` checked by its keys as Strings (a name or a key that is not ASCII).
    private func objectConformsByStrings(_ t: JSONTape, _ i: Int) -> Bool {
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
                if !p.conforms(t, j + 1) { return false }
            } else if additionalFalse {
                return false
            } else if let extra = additional, !extra.conforms(t, j + 1) {
                return false
            }
            j = t.after(j + 1)
        }
        return true
    }

    /// A string's lengths, pattern and date-time, on its text.
    private func stringFits(_ text: String) -> Bool {
        if minLength != nil || maxLength != nil {
            let length = text.unicodeScalars.count
            if let n = minLength, length < n { return false }
            if let n = maxLength, length > n { return false }
        }
        if let p = pattern, !Self.matches(p, text) { return false }
        if dateTime, !JSONSchema.isDateTime(text) { return false }
        return true
    }
}
