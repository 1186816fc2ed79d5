import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@Suite struct HashingTests {
    @Test func xxh64KnownVectors() {
        #expect(XXH64.hash([]) == 0xEF46_DB37_51D8_E999)
        #expect(XXH64.hash("abc") == 0x44BC_2CF5_AD77_0999)
        #expect(Hex.string(XXH64.hash([])) == "ef46db3751d8e999")
        // Every byte, and seeded 64-bit values, as the standard library spells them in base 16.
        func padded(_ text: String, _ width: Int) -> String { String(repeating: "0", count: width - text.count) + text }
        #expect(Hex.string((0...255).map { UInt8($0) }) == (0...255).map { padded(String($0, radix: 16), 2) }.joined())
        var rng = SplitMix64(seed: 16)
        for _ in 0..<1000 {
            let v = rng.next()
            #expect(Hex.string(v) == padded(String(v, radix: 16), 16))
        }
    }

    @Test func xxh64StreamingEqualsOneShot() {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let h = XXH64()
        var i = 0
        for size in [1, 7, 4096, 65536] where i < bytes.count {
            let end = min(bytes.count, i + size)
            h.update(Array(bytes[i..<end]))
            i = end
        }
        h.update(Array(bytes[i...]))
        #expect(h.digest() == XXH64.hash(bytes))
    }

    @Test func xxh64AgreesWithXxhsum() throws {
        // The xxhash package's command-line tool is an outside reference.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xxhsum") else {
            Issue.record("xxhsum missing: run Scripts/setup.sh")
            return
        }
        let r = try CommandRunner.run("/usr/bin/xxhsum", ["-H1", TestPaths.sampleZip])
        let expected = String(r.stdoutText.prefix(16))
        let digest = FileDigester()
        digest.update(TestPaths.read(TestPaths.sampleZip))
        #expect(digest.finish().xxh64 == expected)
    }

    @Test func sha256KnownVector() {
        #expect(FileDigester.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let d = FileDigester()
        d.update(Array("a".utf8))
        d.update(Array("bc".utf8))
        let r = d.finish()
        #expect(r.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(r.size == 3)
        #expect(r.xxh64 == "44bc2cf5ad770999")
    }

    /// SHA-256 on one thread and the XXH64 passes on another give what one digester gives, the
    /// chunk hashes included, for blocks of any size across chunk boundaries.
    @Test func theSplitDigesterGivesTheOneDigestersDigest() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            let blocks = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                (0..<Int.random(in: 0...70_000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            let one = FileDigester()
            let chunks = ChunkHasher(chunkBytes: 4_096 + round), splitChunks = ChunkHasher(chunkBytes: 4_096 + round)
            let splitter = SplitDigester(chunks: splitChunks)
            for b in blocks {
                one.update(b)
                b.withUnsafeBytes { chunks.update($0) }
                splitter.update(b)
            }
            let expected = one.finish()
            #expect(splitter.finish() == expected)
            #expect(splitChunks.finish() == chunks.finish())
        }
    }
}

/// SHA-256 takes the SHA-NI path exactly when the CPU has the SHA extensions.
@Suite struct SHA256PathTests {
    @Test func theHardwarePathIsTakenWhenTheCPUHasIt() throws {
        #if arch(x86_64)
            let cpu = try #require(SHA256Path.cpuHasSHANI, "/proc/cpuinfo unreadable")
            #expect(SHA256Path.usesSHANI == cpu, "cpu sha_ni \(cpu), BoringSSL capability \(String(describing: SHA256Path.usesSHANI))")
        #endif
    }
}
