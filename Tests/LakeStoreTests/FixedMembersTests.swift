import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// Members whose values come from a short list, stored once in their kind (schema 33,
/// `CompactData.Rule.fixed`): the row holds `0`, the kind's entry the value; the export, the
/// reader and the views give back the canonical bytes; a kind has at most
/// `maxFixedShapesPerKind` such sets of names, and later values are stored in their rows.
@Suite struct FixedMembersTests {
    static func text(_ b: [UInt8]?) -> String { b.map { String(decoding: $0, as: UTF8.self) } ?? "nil" }

    /// Each listed member with a short value that is not an object is fixed; a value too long,
    /// an object, or a member not listed is stored; `fixing: false` fixes nothing.
    @Test func listedMembersWithShortValuesAreFixed() throws {
        let long = String(repeating: "x", count: CompactData.maxFixedBytes - 1)
        let object = Array(
            #"{"header":"YouTube","labels":["Inbox","Sent"],"page_transition":{"a":1},"products":["YouTube"],"source":"\#(long)","title":"Watched"}"#
                .utf8)
        let shaped = try #require(CompactData.shape(object))
        #expect(Self.text(shaped.data) == #"[0,0,{"a":1},0,"\#(long)","Watched"]"#)
        #expect(
            Self.text(shaped.keys)
                == #"[["header","v","YouTube"],["labels","v",["Inbox","Sent"]],"page_transition",["products","v",["YouTube"]],"source","title"]"#
        )
        #expect(CompactData.expand(shaped.data, keys: shaped.keys, millis: nil) == object)
        #expect(CompactData.hasFixed(shaped.keys))
        // The longest value fixed takes `maxFixedBytes`, quotes included.
        let edge = Array(#"{"source":"\#(String(repeating: "y", count: CompactData.maxFixedBytes - 2))"}"#.utf8)
        #expect(Self.text(try #require(CompactData.shape(edge)).data) == "[0]")
        let plain = try #require(CompactData.shape(object, fixing: false))
        #expect(Self.text(plain.keys) == #"["header","labels","page_transition","products","source","title"]"#)
        #expect(!CompactData.hasFixed(plain.keys))
        // A name holding the rule's bytes is a name, not an entry.
        #expect(!CompactData.hasFixed(Array(#"["a","v","z",["t","t"]]"#.utf8)))
        #expect(CompactData.expand(plain.data, keys: plain.keys, millis: nil) == object)
    }

    /// Names longer than `shape`'s stack buffer take its pass again on the heap, the same as shorter
    /// ones: around the limit, every object's names are the expected ones and expand back.
    @Test func longNamesAreMadeTheSameWay() throws {
        for fillers in [20, 24, 25, 26, 40] {
            let names = (0..<fillers).map { String(format: "member_%02d_", $0) + String(repeating: "n", count: 28) }
            var members = names.map { #""\#($0)":1"# }
            members.append(#""source":"WIFI""#)
            members.sort()
            let object = Array(("{" + members.joined(separator: ",") + "}").utf8)
            let shaped = try #require(CompactData.shape(object))
            let entries = (names + ["source"]).sorted().map { $0 == "source" ? #"["source","v","WIFI"]"# : #""\#($0)""# }
            let expected = "[" + entries.joined(separator: ",") + "]"
            #expect(Self.text(shaped.keys) == expected, "\(fillers) fillers, \(expected.utf8.count) bytes of names")
            #expect(CompactData.expand(shaped.data, keys: shaped.keys, millis: nil) == object)
        }
        // Each filler's entry takes 41 bytes: 20 fit on the stack, 40 do not.
        #expect(2 + 41 * 20 + 22 < CompactData.stackKeyBytes && 2 + 41 * 40 > CompactData.stackKeyBytes)
    }

    /// An entry without its value, a stored value other than `0`, or an entry cut short gives
    /// nothing back (the record's checksum then fails).
    @Test func brokenFixedEntriesDoNotExpand() {
        let cases: [(String, String)] = [
            ("[0]", #"[["header","v"]]"#), ("[1]", #"[["header","v","x"]]"#), (#"["x"]"#, #"[["header","v","x"]]"#),
            ("[0]", #"[["header","v","x"]"#), ("[0]", #"[["header","v","x",1]]"#), ("[0]", #"[["header","w","x"]]"#),
        ]
        for (data, keys) in cases {
            #expect(CompactData.expand(Array(data.utf8), keys: Array(keys.utf8), millis: nil) == nil, "\(data) under \(keys)")
        }
        #expect(
            Self.text(CompactData.expand(Array("[0]".utf8), keys: Array(#"[["header","v","x"]]"#.utf8), millis: nil)) == #"{"header":"x"}"#)
    }

    static func row(_ data: String, id: Int, kind: String = "activity") throws -> RecordRow {
        let template = CompactDataTests.lineTemplate.replacingOccurrences(
            of: #""record_kind":"location""#, with: "\"record_kind\":\"\(kind)\"")
        let line = try JSONValueReader.parse(Array(template.utf8)).setting("data", try JSONValueReader.parse(Array(data.utf8)))
            .setting("id", .string(String(format: "%032x", id)))
        return try RecordRow(line: CanonicalJSON.encode(line))
    }

    /// A kind gets `maxFixedShapesPerKind` sets of names with a fixed value; the records of
    /// later values store them, under one set of plain names; every record exports and reads
    /// back through `lake_records` and `activities` as its canonical line gives it.
    @Test func aKindKeepsAtMostItsShareOfFixedValues() throws {
        let dir = TestPaths.scratch("fixed-members")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let headers = (0..<(CompactData.maxFixedShapesPerKind + 10)).map { String(format: "Product %02d", $0) }
        let rows = try headers.enumerated().map { n, h in
            try Self.row(#"{"header":"\#(h)","products":["\#(h)"],"title":"t\#(n)"}"#, id: n + 1)
        }
        // A rolled-back transaction gives its sets of names back.
        _ = try? lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in rows.suffix(5) { try ins.insert(r) }
            throw LakeError(.lakeCorrupt, scope: .input, input: "test", message: "roll back")
        }
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in rows { try ins.insert(r) }
        }
        var fixed = 0, plain: [String] = []
        try lake.database.prepare("SELECT keys FROM record_kinds WHERE keys IS NOT NULL").forEachRow {
            if CompactData.hasFixed($0.bytes(0)) { fixed += 1 } else { plain.append($0.text(0) ?? "") }
        }
        #expect(fixed == CompactData.maxFixedShapesPerKind)
        #expect(plain == [#"["header","products","title"]"#])
        var stored: [String] = []
        try lake.database.prepare("SELECT data FROM records ORDER BY rowid").forEachRow { stored.append($0.text(0) ?? "") }
        #expect(stored.first == #"[0,0,"t0"]"#)
        #expect(stored.last == #"["Product 57",["Product 57"],"t57"]"#)
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        #expect(lines == rows.map(\.canonicalLine))
        var viewed: [String] = []
        try lake.database.prepare("SELECT header, products FROM activities ORDER BY idx").forEachRow {
            viewed.append(($0.text(0) ?? "null") + " " + ($0.text(1) ?? "null"))
        }
        #expect(viewed == headers.map { #"\#($0) ["\#($0)"]"# })
        var data: [String] = []
        try lake.database.prepare("SELECT data FROM lake_records ORDER BY id").forEachRow { data.append($0.text(0) ?? "") }
        #expect(data == rows.map { Self.text($0.columns.data) })
    }

    /// Each view column on a fixed member reads the value: a visit's transition, a point's
    /// source, a message's labels.
    @Test func theViewsReadFixedMembers() throws {
        let dir = TestPaths.scratch("fixed-views")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let rows = [
            try Self.row(#"{"page_transition":"LINK","title":"a","url":"https://example.org/"}"#, id: 1, kind: "browser_visit"),
            try Self.row(#"{"accuracy":5,"source":"WIFI"}"#, id: 2, kind: "location"),
            try Self.row(#"{"labels":["Inbox","Important"],"subject":"s","text_source":"text/plain"}"#, id: 3, kind: "email"),
        ]
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in rows { try ins.insert(r) }
        }
        var keys: [String] = []
        try lake.database.prepare("SELECT keys FROM record_kinds ORDER BY ref").forEachRow { keys.append($0.text(0) ?? "") }
        #expect(keys.allSatisfy { CompactData.hasFixed(Array($0.utf8)) }, "\(keys)")
        func one(_ sql: String) throws -> String {
            var out = "none"
            try lake.database.prepare(sql).forEachRow { out = $0.text(0) ?? "null" }
            return out
        }
        #expect(try one("SELECT page_transition FROM browser_visits") == "LINK")
        #expect(try one("SELECT source_kind FROM locations") == "WIFI")
        #expect(try one("SELECT labels FROM emails") == #"["Inbox","Important"]"#)
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        #expect(lines == rows.map(\.canonicalLine))
    }
}
