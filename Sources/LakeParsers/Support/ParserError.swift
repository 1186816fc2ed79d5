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

/// Something in one record (an event, a card) that could not be read: the record is rejected on
/// its own with this rule and line, and the reader goes on with the next one.
public struct RecordProblem: Equatable, Sendable, CustomStringConvertible {
    public var rule: String
    public var line: Int
    public var reason: String
    public init(rule: String, line: Int, reason: String) {
        self.rule = rule
        self.line = line
        self.reason = reason
    }
    public var description: String { "\(reason) (line \(line))" }
}
