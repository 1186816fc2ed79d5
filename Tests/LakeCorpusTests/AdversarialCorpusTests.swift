import Foundation
import LakeCore
import LakeCorpus
import LakeIngest
import LakeParsers
import Testing
import _LakeTestSupport

/// The adversarial corpus read back with libarchive and the JSON reader: each hostile file is
/// hostile in the way its manifest line says.
@Suite struct AdversarialCorpusTests {
    static func listing(_ path: String) throws -> [ArchiveEntry] {
        let r = try ArchiveReader(path: path)
        var out: [ArchiveEntry] = []
        while let e = try r.nextEntry() {
            out.append(e)
            try r.skipData()
        }
        return out
    }

    static func readEntry(_ path: String, _ name: String) throws -> [UInt8] {
        let r = try ArchiveReader(path: path)
        while let e = try r.nextEntry() {
            if e.path == name {
                var out: [UInt8] = []
                while let c = try r.readChunk() { out += c }
                return out
            }
            try r.skipData()
        }
        Issue.record("no entry \(name) in \(path)")
        return []
    }

    /// Reads every entry's data to the end.
    static func readAll(_ path: String) throws {
        let r = try ArchiveReader(path: path)
        while try r.nextEntry() != nil {
            while try r.readChunk() != nil {}
        }
    }

    @Test func hostileFilesAreHostileAsDeclared() throws {
        let dir = TestPaths.scratch("adv")
        defer { TestPaths.remove(dir) }
        let m = try CorpusGenerator.generate(profile: "adversarial", seed: 1, scale: "1MB", output: dir)
        let rules = Set(m.refused.map(\.rule))
        for r in [
            "archive.unsafe_path", "archive.unsafe_link", "archive.nesting_limit", "archive.ratio_limit", "archive.declared_size",
            "archive.encrypted", "archive.entry_corrupt", "archive.corrupt", "security.malware_signature", "detection.extension_mismatch",
            "json.invalid_utf8", "json.depth_limit",
        ] {
            #expect(rules.contains(r), "no case for \(r)")
        }
        #expect(m.findings.map(\.rule).contains("json.depth_over_design"))
        for r in m.refused { #expect(FileManager.default.fileExists(atPath: dir + "/" + r.file), "\(r.file) missing") }

        #expect(try Self.listing(dir + "/zip-slip.zip").map(\.path).contains("../../evil.txt"))
        #expect(try Self.listing(dir + "/absolute-path.zip").first?.path == "/tmp/datapunk-absolute.txt")
        let link = try #require(try Self.listing(dir + "/symlink-escape.zip").first)
        #expect(link.kind == .symlink && link.linkTarget == "../../../etc/passwd")
        let hard = try Self.listing(dir + "/hardlink-escape.tar").first { $0.path == "data/passwd" }
        #expect(hard?.kind == .hardlink && hard?.linkTarget == "../../etc/passwd")

        // Six zips deep: unwrap five times and find the sixth.
        var current = dir + "/nested-6-deep.zip"
        for level in 2...6 {
            let inner = try Self.readEntry(current, "level\(level).zip")
            current = dir + "/.level\(level).zip"
            _ = FileManager.default.createFile(atPath: current, contents: Data(inner))
        }
        #expect(try Self.listing(current).map(\.path) == ["data/innermost.js"])

        let bomb = try Self.readEntry(dir + "/ratio-bomb.zip", "zeros.bin")
        let compressed = TestPaths.read(dir + "/ratio-bomb.zip").count
        #expect(bomb.count == 64 << 20 && bomb.count / compressed > 100)
        #expect(try Self.listing(dir + "/declared-size-bomb.zip").first?.declaredSize == 4_000_000_000)
        #expect(try Self.listing(dir + "/encrypted.zip").first?.isEncrypted == true)
        #expect(throws: ArchiveError.self) { _ = try Self.readEntry(dir + "/bad-crc.zip", "data/tweets.js") }
        #expect(throws: ArchiveError.self) { try Self.readAll(dir + "/truncated.zip") }
        #expect(throws: ArchiveError.self) { try Self.readAll(dir + "/truncated.tar.gz") }

        let contents = dir + "/adversarial-contents.zip"
        #expect(
            String(decoding: try Self.readEntry(contents, "eicar.com.txt"), as: UTF8.self).hasSuffix(
                "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"))
        #expect(try Self.readEntry(contents, "photo.json").starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try Self.readEntry(contents, "Takeout/utf16.json").starts(with: [0xFF, 0xFE]))
        // 11 levels: past the design's 10 (a finding), within the safety limit; 300 levels are not.
        let deep = try JSONReader(bytes: try Self.readEntry(contents, "deep.json"))
        _ = try deep.readValue()
        #expect(deep.lastValue.depth == 11)
        do {
            _ = try JSONReader.parse(try Self.readEntry(contents, "deeper-than-safe.json"))
            Issue.record("deeper-than-safe.json parsed")
        } catch let e as JSONError { #expect(e.kind == .depthLimit(256)) }
        do {
            _ = try JSONReader.parse(try Self.readEntry(contents, "broken-utf8.json"))
            Issue.record("broken-utf8.json parsed")
        } catch let e as JSONError { #expect(e.kind == .invalidUTF8) }
        #expect(String(decoding: try Self.readEntry(contents, "data/ok.js"), as: UTF8.self).hasPrefix("window.YTD."))
    }
}
