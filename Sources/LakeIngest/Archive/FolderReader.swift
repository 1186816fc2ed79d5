import Foundation
import LakeCore

/// A folder read as if it were an archive: every file, folder and link under it, in the
/// order of their relative paths' UTF-8 bytes (a folder before what it holds), with paths
/// relative to the folder and `/` between components. Links are reported, never followed;
/// devices, pipes and sockets are `special` and have no data.
///
/// ```swift
/// let folder = try FolderReader(path: "Takeout-unzipped")
/// while let entry = try folder.nextEntry() { while let chunk = try folder.readChunk() { … } }
/// ```
public final class FolderReader: EntrySource {
    public let path: String
    public private(set) var failed = false
    public var rawBytesRead: Int64? { nil }
    /// At most this many entries are listed (the archive entry-count limit applies to folders too).
    public let maxEntries: Int
    private var pending: [String] = []
    /// Where an entry's bytes are when not at `path/entry` (a single file read under another name).
    private var located: [String: String] = [:]
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8]

    /// - Throws: `LakeError` (`input.unreadable`) when the folder cannot be listed, `input.too_large`
    ///   past `maxEntries`.
    /// - Parameter skipping: folders (by their full path) left out with all they hold: a lake
    ///   inside the folder being read is never part of it.
    public init(
        path: String, maxEntries: Int = 1_000_000, chunkSize: Int = 64 * 1024,
        skipping: (String) -> Bool = { _ in false }
    ) throws {
        self.path = path
        self.maxEntries = maxEntries
        buffer = [UInt8](repeating: 0, count: chunkSize)
        pending = try Self.list(path, maxEntries: maxEntries, skipping: skipping)
        pending.reverse()
    }

    /// One file read as a folder holding only it, under the entry name `name` (its own name, or
    /// a name that says its format for a staged copy of standard input): a bare `tweets.js`,
    /// `.ics` or JSON file is routed as if it sat in its export.
    public init(file: String, name: String, chunkSize: Int = 64 * 1024) {
        path = (file as NSString).deletingLastPathComponent
        maxEntries = 1
        buffer = [UInt8](repeating: 0, count: chunkSize)
        pending = [name]
        located = [name: file]
    }

    deinit { if let file { fclose(file) } }

    /// Every relative path under `root`, sorted by UTF-8 bytes; symbolic links are not entered.
    static func list(_ root: String, maxEntries: Int, skipping: (String) -> Bool = { _ in false }) throws -> [String] {
        var out: [String] = []
        var folders = [""]
        while let folder = folders.popLast() {
            let full = folder.isEmpty ? root : root + "/" + folder
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: full) } catch {
                throw LakeError(
                    .inputUnreadable, scope: .input, input: root, entry: folder.isEmpty ? nil : folder, message: "cannot list the folder")
            }
            for name in names {
                let relative = folder.isEmpty ? name : folder + "/" + name
                var st = stat()
                let isFolder = lstat(root + "/" + relative, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
                if isFolder && skipping(root + "/" + relative) { continue }
                out.append(relative)
                if out.count > maxEntries {
                    throw LakeError(.inputTooLarge, scope: .input, input: root, message: "more than \(maxEntries) entries")
                }
                if isFolder { folders.append(relative) }
            }
        }
        return out.sorted { ByteOrder.precedes($0, $1) }
    }

    public func nextEntry() throws -> ArchiveEntry? {
        if let f = file {
            fclose(f)
            file = nil
        }
        guard let relative = pending.popLast() else { return nil }
        let full = located[relative] ?? path + "/" + relative
        var st = stat()
        guard lstat(full, &st) == 0 else {
            throw ArchiveError(code: .warn, message: "cannot stat: \(String(cString: strerror(errno)))", path: path, entry: relative)
        }
        let kind: ArchiveEntry.Kind
        var target: String?
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK:
            kind = .symlink
            target = try? FileManager.default.destinationOfSymbolicLink(atPath: full)
        default: kind = .special
        }
        if kind == .file {
            file = fopen(full, "rb")
            if file == nil {
                throw ArchiveError(code: .warn, message: "cannot open: \(String(cString: strerror(errno)))", path: path, entry: relative)
            }
        }
        return ArchiveEntry(
            path: kind == .directory ? relative + "/" : relative, kind: kind, declaredSize: kind == .file ? Int64(st.st_size) : 0,
            permissions: UInt32(st.st_mode & 0o7777), modified: Int64(st.st_mtim.tv_sec), linkTarget: target, isEncrypted: false)
    }

    public func readChunk() throws -> [UInt8]? {
        guard let f = file else { return nil }
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n == 0 {
            if ferror(f) != 0 { throw ArchiveError(code: .warn, message: "read error", path: path, entry: nil) }
            return nil
        }
        return Array(buffer[0..<n])
    }

    public func skipData() throws {
        if let f = file {
            fclose(f)
            file = nil
        }
    }
}
