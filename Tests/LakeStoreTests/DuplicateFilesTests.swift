import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakeStore

/// `files.duplicate_of` (docs/SPEC.md 5.11): equal size, XXH64 and SHA-256; the first by input
/// and entry index is the original; folders and unhashed rows take no part.
@Suite struct DuplicateFilesTests {
    func row(_ input: String, _ index: Int, kind: String = "file", size: Int64 = 1, sha: String? = "aa", xxh: String? = "11")
        -> Lake.FileRow
    {
        var f = Lake.FileRow(input: input, entryIndex: index, path: "p\(index)", kind: kind, status: .loaded)
        f.size = size
        f.sha256 = sha
        f.xxh64 = xxh
        return f
    }

    @Test func theFirstByInputAndEntryIsTheOriginal() throws {
        let dir = TestPaths.scratch("dup-files")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        try lake.inTransaction {
            for f in [
                row("b.zip", 0), row("a.zip", 5), row("a.zip", 7), row("a.zip", 2, size: 2), row("a.zip", 3, sha: nil),
                row("a.zip", 9, kind: "directory"), row("c.zip", 1, sha: "bb"), row("c.zip", 4, sha: "bb"),
            ] {
                try lake.insertFile(jobID: "j", f)
            }
        }
        var marked = 0
        try lake.inTransaction { marked = try lake.linkDuplicateFiles() }
        #expect(marked == 3)
        var links: [String: String] = [:]
        try lake.database.prepare("SELECT input || '#' || entry_index, duplicate_of FROM files WHERE duplicate_of IS NOT NULL").forEachRow {
            links[$0.text(0) ?? ""] = $0.text(1)
        }
        #expect(links == ["a.zip#7": "a.zip#5", "b.zip#0": "a.zip#5", "c.zip#4": "c.zip#1"])
        // Run again: the same marks, none added.
        try lake.inTransaction { marked = try lake.linkDuplicateFiles() }
        #expect(marked == 3)
    }
}
