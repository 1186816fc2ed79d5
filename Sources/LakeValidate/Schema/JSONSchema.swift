import Foundation
import LakeCore

/// A JSON Schema of the documented subset of draft 2020-12 (docs/SPEC.md 5.12), checked
/// against JSON values. Unknown keywords are refused when the schema is read, so a schema
/// never silently asks for less than it says.
///
/// ```swift
/// let schema = try JSONSchema(schemaJSON, name: "twitter.tweet")
/// schema.validate(element)  // [Violation(pointer: "/tweet/id_str", keyword: "type", ...)]
/// ```
public final class JSONSchema: @unchecked Sendable {
    /// One way the instance does not fit.
    public struct Violation: Equatable, Sendable, CustomStringConvertible {
        /// Where, as a JSON pointer into the instance (RFC 6901).
        public var pointer: String
        public var keyword: String
        public var message: String
        public var description: String { "\(pointer.isEmpty ? "/" : pointer): \(message)" }
    }

    /// The keywords of the subset: assertions, applicators, and annotations (ignored).
    static let keywords: Set<String> = [
        "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "minLength",
        "maxLength", "pattern", "minimum", "maximum", "format", "anyOf", "oneOf", "allOf", "not", "$ref", "$defs", "$schema", "$id",
        "$comment", "title", "description", "examples",
    ]
    /// At most this many violations are reported per instance.
    public static let maxViolations = 16

    public let name: String
    let root: JSONValue
    var patterns: [String: NSRegularExpression] = [:]
    /// The schema compiled once into nodes, and its `$defs` by name.
    private(set) var compiled = Node()
    private(set) var defs: [String: Node] = [:]
    /// `compiled`, read by `conforms` without a retain (`JSONSchema.Node.TapeLinks`); set by `init`.
    private(set) var compiledRoot: Unmanaged<Node>?

    /// - Throws: `LakeError` `schema.invalid` (scope internal: the schemas ship with datapunk)
    ///   for a keyword outside the subset, a `$ref` that is not `#/$defs/<name>` of this
    ///   schema, or a pattern that does not compile.
    public init(_ schema: JSONValue, name: String) throws {
        self.name = name
        root = schema
        try check(schema, at: "")
        for d in schema["$defs"]?.objectMembers ?? [] { defs[d.key] = compile(d.value) }
        compiled = compile(schema)
        compiledRoot = Unmanaged.passUnretained(compiled)
        linkForTape()
    }

    private func check(_ s: JSONValue, at path: String) throws {
        func invalid(_ why: String) -> LakeError {
            LakeError(.schemaInvalid, scope: .internal, message: "schema \(name) at \(path.isEmpty ? "/" : path): \(why)")
        }
        if case .bool = s { return }
        guard let members = s.objectMembers else { throw invalid("a schema must be an object or a boolean") }
        for m in members {
            guard Self.keywords.contains(m.key) else { throw invalid("keyword \(m.key) is not in the subset") }
            switch m.key {
            case "properties", "$defs":
                for p in m.value.objectMembers ?? [] { try check(p.value, at: path + "/" + m.key + "/" + p.key) }
            case "items", "additionalProperties", "not": try check(m.value, at: path + "/" + m.key)
            case "anyOf", "oneOf", "allOf":
                for (i, sub) in (m.value.arrayValue ?? []).enumerated() { try check(sub, at: path + "/\(m.key)/\(i)") }
            case "$ref":
                guard let ref = m.value.stringValue, ref.hasPrefix("#/$defs/"), resolve(ref) != nil else {
                    throw invalid("$ref must name #/$defs/<name> of this schema")
                }
            case "format":
                guard m.value.stringValue == "date-time" else {
                    throw invalid("format \(Self.short(m.value)) is not known (only date-time)")
                }
            case "pattern":
                guard let p = m.value.stringValue, let regex = try? NSRegularExpression(pattern: p) else {
                    throw invalid("pattern does not compile")
                }
                patterns[p] = regex
            default: break
            }
        }
    }

    func resolve(_ ref: String) -> JSONValue? { root["$defs"]?[String(ref.dropFirst("#/$defs/".count))] }

    /// Every violation of `instance`, in schema order, at most `maxViolations`.
    public func validate(_ instance: JSONValue) -> [Violation] {
        var out: [Violation] = []
        compiled.validate(instance, "", &out, defs: defs)
        return Array(out.prefix(Self.maxViolations))
    }

    static func isType(_ v: JSONValue, _ t: String) -> Bool {
        switch (t, v) {
        case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("string", .string), ("number", .number):
            return true
        case ("integer", .number(let n)): return isIntegerText(n.utf8)
        default: return false
        }
    }

    /// Whether a JSON number's text is an integer's: no fraction and no exponent.
    static func isIntegerText(_ text: some Sequence<UInt8>) -> Bool { !text.contains { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 } }

    static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func int(_ v: JSONValue?) -> Int? { v.flatMap(double).map { Int($0) } }
    static func double(_ v: JSONValue) -> Double? { if case .number(let n) = v { return Double(n) } else { return nil } }
    static func short(_ v: JSONValue) -> String {
        let s = CanonicalJSON.string(v)
        return s.unicodeScalars.count > 40 ? String(scalars: s.unicodeScalars.prefix(40)) + "…" : s
    }

    /// RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, `t`/`z` and a space
    /// for `T` accepted.
    static func isDateTime(_ s: String) -> Bool {
        var s = s
        return s.withUTF8(isDateTime)
    }

    /// `isDateTime` of the text whose UTF-8 is `b`.
    static func isDateTime(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        func digits(_ r: Range<Int>) -> Bool { r.upperBound <= b.count && r.allSatisfy { b[$0] >= 0x30 && b[$0] <= 0x39 } }
        guard b.count >= 20, digits(0..<4), b[4] == 0x2D, digits(5..<7), b[7] == 0x2D, digits(8..<10),
            b[10] == 0x54 || b[10] == 0x74 || b[10] == 0x20, digits(11..<13), b[13] == 0x3A, digits(14..<16), b[16] == 0x3A,
            digits(17..<19)
        else { return false }
        var i = 19
        if b[i] == 0x2E {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        if b[i] == 0x5A || b[i] == 0x7A { return i + 1 == b.count }
        return (b[i] == 0x2B || b[i] == 0x2D) && i + 6 == b.count && digits((i + 1)..<(i + 3)) && b[i + 3] == 0x3A
            && digits((i + 4)..<(i + 6))
    }

    /// The value of a JSON number spelled as an integer of at most 15 digits (`-458512204`),
    /// which `Double(String)` gives exactly too; nil for any other spelling (then the caller
    /// parses the text).
    static func smallInteger(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let negative = b.first == 0x2D
        let digits = negative ? UnsafeBufferPointer(rebasing: b.dropFirst()) : b
        guard !digits.isEmpty, digits.count <= 15 else { return nil }
        var value: Int64 = 0
        for d in digits {
            guard d &- 0x30 < 10 else { return nil }
            value = value &* 10 &+ Int64(d &- 0x30)
        }
        return negative ? -Double(value) : Double(value)
    }
}
