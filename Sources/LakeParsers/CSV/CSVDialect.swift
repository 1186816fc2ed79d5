/// How a CSV file is written.
public struct CSVDialect: Sendable, Equatable, CustomStringConvertible {
    public enum LineTerminator: String, Sendable, Equatable {
        case lf = "\n", crlf = "\r\n", cr = "\r"
        public var bytes: [UInt8] { Array(rawValue.utf8) }
        /// The name used in reports: `LF`, `CRLF`, `CR`.
        public var name: String {
            switch self {
            case .lf: return "LF"
            case .crlf: return "CRLF"
            case .cr: return "CR"
            }
        }
    }

    public var delimiter: UInt8
    /// The quote character, or nil for a dialect without quoting.
    public var quote: UInt8?
    public var lineTerminator: LineTerminator
    public var hasHeader: Bool
    public var hasBOM: Bool

    public init(
        delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8? = UInt8(ascii: "\""), lineTerminator: LineTerminator = .crlf,
        hasHeader: Bool = true, hasBOM: Bool = false
    ) {
        self.delimiter = delimiter
        self.quote = quote
        self.lineTerminator = lineTerminator
        self.hasHeader = hasHeader
        self.hasBOM = hasBOM
    }

    /// RFC 4180: comma, double quote, CRLF, header.
    public static let rfc4180 = CSVDialect()

    public var description: String {
        let d = delimiter == 0x09 ? "\\t" : String(UnicodeScalar(delimiter))
        return "delimiter '\(d)', quote \(quote.map { "'\(UnicodeScalar($0))'" } ?? "none"), \(lineTerminator.name)"
            + (hasHeader ? ", header" : ", no header") + (hasBOM ? ", BOM" : "")
    }
}

/// Limits every CSV read is held to.
public struct CSVLimits: Sendable, Equatable {
    public var maxFieldBytes: Int
    public var maxFieldsPerRow: Int
    public var maxRowBytes: Int
    public init(maxFieldBytes: Int = 16 << 20, maxFieldsPerRow: Int = 10_000, maxRowBytes: Int = 64 << 20) {
        self.maxFieldBytes = maxFieldBytes
        self.maxFieldsPerRow = maxFieldsPerRow
        self.maxRowBytes = maxRowBytes
    }
}

/// Why a CSV text was rejected, and where.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case unterminatedQuote = "csv.unterminated_quote"
        case textAfterQuote = "csv.text_after_quote"
        case strayQuote = "csv.stray_quote"
        case invalidUTF8 = "csv.invalid_utf8"
        case fieldLimit = "csv.field_limit"
        case fieldCountLimit = "csv.field_count_limit"
        case rowLimit = "csv.row_limit"
    }

    public var kind: Kind
    public var offset: Int64
    public var line: Int
    /// 1-based record number (a quoted field can span lines, so this differs from `line`).
    public var record: Int

    public init(kind: Kind, offset: Int64, line: Int, record: Int) {
        self.kind = kind
        self.offset = offset
        self.line = line
        self.record = record
    }

    public var rule: String { kind.rawValue }
    public var description: String { "\(rule) (record \(record), line \(line), byte \(offset))" }
}
