import Foundation
import LakeCore
import LakeIngest
@testable import LakePipeline
import Testing
import _LakeTestSupport

/// `inspect` on its own: the file's identity and detection, and each entry's, streamed or
/// collected alike; each entry's hash is the hash of its bytes.
@Suite struct InspectorTests {
    @Test func anArchiveAndItsEntries() throws {
        let zip = TestPaths.sampleZip
        let report = try Inspector.inspect(path: zip)
        #expect(report["format"] == .string("zip") && report["sha256"] == .string(FileDigester.sha256(TestPaths.read(zip))))
        guard case .array(let entries)? = report["entries"] else {
            Issue.record("no entries")
            return
        }
        var streamed: [JSONValue] = []
        _ = try Inspector.inspect(path: zip) { streamed.append($0) }
        #expect(streamed == entries)
        // Every file entry's SHA-256 is that of its bytes as libarchive gives them.
        let reader = try ArchiveReader(path: zip)
        var checked = 0
        while let e = try reader.nextEntry() {
            var bytes: [UInt8] = []
            while let c = try reader.readChunk() { bytes += c }
            guard e.kind == .file, let row = entries.first(where: { $0["path"] == .string(e.path) }) else { continue }
            #expect(row["sha256"] == .string(FileDigester.sha256(bytes)) && row["size"] == .number(String(bytes.count)), "\(e.path)")
            checked += 1
        }
        #expect(checked >= 5)
        #expect(entries.contains { $0["path"] == .string("data/tweets.js") && $0["format"] == .string("twitter-js") })
    }

    @Test func aFileThatIsNoArchiveHasNoEntries() throws {
        let report = try Inspector.inspect(path: TestPaths.corpus + "/real/mail-parser/mail_test_2.eml")
        #expect(report["entries"] == nil && report["name"] == .string("mail_test_2.eml"))
        #expect(throws: LakeError.self) { try Inspector.inspect(path: "/nonexistent/file.zip") }
    }
}
