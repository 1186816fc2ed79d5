import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// Entity values stored as paths into the row's data (schema 27, `CompactAnnotations.place`): a
/// tweet's link, mention and hashtag, which sit under `entities`, not at the top level.
@Suite struct CompactEntityPathsTests {
    static let tweet = Array(
        ##"{"entities":{"hashtags":[{"indices":["0","5"],"text":"東京"}],"urls":[{"display_url":"example.com/n/a","expanded_url":"https://example.com/n/a","indices":["9","32"],"url":"https://t.co/a"}],"user_mentions":[{"id":"7","screen_name":"ren"}]},"full_text":"#東京 @ren https://t.co/a","id":"1"}"##
            .utf8)

    static func entities(_ items: [(String, String, String)]) -> [UInt8] {
        Array(("[" + items.map { #"{"kind":"\#($0.0)","method":"\#($0.1)","value":"\#($0.2)"}"# }.joined(separator: ",") + "]").utf8)
    }

    /// The link is the string at `entities.urls[0].expanded_url` (member 0, then member 1 of
    /// `entities`, element 0, member 1), the mention and hashtag likewise; the list expands to
    /// its canonical bytes, and `lake_records` follows the same paths in SQL.
    @Test func aTweetsLinkMentionAndHashtagAreStoredAsPaths() throws {
        let canonical = Self.entities([
            ("hashtag", "source", "東京"), ("mention", "source", "ren"), ("url", "source", "https://example.com/n/a"),
        ])
        let stored = CompactAnnotations.compactEntities(canonical, data: Self.tweet)
        #expect(String(decoding: stored, as: UTF8.self) == "[[5,1,[0,0,0,1]],[4,1,[0,2,0,1]],[1,1,[0,1,0,1]]]")
        #expect(CompactAnnotations.expandEntities(stored, data: Self.tweet) == canonical)

        // As a row: the catalog stores the paths, and the view rebuilds the objects from them.
        let dir = TestPaths.scratch("entity-paths")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var line = try JSONValueReader.parse(Array(Self.lineTemplate.utf8))
        line = line.setting("data", try JSONValueReader.parse(Self.tweet)).setting("entities", try JSONValueReader.parse(canonical))
        let row = try RecordRow(line: CanonicalJSON.encode(line))
        try lake.inTransaction { try lake.recordInserter(jobID: "j").insert(row) }
        var raw: String?, view: [UInt8] = []
        try lake.database.prepare("SELECT entities FROM records").forEachRow { raw = $0.text(0) }
        #expect(raw == String(decoding: stored, as: UTF8.self))
        try lake.database.prepare("SELECT entities FROM lake_records").forEachRow { view = $0.bytes(0) }
        #expect(try JSONValueReader.parse(view) == JSONValueReader.parse(canonical))
        var read: RecordStorage.Stored?
        let values = try lake.refs.values(lake.database)
        try lake.database.prepare("SELECT \(RecordStorage.selectColumns) FROM records r").forEachRow { read = try values.stored($0) }
        #expect(try #require(read).columns.entities == row.columns.entities)
    }

    static let lineTemplate =
        #"{"category":"c","content_hash":"00000000000000aa","data":{},"data_class":"personal","entities":[],"export_kind":"e","id":"0123456789abcdef0123456789abcdef","language":null,"lineage":[],"occurred_at":null,"partition":"undated","pii":[],"record_kind":"k","relationships":[],"shard":{"primary":1,"replicas":[]},"source":{"index":0,"input":"in","input_sha256":"s","path":"p"},"source_offset":null,"user":"u"}"#

    /// The first value in document order that gives the value back is taken, a member before
    /// what is inside it: a top-level member as its index, a string inside one as its path (an
    /// earlier string inside wins over a later member); a point inside is its `"X,Y"`.
    @Test func theFirstValueInDocumentOrderIsTaken() {
        let data = Array(#"{"a":{"b":["x","y"],"c":{"lat":1,"lng":2}},"d":"y","e":["x"],"f":"z"}"#.utf8)
        let list = Self.entities([("url", "source", "y"), ("url", "source", "x"), ("place", "coordinates", "1,2"), ("url", "source", "z")])
        let stored = CompactAnnotations.compactEntities(list, data: data)
        #expect(String(decoding: stored, as: UTF8.self) == "[[1,1,[0,0,1]],[1,1,[0,0,0]],[0,0,[0,1]],[1,1,3]]")
        #expect(CompactAnnotations.expandEntities(stored, data: data) == list)
    }

    /// A string deeper than `maxPathSteps` below its member, or past index 9,999 of an array,
    /// stays a string.
    @Test func aStringTooDeepOrTooFarStaysAString() {
        let steps = CompactAnnotations.maxPathSteps
        let deep = Array(
            ("{\"a\":" + String(repeating: "[", count: steps + 1) + "\"x\"" + String(repeating: "]", count: steps + 1) + "}").utf8)
        let list = Self.entities([("url", "source", "x")])
        #expect(String(decoding: CompactAnnotations.compactEntities(list, data: deep), as: UTF8.self) == #"[[1,1,"x"]]"#)
        let justDeepEnough = Array(
            ("{\"a\":" + String(repeating: "[", count: steps) + "\"x\"" + String(repeating: "]", count: steps) + "}").utf8)
        let path = "[" + Array(repeating: "0", count: steps + 1).joined(separator: ",") + "]"
        #expect(String(decoding: CompactAnnotations.compactEntities(list, data: justDeepEnough), as: UTF8.self) == "[[1,1,\(path)]]")
        let far = Array(("{\"a\":[" + Array(repeating: "1", count: 10_000).joined(separator: ",") + ",\"x\"]}").utf8)
        #expect(String(decoding: CompactAnnotations.compactEntities(list, data: far), as: UTF8.self) == #"[[1,1,"x"]]"#)
    }

    /// A stored path that names nothing, names a number or an object that is not a point, or is
    /// not a path at all, leaves the list as it is (the record's checksum then fails on export).
    @Test func aBadPathExpandsToNothing() {
        let data = Array(#"{"a":{"b":["x",3,{"c":"d"}]},"e":"f"}"#.utf8)
        #expect(
            CompactAnnotations.expandEntities(Array("[[1,1,[0,0,0]]]".utf8), data: data)
                == Self.entities([("url", "source", "x")]))
        for bad in [
            "[[1,1,[0,0,1]]]", "[[1,1,[0,0,2]]]", "[[1,1,[0,0,3]]]", "[[1,1,[0,1]]]", "[[1,1,[2,0]]]", "[[1,1,[1,0]]]", "[[1,1,[0]]]",
            "[[1,1,[]]]", "[[1,1,[0,0,\"0\"]]]", "[[1,1,[0,00,0]]]", "[[1,1,[0,0,0]]", "[[1,1,[0,[0],0]]]", "[[[0,0],1,2]]",
            "[[1,[0,0,0],2]]",
        ] {
            #expect(CompactAnnotations.expandEntities(Array(bad.utf8), data: data) == Array(bad.utf8), "\(bad)")
        }
    }

    /// Looking inside members spends the list's budget too: behind a 1 MiB member, values inside
    /// a later member stay strings once it is spent, and the list expands to its canonical bytes.
    @Test func pathsSpendTheListsBudget() {
        let big = String(repeating: "a", count: 1 << 20)
        let data = CanonicalJSON.encode(.object([JSONMember("a", .string(big)), JSONMember("b", .array([.string("x")]))]))
        let list = Self.entities(Array(repeating: ("url", "source", "x"), count: 5))
        let stored = CompactAnnotations.compactEntities(list, data: data)
        // Each value spends the whole data (its members, whole): three fit in the budget.
        #expect(
            String(decoding: stored, as: UTF8.self) == #"[[1,1,[1,0]],[1,1,[1,0]],[1,1,[1,0]],[1,1,"x"],[1,1,"x"]]"#)
        #expect(CompactAnnotations.expandEntities(stored, data: data) == list)
    }
}
