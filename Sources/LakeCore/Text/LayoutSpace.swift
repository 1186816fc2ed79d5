extension Character {
    /// Space, tab, line feed or carriage return, including the one `Character` Swift makes of a
    /// CR LF pair: `Character("\r\n") == "\n"` is false, so comparing a character with `"\r"`
    /// and `"\n"` misses every CRLF line break (an HTML mail with CRLF lines kept its breaks
    /// inside collapsed text; found by the spec-only candidate of docs/CONFORMANCE.md).
    ///
    /// ```swift
    /// "a\r\nb".split(whereSeparator: \.isLayoutSpace)  // ["a", "b"]
    /// ```
    public var isLayoutSpace: Bool {
        unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    }
}
