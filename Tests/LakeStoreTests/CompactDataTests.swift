import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// A record's `data` stored without its member names (schema 29, `CompactData`): the values in
/// the row, the names once in its kind's row, the canonical JSON given back byte for byte by
/// the reader and by the views.
@Suite struct CompactDataTests {
    static let point = Array(
        #"{"accuracy":888,"device_tag":-1563555467,"geo":{"lat":50.943748,"lng":6.979271},"latitude_e7":509437480,"longitude_e7":69792710,"source":"WIFI","timestamp_ms":"1597907974138"}"#
            .utf8)

    /// A location point: its values in canonical order, nested objects with their names, and
    /// the names as an array of their canonical strings.
    @Test func aPointIsStoredAsItsValues() throws {
        let shaped = try #require(CompactData.shape(Self.point))
        #expect(
            String(decoding: shaped.data, as: UTF8.self)
                == #"[888,-1563555467,0,509437480,69792710,0,"1597907974138"]"#)
        #expect(
            String(decoding: shaped.keys, as: UTF8.self)
                == #"["accuracy","device_tag",["geo","e7",3,4],"latitude_e7","longitude_e7",["source","v","WIFI"],"timestamp_ms"]"#)
        #expect(CompactData.expand(shaped.data, keys: shaped.keys, millis: nil) == Self.point)
        // Names equal to those held are given back as them, not made again.
        let again = try #require(CompactData.shape(Self.point, held: shaped.keys))
        #expect(again.keys.withUnsafeBufferPointer { $0.baseAddress } == shaped.keys.withUnsafeBufferPointer { $0.baseAddress })
        let other = try #require(CompactData.shape(Array(#"{"accuracy":1}"#.utf8), held: shaped.keys))
        #expect(String(decoding: other.keys, as: UTF8.self) == #"["accuracy"]"#)
    }

    /// Names held from the last record are given back only when every entry matches, a derived
    /// one's rule included: points whose `source` (a fixed value), time (as milliseconds, text or
    /// digits) or point (its E7 members at other places) differ keep names of their own.
    @Test func heldNamesMatchDerivedEntriesWhole() throws {
        let millis: Int64 = 1_597_907_974_138
        var objects: [[UInt8]] = []
        for source in ["WIFI", "GPS", "WIFX"] {
            for time in [#""1597907974138""#, "1597907974138", #""2020-08-20T07:19:34.138Z""#] {
                for extra in ["", #""altitude":12,"#] {
                    objects.append(
                        Array(
                            (#"{"accuracy":888,\#(extra)"device_tag":-1563555467,"geo":{"lat":50.943748,"lng":6.979271},"#
                                + #""latitude_e7":509437480,"longitude_e7":69792710,"source":"\#(source)","timestamp_ms":\#(time)}"#)
                                .utf8))
                }
            }
        }
        var distinct = Set<[UInt8]>()
        for a in objects {
            let first = try #require(CompactData.shape(a, millis: millis))
            distinct.insert(first.keys)
            for b in objects {
                let alone = try #require(CompactData.shape(b, millis: millis))
                let after = try #require(CompactData.shape(b, held: first.keys, millis: millis))
                #expect(after.keys == alone.keys && after.data == alone.data, "\(String(decoding: b, as: UTF8.self))")
                #expect(CompactData.expand(after.data, keys: after.keys, millis: millis) == b)
            }
        }
        // Every variation is a set of names of its own.
        #expect(distinct.count == objects.count)
    }

    /// A random object's members: names and strings to escape (NFD and NFC, control bytes,
    /// JSON punctuation), numbers as spelled, nested arrays and objects.
    static func members(_ rng: inout SeededRandom) -> [JSONMember] {
        let alphabet: [Character] = ["a", "\"", "\\", "\n", "\u{1}", "é", "e\u{301}", "😀", "/", "[", "]", "{", "}", ",", ":"]
        func value(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0...(depth > 2 ? 3 : 5), using: &rng) {
            case 0: return .string(rng.string(from: alphabet, maxLength: 8))
            case 1: return .number(["0", "-1.50", "2e10", "12345678901234567890123"].randomElement(using: &rng)!)
            case 2: return [.null, .bool(true), .bool(false)].randomElement(using: &rng)!
            case 3: return .string("")
            case 4: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(depth + 1) })
            default:
                return .object(
                    (0..<Int.random(in: 0...3, using: &rng)).map {
                        JSONMember("\($0)" + rng.string(from: alphabet, maxLength: 4), value(depth + 1))
                    })
            }
        }
        return (0..<Int.random(in: 1...12, using: &rng)).map { JSONMember("k\($0)" + rng.string(from: alphabet, maxLength: 6), value(0)) }
    }

    /// Random objects (`members`): each shapes to two arrays that parse as JSON, of one length,
    /// and expands to its bytes.
    @Test func randomObjectsExpandToTheirCanonicalBytes() throws {
        var rng = SeededRandom(seed: 0xDA7A)
        var previous: [UInt8] = Array(#"["k0"]"#.utf8)
        for n in 0..<500 {
            let members = Self.members(&rng)
            let canonical = CanonicalJSON.encode(.object(members))
            let shaped = try #require(CompactData.shape(canonical), "object \(n)")
            #expect(CompactData.expand(shaped.data, keys: shaped.keys, millis: nil) == canonical, "object \(n)")
            // The names held (the last object's, a prefix of these, or these) change nothing.
            let prefix = try #require(CompactData.shape(CanonicalJSON.encode(.object(Array(members.prefix(1))))))
            for held in [previous, prefix.keys, shaped.keys] {
                let again = try #require(CompactData.shape(canonical, held: held))
                #expect(again.keys == shaped.keys && again.data == shaped.data, "object \(n)")
            }
            previous = shaped.keys
            guard case .array(let values) = try JSONValueReader.parse(shaped.data),
                case .array(let names) = try JSONValueReader.parse(shaped.keys)
            else {
                Issue.record("object \(n): a part is not an array")
                continue
            }
            #expect(values.count == members.count && names.count == members.count, "object \(n)")
            #expect(shaped.data.count + shaped.keys.count == canonical.count + 1, "object \(n)")
        }
    }

    /// What is not an object of 1 to `maxMembers` members, with names of `maxKeyBytes` at most,
    /// keeps its names; parts that do not fit together expand to nothing (the row's checksum
    /// then fails on export).
    @Test func whatDoesNotFitKeepsItsNames() {
        let many = "{" + (0...CompactData.maxMembers).map { String(format: "\"k%03d\":1", $0) }.joined(separator: ",") + "}"
        let long = "{\"" + String(repeating: "n", count: CompactData.maxKeyBytes) + "\":1}"
        for kept in ["{}", "[1,2]", "\"s\"", "12", many, long, "{\"a\":1", "{\"a\":1}x", "{\"a\"1}", "{\"a\":1,}"] {
            #expect(CompactData.shape(Array(kept.utf8)) == nil, "\(kept.prefix(20))")
        }
        let fits = "{" + (1...CompactData.maxMembers).map { String(format: "\"k%03d\":1", $0) }.joined(separator: ",") + "}"
        #expect(CompactData.shape(Array(fits.utf8)) != nil)
        let broken: [(String, String)] = [
            ("[1,2]", #"["a"]"#), ("[1]", #"["a","b"]"#), ("[1]", "[1]"), ("1", #"["a"]"#), ("[1", #"["a"]"#),
            ("[1]x", #"["a"]"#), ("[]", "[]"), ("[1]", #"["a"]x"#), ("[1,]", #"["a","b"]"#), ("[1]", #"["a",]"#),
        ]
        for (values, keys) in broken {
            #expect(CompactData.expand(Array(values.utf8), keys: Array(keys.utf8), millis: nil) == nil, "\(values) \(keys)")
        }
    }

    static let lineTemplate =
        #"{"category":"location","content_hash":"00000000000000aa","data":{},"data_class":"personal","entities":[],"export_kind":"google-takeout","id":"0123456789abcdef0123456789abcdef","language":null,"lineage":[],"occurred_at":null,"partition":"undated","pii":[],"record_kind":"location","relationships":[],"shard":{"primary":1,"replicas":[]},"source":{"index":0,"input":"in","input_sha256":"s","path":"p"},"source_offset":null,"user":"u"}"#

    static func row(_ data: [UInt8], id: Int, entities: String = "[]") throws -> RecordRow {
        let line = try JSONValueReader.parse(Array(lineTemplate.utf8)).setting("data", try JSONValueReader.parse(data))
            .setting("id", .string(String(format: "%032x", id))).setting("entities", try JSONValueReader.parse(Array(entities.utf8)))
        return try RecordRow(line: CanonicalJSON.encode(line))
    }

    /// In a lake: the row holds the values and its kind the names; the export, `lake_records`
    /// and the `locations` view give what the canonical data gives; an entity pointing into the
    /// data (member 2, the point) is found in the values.
    @Test func aStoredRowReadsBackThroughTheExportAndTheViews() throws {
        let dir = TestPaths.scratch("compact-data")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let rows = [
            try Self.row(Self.point, id: 1, entities: #"[{"kind":"place","method":"coordinates","value":"50.943748,6.979271"}]"#),
            try Self.row(Array(#"{"accuracy":5,"geo":{"lat":1.5,"lng":-2}}"#.utf8), id: 2), try Self.row(Array("{}".utf8), id: 3),
        ]
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in rows { try ins.insert(r) }
        }
        var stored: [String] = []
        try lake.database.prepare(
            "SELECT r.data, k.keys, \(LakeViews.listed("r.entities")) FROM records r JOIN record_kinds k ON k.ref = r.kind ORDER BY r.rowid"
        )
        .forEachRow { stored.append(($0.text(0) ?? "") + " " + ($0.text(1) ?? "null") + " " + ($0.text(2) ?? "null")) }
        #expect(
            stored == [
                #"[888,-1563555467,0,509437480,69792710,0,"1597907974138"] ["accuracy","device_tag",["geo","e7",3,4],"latitude_e7","longitude_e7",["source","v","WIFI"],"timestamp_ms"] [[0,0,2]]"#,
                #"[5,{"lat":1.5,"lng":-2}] ["accuracy","geo"] null"#, "{} null null",
            ])
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        #expect(lines == rows.map(\.canonicalLine))
        var viewed: [[UInt8]] = [], entities: [String] = [], points: [String] = []
        try lake.database.prepare("SELECT data, entities FROM lake_records ORDER BY id").forEachRow {
            viewed.append($0.bytes(0))
            entities.append($0.text(1) ?? "")
        }
        #expect(viewed == [Self.point, Array(#"{"accuracy":5,"geo":{"lat":1.5,"lng":-2}}"#.utf8), Array("{}".utf8)])
        #expect(entities[0] == #"[{"kind":"place","method":"coordinates","value":"50.943748,6.979271"}]"#)
        try lake.database.prepare("SELECT latitude, longitude, accuracy, source_kind FROM locations ORDER BY id").forEachRow { r in
            points.append([0, 1, 2, 3].map { r.isNull($0) ? "null" : (r.text($0) ?? "") }.joined(separator: " "))
        }
        #expect(points == ["50.943748 6.979271 888 WIFI", "1.5 -2.0 5 null", "null null null null"])
    }

    /// Sets of names a rolled-back transaction added are not counted against the kind's limit:
    /// after one that added `maxShapesPerKind` of them, as many new sets are still stored as
    /// values, and the next one past the limit keeps its names.
    @Test func aRolledBackTransactionGivesItsSetsOfNamesBack() throws {
        let dir = TestPaths.scratch("compact-data-rollback")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        struct Stop: Error {}
        func rows(_ tag: String, _ ids: Range<Int>) throws -> [RecordRow] {
            try ids.map { try Self.row(Array(#"{"\#(tag)\#($0)":1}"#.utf8), id: $0) }
        }
        let limit = CompactData.maxShapesPerKind
        #expect(throws: Stop.self) {
            try lake.inTransaction {
                let ins = try lake.recordInserter(jobID: "j")
                for r in try rows("a", 0..<limit) { try ins.insert(r) }
                throw Stop()
            }
        }
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in try rows("b", 0..<(limit + 1)) { try ins.insert(r) }
        }
        var shaped: Int64 = 0, whole: Int64 = 0
        try lake.database.prepare(
            "SELECT count(*) FILTER (WHERE substr(data, 1, 1) = '['), count(*) FILTER (WHERE substr(data, 1, 1) = '{') FROM records"
        )
        .forEachRow {
            shaped = $0.int(0)
            whole = $0.int(1)
        }
        #expect(shaped == Int64(limit) && whole == 1)
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        #expect(lines == (try rows("b", 0..<(limit + 1))).map(\.canonicalLine))
    }

    /// Random objects stored as rows (`members`): the export gives their lines, and
    /// `lake_records` rebuilds each `data` in SQL to its canonical bytes, escapes and spellings
    /// included.
    @Test func lakeRecordsRebuildsRandomDataByteForByte() throws {
        let dir = TestPaths.scratch("compact-data-random")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var rng = SeededRandom(seed: 0x5EED)
        let rows = try (0..<300).map { try Self.row(CanonicalJSON.encode(.object(Self.members(&rng))), id: $0) }
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in rows { try ins.insert(r) }
        }
        // Past the limit of sets of names, rows keep theirs: both forms are read back.
        let shaped = try Self.count(lake, "SELECT count(*) FROM records WHERE substr(data, 1, 1) = '['")
        #expect(shaped >= Int64(CompactData.maxShapesPerKind) && shaped < 300)
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        #expect(lines == rows.map(\.canonicalLine))
        var viewed: [[UInt8]] = []
        try lake.database.prepare("SELECT data FROM lake_records ORDER BY id").forEachRow { viewed.append($0.bytes(0)) }
        #expect(viewed == rows.map(\.columns.data))
    }

    static func count(_ lake: Lake, _ sql: String) throws -> Int64 {
        var n: Int64 = -1
        try lake.database.prepare(sql).forEachRow { n = $0.int(0) }
        return n
    }

    /// A row whose values no longer fit its kind's names fails its checksum on export: the
    /// damage is reported, not exported as other data.
    @Test func damagedValuesFailTheChecksum() throws {
        let dir = TestPaths.scratch("compact-data-damaged")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        try lake.inTransaction { try lake.recordInserter(jobID: "j").insert(try Self.row(Self.point, id: 1)) }
        try lake.database.execute("UPDATE records SET data = '[888]'")
        #expect(throws: LakeError.self) { try lake.export { _ in } }
    }
}
