import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

/// Downloads that would never end or never fit (issue 14): a lying `Content-Length`, a server
/// that sends a byte a second, credentials in the URL. All against a server on 127.0.0.1.
@Suite struct DownloadLimitTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    @Test func aLyingContentLengthIsRefusedBeforeAnyByteIsKept() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        server.set("/huge.zip", body: TestPaths.read(TestPaths.sampleZip), plan: [.declareLength(20 << 30)])
        let dir = TestPaths.scratch("huge")
        defer { TestPaths.remove(dir) }
        let r = try Self.dp(["ingest", server.url("/huge.zip"), "--lake", dir + "/lake"])
        #expect(r.status == 3, "\(r.stderrText)")
        #expect(r.stderrText.contains("rule input.too_large") && r.stderrText.split(separator: "\n").count == 1, "\(r.stderrText)")
        #expect(TestPaths.listFiles(dir + "/lake/staging").isEmpty)
    }

    /// A transfer under the low-speed limit is dropped (here 2 s at under 1 KiB/s; the default
    /// is 60 s) and, once the retries are spent, the input is refused.
    @Test func aTricklingServerIsDropped() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        server.set("/slow.zip", body: [UInt8](repeating: 0x41, count: 64), plan: [.trickle(interval: 0.5)])
        let dir = TestPaths.scratch("slow")
        defer { TestPaths.remove(dir) }
        let d = Downloader(stagingDirectory: dir, retries: 0, baseDelay: 0)
        d.lowSpeedSeconds = 2
        let started = Date()
        #expect(throws: LakeError.self) { try d.download(server.url("/slow.zip"), expectedSHA256: nil) }
        #expect(Date().timeIntervalSince(started) < 20)
    }

    /// `user:password@` in a URL is used for the transfer but never stored in the lake or
    /// printed; a netrc file can carry them instead.
    @Test func credentialsAreNeverStoredOrPrinted() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        server.set("/export.zip", body: TestPaths.read(TestPaths.sampleZip))
        let dir = TestPaths.scratch("creds")
        defer { TestPaths.remove(dir) }
        let url = server.url("/export.zip").replacingOccurrences(of: "http://", with: "http://ana:s3cr3t-pw@")
        let ok = try Self.dp(["ingest", url, "--lake", dir + "/lake"])
        #expect(ok.status == 0, "\(ok.stderrText)")
        #expect(!ok.stdoutText.contains("s3cr3t-pw") && !ok.stderrText.contains("s3cr3t-pw"))
        #expect(!TestPaths.read(dir + "/lake/catalog.sqlite").containsSubsequence(Array("s3cr3t-pw".utf8)))
        let jobs = try Self.dp(["jobs", "--lake", dir + "/lake", "--json"])
        #expect(!jobs.stdoutText.contains("s3cr3t-pw"))
        let missing = url.replacingOccurrences(of: "/export.zip", with: "/missing.zip")
        let failed = try Self.dp(["ingest", missing, "--lake", dir + "/lake2"])
        #expect(failed.status == 3)
        #expect(!failed.stderrText.contains("s3cr3t-pw") && failed.stderrText.contains("127.0.0.1"), "\(failed.stderrText)")
        #expect(Downloader.redacted("https://u:p@host:8/a@b?c=d@e") == "https://host:8/a@b?c=d@e")
    }
}
