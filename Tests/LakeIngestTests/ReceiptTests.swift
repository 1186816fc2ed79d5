import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

/// Receipt on its own: inputs resolved, hashed and typed; the checks it makes before anything
/// is loaded, and the one after.
@Suite struct ReceiptTests {
    static func receipt(_ dir: String) throws -> Receipt {
        try Receipt(magic: MagicDetector(), stagingDirectory: dir + "/staging", stdinCopy: dir + "/staging/stdin-1")
    }

    @Test func anArchiveIsHashedAndTyped() throws {
        let dir = TestPaths.scratch("receipt")
        defer { TestPaths.remove(dir) }
        let zip = TestPaths.sampleZip
        let bytes = TestPaths.read(zip)
        let r = try Self.receipt(dir).receive(zip)
        #expect(r.detection.format == .zip && r.singleEntry == nil && r.path == zip)
        #expect(r.digest.sha256 == FileDigester.sha256(bytes) && r.digest.size == Int64(bytes.count))
        #expect(r.chunkHashes.count == (bytes.count + (1 << 20) - 1) >> 20)
    }

    /// A file that is no archive is its input's one entry, under its own name.
    @Test func aBareFileIsOneEntry() throws {
        let dir = TestPaths.scratch("receipt-bare")
        defer { TestPaths.remove(dir) }
        let file = TestPaths.corpus + "/real/python-icalendar/america_new_york.ics"
        let r = try Self.receipt(dir).receive(file)
        #expect(r.singleEntry == "america_new_york.ics" && r.detection.format == .ics)
    }

    /// A folder's digest leaves out what `notInput` names (a lake inside it).
    @Test func aFolderWithoutWhatIsNotInput() throws {
        let dir = TestPaths.scratch("receipt-folder")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in/lake", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/in/a.json", contents: Data("[1]".utf8))
        var receipt = try Self.receipt(dir)
        let before = try receipt.receive(dir + "/in")
        FileManager.default.createFile(atPath: dir + "/in/lake/catalog.sqlite", contents: Data("x".utf8))
        receipt.notInput = { $0.hasSuffix("/lake") }
        let after = try receipt.receive(dir + "/in")
        #expect(before.detection.format == .folder && after.digest == before.digest)
    }

    @Test func refusals() throws {
        let dir = TestPaths.scratch("receipt-refused")
        defer { TestPaths.remove(dir) }
        var receipt = try Self.receipt(dir)
        func rule(_ input: String) -> String? {
            do {
                _ = try receipt.receive(input)
                return nil
            } catch let e as LakeError { return e.rule.rawValue } catch { return "\(error)" }
        }
        #expect(rule(dir + "/missing.zip") == "input.not_found")
        #expect(rule("/dev/null") == "input.special_file")
        receipt.expectedSHA256 = String(repeating: "0", count: 64)
        #expect(rule(TestPaths.sampleZip) == "input.sha256_mismatch")
        receipt.expectedSHA256 = nil
        receipt.thresholds.maxFileBytes = 100
        #expect(rule(TestPaths.sampleZip) == "input.too_large")
        receipt.thresholds.maxFileBytes = 1 << 30
        receipt.thresholds.maxArchiveBytes = 100
        #expect(rule(TestPaths.sampleZip) == "archive.too_large")
    }

    /// Changed after receipt: `input.changed`, naming the first MiB that differs.
    @Test func anInputChangedWhileItWasProcessed() throws {
        let dir = TestPaths.scratch("receipt-changed")
        defer { TestPaths.remove(dir) }
        var bytes = [UInt8](repeating: 0x61, count: 3 << 20)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/big.txt"))
        let receipt = try Self.receipt(dir)
        let r = try receipt.receive(dir + "/big.txt")
        try receipt.verifyUnchanged(r)
        bytes[(2 << 20) + 5] = 0x62
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/big.txt"))
        let changed = #expect(throws: LakeError.self) { try receipt.verifyUnchanged(r) }
        #expect(changed?.rule == .inputChanged && changed?.message.contains("chunk 2 of 1 MiB") == true, "\(String(describing: changed))")
    }
}
