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
}

extension ArchiveReader: EntrySource {}
