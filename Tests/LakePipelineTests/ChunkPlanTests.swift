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

    @Test func theMachinesAvailableMemoryIsRead() throws {
        let available = try #require(ProcessMetrics.availableMemoryBytes())
        #expect(available > 0)
    }
}
