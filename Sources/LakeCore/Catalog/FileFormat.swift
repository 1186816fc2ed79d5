/// What a file is, as detection (LakeIngest's `ContentSniffer`) decides it (docs/SPEC.md,
/// "Detection"). The raw value is the word the catalog's `files.format`, the ingest summary
/// and `inspect` print. The formats our own checks know are the constants below; an archive
/// only libarchive recognises (ISO 9660, cpio, cab…) is named as libarchive names it
/// (`FileFormat(rawValue: "iso9660")`).
public struct FileFormat: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    // Archives and compressed streams our signatures know.
    public static let zip = FileFormat(rawValue: "zip")
    public static let gzip = FileFormat(rawValue: "gzip")
    public static let tar = FileFormat(rawValue: "tar")
    public static let sevenZip = FileFormat(rawValue: "7z")
    public static let rar = FileFormat(rawValue: "rar")
    public static let bzip2 = FileFormat(rawValue: "bzip2")
    public static let xz = FileFormat(rawValue: "xz")
    public static let zstd = FileFormat(rawValue: "zstd")
    // Text formats.
    public static let javascript = FileFormat(rawValue: "javascript")
    public static let json = FileFormat(rawValue: "json")
    public static let html = FileFormat(rawValue: "html")
    public static let csv = FileFormat(rawValue: "csv")
    public static let text = FileFormat(rawValue: "text")
    public static let mbox = FileFormat(rawValue: "mbox")
    public static let ics = FileFormat(rawValue: "ics")
    public static let vcf = FileFormat(rawValue: "vcf")
    /// A Twitter/X archive's `window.YTD.<name>.partN = ` file, and its manifest.
    public static let twitterJS = FileFormat(rawValue: "twitter-js")
    public static let twitterManifest = FileFormat(rawValue: "twitter-manifest")
    // Media and documents.
    public static let jpeg = FileFormat(rawValue: "jpeg")
    public static let png = FileFormat(rawValue: "png")
    public static let gif = FileFormat(rawValue: "gif")
    public static let webp = FileFormat(rawValue: "webp")
    public static let mp4 = FileFormat(rawValue: "mp4")
    public static let pdf = FileFormat(rawValue: "pdf")
    /// Bytes that are no text and no format above.
    public static let binary = FileFormat(rawValue: "binary")
    /// An input that is a folder (read as if it were an archive).
    public static let folder = FileFormat(rawValue: "folder")

    /// The archive formats our own signatures recognise.
    public static let archives: Set<FileFormat> = [.zip, .gzip, .tar, .sevenZip, .rar, .bzip2, .xz, .zstd]
}
