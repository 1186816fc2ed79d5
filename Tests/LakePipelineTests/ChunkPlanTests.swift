@testable import LakePipeline
import Testing

@Suite struct ChunkPlanTests {
    let mib: Int64 = 1 << 20

    @Test func theConfiguredSizeHoldsForSmallRecordsAndPlentyOfMemory() {
        var plan = ChunkPlan(configured: 100 * mib, availableMemory: 16 << 30)
        plan.saw(elementBytes: 2_000)
        #expect(plan.chunkBytes == 100 * mib && plan.batchBytes == ChunkPlan.batchBytesCeiling)
    }

    @Test func largeRecordsRaiseTheChunkToFourOfThem() {
        var plan = ChunkPlan(configured: 1 * mib, availableMemory: nil)
        plan.saw(elementBytes: 3 * mib)
        plan.saw(elementBytes: 1 * mib)
        #expect(plan.largestElement == 3 * mib && plan.chunkBytes == 12 * mib)
    }

    @Test func shortOfMemoryChunksAndBatchesShrinkToTheirFloors() {
        let plan = ChunkPlan(configured: 1 << 30, availableMemory: 512 * mib)
        #expect(plan.chunkBytes == 32 * mib && plan.batchBytes == 2 * mib)
        let starved = ChunkPlan(configured: 1 << 30, availableMemory: 4 * mib)
        #expect(starved.chunkBytes == ChunkPlan.chunkBytesFloor && starved.batchBytes == ChunkPlan.batchBytesFloor)
    }

    /// Small batches fill the committer's budget by their bytes; batches of any size larger
    /// than half of it count as half, so two of them may always wait.
    @Test func theCommitterHoldsTwoBatchesOfAnySizeOrManySmallOnes() {
        let budget = ChunkPlan.committerBytes
        #expect(ChunkPlan.committerWeight(bytes: 184_000) == 184_000)
        #expect(budget / ChunkPlan.committerWeight(bytes: 184_000) >= 20)
        for bytes in [Int64(budget / 2), ChunkPlan.batchBytesCeiling, 40 * mib] {
            #expect(2 * ChunkPlan.committerWeight(bytes: bytes) <= budget)
            #expect(3 * ChunkPlan.committerWeight(bytes: bytes) > budget)
        }
    }

    @Test func theMachinesAvailableMemoryIsRead() throws {
        let available = try #require(ProcessMetrics.availableMemoryBytes())
        #expect(available > 0)
        #expect(try #require(ProcessMetrics.recentAvailableMemoryBytes()) > 0)
    }

    /// The loader asks for the available memory at every file and chunk; it is read again only
    /// when the last read is a quarter of a second old.
    @Test func aRecentValueIsReadAgainOnlyWhenItIsOld() {
        let recent = ProcessMetrics.Recent<Int>(maxAgeNanos: 100)
        var reads = 0
        func read() -> Int {
            reads += 1
            return reads * 10
        }
        let values = [1_000, 1_050, 1_099, 1_100, 1_150, 1_250, 900].map { recent.value(at: $0, read: read) }
        // Read at 1,000, 1,100 and 1,250; a clock before the last read reads again.
        #expect(values == [10, 10, 10, 20, 20, 30, 40])
        #expect(reads == 4)
        #expect(ProcessMetrics.availableMemory.maxAgeNanos == 250_000_000)
    }
}
