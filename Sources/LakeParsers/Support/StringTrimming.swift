extension String {
    /// The string without the leading and trailing characters that are in `set`.
    public func trimming(anyOf set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }

    func trimmingCharacters(in c: Character) -> String { trimming(anyOf: String(c)) }

    /// Without the whitespace a folded header line may carry around a value: space, tab, CR, LF
    /// (Outlook folds `Content-Type: multipart/mixed;` with a tab before `boundary=`).
    /// Text that neither starts nor ends with one of their bytes is returned as it is: its first
    /// and last characters are none of them (the CR LF pair is one `Character`: of the set,
    /// only it starts with CR and ends with LF; a lone CR or LF is not trimmed).
    func trimmingFoldingWhitespace() -> String {
        if let f = utf8.first, let l = utf8.last, f != 0x20, f != 0x09, f != 0x0D, l != 0x20, l != 0x09, l != 0x0A { return self }
        return trimming(anyOf: " \t\r\n")
    }
}
