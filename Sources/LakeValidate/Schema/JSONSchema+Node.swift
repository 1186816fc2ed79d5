import Foundation
import LakeCore

extension JSONSchema {
    /// One schema compiled: its keywords read once into typed fields, so checking an element
    /// looks nothing up by name.
    final class Node: @unchecked Sendable {
        var constant: Bool?
        var ref: String?
        var types: [String]?
        var enumValues: [String]?
        var const: String?
        var constText: String?
        var required: [String] = []
        var properties: [String: Node] = [:]
        var additionalFalse = false
        var additional: Node?
        var items: Node?
        var minItems: Int?, maxItems: Int?, minLength: Int?, maxLength: Int?
        var pattern: (text: String, regex: NSRegularExpression, simple: SimplePattern?)?
        var minimum: (value: Double, text: String)?, maximum: (value: Double, text: String)?
        var dateTime = false
        var anyOf: [Node] = [], oneOf: [Node] = [], allOf: [Node] = []
        var not: Node?
        /// For `conforms` on a tape (`link`): `types` as a mask of `TypeBit`s, the
        /// property and required names as bytes when every one is ASCII (nil otherwise), and
        /// what else the tape's check reads (`link`).
        var typeMask: UInt8 = 0
        var byteNames: ByteNames?
        var tape = TapeLinks()
        /// The simple pattern `tape` names, held here.
        var patternBox: PatternBox?

        deinit { tape.free() }

        func validate(_ v: JSONValue, _ pointer: String, _ out: inout [Violation], defs: [String: Node]) {
            guard out.count < JSONSchema.maxViolations else { return }
            if let b = constant {
                if !b { out.append(Violation(pointer: pointer, keyword: "false", message: "no value is allowed here")) }
                return
            }
            func fail(_ keyword: String, _ message: String) { out.append(Violation(pointer: pointer, keyword: keyword, message: message)) }
            if let ref, let target = defs[ref] { target.validate(v, pointer, &out, defs: defs) }
            if let types, !types.contains(where: { JSONSchema.isType(v, $0) }) {
                fail("type", "expected \(types.joined(separator: " or ")), got \(JSONSchema.typeName(v))")
                return
            }
            if enumValues != nil || const != nil {
                let text = CanonicalJSON.string(v)
                if let e = enumValues, !e.contains(text) { fail("enum", "\(JSONSchema.short(v)) is not one of \(e.count) allowed values") }
                if let c = const, c != text { fail("const", "expected \(constText ?? c)") }
            }
            switch v {
            case .object(let members):
                for r in required where !members.contains(where: { $0.key == r }) { fail("required", "missing \(r)") }
                for m in members {
                    if let p = properties[m.key] {
                        p.validate(m.value, pointer + "/" + JSONPointer.escape(m.key), &out, defs: defs)
                    } else if additionalFalse {
                        out.append(
                            Violation(
                                pointer: pointer + "/" + JSONPointer.escape(m.key), keyword: "additionalProperties",
                                message: "unexpected member"))
                    } else if let extra = additional {
                        extra.validate(m.value, pointer + "/" + JSONPointer.escape(m.key), &out, defs: defs)
                    }
                }
            case .array(let list):
                if let n = minItems, list.count < n { fail("minItems", "\(list.count) items, fewer than \(n)") }
                if let n = maxItems, list.count > n { fail("maxItems", "\(list.count) items, more than \(n)") }
                if let each = items { for (i, item) in list.enumerated() { each.validate(item, pointer + "/\(i)", &out, defs: defs) } }
            case .string(let text):
                if minLength != nil || maxLength != nil {
                    let length = text.unicodeScalars.count
                    if let n = minLength, length < n { fail("minLength", "\(length) characters, fewer than \(n)") }
                    if let n = maxLength, length > n { fail("maxLength", "\(length) characters, more than \(n)") }
                }
                if let p = pattern, !Self.matches(p, text) { fail("pattern", "\(JSONSchema.short(v)) does not match \(p.text)") }
                if dateTime, !JSONSchema.isDateTime(text) { fail("format", "\(JSONSchema.short(v)) is no RFC 3339 date-time") }
            case .number(let n):
                if let min = minimum, let x = Double(n), x < min.value { fail("minimum", "\(n) is under \(min.text)") }
                if let max = maximum, let x = Double(n), x > max.value { fail("maximum", "\(n) is over \(max.text)") }
            default: break
            }
            for sub in allOf { sub.validate(v, pointer, &out, defs: defs) }
            // A value matching no branch gets the violations of the branch it comes closest to.
            func closest(_ branches: [Node]) -> [Violation] {
                branches.map { b -> [Violation] in
                    var sub: [Violation] = []
                    b.validate(v, pointer, &sub, defs: defs)
                    return sub
                }.min { $0.count < $1.count } ?? []
            }
            if !anyOf.isEmpty, !anyOf.contains(where: { $0.matches(v, defs) }) {
                fail("anyOf", "matches none of \(anyOf.count) schemas")
                out += closest(anyOf)
            }
            if !oneOf.isEmpty {
                let n = oneOf.filter { $0.matches(v, defs) }.count
                if n != 1 { fail("oneOf", "matches \(n) of \(oneOf.count) schemas, not exactly one") }
                if n == 0 { out += closest(oneOf) }
            }
            if let not, not.matches(v, defs) { fail("not", "matches a schema it must not") }
        }

        func matches(_ v: JSONValue, _ defs: [String: Node]) -> Bool {
            var sub: [Violation] = []
            validate(v, "", &sub, defs: defs)
            return sub.isEmpty
        }

        /// A pattern of `SimplePattern`'s shape (the shipped schemas' all are) is checked without
        /// the regular expression engine.
        static func matches(_ p: (text: String, regex: NSRegularExpression, simple: SimplePattern?), _ text: String) -> Bool {
            if let simple = p.simple { return simple.matches(text) }
            return p.regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    /// Compiles a schema already checked by `check`.
    func compile(_ s: JSONValue) -> Node {
        let n = Node()
        if case .bool(let b) = s {
            n.constant = b
            return n
        }
        n.ref = s["$ref"]?.stringValue.map { String($0.dropFirst("#/$defs/".count)) }
        if let t = s["type"] { n.types = t.arrayValue?.compactMap(\.stringValue) ?? [t.stringValue ?? ""] }
        n.enumValues = s["enum"]?.arrayValue?.map { CanonicalJSON.string($0) }
        if let c = s["const"] {
            n.const = CanonicalJSON.string(c)
            n.constText = Self.short(c)
        }
        n.required = (s["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        for p in s["properties"]?.objectMembers ?? [] where n.properties[p.key] == nil { n.properties[p.key] = compile(p.value) }
        if let extra = s["additionalProperties"] {
            if case .bool(false) = extra { n.additionalFalse = true } else { n.additional = compile(extra) }
        }
        n.items = s["items"].map(compile)
        (n.minItems, n.maxItems) = (Self.int(s["minItems"]), Self.int(s["maxItems"]))
        (n.minLength, n.maxLength) = (Self.int(s["minLength"]), Self.int(s["maxLength"]))
        if let p = s["pattern"]?.stringValue, let regex = patterns[p] { n.pattern = (p, regex, SimplePattern(p)) }
        if let m = s["minimum"], let x = Self.double(m) { n.minimum = (x, Self.short(m)) }
        if let m = s["maximum"], let x = Self.double(m) { n.maximum = (x, Self.short(m)) }
        n.dateTime = s["format"]?.stringValue == "date-time"
        n.anyOf = (s["anyOf"]?.arrayValue ?? []).map(compile)
        n.oneOf = (s["oneOf"]?.arrayValue ?? []).map(compile)
        n.allOf = (s["allOf"]?.arrayValue ?? []).map(compile)
        n.not = s["not"].map(compile)
        return n
    }
}
