import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// PII findings' values coded (schema 34, `CompactAnnotations.piiCodes`): a field that points at
/// a top-level member of the row's data is stored as that member's index, a built-in type as
/// its index in `piiTypes`; every list expands back to its canonical bytes, and `lake_records`
/// gives back the fields and types.
@Suite struct PIICodesTests {
    static let mail = Array(
        #"{"a/b":"x@example.org","from":"Ada <ada@example.org>","phones":[{"value":"+1 415 555 0154"}],"subject":"s","ti~lde":"y@example.org","to":"b@example.org"}"#
            .utf8)

    static func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    /// A pointer of one step to a member is its index; one with more steps, or a `~` (a name
    /// with `/` or `~`), or to no member, stays; a custom type stays.
    @Test func fieldsAndBuiltInTypesAreStoredAsNumbers() {
        let findings = Array(
            (#"[{"end":21,"field":"/from","score":0.90,"start":5,"type":"EMAIL_ADDRESS"},"#
                + #"{"end":15,"field":"/phones/0/value","score":0.90,"start":0,"type":"PHONE_NUMBER"},"#
                + #"{"end":13,"field":"/a~1b","score":0.95,"start":0,"type":"US_NPI"},"#
                + #"{"end":13,"field":"/ti~0lde","score":0.90,"start":0,"type":"IBAN"},"#
                + #"{"end":13,"field":"/to","score":0.90,"start":0,"type":"IP_ADDRESS"},"#
                + #"{"end":1,"field":"/missing","score":0.90,"start":0,"type":"US_SSN"}]"#).utf8)
        let stored = CompactAnnotations.compactPII(findings, data: Self.mail)
        #expect(
            Self.text(stored)
                == #"[[21,1,0.90,5,0],[15,"/phones/0/value",0.90,0,1],[13,"/a~1b",0.95,0,"US_NPI"],[13,"/ti~0lde",0.90,0,4],[13,5,0.90,0,5],[1,"/missing",0.90,0,3]]"#
        )
        #expect(CompactAnnotations.expandPII(stored, data: Self.mail) == findings)
        // A list stored before schema 34 (its strings) reads as it is.
        let older = Array(#"[[21,"/from",0.90,5,"EMAIL_ADDRESS"]]"#.utf8)
        #expect(
            Self.text(CompactAnnotations.expandPII(older, data: Self.mail))
                == #"[{"end":21,"field":"/from","score":0.90,"start":5,"type":"EMAIL_ADDRESS"}]"#)
    }

    /// A code that names nothing (no member 9, no seventh type) leaves the stored bytes as they
    /// are: never a canonical list, so the record's checksum fails.
    @Test func aCodeThatNamesNothingStaysAsStored() {
        for bad in ["[[1,9,0.90,0,0]]", "[[1,1,0.90,0,6]]", "[[1,-1,0.90,0,0]]"] {
            #expect(Self.text(CompactAnnotations.expandPII(Array(bad.utf8), data: Self.mail)) == bad)
        }
    }

    /// Random findings against random data (names with `/`, `~`, quotes and accents): each list
    /// compacts to bytes no longer than it that expand back to it.
    @Test func randomFindingsRoundTrip() throws {
        var rng = SeededRandom(seed: 0x9111)
        let names = ["from", "to", "a/b", "~", "a\"b", "é", "e\u{301}", "text", "x"]
        let types = ["EMAIL_ADDRESS", "PHONE_NUMBER", "US_NPI", "IBAN", "CREDIT_CARD"]
        var coded = 0
        for n in 0..<500 {
            let members = Set((0..<Int.random(in: 0...5, using: &rng)).map { _ in names.randomElement(using: &rng)! })
                .map { JSONMember($0, .string("v")) }
            let data = CanonicalJSON.encode(.object(members))
            let list = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                let name = names.randomElement(using: &rng)!
                let pointer = "/" + name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                return JSONValue.object([
                    JSONMember("end", .number("3")), JSONMember("field", .string(Bool.random(using: &rng) ? pointer : pointer + "/0")),
                    JSONMember("score", .number("0.90")), JSONMember("start", .number("0")),
                    JSONMember("type", .string(types.randomElement(using: &rng)!)),
                ])
            }
            let canonical = CanonicalJSON.encode(.array(list))
            let stored = CompactAnnotations.compactPII(canonical, data: data)
            #expect(stored.count < canonical.count, "record \(n)")
            #expect(CompactAnnotations.expandPII(stored, data: data) == canonical, "record \(n): \(Self.text(stored))")
            if Self.text(stored).range(of: #"\[3,[0-9]"#, options: .regularExpression) != nil { coded += 1 }
        }
        #expect(coded > 100, "only \(coded) lists had a field stored as an index")
    }

    /// In a lake: the row stores the codes, and `lake_records` gives each finding's field and
    /// type back, for data stored as values (a kind's names) and stored whole.
    @Test func lakeRecordsGivesTheFieldsAndTypesBack() throws {
        let dir = TestPaths.scratch("pii-codes")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let pii =
            #"[{"end":21,"field":"/from","score":0.90,"start":5,"type":"EMAIL_ADDRESS"},{"end":13,"field":"/to","score":0.90,"start":0,"type":"US_NPI"}]"#
        var rows: [RecordRow] = []
        for (n, data) in [Self.text(Self.mail), #"{"from":"Ada <ada@example.org>","to":"b@example.org"}"#].enumerated() {
            let line = try JSONValueReader.parse(Array(CompactDataTests.lineTemplate.utf8))
                .setting("data", try JSONValueReader.parse(Array(data.utf8))).setting("id", .string(String(format: "%032x", n + 1)))
                .setting("pii", try JSONValueReader.parse(Array(pii.utf8)))
            rows.append(try RecordRow(line: CanonicalJSON.encode(line)))
        }
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in rows { try ins.insert(r) }
        }
        var stored: [String] = [], viewed: [String] = []
        try lake.database.prepare("SELECT pii FROM records ORDER BY rowid").forEachRow { stored.append($0.text(0) ?? "") }
        #expect(stored == [#"[[21,1,0.90,5,0],[13,5,0.90,0,"US_NPI"]]"#, #"[[21,0,0.90,5,0],[13,1,0.90,0,"US_NPI"]]"#])
        try lake.database.prepare(
            "SELECT group_concat((e.value ->> '$.field') || ' ' || (e.value ->> '$.type'), ';') FROM lake_records l, json_each(l.pii) e GROUP BY l.id ORDER BY l.id"
        ).forEachRow { viewed.append($0.text(0) ?? "") }
        #expect(viewed == Array(repeating: "/from EMAIL_ADDRESS;/to US_NPI", count: 2))
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        #expect(lines == rows.map(\.canonicalLine))
    }
}
