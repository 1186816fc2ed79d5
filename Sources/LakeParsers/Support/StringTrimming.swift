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
    func trimmingFoldingWhitespace() -> String { trimming(anyOf: " \t\r\n") }
}
