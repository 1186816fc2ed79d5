import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

@testable import LakePipeline
@testable import LakeStore

/// Receipt of a job's inputs, local files two at a time (`IngestJob.receiveAll`): the inputs
/// come back in the job's order whatever order they were hashed in, and what fails is reported
/// in the order the inputs were given, as one at a time reported it.
@Suite struct ReceiveAllTests {
    static func receive(_ inputs: [String], in dir: String, batchLimit: Int64? = nil) throws -> [IngestJob.Received] {
        var options = IngestOptions()
        options.lakeDirectory = dir + "/lake"
        if let batchLimit { options.thresholds.maxBatchBytes = batchLimit }
        let job = IngestJob(options: options)
        let lake = try Lake(directory: options.lakeDirectory, create: true)
        return try job.receiveAll(inputs, lake: lake, magic: try MagicDetector())
    }

    /// Four files of `size` bytes each, named so that their order is not the given one.
    static func files(_ dir: String, size: Int = 3 << 20) -> [String] {
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return ["d", "b", "c", "a"].enumerated().map { i, name in
            let path = dir + "/\(name).json"
            FileManager.default.createFile(atPath: path, contents: Data(repeating: UInt8(0x30 + i), count: size))
            return path
        }
    }

    @Test func inputsComeBackHashedAndInTheJobsOrder() throws {
        let dir = TestPaths.scratch("receive-all")
        defer { TestPaths.remove(dir) }
        let paths = Self.files(dir + "/in")
        let received = try Self.receive(paths, in: dir)
        #expect(received.map(\.name) == ["a.json", "b.json", "c.json", "d.json"])
        for r in received {
            #expect(r.digest.sha256 == FileDigester.sha256(TestPaths.read(r.path)) && r.chunkHashes.count == 3)
        }
    }

    @Test func theFirstFailureInTheGivenOrderIsReported() throws {
        let dir = TestPaths.scratch("receive-all-fail")
        defer { TestPaths.remove(dir) }
        let paths = Self.files(dir + "/in")
        let missing = [dir + "/in/missing-1.json", dir + "/in/missing-2.json"]
        let first = #expect(throws: LakeError.self) { _ = try Self.receive([paths[0], missing[1], paths[1], missing[0]], in: dir) }
        #expect(first?.rule == .inputNotFound && first?.input == missing[1], "\(String(describing: first))")
        // The batch limit is passed at the third input given: 9 MiB of 4 files of 3 MiB.
        let batch = #expect(throws: LakeError.self) { _ = try Self.receive(paths, in: dir, batchLimit: 8 << 20) }
        #expect(batch?.rule == .batchTooLarge && batch?.input == paths[2], "\(String(describing: batch))")
    }
}
