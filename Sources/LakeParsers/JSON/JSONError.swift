import LakeCore

/// Why a JSON text was rejected, and where.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case unexpectedByte(UInt8)
        case unexpectedEnd
        case invalidUTF8
        case loneSurrogate
        case invalidEscape
        case controlCharacterInString
        case invalidNumber
        case invalidLiteral
        case trailingContent
        /// Nesting deeper than the limit (the limit).
        case depthLimit(Int)
        /// A string longer than the limit, in decoded UTF-8 bytes (the limit).
        case stringLimit(Int)
        /// A number spelled with more characters than the limit (the limit).
        case numberLimit(Int)
        /// A document larger than the limit, in bytes (the limit).
        case documentLimit(Int64)
        /// One value (a record) larger than the limit, in bytes (the limit).
        case valueLimit(Int64)
    }

    public var kind: Kind
    /// Byte offset of the problem from the start of the file.
    public var offset: Int64
    /// 1-based line number.
    public var line: Int

    public init(_ kind: Kind, offset: Int64, line: Int) {
        self.kind = kind
        self.offset = offset
        self.line = line
    }

    /// The stable rule name (docs/SPEC.md, "Errors").
    public var rule: String {
        switch kind {
        case .unexpectedByte: return "json.syntax"
        case .unexpectedEnd: return "json.truncated"
        case .invalidUTF8: return "json.invalid_utf8"
        case .loneSurrogate: return "json.lone_surrogate"
        case .invalidEscape: return "json.invalid_escape"
        case .controlCharacterInString: return "json.control_character"
        case .invalidNumber: return "json.invalid_number"
        case .invalidLiteral: return "json.invalid_literal"
        case .trailingContent: return "json.trailing_content"
        case .depthLimit: return "json.depth_limit"
        case .stringLimit: return "json.string_limit"
        case .numberLimit: return "json.number_limit"
        case .documentLimit: return "json.size_limit"
        case .valueLimit: return "json.record_size_limit"
        }
    }

    public var message: String {
        switch kind {
        case .unexpectedByte(let b):
            let shown = (0x21..<0x7F).contains(b) ? "'\(Character(UnicodeScalar(b)))'" : "0x" + Hex.string([b])
            return "unexpected byte \(shown)"
        case .unexpectedEnd: return "unexpected end of input"
        case .invalidUTF8: return "invalid UTF-8"
        case .loneSurrogate: return "\\u escape is a lone UTF-16 surrogate"
        case .invalidEscape: return "invalid escape sequence"
        case .controlCharacterInString: return "unescaped control character in string"
        case .invalidNumber: return "invalid number"
        case .invalidLiteral: return "invalid literal"
        case .trailingContent: return "content after the JSON value"
        case .depthLimit(let n): return "nesting deeper than the limit of \(n)"
        case .stringLimit(let n): return "string longer than the limit of \(n) bytes"
        case .numberLimit(let n): return "number longer than the limit of \(n) characters"
        case .documentLimit(let n): return "document larger than the limit of \(n) bytes"
        case .valueLimit(let n): return "one record larger than the limit of \(n) bytes"
        }
    }

    public var description: String { "\(rule): \(message) (byte \(offset), line \(line))" }

    /// The error as a pipeline error about one entry.
    public func lakeError(input: String? = nil, entry: String? = nil) -> LakeError {
        LakeError(
            .init(rule), scope: .entry, input: input, entry: entry, location: "byte \(offset), line \(line)",
            message: message)
    }
}
