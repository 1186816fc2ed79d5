import Foundation
import LakeCore
import LakeParsers
import LakeStore
import LakeValidate
import Testing
import _LakeTestSupport

/// The near text read off a record's compact form (`NearDuplicateText.text(kind:values:keys:)`,
/// which the text hashing uses) is the text of its canonical `data` whenever it answers, and it
/// answers for the goldens' records and most random ones.
@Suite struct CompactTextTests {
    /// Checks every kind on `data` shaped compact; returns how many kinds the compact form answered.
    static func same(_ data: [UInt8], millis: Int64? = nil) throws -> Int {
        guard let shaped = CompactData.shape(data, millis: millis) else { return 0 }
        var answered = 0
        for kind in NearDuplicateText.kinds + ["location"] {
            guard let compact = NearDuplicateText.text(kind: kind, values: shaped.data, keys: shaped.keys) else { continue }
            answered += 1
            #expect(try compact == NearDuplicateText.text(kind: kind, canonical: data, limits: JSONLimits()), "\(kind)")
        }
        return answered
    }

    @Test func theGoldensRecordsReadOffTheirCompactForm() throws {
        let records = try Golden.forEachData { data throws in
            guard case .object = data else { return }
            // The four kinds whose fields are top-level members answer (the text fields of
            // these records are strings or absent).
            #expect(try Self.same(CanonicalJSON.encode(data)) == 4)
        }
        #expect(records > 900)
    }

    @Test func randomObjectsReadOffTheirCompactFormOrAreLeftToTheCanonicalJSON() throws {
        var rng = SplitMix64(seed: 53)
        let names = ["full_text", "text", "subject", "title", "title_url", "content", "id", "a", "z\u{E9}"]
        let pieces = ["the train was late", " again", "\"", "\\", "\n", "caf\u{E9}", "\u{1F600}", "\u{1}", "/", "", "ok then, fine"]
        func string() -> String { (0..<rng.int(in: 0...6)).map { _ in rng.pick(pieces) }.joined() }
        func value() -> JSONValue {
            switch rng.int(in: 0...5) {
            case 0, 1, 2, 3: return .string(string())
            case 4: return rng.chance(0.5) ? .number("12") : .null
            default: return .array([.string(string())])
            }
        }
        var answered = 0
        for _ in 0..<2000 {
            var members: [JSONMember] = []
            for name in names where rng.chance(0.5) { members.append(JSONMember(name, value())) }
            guard !members.isEmpty else { continue }
            answered += try Self.same(CanonicalJSON.encode(.object(members)))
        }
        // Most answer; those whose named value is not a string are left to the canonical JSON.
        #expect(answered > 2000)
    }

    /// A named member whose stored value is a place holder (a derived member's `0`), or arrays
    /// that do not fit together, leave the answer to the canonical JSON.
    @Test func whatTheCompactFormCannotSayIsLeftToTheCanonicalJSON() {
        let keys = Array(#"["full_text","id"]"#.utf8)
        #expect(NearDuplicateText.text(kind: "tweet", values: Array(#"[0,"1"]"#.utf8), keys: keys) == nil)
        #expect(NearDuplicateText.text(kind: "tweet", values: Array(#"["a long enough text here, yes"]"#.utf8), keys: keys) == nil)
        #expect(
            NearDuplicateText.text(kind: "tweet", values: Array(#"["x","1"]"#.utf8), keys: Array(#"["full\u005ftext","id"]"#.utf8)) == nil)
        #expect(NearDuplicateText.text(kind: "post", values: Array(#"["x"]"#.utf8), keys: Array(#"["data"]"#.utf8)) == nil)
        let text = NearDuplicateText.text(kind: "tweet", values: Array(#"["a long enough text here, yes","1"]"#.utf8), keys: keys)
        #expect(text == .some(NearDuplicates.Normalized(normalized: NearDuplicates.normalized("a long enough text here, yes"))))
        // A derived member's entry is an array, its name first: passed over by its place, and
        // left to the canonical JSON when it is a wanted one.
        let derived = Array(#"[["created_at","t"],"full_text"]"#.utf8)
        #expect(
            NearDuplicateText.text(kind: "tweet", values: Array(#"[0,"a long enough text here, yes"]"#.utf8), keys: derived)
                == .some(NearDuplicates.Normalized(normalized: NearDuplicates.normalized("a long enough text here, yes"))))
        let wantedDerived = Array(#"["created_at",["full_text","t"]]"#.utf8)
        #expect(
            NearDuplicateText.text(kind: "tweet", values: Array(#"["2020","a long enough text here"]"#.utf8), keys: wantedDerived) == nil)
        // A text too short is an answer too: no text.
        #expect(NearDuplicateText.text(kind: "tweet", values: Array(#"["short","1"]"#.utf8), keys: keys) == .some(nil))
    }
}
