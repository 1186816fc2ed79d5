import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

@testable import LakeValidate

@Suite struct JSONSchemaTests {
    func schema(_ text: String) throws -> JSONSchema { try JSONSchema(try JSONReader.parse(Array(text.utf8)), name: "t") }
    func violations(_ schema: JSONSchema, _ instance: String) throws -> [String] {
        schema.validate(try JSONReader.parse(Array(instance.utf8))).map { "\($0.keyword) \($0.pointer)" }
    }

    /// A schema with every keyword of the subset (`TapeValidationTests` uses it too).
    static let everyKeyword = ##"""
        {"$defs": {"id": {"type": "string", "pattern": "^[0-9]+$"}},
         "type": "object", "required": ["id", "n"], "additionalProperties": false,
         "properties": {
           "id": {"$ref": "#/$defs/id"}, "n": {"type": "integer", "minimum": 1, "maximum": 9},
           "tags": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string", "minLength": 2, "maxLength": 3}},
           "kind": {"enum": ["a", "b", {"c": [1]}]}, "v": {"const": 1}, "at": {"type": "string", "format": "date-time"},
           "x": {"anyOf": [{"type": "null"}, {"type": "boolean"}]}, "y": {"oneOf": [{"type": "number"}, {"type": "integer"}]},
           "z": {"allOf": [{"type": "string"}], "not": {"const": "no"}},
           "w": {"type": "object", "additionalProperties": {"type": "integer"}}}}
        """##

    @Test func eachKeywordAcceptsAndRejects() throws {
        let s = try schema(Self.everyKeyword)
        #expect(
            try violations(
                s,
                #"{"id": "12", "n": 3, "tags": ["ab"], "kind": "a", "v": 1, "at": "2024-01-01T00:00:00.5+02:00", "x": null, "y": 1.5, "z": "ok"}"#
            ).isEmpty)
        #expect(try violations(s, #"{"id": "1a", "n": 3}"#) == ["pattern /id"])
        #expect(try violations(s, #"{"n": 1.5}"#) == ["required ", "type /n"])
        #expect(try violations(s, #"{"id": "1", "n": 10}"#) == ["maximum /n"])
        #expect(try violations(s, #"{"id": "1", "n": 0}"#) == ["minimum /n"])
        #expect(try violations(s, #"{"id": "1", "n": 1, "tags": []}"#) == ["minItems /tags"])
        #expect(
            try violations(s, #"{"id": "1", "n": 1, "tags": ["a", "abcd", "ab"]}"#) == [
                "maxItems /tags", "minLength /tags/0", "maxLength /tags/1",
            ])
        #expect(try violations(s, #"{"id": "1", "n": 1, "kind": "c", "v": 2}"#) == ["enum /kind", "const /v"])
        #expect(try violations(s, #"{"id": "1", "n": 1, "at": "2024-01-01 00:00"}"#) == ["format /at"])
        #expect(try violations(s, #"{"id": "1", "n": 1, "x": 1}"#).first == "anyOf /x")
        // 1 is a number and an integer: both branches match, which oneOf refuses.
        #expect(try violations(s, #"{"id": "1", "n": 1, "y": 1}"#) == ["oneOf /y"])
        #expect(try violations(s, #"{"id": "1", "n": 1, "z": "no"}"#) == ["not /z"])
        #expect(try violations(s, #"{"id": "1", "n": 1, "w~/": 0}"#) == ["additionalProperties /w~0~1"])
    }

    @Test(arguments: [
        #"{"type": "string", "unknownKeyword": 1}"#, ##"{"$ref": "#/$defs/missing"}"##, #"{"$ref": "other.json"}"#,
        #"{"pattern": "("}"#, #"{"format": "email"}"#, #"{"properties": {"a": 3}}"#,
    ])
    func aSchemaOutsideTheSubsetIsRefused(text: String) throws {
        let error = #expect(throws: LakeError.self) { try schema(text) }
        #expect(error?.rule == .schemaInvalid)
    }

    @Test func everyShippedSchemaReads() {
        let names = ExportSchemas.declaredNames
        #expect(names.count == 18, "\(names)")
        #expect(Set(ExportSchemas.all.keys) == Set(names))
    }

    @Test func dateTimesFollowRFC3339() {
        for good in ["2024-01-15T10:30:00Z", "2024-01-15T10:30:00.123456Z", "2024-01-15t10:30:00z", "2024-01-15 10:30:00+05:30"] {
            #expect(JSONSchema.isDateTime(good), "\(good)")
        }
        for bad in [
            "2024-01-15T10:30:00", "2024-01-15T10:30Z", "2024-01-15T10:30:00.Z", "2024-01-15T10:30:00+0530", "15.01.2024 10:30:00Z",
        ] {
            #expect(!JSONSchema.isDateTime(bad), "\(bad)")
        }
    }
}
