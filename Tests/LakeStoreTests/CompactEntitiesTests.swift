import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// Entities stored with their kinds and methods as table indexes and their values as references
/// to the row's data (schema 24, `CompactAnnotations.compactEntities`): every list expands back
/// to its canonical bytes, a reference is made only where the data gives the value back exactly,
/// and a stored number that names nothing never passes for a value.
@Suite struct CompactEntitiesTests {
    static let alphabet: [Character] = ["a", "\"", "\\", "\n", "\u{1}", "é", "😀", "/", "[", "]", "{", "}", ",", ":", "1", "."]

    /// Random data objects (strings, numbers, points, nested values) and entities whose values
    /// are some of the data's strings and points, some strings inside its arrays and objects,
    /// some neither: each list compacts to a shorter array of three-value arrays that parses as
    /// JSON and expands to the canonical bytes; every value the data holds is stored as a
    /// number (a top-level member) or a path (inside one, schema 27), the rest as strings.
    @Test func entitiesCompactAgainstTheirDataAndExpandToTheirCanonicalBytes() throws {
        var rng = SeededRandom(seed: 0xE7717)
        let kinds = CompactAnnotations.entityKinds.names + ["other", "\u{1}x"]
        let methods = CompactAnnotations.entityMethods.names + ["guess"]
        var referenced = 0, paths = 0
        for n in 0..<800 {
            func text() -> String { rng.string(from: Self.alphabet, maxLength: 8) }
            var members: [JSONMember] = []
            var held: [String] = [], inside: [String] = []
            for k in 0..<Int.random(in: 0...6, using: &rng) {
                let key = "k\(k)\(text())"
                switch Int.random(in: 0..<5, using: &rng) {
                case 0:
                    let s = text()
                    members.append(JSONMember(key, .string(s)))
                    held.append(s)
                case 1:
                    let (lat, lng) = ("\(Int.random(in: -90...90, using: &rng)).\(Int.random(in: 0...999_999, using: &rng))", "-0.5")
                    members.append(JSONMember(key, .object([JSONMember("lat", .number(lat)), JSONMember("lng", .number(lng))])))
                    held.append("\(lat),\(lng)")
                case 2: members.append(JSONMember(key, .number("12")))
                case 3:
                    let s = text()
                    members.append(JSONMember(key, .array([.string(s), .object([JSONMember("a", .string("]}"))])])))
                    inside += [s, "]}"]
                default:
                    members.append(JSONMember(key, .object([JSONMember("lat", .string("1")), JSONMember("lng", .number("2"))])))
                    inside.append("1")
                }
            }
            let data = CanonicalJSON.encode(.object(members))
            let entities: [LakeRecord.Entity] = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                let pick = Int.random(in: 0..<3, using: &rng)
                let value =
                    pick == 0 && !held.isEmpty
                    ? held.randomElement(using: &rng)! : pick == 1 && !inside.isEmpty ? inside.randomElement(using: &rng)! : text()
                return .init(kind: kinds.randomElement(using: &rng)!, value: value, method: methods.randomElement(using: &rng)!)
            }
            var r = LakeRecord(
                id: "i", source: .init(input: "in", inputSHA256: "s", path: "p", index: n), exportKind: "e", recordKind: "k",
                occurredAt: nil, sourceOffset: nil, user: "u", partition: "undated", shards: [1], category: "c", language: nil,
                languageMethod: nil, data: .object([]), pii: [], entities: entities, lineage: [], contentHash: "h")
            r.entities = entities
            let canonical = r.entitiesJSON
            let stored = CompactAnnotations.compactEntities(canonical, data: data)
            #expect(stored.starts(with: Array("[[".utf8)) && stored.count < canonical.count, "record \(n)")
            #expect(
                CompactAnnotations.expandEntities(stored, data: data) == canonical,
                "record \(n): \(String(decoding: stored, as: UTF8.self))")
            guard case .array(let items) = try JSONValueReader.parse(stored) else {
                Issue.record("record \(n): the stored form is not an array")
                continue
            }
            for (item, entity) in zip(items, entities) {
                guard case .array(let v) = item, v.count == 3 else {
                    Issue.record("record \(n): an entity is not three values")
                    continue
                }
                let isNumber = { (x: JSONValue) in if case .number = x { true } else { false } }
                let isPath = { (x: JSONValue) in
                    if case .array(let steps) = x { steps.count >= 2 && steps.allSatisfy(isNumber) } else { false }
                }
                #expect(isNumber(v[0]) == CompactAnnotations.entityKinds.names.contains(entity.kind), "record \(n)")
                #expect(isNumber(v[1]) == CompactAnnotations.entityMethods.names.contains(entity.method), "record \(n)")
                // The first in document order: a string held at the top level may come after one inside.
                #expect(!isNumber(v[2]) || held.contains(entity.value), "record \(n): \(entity.value)")
                #expect(!isPath(v[2]) || inside.contains(entity.value), "record \(n): \(entity.value)")
                #expect(
                    isNumber(v[2]) || isPath(v[2]) == (held.contains(entity.value) || inside.contains(entity.value)),
                    "record \(n): \(entity.value)")
                if isNumber(v[2]) { referenced += 1 }
                if isPath(v[2]) { paths += 1 }
            }
        }
        #expect(referenced > 200)
        #expect(paths > 100)
    }

    /// A Takeout location and a search as the catalog stores them.
    @Test func aLocationAndASearchStoreTheirEntitiesAsNumbers() {
        let location = Array(#"{"accuracy":5,"geo":{"lat":32.235601,"lng":164.570219},"source":"WIFI"}"#.utf8)
        let place = Array(#"[{"kind":"place","method":"coordinates","value":"32.235601,164.570219"}]"#.utf8)
        #expect(CompactAnnotations.compactEntities(place, data: location) == Array("[[0,0,1]]".utf8))
        #expect(CompactAnnotations.expandEntities(Array("[[0,0,1]]".utf8), data: location) == place)
        let search = Array(#"{"header":"Search","title":"Searched for a \"b\"","title_url":"https://x/?q=a+%22b%22&hl=en"}"#.utf8)
        let url = Array(#"[{"kind":"url","method":"source","value":"https://x/?q=a+%22b%22&hl=en"}]"#.utf8)
        #expect(CompactAnnotations.compactEntities(url, data: search) == Array("[[1,1,2]]".utf8))
        #expect(CompactAnnotations.expandEntities(Array("[[1,1,2]]".utf8), data: search) == url)
        // Another spelling of the point's numbers is not its value.
        let other = Array(#"[{"kind":"place","method":"coordinates","value":"32.2356010,164.570219"}]"#.utf8)
        #expect(CompactAnnotations.compactEntities(other, data: location) == Array(#"[[0,0,"32.2356010,164.570219"]]"#.utf8))
    }

    /// Lists stored by schema 23 (strings) and before (objects) read as they are; a number that
    /// names no entry or no usable member leaves the stored bytes unexpanded (the record's
    /// checksum then fails on export); so does a non-string value in a canonical list.
    @Test func olderFormsReadAsTheyAreAndBadNumbersExpandToNothing() {
        let data = Array(#"{"a":1,"b":{"lat":"1","lng":2},"c":"x"}"#.utf8)
        let old = Array(#"[["url","source","x"]]"#.utf8)
        #expect(CompactAnnotations.expandEntities(old, data: data) == Array(#"[{"kind":"url","method":"source","value":"x"}]"#.utf8))
        #expect(
            CompactAnnotations.expandEntities(Array("[[1,1,2]]".utf8), data: data)
                == Array(#"[{"kind":"url","method":"source","value":"x"}]"#.utf8))
        for bad in ["[[8,1,2]]", "[[1,5,2]]", "[[1,1,0]]", "[[1,1,1]]", "[[1,1,3]]", "[[01,1,2]]", "[[1,1,-1]]", "[[1,1,2.0]]", "[[1,1]]"] {
            #expect(CompactAnnotations.expandEntities(Array(bad.utf8), data: data) == Array(bad.utf8), "\(bad)")
        }
        let numbers = Array(#"[{"kind":1,"method":"source","value":"x"}]"#.utf8)
        #expect(CompactAnnotations.compactEntities(numbers, data: data) == numbers)
        #expect(CompactAnnotations.expandEntities(numbers, data: data) == numbers)
    }

    /// A row stores the compact form made against its own data and reads back canonical.
    @Test func aStoredRowRefersToItsDataAndReadsBackCanonical() throws {
        let dir = TestPaths.scratch("compact-entities")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let line = Array(
            #"{"category":"c","content_hash":"00000000000000aa","data":{"geo":{"lat":1.5,"lng":-2.25},"title_url":"https://x"},"data_class":"personal","entities":[{"kind":"place","method":"coordinates","value":"1.5,-2.25"},{"kind":"url","method":"source","value":"https://x"},{"kind":"url","method":"pattern","value":"https://y"}],"export_kind":"e","id":"0123456789abcdef0123456789abcdef","language":null,"lineage":[],"occurred_at":null,"partition":"undated","pii":[],"record_kind":"k","relationships":[],"shard":{"primary":1,"replicas":[]},"source":{"index":0,"input":"in","input_sha256":"s","path":"p"},"source_offset":null,"user":"u"}"#
                .utf8)
        let row = try RecordRow(line: line)
        #expect(row.line == nil, "the template rebuilds this line")
        try lake.inTransaction { try lake.recordInserter(jobID: "j").insert(row) }
        var raw: String?
        try lake.database.prepare("SELECT entities FROM records").forEachRow { raw = $0.text(0) }
        #expect(raw == #"[[0,0,0],[1,1,1],[1,2,"https://y"]]"#)
        var read: RecordStorage.Stored?
        let values = try lake.refs.values(lake.database)
        try lake.database.prepare("SELECT \(RecordStorage.selectColumns) FROM records r").forEachRow { read = try values.stored($0) }
        #expect(try #require(read).columns.entities == row.columns.entities)
    }

    /// A list may pass over `scanBudget` bytes of its data looking for values: behind a 1 MiB
    /// member, the first three of ten values found after it are stored as numbers, the rest stay
    /// strings (without the budget, a record of many entities and a large data object cost their
    /// product), and the list still expands to its canonical bytes.
    @Test func aListPassesOverAtMostItsBudgetOfData() {
        let big = String(repeating: "a", count: 1 << 20)
        let data = CanonicalJSON.encode(.object([JSONMember("a", .string(big)), JSONMember("b", .string("x"))]))
        let one = #"{"kind":"url","method":"source","value":"x"}"#
        let canonical = Array("[\(Array(repeating: one, count: 10).joined(separator: ","))]".utf8)
        let stored = CompactAnnotations.compactEntities(canonical, data: data)
        let expected =
            "[" + (Array(repeating: "[1,1,1]", count: 3) + Array(repeating: #"[1,1,"x"]"#, count: 7)).joined(separator: ",") + "]"
        #expect(String(decoding: stored, as: UTF8.self) == expected)
        #expect(CompactAnnotations.expandEntities(stored, data: data) == canonical)
        // Stored by hand past the budget, the fourth number is not expanded: the list is left as it is.
        let over = Array("[[1,1,1],[1,1,1],[1,1,1],[1,1,1]]".utf8)
        #expect(CompactAnnotations.expandEntities(over, data: data) == over)
    }
}
