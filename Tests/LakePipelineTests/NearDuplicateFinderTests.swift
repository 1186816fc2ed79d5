import Foundation
import LakeCore
@testable import LakePipeline
@testable import LakeStore
import LakeValidate
import Testing
import _LakeTestSupport

/// The near-duplicate pass against a plain reference: every shared bucket in memory and every
/// bucketed text's first record cached for the whole pass (what the pass did before it kept
/// them on disk), on tweets written straight into a lake.
@Suite struct NearDuplicateFinderTests {
    static let bases = [
        "The night train to the coast was late again, so we sat on the platform and counted the gulls",
        "Notes from the reading group: chapter four argues that every archive is also a kind of map",
        "Reminder for everyone coming on Saturday: bring a warm coat, the hut has no heating at all",
    ]

    /// A long text from `base` with `edits` scalars replaced (each changes up to five shingles
    /// of about 300), so some variants are within 0.95 of each other and some are not.
    static func text(_ base: Int, edits: Int, _ random: inout SplitMix64) -> String {
        var scalars = Array((bases[base] + " / " + bases[(base + 1) % bases.count] + " / " + bases[base]).unicodeScalars)
        for _ in 0..<edits {
            let at = Int(random.next() % UInt64(scalars.count))
            scalars[at] = Unicode.Scalar(UInt8(97 + random.next() % 26))
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// A lake of `count` tweets: variants of the bases (some repeated exactly) for two users,
    /// from five inputs in an order unrelated to the order they are written in, by two jobs (so
    /// two sources may name one input and path: their records interleave in export order).
    static func lake(_ dir: String, count: Int) throws -> Lake {
        let golden = try String(contentsOfFile: TestPaths.golden + "/twitter-small/export.ndjson", encoding: .utf8)
        let line = try #require(golden.split(separator: "\n").first { $0.contains(#""record_kind":"tweet""#) })
        let tweet = try JSONValueReader.parse(Array(line.utf8))
        let lake = try Lake(directory: dir, create: true)
        var random = SplitMix64(seed: 19)
        var texts: [String] = []
        try lake.inTransaction {
            let inserters = [try lake.recordInserter(jobID: "j1"), try lake.recordInserter(jobID: "j2")]
            for i in 0..<count {
                let repeated = !texts.isEmpty && random.next() % 8 == 0
                let text =
                    repeated ? texts[Int(random.next() % UInt64(texts.count))] : Self.text(i % 3, edits: Int(random.next() % 6), &random)
                texts.append(text)
                let source = try #require(tweet["source"]).setting("input", .string("\(random.next() % 5).zip"))
                    .setting("index", .number(String(random.next() % 1000)))
                let record = tweet.setting("data", try #require(tweet["data"]).setting("full_text", .string(text)))
                    .setting("id", .string(String(format: "%032x", i + 1)))
                    .setting("user", .string(i % 2 == 0 ? "ada" : "bo")).setting("source", source)
                try inserters[(i / 2) % 2].insert(try RecordRow(line: CanonicalJSON.encode(record)))
            }
        }
        return lake
    }

    /// Every (band key, text) pair of `text_signatures`, sorted as integers (texts signed).
    static func bandPairs(_ lake: Lake) throws -> [[Int64]] {
        var out: [[Int64]] = []
        try lake.forEachTextSignature { text, keys in out += keys.map { [Int64($0), Int64(bitPattern: text)] } }
        return out.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The reference: buckets from every text's band keys sorted in memory, each text's first
    /// record found and shingled once; `compared` gets each pair in a window with a record on
    /// both sides, by text hash.
    static func reference(_ lake: Lake, window: Int, compared: inout [String]) throws -> [String: (target: String, similarity: Double)] {
        var buckets: [[UInt64]] = []
        var key: Int64?
        for pair in try bandPairs(lake) {
            if pair[0] != key { buckets.append([]) }
            key = pair[0]
            buckets[buckets.count - 1].append(UInt64(bitPattern: pair[1]))
        }
        let reader = try lake.firstTextReader()
        typealias First = (position: Lake.ExportPosition, shingles: [UInt64])
        var firsts: [UInt64: First?] = [:]
        func first(_ hash: UInt64) throws -> First? {
            if let known = firsts[hash] { return known }
            var found: First?
            if let f = try reader.first(withText: hash), let text = try NearDuplicateFinder.text(ofData: f.data, kind: f.kind) {
                found = (f.position, NearDuplicates.sortedShingles(text))
            }
            firsts[hash] = found
            return found
        }
        var best: [String: (target: Lake.ExportPosition, similarity: Double)] = [:]
        for bucket in buckets where bucket.count > 1 {
            for j in 1..<bucket.count {
                for i in max(0, j - window)..<j {
                    guard let a = try first(bucket[i]), let b = try first(bucket[j]) else { continue }
                    compared.append(Self.pair(bucket[i], bucket[j]))
                    guard let similarity = NearDuplicates.similarityIfNear(a.shingles, b.shingles) else { continue }
                    let (later, earlier) = a.position < b.position ? (b.position, a.position) : (a.position, b.position)
                    let id = String(decoding: later.id, as: UTF8.self)
                    if let current = best[id],
                        current.similarity > similarity || (current.similarity == similarity && current.target <= earlier)
                    {
                        continue
                    }
                    best[id] = (earlier, similarity)
                }
            }
        }
        return best.mapValues { (String(decoding: $0.target.id, as: UTF8.self), $0.similarity) }
    }

    /// Two compared members as text: their text hashes, earlier member first.
    static func pair(_ a: UInt64, _ b: UInt64) -> String { "\(a) \(b)" }

    /// The ids whose link differs between `a` and `b` (missing on one side, another target or
    /// similarity), in order.
    static func differing(_ a: [String: (target: String, similarity: Double)], _ b: [String: (target: String, similarity: Double)])
        -> [String]
    {
        Set(a.keys).union(b.keys).filter { a[$0]?.target != b[$0]?.target || a[$0]?.similarity != b[$0]?.similarity }.sorted()
    }

    @Test func theWindowedPassFindsWhatTheReferenceFinds() throws {
        let dir = TestPaths.scratch("near-finder")
        defer { TestPaths.remove(dir) }
        let lake = try Self.lake(dir, count: 420)
        var hashed = 0
        try lake.inTransaction { hashed = try NearDuplicateFinder(lake: lake).hashNewRecords() }
        #expect(hashed == 420)
        let largest = Dictionary(grouping: try Self.bandPairs(lake), by: { $0[0] }).values.map(\.count).max() ?? 0
        #expect(largest > 20)
        var found: [Int: Int] = [:]
        for window in [1, 2, 7, 20, NearDuplicateFinder.bucketWindow] {
            var finder = NearDuplicateFinder(lake: lake)
            finder.window = window
            // Batches for the comparing thread of a few members, and of one, as well as of 4,096;
            // members sorted by band in runs of a few, as well as in one run.
            finder.batchSize = [1: 5, 7: 1][window] ?? finder.batchSize
            finder.bandRunLength = [2: 3, 20: 40][window] ?? finder.bandRunLength
            var pairs: [String] = [], expectedPairs: [String] = []
            finder.compared = { pairs.append(Self.pair($0, $1)) }
            var links: [String: (target: String, similarity: Double)] = [:]
            try finder.forEachSimilar { id, target, similarity, _ in
                #expect(links[id] == nil, "one link per record")
                links[id] = (target, similarity)
            }
            let expected = try Self.reference(lake, window: window, compared: &expectedPairs)
            // The same pairs compared (as often: once per band they share), not only the same links.
            let samePairs = pairs.sorted() == expectedPairs.sorted()
            #expect(samePairs, "window \(window): \(pairs.count) pairs compared, reference \(expectedPairs.count)")
            let wrong = Self.differing(links, expected)
            #expect(wrong.isEmpty, "window \(window): \(links.count) links, reference \(expected.count), differing \(wrong.prefix(3))")
            found[window] = links.count
        }
        // Not a trivial agreement: the pass links many texts, more with a wider window.
        #expect(found[1]! > 20 && found[1]! < found[NearDuplicateFinder.bucketWindow]!)
        // The scratch files go with the pass.
        for path in lake.allScratchFiles { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
    }

    @Test func equalTextsLinkToTheirFirstRecord() throws {
        let dir = TestPaths.scratch("near-identical")
        defer { TestPaths.remove(dir) }
        let lake = try Self.lake(dir, count: 300)
        try lake.inTransaction { _ = try NearDuplicateFinder(lake: lake).hashNewRecords() }
        // The reference: every record of a text in export order, the first one the target.
        var byText: [Int64: [Lake.ExportPosition]] = [:]
        try lake.database.prepare(
            """
            SELECT t.text_hash, s.input, s.input_sha256, s.path, r.idx, r.id FROM record_texts t
            JOIN records r ON r.rowid = t.record JOIN record_sources s ON s.ref = r.source WHERE t.text_hash IS NOT NULL
            """
        ).forEachRow {
            let id = Array(RecordStorage.idText($0.value(5)).utf8)
            byText[$0.int(0), default: []].append(
                .init(input: $0.bytes(1), inputSHA256: $0.bytes(2), path: $0.bytes(3), index: $0.int(4), id: id))
        }
        var expected: [String: String] = [:]
        for positions in byText.values {
            let sorted = positions.sorted()
            for p in sorted.dropFirst() { expected[String(decoding: p.id, as: UTF8.self)] = String(decoding: sorted[0].id, as: UTF8.self) }
        }
        var found: [String: String] = [:], rows: [String: Int64] = [:]
        try lake.identicalTextRecords { id, first, rowid in
            found[id] = first
            rows[id] = rowid
        }
        #expect(found.count > 20)
        #expect(found == expected)
        // Each record's row, as the relink step reads it.
        let idAt = try lake.database.prepare("SELECT id FROM records WHERE rowid = ?")
        for (id, rowid) in rows {
            var held: String?
            try idAt.forEachRow([.integer(rowid)]) { held = RecordStorage.idText($0.value(0)) }
            #expect(held == id, "row \(rowid)")
        }
    }

    @Test func scratchFilesLeftOverAreReplaced() throws {
        let dir = TestPaths.scratch("near-scratch")
        defer { TestPaths.remove(dir) }
        let lake = try Self.lake(dir, count: 60)
        try FileManager.default.createDirectory(atPath: lake.stagingDirectory, withIntermediateDirectories: true)
        // What a killed pass leaves: the runs (and an earlier version's SQLite file and runs).
        let files = lake.scratchFiles
        let leftovers = [
            files.nearDuplicates, files.nearMembers, files.oldTextBands, files.textBands, files.nearBands, files.nearCandidates,
            files.nearHits,
        ]
        for path in leftovers {
            #expect(FileManager.default.createFile(atPath: path, contents: Array("left over".utf8).withUnsafeBytes { Data($0) }))
        }
        var links: [String: Lake.DuplicateLink] = [:]
        try lake.inTransaction {
            let finder = NearDuplicateFinder(lake: lake)
            _ = try finder.hashNewRecords()
            try finder.links { id, link, _ in links[id] = link }
        }
        #expect(!links.isEmpty)
        for path in leftovers { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
    }
}
