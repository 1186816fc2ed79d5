/// One mail message reduced to what the lake keeps: decoded headers, the text body, and the
/// list of attachments (name, type, size; their bytes are not kept).
///
/// ```swift
/// let m = MailMessage.parse(rawBytes)
/// m.subject; m.from; m.date?.iso8601; m.text; m.attachments
/// ```
public struct MailMessage: Sendable, Equatable {
    /// `parse.mime`'s version. 2: HTML-only text collapses CR LF line breaks like LF ones and
    /// decodes every HTML5 named reference (version 1 kept both as written).
    public static let version = "2"

    public struct Attachment: Sendable, Equatable {
        public var filename: String?
        public var contentType: String
        /// Decoded size in bytes.
        public var size: Int

        public init(filename: String?, contentType: String, size: Int) {
            self.filename = filename
            self.contentType = contentType
            self.size = size
        }
    }

    /// Unfolded headers with encoded words decoded, in order.
    public var headers: [(name: String, value: String)]
    public var text: String
    /// `text/plain` when the message has one, else `text/html` reduced to text, else `none`.
    public var textSource: String
    public var attachments: [Attachment]
    /// Multipart nesting deeper than the limit was cut off here.
    public var truncatedStructure: Bool
    /// Charsets of text parts ICU has no converter for (their text was read as UTF-8).
    public var unconvertedCharsets: [String] = []
    /// The headers were longer than `maxHeaderBytes` and were cut there.
    public var truncatedHeaders = false

    public static func == (a: MailMessage, b: MailMessage) -> Bool {
        a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value) && a.text == b.text
            && a.textSource == b.textSource && a.attachments == b.attachments && a.truncatedStructure == b.truncatedStructure
            && a.unconvertedCharsets == b.unconvertedCharsets && a.truncatedHeaders == b.truncatedHeaders
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        MailHeaders.value(named: name.lowercased(), in: headers)
    }

    public var subject: String? { header("Subject") }
    public var from: String? { header("From") }
    public var to: String? { header("To") }
    public var messageID: String? { header("Message-ID") }
    /// Gmail's labels (`X-Gmail-Labels`, comma-separated).
    public var gmailLabels: [String] {
        header("X-Gmail-Labels").map { $0.split(separator: ",").map { $0.trimmingFoldingWhitespace() } } ?? []
    }
    /// The `Date:` header as an instant, or nil when missing or unparseable.
    public var date: Timestamp? { header("Date").flatMap { try? Timestamp.parseRFC2822($0) } }

    public static let maxMultipartDepth = 8
    /// Headers past this many bytes are cut (a safety limit: a 45 MB folded header once took
    /// 725 MB to read); the message is kept with `truncatedHeaders`.
    public static let maxHeaderBytes = 1 << 20

    /// Parses a whole message (headers, empty line, body). Never fails: malformed parts are
    /// kept as text as far as they can be read.
    public static func parse(_ raw: [UInt8]) -> MailMessage {
        var collector = Collector()
        let (allHeaderBytes, body) = splitHeaderBody(raw)
        let truncatedHeaders = allHeaderBytes.count > maxHeaderBytes
        let headerBytes = truncatedHeaders ? Array(allHeaderBytes.prefix(maxHeaderBytes)) : allHeaderBytes
        let rawHeaders = MailHeaders.parse(headerBytes)
        let headers = rawHeaders.map { ($0.name, MailHeaders.decodeEncodedWords($0.value)) }
        collector.walk(headers: rawHeaders, body: body, depth: 0)
        let text: String
        let source: String
        if let plain = collector.plain {
            text = plain
            source = "text/plain"
        } else if let html = collector.html {
            text = HTMLText.toText(html)
            source = "text/html"
        } else {
            text = ""
            source = "none"
        }
        return MailMessage(
            headers: headers, text: text, textSource: source, attachments: collector.attachments, truncatedStructure: collector.truncated,
            unconvertedCharsets: collector.unconverted, truncatedHeaders: truncatedHeaders)
    }

    /// Splits at the first empty line (LF LF or CRLF CRLF).
    static func splitHeaderBody(_ raw: [UInt8]) -> ([UInt8], [UInt8]) {
        var i = 0
        while i < raw.count {
            if raw[i] == 0x0A {
                if i + 1 < raw.count, raw[i + 1] == 0x0A { return (Array(raw[..<i]), Array(raw[(i + 2)...])) }
                if i + 2 < raw.count, raw[i + 1] == 0x0D, raw[i + 2] == 0x0A { return (Array(raw[..<i]), Array(raw[(i + 3)...])) }
            }
            i += 1
        }
        return (raw, [])
    }

    struct Collector {
        var plain: String?
        var html: String?
        var attachments: [Attachment] = []
        var truncated = false
        var unconverted: [String] = []

        /// A text part in its declared charset; one ICU cannot convert is read as UTF-8 and named.
        mutating func text(_ bytes: [UInt8], charset: String?) -> String {
            let label = charset ?? "us-ascii"
            if let text = Charsets.decode(bytes, charset: label) { return text }
            if !unconverted.contains(label) { unconverted.append(label) }
            return String(decoding: bytes, as: UTF8.self)
        }

        mutating func walk(headers: [(name: String, value: String)], body: [UInt8], depth: Int) {
            func h(_ n: String) -> String? { MailHeaders.value(named: n, in: headers) }
            let (type, params) = MailHeaders.parameters(h("content-type") ?? "text/plain; charset=us-ascii")
            let disposition = h("content-disposition").map { MailHeaders.parameters($0) }
            let encoding = (h("content-transfer-encoding") ?? "7bit").trimmingFoldingWhitespace().lowercased()
            if type.hasPrefix("multipart/"), let boundary = params["boundary"], !boundary.isEmpty {
                guard depth < MailMessage.maxMultipartDepth else {
                    truncated = true
                    return
                }
                for part in Self.splitMultipart(body, boundary: boundary) {
                    let (ph, pb) = MailMessage.splitHeaderBody(part)
                    walk(headers: MailHeaders.parse(ph), body: pb, depth: depth + 1)
                }
                return
            }
            func decoded() -> [UInt8] {
                switch encoding {
                case "base64": TransferEncoding.base64(body)
                case "quoted-printable": TransferEncoding.quotedPrintable(body)
                default: body
                }
            }
            let filename = (disposition?.parameters["filename"] ?? params["name"]).map(MailHeaders.decodeEncodedWords)
            // A named part is an attachment whatever its type (a `message.txt` a gateway adds
            // inline, say); so is any part that is not the message's first plain or HTML text.
            let isAttachment = disposition?.value == "attachment" || filename != nil
            if !isAttachment && type == "text/plain" && plain == nil {
                plain = text(decoded(), charset: params["charset"])
            } else if !isAttachment && type == "text/html" && html == nil {
                html = text(decoded(), charset: params["charset"])
            } else {
                // Only its decoded size is kept: base64 is counted, not decoded.
                let size = encoding == "base64" ? TransferEncoding.base64Count(body) : decoded().count
                attachments.append(Attachment(filename: filename, contentType: type, size: size))
            }
        }

        /// The parts between `--boundary` lines, up to `--boundary--`.
        static func splitMultipart(_ body: [UInt8], boundary: String) -> [[UInt8]] {
            let marker = Array(("--" + boundary).utf8)
            // Each part is the bytes between two boundary lines, cut from `body` in one copy
            // (a part was appended line by line, each line its own slice).
            return body.withUnsafeBufferPointer { b in
                var parts: [[UInt8]] = []
                var current: Int?
                var start = 0
                while start < b.count {
                    let end = (start..<b.count).first { b[$0] == 0x0A }.map { $0 + 1 } ?? b.count
                    var content = end
                    while content > start,
                        b[content - 1] == 0x0A || b[content - 1] == 0x0D || b[content - 1] == 0x20 || b[content - 1] == 0x09
                    {
                        content -= 1
                    }
                    if content - start >= marker.count,
                        marker.withUnsafeBufferPointer({ $0.elementsEqual(b[start..<(start + marker.count)]) })
                    {
                        let tail = (start + marker.count)..<content
                        if tail.count == 2, b[tail.lowerBound] == 0x2D, b[tail.lowerBound + 1] == 0x2D {
                            if let c = current { parts.append(Self.withoutFinalLineBreak(b, c..<start)) }
                            return parts
                        }
                        if tail.isEmpty {
                            if let c = current { parts.append(Self.withoutFinalLineBreak(b, c..<start)) }
                            current = end
                        }
                    }
                    start = end
                }
                if let c = current { parts.append(Self.withoutFinalLineBreak(b, c..<b.count)) }
                return parts
            }
        }

        /// The bytes `r` of `b` without their final line break: it belongs to the boundary
        /// after them (RFC 2046 5.1.1).
        static func withoutFinalLineBreak(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> [UInt8] {
            var end = r.upperBound
            if end > r.lowerBound, b[end - 1] == 0x0A { end -= 1 }
            if end > r.lowerBound, b[end - 1] == 0x0D { end -= 1 }
            return Array(b[r.lowerBound..<end])
        }
    }
}
