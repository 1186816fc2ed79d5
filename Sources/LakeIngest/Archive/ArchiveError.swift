import LakeCore

/// A libarchive failure, with the code libarchive returned and the entry it was reading.
public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libarchive's status codes (`ARCHIVE_FATAL` and friends).
    public struct Code: RawRepresentable, Sendable, Hashable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// The corresponding C constant is `ARCHIVE_FATAL`: nothing more can be read.
        public static let fatal = Code(rawValue: -30)
        /// The corresponding C constant is `ARCHIVE_WARN`.
        public static let warn = Code(rawValue: -20)
        /// The corresponding C constant is `ARCHIVE_RETRY`.
        public static let retry = Code(rawValue: -10)
    }

    public var code: Code
    public var message: String
    public var path: String
    public var entry: String?

    public init(code: Code, message: String, path: String, entry: String?) {
        self.code = code
        self.message = message
        self.path = path
        self.entry = entry
    }

    public var description: String {
        "\(path)\(entry.map { ": " + $0 } ?? ""): libarchive \(code.rawValue): \(message)"
    }
}
