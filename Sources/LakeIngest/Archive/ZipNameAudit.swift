import Foundation

/// What an entry's name hides that libarchive cannot report: a NUL inside it (libarchive
/// returns names as C strings, so `evil\0.json` comes back as `evil`), or a central directory
/// that names the entry differently from its local header (libarchive reports the local
/// header's name, `unzip` and Python the central directory's, so two tools would see two files).
public struct EntryNameProblem: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case nul, mismatch
    }

    public var kind: Kind
    /// The central directory's name and the local header's, escaped for printing (`\0` for a NUL).
    public var central: String
    public var local: String

    public init(kind: Kind, central: String, local: String) {
        self.kind = kind
        self.central = central
        self.local = local
    }

    public var message: String {
        switch kind {
        case .nul: return "NUL in path (the archive names it '\(central)'); entry refused"
        case .mismatch:
            return
                "the central directory names it '\(central)' and its local header '\(local)'; entry refused, since tools disagree which file it is"
        }
    }
}

/// Reads a zip file's central directory and every local header it points to (PKWARE APPNOTE
/// 6.3: sections 4.3.7, 4.3.12, 4.3.14-16; ZIP64 end records and extra field 0x0001), byte by
/// byte, to find the names libarchive would pass on cut or different. Only what is found is
/// kept, so memory does not grow with the entry count.
///
/// Problems are keyed by the entry's place in libarchive's reading order, which for a zip
/// read from a file is ascending local-header offset.
public struct ZipNameAudit {
    public struct Finding: Sendable, Equatable {
        public var problem: EntryNameProblem
        /// The local header's name up to its first NUL: what libarchive reports.
        public var reportedName: String
        var offset: Int64
    }

    /// Findings by ordinal in reading order.
    public private(set) var findings: [Int: Finding] = [:]
    /// Central-directory records read (0 when the file is no readable zip).
    public private(set) var audited = 0
    /// Findings kept at most; an archive with more is refused whole (`overflowed`).
    public static let maxFindings = 10_000
    public private(set) var overflowed = false

    /// Audits the zip at `path`, reading at most `maxEntries` central-directory records. A file
    /// that is not a readable zip gives no findings: libarchive reports what is wrong with it.
    public init(path: String, maxEntries: Int) {
        guard let file = FileHandle(forReadingAtPath: path) else { return }
        defer { try? file.close() }
        guard let directory = Self.directory(file), directory.count > 0 else { return }
        var found: [Finding] = []
        let reader = BlockReader(file: file, start: directory.start, length: directory.size)
        var offsets = 0
        while offsets < min(directory.count, maxEntries), let record = reader.centralRecord() {
            offsets += 1
            audited = offsets
            let localStart = record.offset + directory.correction
            guard let local = Self.localName(file, at: localStart) else { continue }
            if found.count == Self.maxFindings, record.name.contains(0) || local.contains(0) || record.name != local {
                overflowed = true
                return
            }
            if record.name.contains(0) || local.contains(0) {
                found.append(
                    Finding(
                        problem: .init(kind: .nul, central: Self.escaped(record.name), local: Self.escaped(local)),
                        reportedName: Self.cut(local), offset: localStart))
            } else if record.name != local {
                found.append(
                    Finding(
                        problem: .init(kind: .mismatch, central: Self.escaped(record.name), local: Self.escaped(local)),
                        reportedName: Self.cut(local), offset: localStart))
            }
        }
        guard !found.isEmpty else { return }
        // A second pass over the directory places each finding in reading order: its ordinal
        // is the number of entries whose local header comes before its own.
        found.sort { $0.offset < $1.offset }
        var starts = [Int](repeating: 0, count: found.count + 1)
        let again = BlockReader(file: file, start: directory.start, length: directory.size)
        var seen = 0
        while seen < offsets, let record = again.centralRecord() {
            seen += 1
            let at = record.offset + directory.correction
            // The first finding after `at`: this entry comes before it and every later one.
            var low = 0, high = found.count
            while low < high {
                let mid = (low + high) / 2
                if found[mid].offset > at { high = mid } else { low = mid + 1 }
            }
            starts[low] += 1
        }
        var before = 0
        for (i, f) in found.enumerated() {
            before += starts[i]
            findings[before] = f
        }
    }

    /// The finding for the `ordinal`-th entry libarchive reported, named `name`; by name when the
    /// ordinal's finding is for another name (an order this audit did not foresee).
    public func finding(ordinal: Int, name: String) -> Finding? {
        if let f = findings[ordinal], f.reportedName == name { return f }
        return findings.values.first { $0.reportedName == name }
    }

    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\\0")
    }

    static func cut(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    struct Directory {
        var start: Int64
        var size: Int64
        var count: Int
        /// Bytes before the zip proper (a self-extracting stub): added to every recorded offset.
        var correction: Int64
    }

    /// The end of central directory record (the last 64 KiB + 22 bytes are searched, for a
    /// trailing comment), and the ZIP64 end record when the plain one holds 0xFFFF/0xFFFFFFFF.
    static func directory(_ file: FileHandle) -> Directory? {
        guard let size = try? file.seekToEnd(), size >= 22 else { return nil }
        let tailLength = min(Int64(size), 22 + 65_535)
        guard let tail = read(file, at: Int64(size) - tailLength, count: Int(tailLength)) else { return nil }
        var i = tail.count - 22
        while i >= 0, !(tail[i] == 0x50 && tail[i + 1] == 0x4B && tail[i + 2] == 5 && tail[i + 3] == 6) { i -= 1 }
        guard i >= 0 else { return nil }
        let eocd = Int64(size) - tailLength + Int64(i)
        var count = Int(le(tail, i + 10, 2))
        var cdSize = Int64(le(tail, i + 12, 4))
        var cdOffset = Int64(le(tail, i + 16, 4))
        var end = eocd
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF, eocd >= 20,
            let locator = read(file, at: eocd - 20, count: 20), le(locator, 0, 4) == 0x0706_4B50,
            let record = read(file, at: Int64(le(locator, 8, 8)), count: 56), le(record, 0, 4) == 0x0606_4B50
        {
            count = Int(clamping: le(record, 32, 8))
            cdSize = Int64(clamping: le(record, 40, 8))
            cdOffset = Int64(clamping: le(record, 48, 8))
            end = Int64(le(locator, 8, 8))
        }
        let correction = end - (cdOffset + cdSize)
        guard correction >= 0, cdOffset + correction >= 0 else { return nil }
        return Directory(start: cdOffset + correction, size: cdSize, count: count, correction: correction)
    }

    /// The name in the local header at `offset`, or nil when no local header is there.
    static func localName(_ file: FileHandle, at offset: Int64) -> [UInt8]? {
        guard let head = read(file, at: offset, count: 30), le(head, 0, 4) == 0x0403_4B50 else { return nil }
        let length = Int(le(head, 26, 2))
        return length == 0 ? [] : read(file, at: offset + 30, count: length)
    }

    static func read(_ file: FileHandle, at offset: Int64, count: Int) -> [UInt8]? {
        guard offset >= 0, (try? file.seek(toOffset: UInt64(offset))) != nil,
            let data = try? file.read(upToCount: count), data.count == count
        else { return nil }
        return [UInt8](data)
    }

    /// A little-endian integer of `width` bytes at `at`.
    static func le(_ b: [UInt8], _ at: Int, _ width: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in (0..<width).reversed() { v = v << 8 | UInt64(b[at + k]) }
        return v
    }

    /// Central-directory records read in order through a 64 KiB window.
    final class BlockReader {
        let file: FileHandle
        var position: Int64
        let end: Int64
        var buffer: [UInt8] = []
        var at = 0

        init(file: FileHandle, start: Int64, length: Int64) {
            self.file = file
            position = start
            end = start + length
        }

        func take(_ n: Int) -> [UInt8]? {
            if buffer.count - at < n {
                let want = max(n, 64 * 1024) - (buffer.count - at)
                let available = Int(min(Int64(want), end - position))
                guard available > 0, let more = ZipNameAudit.read(file, at: position, count: available) else { return nil }
                buffer = Array(buffer[at...]) + more
                at = 0
                position += Int64(available)
                guard buffer.count >= n else { return nil }
            }
            defer { at += n }
            return Array(buffer[at..<at + n])
        }

        /// The next record's name and local-header offset (from the ZIP64 extra field when the
        /// 32-bit field holds 0xFFFFFFFF).
        func centralRecord() -> (name: [UInt8], offset: Int64)? {
            guard let head = take(46), le(head, 0, 4) == 0x0201_4B50 else { return nil }
            let nameLength = Int(le(head, 28, 2)), extraLength = Int(le(head, 30, 2)), commentLength = Int(le(head, 32, 2))
            guard let name = nameLength == 0 ? [] : take(nameLength), let extra = extraLength == 0 ? [] : take(extraLength),
                commentLength == 0 || take(commentLength) != nil
            else { return nil }
            var offset = le(head, 42, 4)
            if offset == 0xFFFF_FFFF {
                // The ZIP64 field holds, in order, only the sizes and offset that overflowed.
                let skip = (le(head, 24, 4) == 0xFFFF_FFFF ? 8 : 0) + (le(head, 20, 4) == 0xFFFF_FFFF ? 8 : 0)
                var i = 0
                while i + 4 <= extra.count {
                    let id = le(extra, i, 2), size = Int(le(extra, i + 2, 2))
                    if id == 1, i + 4 + skip + 8 <= extra.count, skip + 8 <= size {
                        offset = le(extra, i + 4 + skip, 8)
                        break
                    }
                    i += 4 + size
                }
            }
            return (name, Int64(clamping: offset))
        }
    }
}
