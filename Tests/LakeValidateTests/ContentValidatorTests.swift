import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakeValidate

@Suite struct ContentValidatorTests {
    func record(data: JSONValue, time: String? = nil, language: String? = nil, entities: [LakeRecord.Entity] = []) -> LakeRecord {
        LakeRecord(
            id: "x", source: .init(input: "in", inputSHA256: "00", path: "p", index: 0), exportKind: "generic", recordKind: "generic",
            occurredAt: time, sourceOffset: nil, user: "u", partition: "undated", shards: [0], category: "other", language: language,
            languageMethod: nil, data: data, pii: [], entities: entities, lineage: [.init("parse.json", version: "1")], contentHash: "0")
    }

    @Test func findingsCarryPointerOffsetsAndScore() {
        var r = record(
            data: .object([
                .init("note", .string("mail ana@example.org")),
                .init("a/b", .array([.string("nothing"), .string("tel +44 20 7946 0958")])),
            ]))
        ContentValidator().validate(&r)
        #expect(
            CanonicalJSON.string(.array(r.pii))
                == #"[{"end":20,"field":"/note","score":0.98,"start":5,"type":"EMAIL_ADDRESS"},"#
                + #"{"end":20,"field":"/a~1b/1","score":0.98,"start":4,"type":"PHONE_NUMBER"}]"#)
        #expect(r.lineage.last == .init("validate.pii", version: "2"))
        #expect(r.dataClass == "personal")
    }

    @Test func dataClassFollowsWhatTheRecordHolds() {
        var plain = record(data: .object([.init("setting", .string("dark mode"))]))
        ContentValidator().validate(&plain)
        #expect(plain.dataClass == "system")
        #expect(plain.lineage.count == 1)
        var event = record(data: .object([.init("title", .string("Visited a page"))]), time: "2024-01-01T00:00:00.000Z")
        ContentValidator().validate(&event)
        #expect(event.dataClass == "analytics")
        var text = record(data: .object([.init("t", .string("hello"))]), time: "2024-01-01T00:00:00.000Z", language: "en")
        ContentValidator().validate(&text)
        #expect(text.dataClass == "personal")
        var place = record(data: .object([]), entities: [.init(kind: "place", value: "1,2", method: "coordinates")])
        ContentValidator().validate(&place)
        #expect(place.dataClass == "personal")
    }

    @Test func scoresAreWrittenWithTwoDecimals() {
        #expect(ContentValidator.Finding.hundredths(85) == "0.85")
        #expect(ContentValidator.Finding.hundredths(100) == "1.00")
        #expect(ContentValidator.Finding.hundredths(7) == "0.07")
    }

    static let patterns = TestPaths.corpus + "/pii/patterns"

    @Test func shippedPatternSetsFindTheirIdentifiers() throws {
        let custom =
            try CustomPIIPattern.load(file: Self.patterns + "/healthcare.json")
            + CustomPIIPattern.load(file: Self.patterns + "/financial.json")
        let scanner = PIIScanner(custom: custom)
        func types(_ s: String) -> [String] { scanner.scan(s, field: "note").map(\.type) }
        #expect(types("provider NPI 1234567893") == ["US_NPI"])
        #expect(types("provider NPI 1234567890").isEmpty)  // check digit wrong
        #expect(types("DEA AB1234563 on file") == ["US_DEA_NUMBER"])
        #expect(types("DEA AB1234564 on file").isEmpty)
        #expect(types("NHS number 943 476 5919") == ["UK_NHS_NUMBER"])
        // With a wrong check digit it is only the NANP-shaped phone number it also is.
        #expect(types("NHS number 943 476 5918") == ["PHONE_NUMBER"])
        #expect(types("Medicare 1EG4-TE5-MK73") == ["US_MEDICARE_MBI"])
        #expect(types("routing 011000015") == ["US_ABA_ROUTING"])
        #expect(types("011000015").isEmpty)  // 0.78 without a context word
        #expect(types("SWIFT DEUTDEFF500") == ["SWIFT_BIC"])
        #expect(types("EIN 12-3456789") == ["US_EIN"])
    }

    @Test func badPatternFilesAreUsageErrors() throws {
        let dir = TestPaths.scratch("pii-patterns")
        defer { TestPaths.remove(dir) }
        let cases = [
            "not json", #"{"sets": []}"#, #"{"sets": [{"name": "x", "patterns": [{"type": "lower", "pattern": "a", "score": 0.9}]}]}"#,
            #"{"sets": [{"name": "x", "patterns": [{"type": "A", "pattern": "(", "score": 0.9}]}]}"#,
            #"{"sets": [{"name": "x", "patterns": [{"type": "A", "pattern": "a", "check": "crc", "score": 0.9}]}]}"#,
            #"{"sets": [{"name": "x", "patterns": [{"type": "A", "pattern": "a", "score": 2}]}]}"#,
        ]
        for (i, text) in cases.enumerated() {
            let file = dir + "/\(i).json"
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let error = #expect(throws: LakeError.self) { try CustomPIIPattern.load(file: file) }
            #expect(error?.rule == .piiPatternsInvalid && error?.scope == .usage, "\(text)")
        }
        #expect(throws: LakeError.self) { try CustomPIIPattern.load(file: dir + "/missing.json") }
    }
}
