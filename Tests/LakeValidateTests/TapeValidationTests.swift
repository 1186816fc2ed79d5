import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

@testable import LakeValidate

/// The checks the workers run on a `JSONTape` decide as the checks on values do: a schema's
/// `conforms` is `validate(…).isEmpty` (on every shipped schema and on one with every keyword,
/// with instances drawn from the schemas themselves), and `findsNothing` is
/// `findings(in:).isEmpty`.
@Suite struct TapeValidationTests {
    /// An instance shaped by `node` most of the time, with wrong types, extra members and
    /// missing ones mixed in.
    static func instance(_ node: JSONSchema.Node, _ defs: [String: JSONSchema.Node], _ rng: inout SeededRandom, depth: Int) -> JSONValue {
        if let ref = node.ref, let target = defs[ref], Int.random(in: 0..<4, using: &rng) > 0 {
            return instance(target, defs, &rng, depth: depth)
        }
        let strings = ["", "12", "ab", "abcd", "no", "ok", "2024-01-01T00:00:00Z", "2024-01-01 00:00", "a", "b"]
        let numbers = ["0", "1", "1.5", "10", "-3", "1e3", "9"]
        if depth > 5 || Int.random(in: 0..<10, using: &rng) == 0 {
            return [.null, .bool(true), .number("1"), .string("x"), .array([]), .object([])].randomElement(using: &rng)!
        }
        if let e = node.enumValues, let pick = e.randomElement(using: &rng), Bool.random(using: &rng) {
            return (try? JSONReader.parse(Array(pick.utf8))) ?? .null
        }
        let type = node.types?.randomElement(using: &rng) ?? (node.properties.isEmpty ? (node.items == nil ? "string" : "array") : "object")
        switch type {
        case "object":
            var members: [JSONMember] = []
            for (key, child) in node.properties.sorted(by: { $0.key < $1.key }) where Int.random(in: 0..<5, using: &rng) > 0 {
                members.append(JSONMember(key, instance(child, defs, &rng, depth: depth + 1)))
            }
            if Int.random(in: 0..<6, using: &rng) == 0 { members.append(JSONMember("extra", .string("x"))) }
            members.shuffle(using: &rng)
            return .object(members)
        case "array":
            let item = node.items ?? JSONSchema.Node()
            return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in instance(item, defs, &rng, depth: depth + 1) })
        case "integer", "number": return .number(numbers.randomElement(using: &rng)!)
        case "boolean": return .bool(Bool.random(using: &rng))
        case "null": return .null
        default: return .string(strings.randomElement(using: &rng)!)
        }
    }

    static func check(_ schema: JSONSchema, _ rng: inout SeededRandom, count: Int) throws -> (fit: Int, misfit: Int) {
        var fit = 0, misfit = 0
        for n in 0..<count {
            let value = instance(schema.compiled, schema.defs, &rng, depth: 0)
            let tape = try JSONTape(bytes: CanonicalJSON.encode(value))
            let expected = schema.validate(value).isEmpty
            #expect(schema.conforms(tape) == expected, "\(schema.name) instance \(n): \(CanonicalJSON.string(value))")
            if expected { fit += 1 } else { misfit += 1 }
        }
        return (fit, misfit)
    }

    /// The object of `members` (each `"key":value`) checked on a tape and as a value: the two
    /// must agree. Returns whether it fits.
    static func decidesAlike(_ schema: JSONSchema, _ members: [String], _ n: Int) throws -> Bool {
        let bytes = Array(("{" + members.joined(separator: ",") + "}").utf8)
        let expected = schema.validate(try JSONReader.parse(bytes)).isEmpty
        #expect(schema.conforms(try JSONTape(bytes: bytes)) == expected, "instance \(n): \(String(decoding: bytes, as: UTF8.self))")
        return expected
    }

    @Test func conformsDecidesAsValidateOnEveryShippedSchema() throws {
        var rng = SeededRandom(seed: 0x5C4E)
        var fit = 0, misfit = 0
        for name in ExportSchemas.all.keys.sorted() {
            let r = try Self.check(ExportSchemas.all[name]!, &rng, count: 150)
            fit += r.fit
            misfit += r.misfit
        }
        #expect(fit > 100 && misfit > 100, "\(fit) fit, \(misfit) do not")
    }

    @Test func conformsDecidesAsValidateOnEveryKeyword() throws {
        let schema = try JSONSchema(try JSONReader.parse(Array(JSONSchemaTests.everyKeyword.utf8)), name: "every-keyword")
        // Each member fits or not on purpose, so that whole instances fit often enough.
        let pools: [(key: String, fits: [String], misfits: [String])] = [
            ("id", [#""12""#, #""7""#], [#""1a""#, "3"]), ("n", ["1", "5", "9"], ["0", "10", "1.5", #""3""#]),
            ("tags", [#"["ab"]"#, #"["ab","abc"]"#], ["[]", #"["a"]"#, #"["ab","ab","ab"]"#, "[1]"]),
            ("kind", [#""a""#, #"{"c":[1]}"#], [#""c""#, #"{"c":[2]}"#]), ("v", ["1", "1.0"], ["2"]),
            ("at", [#""2024-01-01T00:00:00.5+02:00""#], [#""2024-01-01 00:00""#]), ("x", ["null", "true"], ["1"]),
            ("y", ["1.5"], ["1", #""s""#]), ("z", [#""ok""#], [#""no""#, "3"]), ("w", [#"{"a":1}"#, "{}"], [#"{"a":"s"}"#]),
            ("q", [], ["1"]),
        ]
        var rng = SeededRandom(seed: 0x4B57)
        var fit = 0, misfit = 0
        for n in 0..<3000 {
            var members: [String] = []
            for pool in pools where ["id", "n"].contains(pool.key) || Int.random(in: 0..<3, using: &rng) == 0 {
                let good = !pool.fits.isEmpty && Int.random(in: 0..<6, using: &rng) > 0
                members.append("\"\(pool.key)\":" + (good ? pool.fits : pool.misfits).randomElement(using: &rng)!)
            }
            if try Self.decidesAlike(schema, members.shuffled(using: &rng), n) { fit += 1 } else { misfit += 1 }
        }
        #expect(fit > 300 && misfit > 300, "\(fit) fit, \(misfit) do not")
    }

    /// Keys compared by bytes where that decides as String's `==` does (ASCII names and keys),
    /// and as `validate` does everywhere else: a key written with escapes, a key canonically
    /// equivalent to an ASCII name (U+212A KELVIN SIGN is K), NFD against an NFC name, repeated
    /// keys, a missing required name; on a schema whose names are all ASCII and on one with a
    /// non-ASCII name.
    @Test func keysDecideAsValidateDoes() throws {
        let schemas = [
            #"{"type":"object","required":["K","id"],"properties":{"K":{"type":"integer"},"id":{"type":"string"}},"additionalProperties":false}"#,
            #"{"type":"object","required":["K","caf\u00e9"],"properties":{"K":{"type":"integer"},"caf\u00e9":{"type":"string"}},"additionalProperties":{"type":"null"}}"#,
        ]
        let instances = [
            #"{"K":1,"id":"x"}"#, #"{"\u212a":1,"id":"x"}"#, #"{"\u004b":1,"\u0069d":"x"}"#, #"{"K":"s","id":"x"}"#,
            #"{"id":"x"}"#, #"{"K":1,"id":"x","id":2}"#, #"{"K":1,"id":"x","other":null}"#, #"{"K":1,"caf\u00e9":"x"}"#,
            #"{"K":1,"cafe\u0301":"x"}"#, #"{"\u212a":1,"cafe\u0301":"x","zz":null}"#, #"{"K":1,"caf\u00e9":2}"#, "{}",
            // A key that is a name's prefix or extension is another key.
            #"{"K":1,"i":"x"}"#, #"{"K":1,"idx":"x"}"#, #"{"KK":1,"id":"x"}"#, #"{"K":1,"id":"x","":null}"#,
        ]
        var seen = Set<Bool>()
        for (n, text) in schemas.enumerated() {
            let schema = try JSONSchema(try JSONReader.parse(Array(text.utf8)), name: "keys-\(n)")
            #expect((schema.compiled.byteNames != nil) == (n == 0))
            for instance in instances {
                let bytes = Array(instance.utf8)
                let expected = schema.validate(try JSONReader.parse(bytes)).isEmpty
                #expect(schema.conforms(try JSONTape(bytes: bytes)) == expected, "schema \(n), \(instance)")
                seen.insert(expected)
            }
        }
        #expect(seen == [true, false])
    }

    /// Objects with no property name: open (nothing constrains their members), closed
    /// (`additionalProperties: false`), with a schema for every member, or asked only for names
    /// (one of them equivalent to U+212A KELVIN SIGN, a key only the String path finds); each reached through
    /// `$ref`, `items`, `allOf`, `anyOf`, `oneOf` and `not`, as the tape's check follows those
    /// without looking anything up.
    @Test func objectsWithoutNamesAndEveryLinkDecideAsValidateDoes() throws {
        let text = #"""
            {"$defs":{"open":{"type":"object"},"closed":{"type":"object","additionalProperties":false},
            "nulls":{"additionalProperties":{"type":"null"}},"names":{"required":["K","m"]}},
            "type":"object","properties":{"o":{"$ref":"#/$defs/open"},"c":{"$ref":"#/$defs/closed"},
            "n":{"items":{"$ref":"#/$defs/nulls"}},"a":{"allOf":[{"$ref":"#/$defs/nulls"},{"type":"object"}]},
            "y":{"anyOf":[{"$ref":"#/$defs/closed"},{"type":"string"}]},"e":{"oneOf":[{"$ref":"#/$defs/open"},{"$ref":"#/$defs/nulls"}]},
            "x":{"not":{"$ref":"#/$defs/closed"}},"r":{"anyOf":[{"$ref":"#/$defs/names"},{"type":"array"}]}}}
            """#
        let schema = try JSONSchema(try JSONReader.parse(Array(text.utf8)), name: "open-and-closed")
        let values = [
            "{}", #"{"k":1}"#, #"{"k":null}"#, #"{"\u212a":null,"m":null}"#, #"{"m":1,"\u212a":2}"#, #"{"K":1,"m":2,"K":3}"#,
            #"{"m":2}"#, #""s""#, "[{}]", #"[{"k":2}]"#, "3",
        ]
        var rng = SeededRandom(seed: 0x0BEC)
        var fit = 0, misfit = 0
        for n in 0..<2000 {
            let members = ["o", "c", "n", "a", "y", "e", "x", "r"].filter { _ in Bool.random(using: &rng) }.map {
                "\"\($0)\":" + values.randomElement(using: &rng)!
            }
            if try Self.decidesAlike(schema, members, n) { fit += 1 } else { misfit += 1 }
        }
        #expect(fit > 50 && misfit > 300, "\(fit) fit, \(misfit) do not")
    }

    /// Names that share a signature (length, first, middle and last bytes) are told apart by
    /// their bytes; a name required twice is one key; numbers read as integers from their bytes
    /// compare with `minimum` and `maximum` as `Double(text)` does, and a lone `date-time` on
    /// the bytes decides as on the text.
    @Test func keysOfOneSignatureAndNumbersAndTimesByBytes() throws {
        let text = #"""
            {"type":"object","required":["aXbYc","lat","aXbYc"],"properties":{"aXbYc":{"type":"integer"},
            "aZbYc":{"type":"string"},"lat":{"type":"number","minimum":-900000000,"maximum":900000000},
            "at":{"type":"string","format":"date-time"}},"additionalProperties":{"type":"null"}}
            """#
        let schema = try JSONSchema(try JSONReader.parse(Array(text.utf8)), name: "signatures")
        #expect(schema.compiled.byteNames != nil)
        let numbers = [
            "900000000", "900000001", "-900000000", "-900000001", "0", "-0", "899999999.5", "9e8", "9.00000001e8",
            "123456789012345", "-123456789012345", "1234567890123456", "90000000000000000", "1.5",
        ]
        let times = [
            #""2017-07-17T14:30:34.613Z""#, #""2017-07-17t14:30:34Z""#, #""2017-07-17 14:30:34+02:00""#,
            #""2017-07-17T14:30:34.Z""#, #""2017-07-17T14:30""#, #""2017-07-17T14:30:34+0200""#, "7",
        ]
        let pool: [(key: String, values: [String])] = [
            ("aXbYc", ["1", #""s""#]), ("aZbYc", [#""s""#, "1"]), ("aQbYc", ["null", "1"]), ("lat", numbers), ("at", times),
        ]
        var rng = SeededRandom(seed: 0x516E)
        var fit = 0, misfit = 0
        for n in 0..<3000 {
            var members: [String] = []
            for p in pool where Int.random(in: 0..<5, using: &rng) > 0 {
                // The first value fits: picked half the time, so that whole instances fit often enough.
                let value = Bool.random(using: &rng) ? p.values[0] : p.values.randomElement(using: &rng)!
                members.append("\"\(p.key)\":" + value)
            }
            if try Self.decidesAlike(schema, members.shuffled(using: &rng), n) { fit += 1 } else { misfit += 1 }
        }
        #expect(fit > 300 && misfit > 300, "\(fit) fit, \(misfit) do not")
        for _ in 0..<5000 {
            let digits = (0..<Int.random(in: 1...18, using: &rng)).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            let spelled = (Bool.random(using: &rng) ? "-" : "") + digits
            let bytes = Array(spelled.utf8)
            let value = bytes.withUnsafeBufferPointer(JSONSchema.smallInteger)
            #expect(value == nil ? digits.count > 15 : value == Double(spelled), "\(spelled)")
        }
    }

    static let texts = [
        "plain words", "mail ana@example.org", "tel +44 20 7946 0958", "4111 1111 1111 1111", "1500000000000", "WIFI", "",
        "192.168.0.1", "DE89 3704 0044 0532 0130 00",
    ]
    static let keys = ["note", "phone", "email", "source", "timestamp_ms", "a/b", "iban", "Z~", "0"]

    /// Random record data: strings with and without PII under keys that change the scan (and
    /// need escaping in a pointer), in arrays and objects whose members are not in canonical order.
    static func randomData(_ rng: inout SeededRandom) -> JSONValue {
        func value(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 2 ? 2 : 4), using: &rng) {
            case 0: return .string(texts.randomElement(using: &rng)!)
            case 1: return .number("42")
            case 2: return .array((0..<Int.random(in: 1...3, using: &rng)).map { _ in value(depth + 1) })
            default:
                var seen = Set<String>()
                return .object(
                    (0..<Int.random(in: 1...3, using: &rng)).compactMap { _ in
                        let key = keys.randomElement(using: &rng)!
                        return seen.insert(key).inserted ? JSONMember(key, value(depth + 1)) : nil
                    })
            }
        }
        return .object([JSONMember(keys.randomElement(using: &rng)!, value(0))])
    }

    @Test func findsNothingDecidesAsFindings() throws {
        let validator = ContentValidator()
        var rng = SeededRandom(seed: 0xF1D5)
        var nothing = 0, something = 0
        for n in 0..<1500 {
            let data = Self.randomData(&rng)
            let expected = validator.findings(in: data).isEmpty
            #expect(validator.findsNothing(in: try JSONTape(bytes: CanonicalJSON.encode(data))) == expected, "data \(n)")
            if expected { nothing += 1 } else { something += 1 }
        }
        #expect(nothing > 100 && something > 100, "\(nothing) with nothing, \(something) with findings")
    }

    /// A record validated on its data's tape gets the `pii`, lineage and data class `validate`
    /// gives its value, or is left to it (false) exactly when strings of two members have
    /// findings (then their order may differ: canonical against stored).
    @Test func validatingOnTheTapeIsValidatingTheValue() throws {
        let validator = ContentValidator()
        var rng = SeededRandom(seed: 0x7A9E)
        var (none, one, two) = (0, 0, 0)
        for n in 0..<3000 {
            let data = Self.randomData(&rng)
            var general = LakeRecord(
                id: "x", source: .init(input: "in", inputSHA256: "00", path: "p", index: 0), exportKind: "generic",
                recordKind: "generic", occurredAt: n % 2 == 0 ? nil : "2024-01-01T00:00:00.000Z", sourceOffset: nil, user: "u",
                partition: "undated", shards: [0], category: "other", language: nil, languageMethod: nil, data: data, pii: [],
                entities: [], lineage: [.init("parse.json", version: "1")], contentHash: "0")
            var direct = general
            direct.data = .object([])
            validator.validate(&general)
            let before = direct
            let strings = Set(general.pii.compactMap { $0["field"]?.stringValue }).count
            let taken = validator.validate(&direct, data: try JSONTape(bytes: CanonicalJSON.encode(data)))
            #expect(taken == (strings <= 1), "data \(n): \(CanonicalJSON.string(data))")
            if taken {
                #expect(direct.pii == general.pii && direct.lineage == general.lineage, "data \(n): \(CanonicalJSON.string(data))")
                #expect(direct.dataClass == general.dataClass, "data \(n)")
            } else {
                #expect(direct == before, "data \(n): a record left to the general way is left as it was")
            }
            switch strings {
            case 0: none += 1
            case 1: one += 1
            default: two += 1
            }
        }
        #expect(none > 300 && one > 300 && two > 100, "\(none) with no finding, \(one) in one string, \(two) in two or more")
    }
}
