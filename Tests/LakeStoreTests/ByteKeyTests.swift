@testable import LakeStore
import Testing

/// `ByteKey`: the references' dictionary keys (`RecordRefs`). Parts keep their boundaries, an
/// absent part differs from an empty one, and equal keys hash alike however they were made.
@Suite struct ByteKeyTests {
    @Test func partsKeepTheirBoundaries() {
        let keys = [
            ByteKey(strings: "ab", "c"), ByteKey(strings: "a", "bc"), ByteKey(strings: "abc"), ByteKey(strings: "abc", nil),
            ByteKey(strings: "abc", ""), ByteKey(strings: nil, "abc"), ByteKey(strings: "", "abc"), ByteKey(strings: "é"),
            ByteKey(strings: "e\u{301}"),
        ]
        #expect(Set(keys).count == keys.count)
        // A key of one part is not the same as its bytes alone.
        #expect(ByteKey(strings: "abc") != ByteKey(Array("abc".utf8)))
    }

    @Test func keysMadeEitherWayAreEqualAndHashAlike() {
        let lineage = Array(#"[{"step":"map"}]"#.utf8)
        let a = ByteKey(strings: "takeout", "location", "places", nil).appending(lineage).appending(nil)
        let b = ByteKey(parts: Array("takeout".utf8), Array("location".utf8), Array("places".utf8), nil, lineage, nil)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != ByteKey(strings: "takeout", "location", "places", nil).appending(lineage).appending([]))
        var d: [ByteKey: Int] = [a: 1]
        d[b, default: 0] += 1
        #expect(d.count == 1 && d[a] == 2)
    }
}
