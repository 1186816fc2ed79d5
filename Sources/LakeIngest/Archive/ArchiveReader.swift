import LakeCore

/// One entry's header, as libarchive reports it.
public struct ArchiveEntry: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// `special`: a device, pipe or socket; `other`: a type libarchive did not report.
        case file, directory, symlink, hardlink, special, other
    }

    public var path: String
    public var kind: Kind
    /// The declared size, when the format records one.
    public var declaredSize: Int64?
    public var permissions: UInt32
    public var modified: Int64?
    public var linkTarget: String?
    public var isEncrypted: Bool
    /// A name the archive's own bytes disagree on (set for zip files; see `ZipNameAudit`).
    public var nameProblem: EntryNameProblem?

    public init(
        path: String, kind: Kind, declaredSize: Int64?, permissions: UInt32, modified: Int64?, linkTarget: String?, isEncrypted: Bool,
        nameProblem: EntryNameProblem? = nil
    ) {
        self.path = path
        self.kind = kind
        self.declaredSize = declaredSize
        self.permissions = permissions
        self.modified = modified
        self.linkTarget = linkTarget
        self.isEncrypted = isEncrypted
        self.nameProblem = nameProblem
    }
}

/// Reads an archive entry by entry without unpacking it to disk.
///
/// ```swift
/// let reader = try ArchiveReader(path: "twitter.zip")
/// while let entry = try reader.nextEntry() {
///     while let chunk = try reader.readChunk() { ... }
/// }
/// ```
/// All archive and compression formats libarchive supports are enabled; `raw` is not, so a
/// file that is not an archive is refused by `init`.
/// - Throws: `ArchiveError`.
public final class ArchiveReader {
    /// The `struct archive *` this object owns and frees.
    public typealias Handle = OpaquePointer
    private let handle: Handle
    public let path: String
    private let watchdog: ArchiveWatchdog
    /// For an archive read from a stream: the stream, alive as long as the handle.
    private var stream: ArchiveStream?
    private var currentEntry: String?
    /// Bytes asked of libarchive per `readChunk`.
    private let chunkSize: Int
    /// Set once libarchive returned `ARCHIVE_FATAL`: no more calls are made on the handle.
    public private(set) var failed = false
    /// The names audit of a zip file: pending until the format is known, then done (or none).
    private enum Audit {
        case none, pending(path: String, maxEntries: Int), done(ZipNameAudit)
    }
    private var audit = Audit.none
    /// Entries reported so far.
    private var ordinal = 0

    /// Opens `path`. The corresponding C functions are `archive_read_new`,
    /// `archive_read_support_filter_all`, `archive_read_support_format_all` and `archive_read_open_filename`.
    /// A zip file's names are audited (`ZipNameAudit`, over at most `maxEntries` records) when
    /// its first header is read.
    ///
    /// With several passphrases, the one that opens the first encrypted entry is tried first
    /// for every entry (`passphraseOrder`).
    /// `name` stands for the file in errors (a nested archive's copy: `outer.zip:inner.zip`).
    public convenience init(
        path: String, name: String? = nil, passphrases: [String] = [], chunkSize: Int = 64 * 1024,
        watchdog: ArchiveWatchdog = .shared, maxEntries: Int = 1_000_000
    ) throws {
        let ordered = passphrases.count > 1 ? Self.passphraseOrder(path: path, passphrases, watchdog: watchdog) : passphrases
        try self.init(name: name ?? path, passphrases: ordered, chunkSize: chunkSize, watchdog: watchdog, stream: nil) {
            c_archive_read_open_filename($0, path, 64 * 1024)
        }
        audit = .pending(path: path, maxEntries: maxEntries)
    }

    /// Opens an archive read from a stream of blocks (a nested archive, pulled out of its
    /// container's entry as it is read); `name` stands for it in errors.
    public convenience init(
        name: String, stream next: @escaping () throws -> [UInt8]?, passphrases: [String] = [], chunkSize: Int = 64 * 1024,
        watchdog: ArchiveWatchdog = .shared
    ) throws {
        let stream = ArchiveStream(next)
        try self.init(name: name, passphrases: passphrases, chunkSize: chunkSize, watchdog: watchdog, stream: stream) {
            c_archive_read_open_stream($0, stream)
        }
    }

    /// Both ways of opening: every filter and format, the passphrases, then `open` under the watchdog.
    private init(
        name: String, passphrases: [String], chunkSize: Int, watchdog: ArchiveWatchdog, stream: ArchiveStream?,
        open: (Handle) -> Int32
    ) throws {
        guard let h = c_archive_read_new() else {
            throw ArchiveError(code: .fatal, message: "archive_read_new: out of memory", path: name, entry: nil)
        }
        handle = h
        path = name
        self.watchdog = watchdog
        self.chunkSize = chunkSize
        self.stream = stream
        _ = c_archive_read_support_filter_all(h)
        _ = c_archive_read_support_format_all(h)
        // ISO 9660 images are read without their Joliet names: libarchive 3.6.2 builds a
        // Joliet path in a 1 KiB heap buffer and writes its separator two bytes past the end on
        // deep paths of long names (fixed upstream in 2026, libarchive pull request 2983). That
        // corrupted the next heap block, and libarchive then refused its own handle and aborted
        // (Corpus/conformance, `test_read_format_iso_joliet_utf16be_overflow.iso`). Entries keep
        // their Rock Ridge names, else their ISO 9660 ones.
        _ = c_archive_read_disable_format_option(h, "iso9660", "joliet")
        for p in passphrases { _ = c_archive_read_add_passphrase(h, p) }
        let rc = watchdog.guarded(archive: name, entry: nil, call: "open") { open(h) }
        if rc != c_ARCHIVE_OK {
            failed = true
            throw ArchiveError(code: .init(rawValue: rc), message: c_archive_error_string(h) ?? "cannot open", path: name, entry: nil)
        }
    }

    deinit { c_archive_read_free(handle) }

    /// Every libarchive call that reads runs under the watchdog (`ArchiveWatchdog`).
    private func watched<T>(_ call: String, entry: String?, _ body: () -> T) -> T {
        watchdog.guarded(archive: path, entry: entry, call: call, body)
    }

    /// libarchive's name for the archive format, once the first header was read ("ZIP 2.0 (deflation)").
    public var formatName: String? { c_archive_format_name(handle) }

    /// Bytes read from the archive file so far (compressed; libarchive reads ahead by blocks).
    public var rawBytesRead: Int64? { c_archive_filter_bytes_read(handle) }

    /// The next entry's header, or nil at the end of the archive. The corresponding C function
    /// is `archive_read_next_header`. Warnings are tolerated; fatal errors throw.
    public func nextEntry() throws -> ArchiveEntry? {
        // libarchive cannot go on after a fatal error (garbage from a wrong ZipCrypto password
        // that passed its one-byte check is one way to get there): every later call says so.
        if failed {
            throw ArchiveError(
                code: .fatal, message: "the archive cannot be read past an earlier fatal error", path: path, entry: currentEntry)
        }
        var entry: OpaquePointer?
        let rc = watched("next_header", entry: nil) { c_archive_read_next_header(handle, &entry) }
        if rc == c_ARCHIVE_EOF { return nil }
        if rc < c_ARCHIVE_WARN || entry == nil {
            failed = rc <= c_ARCHIVE_FATAL
            throw ArchiveError(
                code: .init(rawValue: rc), message: c_archive_error_string(handle) ?? "cannot read header", path: path,
                entry: currentEntry.map { "after " + $0 })
        }
        let e = entry!
        let type = c_archive_entry_filetype(e)
        let hardlink = c_archive_entry_hardlink(e)
        let kind: ArchiveEntry.Kind
        if hardlink != nil {
            kind = .hardlink
        } else {
            switch type & 0o170000 {
            case 0o100000: kind = .file
            case 0o040000: kind = .directory
            case 0o120000: kind = .symlink
            case 0o020000, 0o060000, 0o010000, 0o140000: kind = .special
            default: kind = .other
            }
        }
        let name = c_archive_entry_pathname(e) ?? ""
        currentEntry = name
        defer { ordinal += 1 }
        return ArchiveEntry(
            path: name, kind: kind, declaredSize: c_archive_entry_size(e), permissions: c_archive_entry_perm(e),
            modified: c_archive_entry_mtime(e), linkTarget: hardlink ?? c_archive_entry_symlink(e),
            isEncrypted: c_archive_entry_is_encrypted(e), nameProblem: try nameProblem(name))
    }

    /// The audit's finding for the entry being reported; the audit runs at the first header,
    /// once libarchive has said the file is a zip.
    private func nameProblem(_ name: String) throws -> EntryNameProblem? {
        if case .pending(let file, let maxEntries) = audit {
            audit = .none
            if c_archive_format_is_zip(handle) {
                let done = ZipNameAudit(path: file, maxEntries: maxEntries)
                if done.overflowed {
                    failed = true
                    throw ArchiveError(
                        code: .fatal,
                        message:
                            "more than \(ZipNameAudit.maxFindings) entries whose names are cut by a NUL or disagree with the central directory",
                        path: path, entry: nil)
                }
                audit = .done(done)
            }
        }
        guard case .done(let done) = audit else { return nil }
        return done.finding(ordinal: ordinal, name: name)?.problem
    }

    /// The next block of the current entry's data, or nil at its end. The corresponding C
    /// function is `archive_read_data`.
    public func readChunk() throws -> [UInt8]? {
        // Read straight into the block handed back (no second copy).
        var n = 0
        let block = [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, count in
            n = watched("read_data", entry: currentEntry) { c_archive_read_data(handle, buffer.baseAddress!, buffer.count) }
            count = max(0, n)
        }
        if n == 0 { return nil }
        if n < 0 {
            let rc = Int32(truncatingIfNeeded: n)
            if rc <= c_ARCHIVE_FATAL { failed = true }
            throw ArchiveError(
                code: .init(rawValue: rc), message: c_archive_error_string(handle) ?? "cannot read data", path: path,
                entry: currentEntry)
        }
        return block
    }

    /// Skips the rest of the current entry. The corresponding C function is `archive_read_data_skip`.
    public func skipData() throws {
        let rc = watched("skip_data", entry: currentEntry) { c_archive_read_data_skip(handle) }
        if rc < c_ARCHIVE_WARN {
            if rc <= c_ARCHIVE_FATAL { failed = true }
            throw ArchiveError(
                code: .init(rawValue: rc), message: c_archive_error_string(handle) ?? "cannot skip data", path: path,
                entry: currentEntry)
        }
    }

    /// libarchive tries the passphrases in order and takes the first one an entry's check
    /// accepts; ZipCrypto's check is one byte, so a wrong passphrase listed first passes it for
    /// about 1 entry in 256 and that entry decrypts to garbage. So the first encrypted entry is
    /// read whole with each passphrase alone (its CRC or MAC tells a right one from a lucky
    /// wrong one) and the one that reads it cleanly goes first. Entries encrypted with another
    /// passphrase than the first encrypted entry's are still read in libarchive's order.
    static func passphraseOrder(path: String, _ passphrases: [String], watchdog: ArchiveWatchdog) -> [String] {
        for (i, candidate) in passphrases.enumerated() {
            guard
                let reader = try? ArchiveReader(
                    name: path, passphrases: [candidate], chunkSize: 64 * 1024, watchdog: watchdog, stream: nil,
                    open: {
                        c_archive_read_open_filename($0, path, 64 * 1024)
                    })
            else { return passphrases }
            var opened: Bool?
            while opened == nil {
                guard let entry = try? reader.nextEntry() else { return passphrases }
                guard entry.isEncrypted, entry.kind == .file else { continue }
                do {
                    while try reader.readChunk() != nil {}
                    opened = true
                } catch {
                    opened = false
                }
            }
            if opened == true { return [candidate] + passphrases[..<i] + passphrases[(i + 1)...] }
        }
        return passphrases
    }
}
