import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// The relink step writes changed links back a batch at a time, in rowid order (`Relinks`), the
/// first batch's rows found by a pass over the table, later ones' through `records_id` built
/// for them, read on this thread or on reading connections beside it: whatever the batch size
/// and the readers, the lake ends with the same links and the same lines.
@Suite struct RelinkBatchTests {
    /// Every record's canonical line in export order, and every stored link.
    static func state(_ lake: Lake) throws -> (lines: [[UInt8]], links: [String]) {
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        var links: [String] = []
        try lake.database.prepare("SELECT record_id, duplicate_of, similarity, method FROM record_duplicates ORDER BY 1").forEachRow {
            row in
            links.append((0..<4).map { row.text($0) ?? "" }.joined(separator: " "))
        }
        return (lines, links)
    }

    @Test func batchesOfAnySizeEndAlike() throws {
        let base = TestPaths.scratch("relink-batches")
        defer { TestPaths.remove(base) }
        var results: [(lines: [[UInt8]], links: [String])] = []
        // Each size alone, then with reading connections a page ahead (`Relinks.readers`), as
        // an ingest links after committing the merge.
        for (n, (size, beside)) in [(Relinks.batchSize, false), (1, false), (7, false), (Relinks.batchSize, true), (7, true)].enumerated() {
            let lake = try TextHashingTests.lake(base + "/\(n)")
            try lake.buildRecordIndexes()
            var linker = DuplicateLinker(lake: lake)
            linker.relinkBatch = size
            // Pages of 5 rows: many pages, slices of 2 and 3 rows; readers for any batch.
            linker.relinkPage = 5
            linker.relinkReadersFrom = 1
            if beside {
                var prepared = DuplicateLinker.Counts()
                try lake.inTransaction { prepared = try linker.prepare() }
                linker.linksAfterCommit = true
                try lake.inTransaction { _ = try linker.link(prepared) }
            } else {
                try lake.inTransaction { _ = try linker.run() }
            }
            // Batches after the first found their rows through a records_id built for them,
            // dropped when the step ended.
            #expect(try !lake.recordIndexNames().contains(Lake.idIndex.name), "batch size \(size)")
            results.append(try Self.state(lake))
        }
        let first = try #require(results.first)
        // Enough links for many batches of 7, and each one on its record's line.
        #expect(first.links.count > 40)
        let linked = first.lines.filter { String(decoding: $0, as: UTF8.self).contains(#""type":"duplicate_of""#) }
        #expect(linked.count == first.links.count)
        for r in results.dropFirst() {
            #expect(r.links.count == first.links.count)
            #expect(zip(r.links, first.links).filter { $0 != $1 }.count == 0, "links that differ")
            #expect(r.lines.count == first.lines.count)
            #expect(zip(r.lines, first.lines).filter { $0 != $1 }.count == 0, "lines that differ")
        }
    }
}
