/// Writes records in a dialect. A field is quoted when it contains the delimiter, the quote,
/// CR or LF, when it is empty as the only field of a record (so the record is not an empty
/// line), or when it starts with U+FEFF (the reader skips a byte-order mark at the start of the
/// input, so an unquoted leading U+FEFF in the first field would be lost); quotes inside are
/// doubled. Reading what this writes gives back the same fields.
///
/// ```swift
/// var out: [UInt8] = []
/// CSVWriter(dialect: .rfc4180).write(["a", "x,y"], into: &out)  // a,"x,y"\r\n
/// ```
public struct CSVWriter: Sendable {
    public let dialect: CSVDialect

    public init(dialect: CSVDialect = .rfc4180) {
        self.dialect = dialect
    }

    public func write(_ fields: [String], into out: inout [UInt8]) {
        let q = dialect.quote ?? UInt8(ascii: "\"")
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(dialect.delimiter) }
            let bytes = Array(f.utf8)
            let needsQuotes =
                bytes.contains { $0 == dialect.delimiter || $0 == q || $0 == 0x0A || $0 == 0x0D }
                || (fields.count == 1 && bytes.isEmpty) || bytes.starts(with: [0xEF, 0xBB, 0xBF])
            if needsQuotes {
                out.append(q)
                for b in bytes {
                    out.append(b)
                    if b == q { out.append(q) }
                }
                out.append(q)
            } else {
                out.append(contentsOf: bytes)
            }
        }
        out.append(contentsOf: dialect.lineTerminator.bytes)
    }

    /// All records as one buffer.
    public func encode(_ records: [[String]]) -> [UInt8] {
        var out: [UInt8] = []
        for r in records { write(r, into: &out) }
        return out
    }
}
