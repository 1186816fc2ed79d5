import Foundation
import LakeCore
import LakeIngest
import LakeParsers
import Testing
import _LakeTestSupport

/// The same export in every archive format libarchive writes here (zip, 7z, tar plain and
/// with gzip, bzip2, xz, zstd), and in encrypted zips: the records must not depend on the
/// container. RAR, which libarchive cannot write, is covered by the rarfile samples.
@Suite struct ArchiveFormatsEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// The hand-written sample's entries (files only), in archive order.
    static func sampleEntries() throws -> [(String, [UInt8])] {
        let reader = try ArchiveReader(path: TestPaths.sampleZip)
        var out: [(String, [UInt8])] = []
        while let e = try reader.nextEntry() {
            guard e.kind == .file else { continue }
            var bytes: [UInt8] = []
            while let c = try reader.readChunk() { bytes += c }
            out.append((e.path, bytes))
        }
        return out
    }

    static func write(_ path: String, _ format: ArchiveWriter.Format, encryption: (ArchiveWriter.Encryption, passphrase: String)? = nil)
        throws
    {
        let w = try ArchiveWriter(path: path, format: format, encryption: encryption)
        for (name, bytes) in try sampleEntries() { try w.addFile(name, contents: bytes) }
        try w.close()
    }

    /// Export lines with what names the container (input name, its SHA-256, the record id) left out.
    static func records(_ lake: String) throws -> [String] {
        let r = try dp(["export", "--lake", lake])
        #expect(r.status == 0, "\(r.stderrText)")
        return try r.stdoutText.split(separator: "\n").map { line in
            let v = try JSONReader.parse(Array(line.utf8))
            let kept =
                (v.objectMembers ?? []).filter { $0.key != "id" && $0.key != "source" }
                + [.init("path", v["source"]?["path"] ?? .null), .init("index", v["source"]?["index"] ?? .null)]
            return CanonicalJSON.string(.object(kept))
        }
    }

    @Test func everyFormatGivesTheSameRecords() throws {
        let dir = TestPaths.scratch("formats")
        defer { TestPaths.remove(dir) }
        let reference = try Self.records(
            try {
                let r = try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/ref"])
                #expect(r.status == 0)
                return dir + "/ref"
            }())
        #expect(reference.count >= 8)
        let names: [ArchiveWriter.Format: String] = [
            .zip: "x.zip", .sevenZip: "x.7z", .tar: "x.tar", .tarGzip: "x.tar.gz",
            .tarBzip2: "x.tar.bz2", .tarXz: "x.tar.xz", .tarZstd: "x.tar.zst",
        ]
        for format in ArchiveWriter.Format.allCases {
            let path = dir + "/" + names[format]!
            try Self.write(path, format)
            let lake = dir + "/lake-" + names[format]!
            let r = try Self.dp(["ingest", path, "--lake", lake])
            #expect(r.status == 0, "\(format): \(r.stderrText)")
            #expect(try Self.records(lake) == reference, "\(format): records differ")  // (8 short lines when it fails)
            // The input's format is recorded as detected.
            let inspect = try JSONReader.parse(Array(try Self.dp(["inspect", path, "--json"]).stdout))
            #expect(
                inspect["format"]?.stringValue.map { ["zip", "7z", "tar", "gzip", "bzip2", "xz", "zstd"].contains($0) } == true, "\(format)"
            )
        }
    }

    @Test(arguments: [ArchiveWriter.Encryption.zipcrypt, .aes256])
    func encryptedEntriesNeedThePasswordFile(_ method: ArchiveWriter.Encryption) throws {
        let dir = TestPaths.scratch("encrypted")
        defer { TestPaths.remove(dir) }
        let zip = dir + "/secret.zip"
        try Self.write(zip, .zip, encryption: (method, "s3cret pass"))
        let plain = dir + "/plain.zip"
        try Self.write(plain, .zip)
        #expect(try Self.dp(["ingest", plain, "--lake", dir + "/ref"]).status == 0)

        // Without a password: every encrypted entry is refused by name, nothing is loaded.
        let refused = try Self.dp(["ingest", zip, "--lake", dir + "/none"])
        let entries = try Self.sampleEntries().count
        #expect(refused.status == 1)
        #expect(
            refused.stderrText.split(separator: "\n").filter { $0.contains("rule archive.encrypted: the entry is encrypted") }.count
                == entries)
        #expect(try Self.records(dir + "/none").isEmpty)

        // A wrong password first, then the right one: the right one opens every entry.
        let passwords = dir + "/passwords"
        FileManager.default.createFile(atPath: passwords, contents: Data("wrong\ns3cret pass\n".utf8))
        let opened = try Self.dp(["ingest", zip, "--lake", dir + "/open", "--password-file", passwords])
        #expect(opened.status == 0, "\(opened.stderrText)")
        #expect(try Self.records(dir + "/open") == (try Self.records(dir + "/ref")))
        // The password is nowhere in the lake.
        let catalog = TestPaths.read(dir + "/open/catalog.sqlite")
        #expect(!catalog.containsSubsequence(Array("s3cret".utf8)))
        // The same file written on Windows (CR LF lines) opens the same way.
        FileManager.default.createFile(atPath: passwords, contents: Data("wrong\r\ns3cret pass\r\n".utf8))
        let crlf = try Self.dp(["ingest", zip, "--lake", dir + "/crlf", "--password-file", passwords])
        #expect(crlf.status == 0, "\(crlf.stderrText)")
        #expect(try Self.records(dir + "/crlf") == (try Self.records(dir + "/ref")))

        // Only wrong passwords: each entry is refused as not decryptable.
        FileManager.default.createFile(atPath: passwords, contents: Data("wrong\n".utf8))
        let wrong = try Self.dp(["ingest", zip, "--lake", dir + "/wrong", "--password-file", passwords])
        #expect(wrong.status == 1)
        #expect(
            wrong.stderrText.contains("rule archive.encrypted") && wrong.stderrText.contains("cannot be decrypted"), "\(wrong.stderrText)")
        #expect(try Self.records(dir + "/wrong").isEmpty)
    }

    /// ZipCrypto checks a password with one byte, so about 1 wrong password in 256 passes it
    /// and decrypts garbage. Found by this suite at random (exit 4, then a crash in the user
    /// survey reading on after a fatal error); this committed zip (Info-ZIP, password `pw12`)
    /// makes `wrong` pass the check for one of its entries. The entries are refused, no crash.
    @Test func wrongZipCryptoPasswordThatPassesTheCheckByteIsRefused() throws {
        let dir = TestPaths.scratch("zipcrypt-regression")
        defer { TestPaths.remove(dir) }
        let passwords = dir + "/passwords"
        FileManager.default.createFile(atPath: passwords, contents: Data("wrong\n".utf8))
        let zip = TestPaths.corpus + "/regressions/zipcrypt-wrong-password-passes-check.zip"
        let r = try Self.dp(["ingest", zip, "--lake", dir + "/lake", "--password-file", passwords])
        #expect(r.status == 1, "\(r.stderrText)")
        #expect(r.stderrText.contains("rule archive.encrypted") && r.stderrText.contains("cannot be decrypted"), "\(r.stderrText)")
        #expect(try Self.records(dir + "/lake").isEmpty)
        let right = dir + "/right"
        FileManager.default.createFile(atPath: right, contents: Data("pw12\n".utf8))
        let opened = try Self.dp(["ingest", zip, "--lake", dir + "/open", "--password-file", right])
        #expect(opened.status == 0, "\(opened.stderrText)")
        #expect(try Self.records(dir + "/open").count == 11)
        // A lucky wrong password listed before the right one: `wrong181` passes the check byte
        // of the first encrypted entry (`Your archive.html`; found by computing the check),
        // which libarchive then decrypted to garbage, refusing the entry and the rest of the
        // archive. The right one now opens every entry. (The suite's flake: freshly written
        // archives gave `wrong` that luck now and then.)
        let both = dir + "/both"
        FileManager.default.createFile(atPath: both, contents: Data("wrong181\npw12\n".utf8))
        let ordered = try Self.dp(["ingest", zip, "--lake", dir + "/both-lake", "--password-file", both])
        #expect(ordered.status == 0, "\(ordered.stderrText)")
        #expect(try Self.records(dir + "/both-lake") == (try Self.records(dir + "/open")))
    }
}

/// Archives inside archives are read in place, to depth 5, with their entries' paths under the
/// container's path; a killed ingest resumes inside them.
@Suite struct NestedArchiveEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    /// `outer.zip` holding `exports/inner.tar.gz` holding `export.zip`, the given Twitter archive.
    static func nest(_ twitterZip: String, in dir: String, withEscapingLink: Bool = false) throws -> String {
        let inner = dir + "/inner.tar.gz"
        let w1 = try ArchiveWriter(path: inner, format: .tarGzip)
        // Named like an archive, so a resumed run reaches it again (finished archives are reopened).
        if withEscapingLink { try w1.addSymlink("escape.zip", target: "/etc/passwd") }
        try w1.addFile("export.zip", fromFile: twitterZip)
        try w1.close()
        let outer = dir + "/outer.zip"
        let w2 = try ArchiveWriter(path: outer, format: .zip)
        try w2.addFile("readme.txt", contents: Array("nested\n".utf8))
        try w2.addFile("exports/inner.tar.gz", fromFile: inner)
        try w2.close()
        return outer
    }

    @Test func nestedExportsLoadUnderTheirContainersPaths() throws {
        let dir = TestPaths.scratch("nested")
        defer { TestPaths.remove(dir) }
        let outer = try Self.nest(TestPaths.sampleZip, in: dir)
        #expect(try Self.dp(["ingest", TestPaths.sampleZip, "--lake", dir + "/ref"]).status == 0)
        let r = try Self.dp(["ingest", outer, "--lake", dir + "/lake"])
        #expect(r.status == 0, "\(r.stderrText)")
        let prefix = "exports/inner.tar.gz/export.zip/"
        let nested = try ArchiveFormatsEndToEndTests.records(dir + "/lake")
        let reference = try ArchiveFormatsEndToEndTests.records(dir + "/ref").map {
            $0.replacingOccurrences(of: #""path":""#, with: #""path":""# + prefix)
        }
        #expect(nested.count == reference.count)
        let differing = zip(nested, reference).first { $0 != $1 }
        #expect(differing == nil, "first difference: \(String(differing?.0.prefix(400) ?? ""))")
    }

    @Test func killedInsideANestedArchiveAndResumedGivesTheUninterruptedExport() throws {
        let dir = TestPaths.scratch("nested-kill")
        defer { TestPaths.remove(dir) }
        let zip = try ResumeEndToEndTests.export(dir, scale: "1MB", seed: 25)
        // A link refused inside the container: reopened by every resumed run, reported once.
        let outer = try Self.nest(zip, in: dir, withEscapingLink: true)
        let ref = try Self.dp(["ingest", outer, "--lake", dir + "/ref", "--chunk-size", "16KB"])
        #expect(ref.status == 1, "\(ref.stderrText)")
        let lake = dir + "/lake"
        let (kills, last) = try CommandRunner.killUntilDone(
            after: 4, maxRuns: 60,
            arguments: { run in
                ["ingest", outer, "--lake", lake, "--chunk-size", "16KB", "--progress", "json", "--parallel", String(run % 3 + 1)]
            }
        ) { $0.contains("\"event\":\"chunk\"") }
        #expect(last?.killed == false && last?.status == 1, "\(last?.lines.suffix(3) ?? [])")
        #expect(kills >= 3, "\(kills) kills")
        #expect(try Self.dp(["export", "--lake", lake]).stdout == (try Self.dp(["export", "--lake", dir + "/ref"]).stdout))
        let job = try JSONReader.parse(Array(try Self.dp(["jobs", "--lake", lake, "--json"]).stdout))
        #expect(job["message"]?.stringValue == "1 item(s) rejected", "\(String(describing: job["message"]))")
    }
}
