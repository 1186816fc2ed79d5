/// Splits `text` at `separator` where it stands outside double quotes; the quotes are kept.
/// Shared by MIME header parameters and iCalendar/vCard content-line parameters.
func splitOutsideQuotes<S: StringProtocol>(_ text: S, separator: Character) -> [String] {
    var parts: [String] = []
    var current = ""
    var inQuotes = false
    for c in text {
        if c == "\"" { inQuotes.toggle() }
        if c == separator && !inQuotes {
            parts.append(current)
            current = ""
        } else {
            current.append(c)
        }
    }
    parts.append(current)
    return parts
}
