import Foundation
import LakeCore
@testable import LakePipeline
@testable import LakeStore
import LakeValidate
import Testing
import _LakeTestSupport

/// The texts' measures taken while hashing (`NearDuplicateFinder.TextMeasures`) against the
/// measures of their records read back, and the near pass with them against the reference.
@Suite struct NearDuplicateMeasuresTests {
    /// A lake of 420 tweets (`NearDuplicateFinderTests.lake`) hashed on the hashing thread, as
    /// an ingest does, with the measures it took.
    static func hashedLake(_ dir: String) throws -> (Lake, NearDuplicateFinder.TextMeasures) {
        let lake = try NearDuplicateFinderTests.lake(dir, count: 420)
        let linker = DuplicateLinker(lake: lake)
        let hashing = try linker.finder.startHashing()
        try lake.inTransaction { _ = try linker.prepare(hashing: hashing) }
        return (lake, hashing.measures)
    }

    /// Every text's hash, ascending as signed integers (the order the pass asks in).
    static func texts(_ lake: Lake) throws -> [UInt64] {
        var out: [UInt64] = []
        try lake.forEachTextSignature { text, _ in out.append(text) }
        // In text order as signed integers, the order the near pass asks for measures in.
        #expect(out == out.sorted { Int64(bitPattern: $0) < Int64(bitPattern: $1) })
        return out
    }

    @Test func eachTextsMeasureIsItsRecordsMeasure() throws {
        let dir = TestPaths.scratch("near-measures")
        defer { TestPaths.remove(dir) }
        let (lake, measures) = try Self.hashedLake(dir)
        let reader = try lake.firstTextReader()
        let texts = try Self.texts(lake)
        #expect(texts.count > 300)
        var sizes = Set<Int>()
        for text in texts {
            let taken = try #require(try measures.measure(of: text))
            let record = try #require(try reader.anyRecord(withText: text))
            let read = try NearDuplicateFinder.measured(record)
            #expect(taken.size == read.size && taken.fingerprint == read.fingerprint, "text \(text)")
            // And both are the measure of the text's distinct shingles.
            let normalized = try #require(try NearDuplicateFinder.text(ofData: record.data, kind: record.kind))
            let distinct = NearDuplicates.sortedShingles(normalized)
            #expect(taken.size == distinct.count && taken.fingerprint == NearDuplicateRing.fingerprint(distinct), "text \(text)")
            sizes.insert(taken.size)
        }
        // Real measures, not a constant: the texts' shingle counts differ.
        #expect(sizes.count > 3 && !sizes.contains(-1))
        // A hash no text has, past the last: none.
        #expect(try measures.measure(of: UInt64(Int64.max)) == nil)
    }

    /// Texts with a measure and texts without (an earlier run hashed them: their records are
    /// read), side by side in one pass: the links and pairs are the reference's.
    @Test(arguments: [false, true]) func thePassWithMeasuresFindsWhatTheReferenceFinds(someMissing: Bool) throws {
        let dir = TestPaths.scratch("near-measures-pass-\(someMissing)")
        defer { TestPaths.remove(dir) }
        let (lake, all) = try Self.hashedLake(dir)
        var measures = all
        if someMissing {
            measures = NearDuplicateFinder.TextMeasures(path: dir + "/partial.runs")
            let reader = try lake.firstTextReader()
            for (i, text) in try Self.texts(lake).enumerated() where i % 3 != 0 {
                let record = try #require(try reader.anyRecord(withText: text))
                let normalized = try #require(try NearDuplicateFinder.text(ofData: record.data, kind: record.kind))
                try measures.add(text: text, NearDuplicateFinder.measure(NearDuplicates.shingleHashes(normalized)))
            }
        }
        var finder = NearDuplicateFinder(lake: lake)
        finder.window = 20
        finder.measures = measures
        var pairs: [String] = [], expectedPairs: [String] = []
        finder.compared = { pairs.append(NearDuplicateFinderTests.pair($0, $1)) }
        var links: [String: (target: String, similarity: Double)] = [:]
        try finder.forEachSimilar { id, target, similarity, _ in links[id] = (target, similarity) }
        let expected = try NearDuplicateFinderTests.reference(lake, window: 20, compared: &expectedPairs)
        #expect(pairs.sorted() == expectedPairs.sorted())
        #expect(NearDuplicateFinderTests.differing(links, expected).isEmpty)
        #expect(links.count > 20)
    }
}
