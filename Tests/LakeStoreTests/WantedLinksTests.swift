import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// `WantedLinks` against a plain dictionary: the same changes, in id order, whatever the run
/// length, with priorities, ids and targets that are not 32 hex digits, and stored links that
/// stay, change or go.
@Suite struct WantedLinksTests {
    typealias Link = Lake.DuplicateLink

    @Test(arguments: [1, 3, 64, 1 << 19]) func changesAreTheDictionarysWhateverTheRunLength(runLength: Int) throws {
        let dir = TestPaths.scratch("wanted-links-\(runLength)")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var random = SplitMix64(seed: UInt64(runLength))
        // A pool of ids (a few not hex, which sort among the hex ones as text) and targets.
        let ids = (0..<600).map { i in i % 97 == 5 ? "legacy-\(i)" : String(format: "%016llx%016llx", random.next(), random.next()) }
        func link(_ i: UInt64) -> Link {
            Link(
                target: i % 50 == 7 ? "old-target" : ids[Int(i % 600)], similarity: i % 3 == 0 ? "1" : "0.9\(i % 10)",
                method: i % 2 == 0 ? "content_hash" : "minhash")
        }
        var stored: [String: Link] = [:]
        let insert = try lake.database.prepare("INSERT INTO record_duplicates VALUES (?, ?, ?, ?)")
        for id in ids where random.next() % 2 == 0 {
            let l = link(random.next())
            stored[id] = l
            try insert.run([.text(id), .text(l.target), .text(l.similarity), .text(l.method)])
        }
        // Wanted: some equal to the stored link, some different, some new; several per id.
        var wanted: [String: (link: Link, priority: UInt8)] = [:]
        // Some ids' rows are named by one of their links, not always the first (ids' index + 1).
        var rowids: [String: Int64] = [:]
        let sink = try Lake.WantedLinks(lake: lake, runLength: runLength)
        for _ in 0..<900 {
            let n = Int(random.next() % 600)
            let id = ids[n]
            let l = random.next() % 3 == 0 ? (stored[id] ?? link(random.next())) : link(random.next())
            let priority = UInt8(random.next() % 3)
            let rowid: Int64? = n % 3 == 0 && random.next() % 2 == 0 ? Int64(n + 1) : nil
            if let rowid { rowids[id] = rowid }
            try sink.add(id, l, priority: priority, rowid: rowid)
            if let current = wanted[id], current.priority <= priority { continue }
            wanted[id] = (l, priority)
        }
        var changes: [String] = []
        var named = 0
        let count = try sink.forEachChange { id, link, current, rowid in
            changes.append(id)
            #expect(link == wanted[id]?.link && current == stored[id] && link != current, "\(id)")
            // Only hex ids are kept in the runs, with their rows; the others are compared whole.
            if Lake.WantedLinks.words(id) != nil && link != nil {
                #expect(rowid == rowids[id], "\(id)")
                if rowid != nil { named += 1 }
            } else {
                #expect(rowid == nil, "\(id)")
            }
        }
        #expect(named > 20)
        let expected = Set(wanted.keys).union(stored.keys).filter { wanted[$0]?.link != stored[$0] }
        #expect(count == wanted.count)
        #expect(Set(changes) == expected && changes.count == expected.count)
        // Hex ids first, in order, then the others in order.
        let hex = changes.filter { Lake.WantedLinks.words($0) != nil }
        #expect(hex == hex.sorted() && changes.prefix(hex.count).elementsEqual(hex))
        #expect(changes.count > 100 && changes.count < wanted.count + stored.count)
        #expect(!FileManager.default.fileExists(atPath: lake.scratchFiles.links) || runLength < 900)
    }

    /// The changes may be written back as they come (as the duplicate stage does): the paged
    /// read of the stored links sees each once.
    @Test func writingBackDuringThePassChangesNothingItReads() throws {
        let dir = TestPaths.scratch("wanted-links-write")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let relinker = try lake.relinker()
        var random = SplitMix64(seed: 3)
        let ids = (0..<10_000).map { _ in String(format: "%016llx%016llx", random.next(), random.next()) }
        for id in ids.prefix(6000) { try relinker.store(Link(target: ids[0], similarity: "1", method: "content_hash"), for: id) }
        let sink = try Lake.WantedLinks(lake: lake, runLength: 1000)
        for id in ids.suffix(6000) { try sink.add(id, Link(target: ids[1], similarity: "0.97", method: "minhash"), priority: 1) }
        var seen = Set<String>()
        _ = try sink.forEachChange { id, link, _, _ in
            #expect(seen.insert(id).inserted, "\(id) twice")
            try relinker.store(link, for: id)
        }
        #expect(seen.count == 10_000)
        var left = 0
        try lake.database.prepare("SELECT count(*) FROM record_duplicates WHERE method = 'minhash'").forEachRow { left = Int($0.int(0)) }
        #expect(left == 6000)
    }
}
