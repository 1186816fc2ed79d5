import LakeCore
import LakeParsers
import Testing

@testable import LakeValidate

@Suite struct RedactionTests {
    @Test func masksEveryFindingAndMovesItOntoItsMask() throws {
        let line = Array(
            #"""
            {"data":{"a":"é mail x@y.org or z@w.org","b":["tel +44 20 7946 0958"]},"entities":[{"kind":"email","method":"pattern","value":"x@y.org"},{"kind":"hashtag","method":"pattern","value":"t"}],"id":"r","lineage":[{"step":"parse.json","version":"1"}],"pii":[{"end":14,"field":"/a","score":0.98,"start":7,"type":"EMAIL_ADDRESS"},{"end":25,"field":"/a","score":0.98,"start":18,"type":"EMAIL_ADDRESS"},{"end":20,"field":"/b/0","score":0.98,"start":4,"type":"PHONE_NUMBER"}]}
            """#.utf8)
        let out = try JSONReader.parse(try Redaction.redact(line))
        let a = try #require(out["data"]?["a"]?.stringValue)
        #expect(a == "é mail [REDACTED:EMAIL_ADDRESS] or [REDACTED:EMAIL_ADDRESS]")
        #expect(out["data"]?["b"]?.arrayValue?.first?.stringValue == "tel [REDACTED:PHONE_NUMBER]")
        // Each finding now covers its mask, in code points.
        let scalars = Array(a.unicodeScalars)
        for f in try #require(out["pii"]?.arrayValue) where f["field"]?.stringValue == "/a" {
            let s = Int(CanonicalJSON.string(f["start"]!))!, e = Int(CanonicalJSON.string(f["end"]!))!
            #expect(String(String.UnicodeScalarView(scalars[s..<e])) == "[REDACTED:EMAIL_ADDRESS]")
        }
        #expect(out["entities"]?.arrayValue?.map { $0["value"]?.stringValue } == ["[REDACTED:EMAIL_ADDRESS]", "t"])
        #expect(out["lineage"]?.arrayValue?.last?["step"]?.stringValue == "export.redact")
        // Canonical again: the same bytes after a second encoding.
        #expect(CanonicalJSON.encode(out) == (try Redaction.redact(line)))
    }

    @Test func aRecordWithoutFindingsKeepsItsData() throws {
        let line = Array(#"{"data":{"a":"nothing here"},"entities":[],"id":"r","lineage":[],"pii":[]}"#.utf8)
        let out = try JSONReader.parse(try Redaction.redact(line))
        #expect(out["data"]?["a"]?.stringValue == "nothing here")
    }
}
