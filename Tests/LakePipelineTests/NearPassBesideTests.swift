import Foundation
import LakeCore
@testable import LakePipeline
@testable import LakeStore
import LakeValidate
import Testing
import _LakeTestSupport

/// The near pass run beside the identical texts (`NearPassInBackground`): through a second
/// connection on a thread of its own, with the same links in the same order as the pass run
/// after them on the lake's own connection.
@Suite struct NearPassBesideTests {
    /// A lake of `count` tweets (`NearDuplicateFinderTests.lake`) with its texts hashed and committed.
    static func hashedLake(_ dir: String, count: Int) throws -> Lake {
        let lake = try NearDuplicateFinderTests.lake(dir, count: count)
        try lake.inTransaction { _ = try NearDuplicateFinder(lake: lake).hashNewRecords() }
        return lake
    }

    /// The links `links` gives in a transaction of its own, in the order given.
    static func links(_ lake: Lake, beside: Bool, checkStop: @escaping () throws -> Void = {}) throws -> [String] {
        var out: [String] = []
        try lake.inTransaction {
            var finder = NearDuplicateFinder(lake: lake)
            finder.passBeside = beside
            finder.checkStop = checkStop
            try finder.links { id, link, rowid in out.append("\(rowid ?? 0) \(id) \(link.target) \(link.similarity) \(link.method)") }
        }
        return out
    }

    @Test func aPassBesideGivesTheLinksOfAPassAfter() throws {
        let dir = TestPaths.scratch("near-beside")
        defer { TestPaths.remove(dir) }
        let lake = try Self.hashedLake(dir, count: 420)
        let after = try Self.links(lake, beside: false)
        let beside = try Self.links(lake, beside: true)
        // Identical texts (1) and near ones (under 1) both, so the order of the two kinds counts.
        let equal = " \(NearDuplicates.similarityText(1)) minhash"
        #expect(after.contains { $0.hasSuffix(equal) } && after.contains { !$0.hasSuffix(equal) })
        #expect(beside == after)
        for path in lake.allScratchFiles { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
    }

    /// What the open transaction wrote is not what the pass beside reads: it reads what was
    /// committed, which is why only a caller that has written nothing yet asks for it.
    @Test func aPassBesideReadsWhatWasCommitted() throws {
        let dir = TestPaths.scratch("near-beside-committed")
        defer { TestPaths.remove(dir) }
        let lake = try Self.hashedLake(dir, count: 420)
        var here: [String] = [], beside: [String] = []
        try lake.inTransaction {
            // Every text's signature gone, uncommitted: the pass here finds no near pair.
            try lake.database.execute("DELETE FROM text_signatures")
            for passBeside in [false, true] {
                var finder = NearDuplicateFinder(lake: lake)
                finder.passBeside = passBeside
                var near: [String] = []
                try finder.links { id, link, _ in if link.similarity != NearDuplicates.similarityText(1) { near.append(id) } }
                if passBeside { beside = near } else { here = near }
            }
            return
        }
        #expect(here.isEmpty)
        #expect(beside.count > 20)
    }

    struct Stop: Error {}

    @Test func aStopOnThePassThreadStopsTheLinks() throws {
        let dir = TestPaths.scratch("near-beside-stop")
        defer { TestPaths.remove(dir) }
        let lake = try Self.hashedLake(dir, count: 420)
        let caller = Thread.current
        let calls = Counter()
        // Thrown only where the pass beside checks: this thread checks too, between the steps.
        #expect(throws: Stop.self) {
            _ = try Self.links(lake, beside: true) {
                guard Thread.current != caller else { return }
                calls.add()
                throw Stop()
            }
        }
        #expect(calls.value == 1)
        for path in lake.allScratchFiles { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
        // The lake is as it was: a pass after finds its links.
        #expect(!(try Self.links(lake, beside: false)).isEmpty)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int {
            lock.lock()
            defer { lock.unlock() }
            return count
        }
        func add() {
            lock.lock()
            count += 1
            lock.unlock()
        }
    }
}
