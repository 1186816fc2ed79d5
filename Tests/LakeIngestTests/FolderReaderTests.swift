import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

/// A folder read as an archive: order, kinds, links never followed, skipped folders, limits.
@Suite struct FolderReaderTests {
    static func make(_ dir: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/in/b/deep", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/in/lake", withIntermediateDirectories: true)
        fm.createFile(atPath: dir + "/in/a.json", contents: Data("[1]".utf8))
        fm.createFile(atPath: dir + "/in/b/deep/z.txt", contents: Data(repeating: 0x7A, count: 200_000))
        fm.createFile(atPath: dir + "/in/B.csv", contents: Data("x\n".utf8))
        fm.createFile(atPath: dir + "/in/lake/catalog.sqlite", contents: Data("not read".utf8))
        try fm.createSymbolicLink(atPath: dir + "/in/b/link", withDestinationPath: "/etc/passwd")
        #expect(mkfifo(dir + "/in/pipe", 0o600) == 0)
    }

    static func all(_ reader: FolderReader) throws -> [(ArchiveEntry, [UInt8])] {
        var out: [(ArchiveEntry, [UInt8])] = []
        while let e = try reader.nextEntry() {
            var bytes: [UInt8] = []
            while let c = try reader.readChunk() { bytes += c }
            out.append((e, bytes))
        }
        return out
    }

    /// Paths in UTF-8 byte order (`B.csv` before `a.json`), a folder before what it holds,
    /// folders with `/`; a link is a link (its target read, never its file); a pipe is special
    /// and never opened; a skipped folder is not there at all.
    @Test func entriesInByteOrderLinksNotFollowed() throws {
        let dir = TestPaths.scratch("folder")
        defer { TestPaths.remove(dir) }
        try Self.make(dir)
        let reader = try FolderReader(path: dir + "/in", chunkSize: 4096, skipping: { $0.hasSuffix("/lake") })
        let entries = try Self.all(reader)
        #expect(entries.map(\.0.path) == ["B.csv", "a.json", "b/", "b/deep/", "b/deep/z.txt", "b/link", "pipe"])
        #expect(entries.map(\.0.kind) == [.file, .file, .directory, .directory, .file, .symlink, .special])
        #expect(entries[4].1 == [UInt8](repeating: 0x7A, count: 200_000) && entries[4].0.declaredSize == 200_000)
        #expect(entries[5].0.linkTarget == "/etc/passwd" && entries[5].1.isEmpty)
        #expect(entries[6].1.isEmpty)
    }

    @Test func theEntryLimitRefusesTheFolder() throws {
        let dir = TestPaths.scratch("folder-limit")
        defer { TestPaths.remove(dir) }
        try Self.make(dir)
        let refused = #expect(throws: LakeError.self) { try FolderReader(path: dir + "/in", maxEntries: 3) }
        #expect(refused?.rule == .inputTooLarge)
        #expect(throws: LakeError.self) { try FolderReader(path: dir + "/missing") }
    }

    /// One file read under another name: the only entry, its bytes whole.
    @Test func aSingleFileUnderAName() throws {
        let dir = TestPaths.scratch("folder-one")
        defer { TestPaths.remove(dir) }
        try Self.make(dir)
        let entries = try Self.all(FolderReader(file: dir + "/in/a.json", name: "stdin.json"))
        #expect(entries.count == 1 && entries[0].0.path == "stdin.json" && entries[0].1 == Array("[1]".utf8))
    }
}
