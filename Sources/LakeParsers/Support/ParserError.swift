/// An error of a line- or tag-based parser that names its rule (`vcf.structure`,
/// `ics.structure`, `content_line.too_long`, `html.entry_limit`, `html.token_limit`, CSV's
/// kinds), so the pipeline reports every one of them the same way.
public protocol ParserError: Error, CustomStringConvertible {
    var rule: String { get }
}

extension ContentLineReader.LimitError: ParserError {}
extension ICalendarReader.FormatError: ParserError {}
extension VCardReader.FormatError: ParserError {}
extension TakeoutActivityReader.LimitError: ParserError {}
extension HTMLTokenizer.LimitError: ParserError {}
