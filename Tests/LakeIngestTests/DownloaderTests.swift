import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

/// libcurl against a server the test starts on 127.0.0.1.
@Suite(.serialized) struct DownloaderTests {
    let body: [UInt8] = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }

    func downloader(_ dir: String, retries: Int = 3) -> Downloader {
        Downloader(stagingDirectory: dir + "/staging", retries: retries, baseDelay: 0.01)
    }

    @Test func plainDownload() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let dir = TestPaths.scratch("dl")
        defer { TestPaths.remove(dir) }
        server.set("/exports/twitter.zip", body: body)
        let r = try downloader(dir).download(server.url("/exports/twitter.zip"), expectedSHA256: FileDigester.sha256(body))
        #expect(r.name == "twitter.zip")
        #expect(r.path == dir + "/staging/twitter.zip")
        #expect(TestPaths.read(r.path) == body)
        #expect(r.attempts == 1)
        #expect(!FileManager.default.fileExists(atPath: r.path + ".part"))
    }

    @Test func droppedConnectionResumesWithARangeRequest() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let dir = TestPaths.scratch("dl")
        defer { TestPaths.remove(dir) }
        server.set("/a.zip", body: body, plan: [.dropAfter(bytes: 70_000)])
        let r = try downloader(dir).download(server.url("/a.zip"), expectedSHA256: FileDigester.sha256(body))
        #expect(TestPaths.read(r.path) == body)
        #expect(r.attempts == 2)
        #expect(r.resumedBytes == 70_000)
        #expect(server.requests.map(\.range) == [nil, "bytes=70000-"])
    }

    @Test func transientStatusesAreRetriedWithBackoff() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let dir = TestPaths.scratch("dl")
        defer { TestPaths.remove(dir) }
        server.set("/a.zip", body: body, plan: [.status(503), .dropAfter(bytes: 10), .status(429)])
        let r = try downloader(dir).download(server.url("/a.zip"), expectedSHA256: nil)
        #expect(TestPaths.read(r.path) == body)
        #expect(r.attempts == 4)
        #expect(server.requests.count == 4)
    }

    @Test func givesUpAfterThreeRetries() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let dir = TestPaths.scratch("dl")
        defer { TestPaths.remove(dir) }
        server.set("/a.zip", body: body, plan: Array(repeating: .status(503), count: 10))
        do {
            _ = try downloader(dir).download(server.url("/a.zip"), expectedSHA256: nil)
            Issue.record("succeeded")
        } catch let e as LakeError {
            #expect(e.rule == .downloadFailed)
            #expect(e.scope == .input)
            #expect(e.message.contains("HTTP 503"))
            #expect(e.message.contains("after 4 attempts"))
        }
        #expect(server.requests.count == 4)
    }

    /// https through a real TLS server (`openssl s_server`) with a self-signed certificate:
    /// trusted through `caFile`, the bytes arrive whole; without it, verification fails at the
    /// first attempt (not a transient error) and nothing is kept.
    @Test func httpsVerifiesTheServerAgainstTheGivenCA() throws {
        let dir = TestPaths.scratch("dl")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/www", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/www/export.zip", contents: Data(body))
        let server = try TLSTestServer(root: dir + "/www")
        defer { server.stop() }
        let trusted = Downloader(stagingDirectory: dir + "/staging", retries: 3, baseDelay: 0.01, caFile: server.certificate)
        let r = try trusted.download(server.url("/export.zip"), expectedSHA256: FileDigester.sha256(body))
        #expect(TestPaths.read(r.path) == body)
        #expect(r.attempts == 1)
        try FileManager.default.removeItem(atPath: r.path)
        do {
            _ = try downloader(dir).download(server.url("/export.zip"), expectedSHA256: nil)
            Issue.record("a self-signed server was trusted without --ca-file")
        } catch let e as LakeError {
            #expect(e.rule == .downloadFailed)
            #expect(e.message.contains("curl 60"), "\(e.message)")
            #expect(e.message.contains("after 1 attempt)"), "\(e.message)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/staging/export.zip"))
        #expect(TestPaths.read(dir + "/staging/export.zip.part").isEmpty)
    }

    @Test func notFoundIsNotRetried() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let dir = TestPaths.scratch("dl")
        defer { TestPaths.remove(dir) }
        #expect(throws: LakeError.self) { _ = try downloader(dir).download(server.url("/missing.zip"), expectedSHA256: nil) }
        #expect(server.requests.count == 1)
    }

    @Test func hashMismatchRefusesAndRemovesTheFile() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let dir = TestPaths.scratch("dl")
        defer { TestPaths.remove(dir) }
        server.set("/a.zip", body: body)
        do {
            _ = try downloader(dir).download(server.url("/a.zip"), expectedSHA256: String(repeating: "0", count: 64))
            Issue.record("accepted")
        } catch let e as LakeError {
            #expect(e.rule == .inputHashMismatch)
        }
        #expect(TestPaths.listFiles(dir + "/staging").isEmpty)
    }

    @Test func serverThatIgnoresRangesStartsOver() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let dir = TestPaths.scratch("dl")
        defer { TestPaths.remove(dir) }
        server.setIgnoresRange(true)
        server.set("/a.zip", body: body, plan: [.dropAfter(bytes: 50_000)])
        let r = try downloader(dir).download(server.url("/a.zip"), expectedSHA256: FileDigester.sha256(body))
        #expect(TestPaths.read(r.path) == body)
    }

    @Test func fileURLs() throws {
        let dir = TestPaths.scratch("dl")
        defer { TestPaths.remove(dir) }
        let r = try downloader(dir).download("file://" + TestPaths.sampleZip, expectedSHA256: nil)
        #expect(TestPaths.read(r.path) == TestPaths.read(TestPaths.sampleZip))
        #expect(r.name == "twitter-2024-01-15-sample.zip")
    }

    @Test func fileNamesFromURLs() {
        #expect(Downloader.fileName(for: "https://h/x/takeout-001.zip?sig=1") == "takeout-001.zip")
        #expect(Downloader.fileName(for: "http://h/") == "download")
        #expect(Downloader.fileName(for: "http://h/a/..") == "download")
        #expect(Downloader.fileName(for: "http://h/my%20export.zip") == "my_export.zip")
        #expect(Downloader.fileName(for: "http://h/%2e%2e%2fetc") == ".._etc")
    }
}
