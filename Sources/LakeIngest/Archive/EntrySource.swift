/// Entries read one after the other, each with its data: an archive (`ArchiveReader`) or a
/// folder (`FolderReader`). The pipeline reads every input through this.
public protocol EntrySource: AnyObject {
    /// The next entry's header, or nil at the end.
    func nextEntry() throws -> ArchiveEntry?
    /// The next block of the current entry's data, or nil at its end.
    func readChunk() throws -> [UInt8]?
    /// Skips the rest of the current entry.
    func skipData() throws
    /// True once nothing more can be read.
    var failed: Bool { get }
    /// Bytes of the underlying (compressed) input read so far, for the expansion-ratio limit;
    /// nil when the entries are not compressed (a folder).
    var rawBytesRead: Int64? { get }
}

extension ArchiveReader: EntrySource {}
