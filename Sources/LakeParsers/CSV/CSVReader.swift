/// A streaming RFC 4180 reader: quoted fields may hold delimiters, doubled quotes and line
/// breaks (kept byte for byte, CRLF included); records end at LF, CRLF or CR outside quotes; a
/// missing final line break is fine; a UTF-8 BOM at the start is skipped. Fields are checked as
/// UTF-8. Memory: one chunk plus one record.
///
/// ```swift
/// let reader = CSVReader(bytes: Array("a,b\n1,\"x,y\"\n".utf8))
/// while let row = try reader.nextRecord() { print(row) }  // ["a","b"], ["1","x,y"]
/// ```
/// - Throws: `CSVError` with the record, line and byte offset.
public final class CSVReader {
    public let dialect: CSVDialect
    public let limits: CSVLimits
    private let cursor: ChunkCursor
    private var started = false
    /// Records returned so far.
    public private(set) var recordCount = 0
    /// Bytes consumed so far.
    public var offset: Int64 { cursor.offset }
    private var field: [UInt8] = []

    public init(source: @escaping ChunkCursor.ChunkSource, dialect: CSVDialect = .rfc4180, limits: CSVLimits = CSVLimits()) {
        cursor = ChunkCursor(source: source)
        self.dialect = dialect
        self.limits = limits
    }

    public init(bytes: [UInt8], dialect: CSVDialect = .rfc4180, limits: CSVLimits = CSVLimits()) {
        cursor = ChunkCursor(bytes: bytes)
        self.dialect = dialect
        self.limits = limits
    }

    private func fail(_ kind: CSVError.Kind) -> CSVError {
        CSVError(kind: kind, offset: cursor.offset, line: cursor.line, record: recordCount + 1)
    }

    private func finishField(_ row: inout [String], rowBytes: inout Int) throws {
        guard let s = String(validating: field, as: UTF8.self) else { throw fail(.invalidUTF8) }
        row.append(s)
        rowBytes += field.count
        if row.count > limits.maxFieldsPerRow { throw fail(.fieldCountLimit) }
        if rowBytes > limits.maxRowBytes { throw fail(.rowLimit) }
        field.removeAll(keepingCapacity: true)
    }

    /// The next record's fields, or nil at the end of input.
    public func nextRecord() throws -> [String]? {
        if !started {
            started = true
            if try cursor.hasPrefix([0xEF, 0xBB, 0xBF]) { try cursor.skip(3) }
        }
        guard try cursor.peek() != nil else { return nil }
        return try readRecord()
    }

    private func readRecord() throws -> [String] {
        var row: [String] = []
        var rowBytes = 0
        let delimiter = dialect.delimiter
        let quote = dialect.quote
        field.removeAll(keepingCapacity: true)
        var atFieldStart = true
        while true {
            guard let b = try cursor.peek() else {
                try finishField(&row, rowBytes: &rowBytes)
                recordCount += 1
                return row
            }
            if atFieldStart, let q = quote, b == q {
                _ = try cursor.next()
                try readQuoted(q)
                // After the closing quote only a delimiter, a line break or the end may follow;
                // the code below handles each of them as for an unquoted field.
                if let after = try cursor.peek(), after != delimiter, after != 0x0A, after != 0x0D {
                    throw fail(.textAfterQuote)
                }
                atFieldStart = false
                continue
            }
            atFieldStart = false
            if b == delimiter {
                _ = try cursor.next()
                try finishField(&row, rowBytes: &rowBytes)
                atFieldStart = true
                continue
            }
            if b == 0x0A || b == 0x0D {
                try consumeLineBreak()
                try finishField(&row, rowBytes: &rowBytes)
                recordCount += 1
                return row
            }
            if let q = quote, b == q { throw fail(.strayQuote) }
            let ok = try cursor.take(
                while: { $0 != delimiter && $0 != 0x0A && $0 != 0x0D && $0 != quote }, into: &field, limit: limits.maxFieldBytes)
            if !ok { throw fail(.fieldLimit) }
        }
    }

    private func consumeLineBreak() throws {
        if try cursor.next() == 0x0D, try cursor.peek() == 0x0A { _ = try cursor.next() }
    }

    private func readQuoted(_ q: UInt8) throws {
        while true {
            let ok = try cursor.take(while: { $0 != q }, into: &field, limit: limits.maxFieldBytes)
            if !ok { throw fail(.fieldLimit) }
            guard try cursor.next() != nil else { throw fail(.unterminatedQuote) }
            if try cursor.peek() == q {
                _ = try cursor.next()
                field.append(q)
                if field.count > limits.maxFieldBytes { throw fail(.fieldLimit) }
            } else {
                return
            }
        }
    }
}
