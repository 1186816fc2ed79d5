/// Byte paths of the mail header readers (`MailAddresses`, `MailHeaders.parameters`), taken only
/// where they give what the character paths give (docs/DEVELOPMENT.md): on UTF-8 that is
/// `SingleScalarText` and holds no CR or LF byte. There a `Character` is one scalar, so the
/// characters the readers look for (quotes, brackets, comment parentheses, separators, spaces,
/// tabs) are single ASCII bytes that no other scalar's bytes contain, and a character path that
/// steps over one character steps over one scalar. Any other text takes the character path.
/// `MailBytesTests` holds the two paths to each other on random text.
enum MailBytes {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    /// Whether `b` may take the byte paths.
    static func plain(_ b: Bytes) -> Bool {
        !b.contains(0x0A) && !b.contains(0x0D) && SingleScalarText.holds(b)
    }

    /// Whether `s` may take the byte paths.
    static func isPlain(_ s: String) -> Bool { withPlain(s) { _ in true } ?? false }

    /// Calls `body` with the UTF-8 of `s` when it may take the byte paths; nil otherwise.
    static func withPlain<T>(_ s: String, _ body: (Bytes) -> T) -> T? {
        var s = s
        return s.withUTF8 { plain($0) ? body($0) : nil }
    }

    /// The text of `b[r]` (whole scalars of valid UTF-8).
    static func string(_ b: Bytes, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
    }

    /// `string(b, r).lowercased()` (`ASCIICase`).
    static func lowercased(_ b: Bytes, _ r: Range<Int>) -> String { ASCIICase.lowercased(UnsafeBufferPointer(rebasing: b[r])) }

    /// `r` without leading and trailing spaces and tabs (on these bytes, what
    /// `trimming(anyOf: " \t")` and `trimmingFoldingWhitespace` remove).
    static func trimmed(_ b: Bytes, _ r: Range<Int>) -> Range<Int> {
        var lower = r.lowerBound, upper = r.upperBound
        while lower < upper, b[lower] == space || b[lower] == tab { lower += 1 }
        while upper > lower, b[upper - 1] == space || b[upper - 1] == tab { upper -= 1 }
        return lower..<upper
    }

    /// The first index of `byte` in `b[r]`.
    static func first(_ byte: UInt8, _ b: Bytes, _ r: Range<Int>) -> Int? {
        r.first { b[$0] == byte }
    }

    /// The last index of `byte` in `b[r]`.
    static func last(_ byte: UInt8, _ b: Bytes, _ r: Range<Int>) -> Int? {
        r.last { b[$0] == byte }
    }
}

extension MailHeaders {
    /// The value of the first of `headers` named `lower` (lower-case ASCII; `isNamed`), read in
    /// place: `first(where:)` copied each header it passed, two strings retained and released.
    static func value(named lower: String, in headers: [(name: String, value: String)]) -> String? {
        for i in headers.indices where isNamed(headers[i].name, lower) { return headers[i].value }
        return nil
    }

    /// Whether header name `name` is `lower` (lower-case ASCII) when lower-cased: compared on
    /// bytes while they are ASCII, through `lowercased()` once a name has any other (U+212A
    /// KELVIN SIGN lower-cases to `k`). An ASCII byte that differs ends it: lower-casing keeps
    /// an ASCII prefix in place. A message's header is looked up by name about 17 times, over
    /// all its headers, so most calls end at the first byte.
    static func isNamed(_ name: String, _ lower: String) -> Bool {
        let bytewise = name.utf8.withContiguousStorageIfAvailable { x in
            lower.utf8.withContiguousStorageIfAvailable { y -> Bool? in
                let shared = min(x.count, y.count)
                for i in 0..<shared {
                    let c = x[i]
                    if c >= 0x80 { return nil }
                    if ASCIICase.lower(c) != y[i] { return false }
                }
                // One is the other's prefix: a longer name lower-cases to more than `lower`
                // (no character lower-cases to nothing).
                return x.count == y.count
            } ?? nil
        }
        if let answer = bytewise ?? nil { return answer }
        return name.lowercased() == lower
    }
}
