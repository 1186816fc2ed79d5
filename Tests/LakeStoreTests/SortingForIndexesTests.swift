import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// Indexes are built with a small page cache and two sorter threads, and the connection gets
/// its own settings back after: later queries (the near pass's sorts) must not run with them.
@Suite struct SortingForIndexesTests {
    func settings(_ lake: Lake) throws -> (cache: Int64, threads: Int64) {
        var cache: Int64 = 0, threads: Int64 = 0
        try lake.database.prepare("PRAGMA cache_size").forEachRow { cache = $0.int(0) }
        try lake.database.prepare("PRAGMA threads").forEachRow { threads = $0.int(0) }
        return (cache, threads)
    }

    @Test func theLakesSettingsComeBackAfterAnIndexBuild() throws {
        let dir = TestPaths.scratch("sorting")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let before = try settings(lake)
        #expect(before.cache == Int64(Lake.cacheSize))
        let during = try lake.sortingForIndexes { try settings(lake) }
        #expect(during.cache == Int64(Lake.sortingCacheSize) && during.threads == 2)
        #expect(try settings(lake) == before)
        try lake.inTransaction { _ = try lake.sortingForIndexes { try settings(lake) } }
        #expect(try settings(lake) == before)
    }
}
