import LakeCore
import LakeParsers
import LakeStore
import Testing

@testable import LakePipeline

/// The relink step makes each lineage's new form once (`LineageRelinks`); whatever order links
/// are set and removed in, each record gets what `DuplicateLinker.relinked` makes of its own.
@Suite struct LineageRelinksTests {
    static func step(_ name: String, _ version: String = "1") -> JSONValue {
        .object([.init("step", .string(name)), .init("version", .string(version))])
    }

    @Test func eachLineageAndCaseAsTheDefinitionMakesIt() throws {
        let lineages: [[UInt8]] = [
            CanonicalJSON.encode(.array([Self.step("parse.json"), Self.step("map.twitter.tweet")])),
            CanonicalJSON.encode(.array([Self.step("parse.json"), Self.step("validate.duplicates"), Self.step("enrich.entities")])),
            CanonicalJSON.encode(.array([])),
        ]
        let link = Lake.DuplicateLink(target: String(repeating: "a", count: 32), similarity: "0.91", method: "minhash")
        var memo = LineageRelinks()
        // Set and removed alternately, over every lineage, three times: the second and third
        // rounds are answered from what the first made.
        for round in 0..<3 {
            for (i, lineage) in lineages.enumerated() {
                for linked in round % 2 == 0 ? [true, false] : [false, true] {
                    let want = DuplicateLinker.relinked(
                        relationships: .array([]), lineage: try JSONReader.parse(lineage, limits: .canonicalLines), linked ? link : nil)
                    let got = try memo.lineage(lineage, linked: linked)
                    #expect(got == CanonicalJSON.encode(.array(want.lineage)), "lineage \(i), linked \(linked), round \(round)")
                    // Asked again at once: answered from the last one made.
                    #expect(try memo.lineage(lineage, linked: linked) == got)
                    let hasStep = String(decoding: got, as: UTF8.self).contains("validate.duplicates")
                    #expect(hasStep == linked)
                }
            }
        }
    }
}
