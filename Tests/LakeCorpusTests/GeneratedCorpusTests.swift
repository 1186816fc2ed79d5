import Foundation
import LakeCore
import LakeCorpus
import Testing
import _LakeTestSupport

/// Every committed case in Corpus/generated/cases.txt (`name profile seed scale`) is exactly
/// what the generator makes today: regenerate and compare bytes (Scripts/corpus.sh rewrites them).
@Suite struct GeneratedCorpusTests {
    static var cases: [[String]] {
        String(decoding: TestPaths.read(TestPaths.corpus + "/generated/cases.txt"), as: UTF8.self)
            .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.filter { $0.count == 4 }
    }

    @Test func committedCasesMatchTheGenerator() throws {
        #expect(!Self.cases.isEmpty)
        for c in Self.cases {
            let dir = TestPaths.scratch("regen")
            defer { TestPaths.remove(dir) }
            try CorpusGenerator.generate(profile: c[1], seed: UInt64(c[2])!, scale: c[3], output: dir)
            let committed = TestPaths.corpus + "/generated/" + c[0]
            #expect(TestPaths.listFiles(dir) == TestPaths.listFiles(committed), "\(c[0]): file lists differ")
            for f in TestPaths.listFiles(dir) {
                // Compared by digest of the bytes, so a failure names the file without dumping it.
                #expect(
                    FileDigester.sha256(TestPaths.read(dir + "/" + f)) == FileDigester.sha256(TestPaths.read(committed + "/" + f)),
                    "\(c[0])/\(f) differs: run Scripts/corpus.sh")
            }
        }
    }
}

@Suite struct MixedCorpusTests {
    @Test func mixedHoldsEveryExportKindForSeveralUsers() throws {
        let dir = TestPaths.scratch("mixed")
        defer { TestPaths.remove(dir) }
        let m = try CorpusGenerator.generate(profile: "mixed", seed: 4, scale: "256KB", output: dir)
        #expect(Set(m.inputs.map(\.exportKind)) == ["twitter", "facebook", "google-takeout"])
        #expect(Set(m.users).count == 6)
        for input in m.inputs { #expect(FileManager.default.fileExists(atPath: dir + "/" + input.file)) }
        #expect(TestPaths.listFiles(dir).count == m.inputs.count + 1)
    }
}
