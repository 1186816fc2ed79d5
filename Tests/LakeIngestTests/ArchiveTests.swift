import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

@Suite struct ArchiveTests {
    /// Reads every entry of an archive into memory (small fixtures only).
    static func readAll(_ path: String) throws -> [(ArchiveEntry, [UInt8])] {
        let reader = try ArchiveReader(path: path)
        var out: [(ArchiveEntry, [UInt8])] = []
        while let e = try reader.nextEntry() {
            var data: [UInt8] = []
            while let c = try reader.readChunk() { data += c }
            out.append((e, data))
        }
        return out
    }

    /// The committed sample zip holds exactly the committed src files (Scripts/make-sample-zip.py).
    @Test func sampleZipMatchesItsSourceFolder() throws {
        let src = TestPaths.corpus + "/twitter-small/src"
        let entries = try Self.readAll(TestPaths.sampleZip)
        #expect(entries.map(\.0.path).sorted() == TestPaths.listFiles(src))
        for (entry, data) in entries {
            #expect(entry.kind == .file)
            #expect(data == TestPaths.read(src + "/" + entry.path), "\(entry.path) differs from src")
        }
        #expect(entries.first?.0.path == "Your archive.html")
        #expect(entries[1].0.path == "data/tweets.js")
    }

    @Test(arguments: [ArchiveWriter.Format.zip, .tarGzip])
    func writerAndReaderRoundTrip(_ format: ArchiveWriter.Format) throws {
        let dir = TestPaths.scratch("archive")
        defer { TestPaths.remove(dir) }
        let path = dir + "/a"
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        do {
            let w = try ArchiveWriter(path: path, format: format)
            try w.addDirectory("data/")
            try w.addFile("data/big.bin", contents: big)
            try w.addFile("data/empty.txt", contents: [])
            try w.addFile("data/ünïcode näme.json", contents: Array("{}".utf8))
            try w.addSymlink("data/link", target: "../../etc/passwd")
            try w.close()
        }
        let entries = try Self.readAll(path)
        #expect(entries.map(\.0.path) == ["data/", "data/big.bin", "data/empty.txt", "data/ünïcode näme.json", "data/link"])
        #expect(entries.map(\.0.kind) == [.directory, .file, .file, .file, .symlink])
        #expect(entries[1].1 == big)
        #expect(entries[4].0.linkTarget == "../../etc/passwd")
        #expect(entries[1].0.modified == ArchiveWriter.fixedMTime)
    }

    @Test func notAnArchiveIsRefusedOnOpenOrFirstHeader() throws {
        let dir = TestPaths.scratch("archive")
        defer { TestPaths.remove(dir) }
        let path = dir + "/plain.txt"
        _ = FileManager.default.createFile(atPath: path, contents: Data("just some text\n".utf8))
        #expect(throws: ArchiveError.self) { _ = try Self.readAll(path) }
    }

    @Test func truncatedZipIsAFatalError() throws {
        let dir = TestPaths.scratch("archive")
        defer { TestPaths.remove(dir) }
        let bytes = TestPaths.read(TestPaths.sampleZip)
        let path = dir + "/cut.zip"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes.prefix(bytes.count / 2)))
        do {
            _ = try Self.readAll(path)
            Issue.record("a truncated zip read without error")
        } catch let e as ArchiveError {
            #expect(e.path == path)
            #expect(!e.message.isEmpty)
        }
    }
}

@Suite struct DetectionTests {
    let magic: MagicDetector

    init() throws { magic = try MagicDetector() }

    @Test func libmagicMimeTypes() {
        #expect(magic.mimeType(of: Array(#"{"a": [1, 2, {"b": null}]}"#.utf8)) == "application/json")
        #expect(
            magic.mimeType(of: [
                0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
            ]) == "image/png")
        #expect(magic.mimeType(ofFile: TestPaths.sampleZip) == "application/zip")
        #expect(magic.mimeType(of: Array("hello\n".utf8)) == "text/plain")
    }

    @Test func formatsFromContentBeatExtensions() {
        let js = Array("window.YTD.tweets.part0 = [ {\n".utf8)
        let d = ContentSniffer.detect(sample: js, name: "data/tweets.js", mime: "text/plain", isComplete: false)
        #expect(d.format == .twitterJS && d.format.rawValue == "twitter-js")
        #expect(d.mismatch == nil)
        let liar = ContentSniffer.detect(
            sample: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], name: "notes.txt", mime: "image/jpeg", isComplete: true)
        #expect(liar.format == .jpeg)
        #expect(liar.mismatch == "extension says text, content says jpeg")
    }

    @Test func encodings() {
        #expect(ContentSniffer.detectEncoding(Array("plain".utf8), isComplete: true).0 == "ascii")
        #expect(ContentSniffer.detectEncoding(Array("Größe".utf8), isComplete: true).0 == "utf-8")
        #expect(ContentSniffer.detectEncoding([0xEF, 0xBB, 0xBF, 0x41], isComplete: true).0 == "utf-8-bom")
        #expect(ContentSniffer.detectEncoding([0xFF, 0xFE, 0x41, 0x00], isComplete: true).0 == "utf-16le")
        #expect(ContentSniffer.detectEncoding([0x41, 0x00, 0x42, 0x00, 0x43, 0x00], isComplete: true).0 == "utf-16le")
        #expect(ContentSniffer.detectEncoding([0x47, 0x72, 0xF6, 0xDF, 0x65], isComplete: true).0 == "iso-8859-1")
        #expect(ContentSniffer.detectEncoding([0x93, 0x68, 0x69, 0x94], isComplete: true).0 == "windows-1252")
        // A multi-byte character cut by the end of a sample is not an error; at the end of the file it is.
        #expect(ContentSniffer.detectEncoding([0x41, 0xC3], isComplete: false).0 == "utf-8")
        #expect(ContentSniffer.detectEncoding([0x41, 0xC3], isComplete: true).0 != "utf-8")
    }
}
