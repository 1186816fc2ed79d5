/// One vCard (2.1, 3.0 or 4.0).
public struct VCard: Equatable, Sendable {
    public struct Value: Equatable, Sendable {
        public var value: String
        /// TYPE parameter values, lower-cased (`home`, `work`, `cell`, `pref`…).
        public var types: [String]
    }

    public var version: String?
    public var formattedName: String?
    /// N: family, given, additional, prefixes, suffixes.
    public var name: [String]
    public var emails: [Value]
    public var phones: [Value]
    public var addresses: [Value]
    public var organization: String?
    public var birthday: String?
    public var note: String?
    public var uid: String?
    public var properties: [ContentLine]
    public var line: Int
    /// CATEGORIES, every value of every such line, in order.
    public var categories: [String] = []
}

/// Streams vCards out of a .vcf file (Google Contacts' `All Contacts.vcf`).
///
/// ```swift
/// let r = VCardReader(bytes: data)
/// while let card = try r.next() { card.formattedName; card.emails }
/// ```
/// vCard 2.1 `ENCODING=QUOTED-PRINTABLE` values are decoded (with their CHARSET); base64
/// values (photos) are kept as written but not decoded.
public final class VCardReader {
    public struct FormatError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var rule: String { "vcf.structure" }
        public var description: String { "\(rule): \(reason) (line \(line))" }
    }

    private let lines: ContentLineReader
    /// Bytes consumed so far.
    public var offset: Int64 { lines.offset }
    public let maxPropertiesPerCard: Int

    public init(source: @escaping ChunkCursor.ChunkSource, maxPropertiesPerCard: Int = 10_000) {
        lines = ContentLineReader(source: source)
        self.maxPropertiesPerCard = maxPropertiesPerCard
    }

    public convenience init(bytes: [UInt8]) {
        self.init(source: ChunkCursor.oneShot(bytes))
    }

    public func next() throws -> VCard? {
        var card: VCard?
        var pending: String?
        while var text = try pending ?? lines.next() {
            pending = nil
            // vCard 2.1 quoted-printable soft breaks continue on the next physical line; an
            // empty line ends the value (Android writes `=` then a blank line).
            while text.hasSuffix("="), text.uppercased().contains("QUOTED-PRINTABLE"), let more = try lines.next() {
                text = String(text.dropLast())
                if lines.afterBlankLine {
                    pending = more
                    break
                }
                text += more
            }
            guard var line = ContentLine.parse(text) else { throw FormatError(line: lines.lineNumber, reason: "a line without a colon") }
            if line.name == "BEGIN" && line.value.uppercased() == "VCARD" {
                if card != nil { throw FormatError(line: lines.lineNumber, reason: "BEGIN:VCARD inside a vCard") }
                card = VCard(name: [], emails: [], phones: [], addresses: [], properties: [], line: lines.lineNumber)
                continue
            }
            guard var c = card else { throw FormatError(line: lines.lineNumber, reason: "a property outside BEGIN:VCARD ... END:VCARD") }
            if line.name == "END" && line.value.uppercased() == "VCARD" { return c }
            if c.properties.count >= maxPropertiesPerCard {
                throw FormatError(line: lines.lineNumber, reason: "more than \(maxPropertiesPerCard) properties in one vCard")
            }
            if line.parameter("ENCODING")?.uppercased() == "QUOTED-PRINTABLE" {
                let bytes = TransferEncoding.quotedPrintable(Array(line.value.utf8))
                line.value = Charsets.decodeLossy(bytes, charset: line.parameter("CHARSET") ?? "utf-8")
            }
            c.properties.append(line)
            let types = (line.parameter("TYPE") ?? "").split(separator: ",").map { $0.lowercased() }.filter { !$0.isEmpty }
            switch line.name {
            case "VERSION": c.version = line.value
            case "FN": c.formattedName = ContentLine.unescapeText(line.value)
            case "N": c.name = Self.splitComponents(line.value)
            case "EMAIL": c.emails.append(.init(value: line.value, types: types))
            case "TEL": c.phones.append(.init(value: line.value, types: types))
            case "ADR":
                c.addresses.append(
                    .init(value: Self.splitComponents(line.value).filter { !$0.isEmpty }.joined(separator: ", "), types: types))
            case "CATEGORIES": c.categories += Self.splitList(line.value)
            case "ORG": c.organization = Self.splitComponents(line.value).filter { !$0.isEmpty }.joined(separator: ", ")
            case "BDAY": c.birthday = line.value
            case "NOTE": c.note = ContentLine.unescapeText(line.value)
            case "UID": c.uid = line.value
            default: break
            }
            card = c
        }
        if card != nil { throw FormatError(line: lines.lineNumber, reason: "BEGIN:VCARD is never closed") }
        return nil
    }

    /// Splits a structured value at unescaped `;`, unescaping each component.
    static func splitComponents(_ value: String) -> [String] { split(value, at: ";") }

    /// A comma-separated list value (CATEGORIES, NICKNAME), unescaped, empty items dropped.
    static func splitList(_ value: String) -> [String] { split(value, at: ",").filter { !$0.isEmpty } }

    /// `value` split at unescaped `separator`s, each part unescaped.
    static func split(_ value: String, at separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaping = false
        for ch in value {
            if escaping {
                current.append("\\")
                current.append(ch)
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else if ch == separator {
                parts.append(ContentLine.unescapeText(current))
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(ContentLine.unescapeText(current))
        return parts
    }
}
