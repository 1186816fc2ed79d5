/// Streams messages out of an mbox file (Gmail Takeout's `All mail Including Spam and Trash.mbox`)
/// in constant memory: one message (bounded) at a time.
///
/// A message starts at a line `From <sender> <date>` whose date parses (asctime or Gmail's
/// `Mon Jan 02 15:04:05 +0000 2006`), after an empty line or not (Gmail's Takeout leaves it
/// out at times); any other `From ` line is body text. In the body, `>From `, `>>From `, … lose
/// one `>` (mboxrd). The empty line before a separator belongs to the separator.
///
/// ```swift
/// let mbox = MboxReader(source: chunks)
/// while let m = try mbox.next() { let mail = MailMessage.parse(m.raw) }
/// ```
public final class MboxReader {
    public struct Message: Sendable, Equatable {
        /// 0-based position in the file.
        public var index: Int
        /// Byte offset of the `From ` line.
        public var offset: Int64
        public var envelopeSender: String
        public var envelopeDate: Timestamp?
        /// The message (headers and body) without the `From ` line, unquoted.
        public var raw: [UInt8]
        /// The message was longer than the limit; `raw` holds its first `maxMessageBytes`.
        public var isOversized: Bool
        /// Its full size in bytes.
        public var size: Int64
    }

    public struct FormatError: Error, Equatable, Sendable, CustomStringConvertible {
        public var offset: Int64
        public var rule: String { "mbox.no_from_line" }
        public var description: String { "\(rule): the file does not start with a `From ` line (byte \(offset))" }
    }

    private let cursor: ChunkCursor
    public let maxMessageBytes: Int
    public let maxLineBytes: Int
    private var pendingFrom: (line: [UInt8], offset: Int64)?
    private var started = false
    private var count = 0
    private var line: [UInt8] = []

    public init(source: @escaping ChunkCursor.ChunkSource, maxMessageBytes: Int = 64 << 20, maxLineBytes: Int = 1 << 20) {
        cursor = ChunkCursor(source: source)
        self.maxMessageBytes = maxMessageBytes
        self.maxLineBytes = maxLineBytes
    }

    /// Bytes taken from the source so far (the next message's `From ` line has been read once
    /// a message is returned).
    public var offset: Int64 { cursor.offset }

    public convenience init(bytes: [UInt8], maxMessageBytes: Int = 64 << 20) {
        self.init(source: ChunkCursor.oneShot(bytes), maxMessageBytes: maxMessageBytes)
    }

    /// Reads one line (with its LF, if any) into `line`; over-long lines are cut into pieces of
    /// `maxLineBytes`. False at the end of input.
    private func readLine() throws -> Bool {
        line.removeAll(keepingCapacity: true)
        _ = try cursor.takeLine(into: &line, limit: maxLineBytes)
        if let b = try cursor.peek(), b == 0x0A, line.count <= maxLineBytes {
            _ = try cursor.next()
            line.append(0x0A)
        }
        return !line.isEmpty
    }

    /// Parses `From sender date` (the line without its line break); nil when it is not one.
    static func parseFromLine(_ bytes: [UInt8]) -> (sender: String, date: Timestamp?)? {
        guard bytes.starts(with: Array("From ".utf8)) else { return nil }
        let text = String(decoding: bytes.dropFirst(5), as: UTF8.self).trimmingTrailingWhitespace()
        guard let space = text.firstIndex(of: " ") else { return nil }
        let sender = String(text[..<space])
        let date = String(text[text.index(after: space)...]).trimmingCharacters(in: " ")
        if let t = try? Timestamp.parseAsctime(date) { return (sender, t) }
        // Some writers put extra fields after the date (`remote from …`): accept a parseable prefix.
        let words = date.split(separator: " ")
        for n in [6, 5] where words.count > n {
            if let t = try? Timestamp.parseAsctime(words.prefix(n).joined(separator: " ")) { return (sender, t) }
        }
        return nil
    }

    static let fromPrefix = Array("From ".utf8)

    static func isQuotedFrom(_ l: [UInt8]) -> Bool {
        var i = 0
        while i < l.count, l[i] == UInt8(ascii: ">") { i += 1 }
        return i > 0 && l[i...].starts(with: Array("From ".utf8))
    }

    /// The next message, or nil at the end.
    /// - Throws: `FormatError` when the file's first line is not a `From ` line.
    public func next() throws -> Message? {
        if !started {
            started = true
            let offset = cursor.offset
            guard try readLine() else { return nil }
            let content = line.last == 0x0A ? Array(line.dropLast()) : line
            guard Self.parseFromLine(content.last == 0x0D ? Array(content.dropLast()) : content) != nil else {
                throw FormatError(offset: offset)
            }
            pendingFrom = (content, offset)
        }
        guard let from = pendingFrom else { return nil }
        pendingFrom = nil
        let fromText = from.line.last == 0x0D ? Array(from.line.dropLast()) : from.line
        let parsed = Self.parseFromLine(fromText)!
        var body = Body(limit: maxMessageBytes)
        var heldBlank: [UInt8]?  // an empty line that may belong to the next separator
        func append(_ bytes: [UInt8]) { body.append(bytes) }
        while true {
            let lineOffset = cursor.offset
            guard try readLine() else { break }
            let isBlank = line == [0x0A] || line == [0x0D, 0x0A]
            if let blank = heldBlank {
                var content = line.last == 0x0A ? Array(line.dropLast()) : line
                if content.last == 0x0D { content.removeLast() }
                if Self.parseFromLine(content) != nil {
                    pendingFrom = (content, lineOffset)
                    heldBlank = nil
                    break
                }
                append(blank)
                heldBlank = nil
            }
            if isBlank {
                heldBlank = line
                continue
            }
            // Gmail's Takeout writes some separators right after the last body line, with no
            // empty line before them: a `From ` line whose sender and date parse separates too
            // (body lines starting `From ` are quoted as `>From `, and prose does not parse).
            if line.starts(with: Self.fromPrefix) {
                var content = line.last == 0x0A ? Array(line.dropLast()) : line
                if content.last == 0x0D { content.removeLast() }
                if Self.parseFromLine(content) != nil {
                    pendingFrom = (content, lineOffset)
                    break
                }
            }
            if Self.isQuotedFrom(line) {
                append(Array(line.dropFirst()))
            } else {
                append(line)
            }
        }
        if let blank = heldBlank, pendingFrom == nil { append(blank) }
        let message = Message(
            index: count, offset: from.offset, envelopeSender: parsed.sender, envelopeDate: parsed.date, raw: body.raw,
            isOversized: body.oversized, size: body.size)
        count += 1
        return message
    }

    /// The whole input as one message (a `.eml` file: no separators, no `>From ` unquoting; a
    /// leading `From ` envelope line, which some tools keep, is dropped). Nil once it was read,
    /// or for an empty input.
    public func wholeMessage() throws -> Message? {
        guard !started else { return nil }
        started = true
        var body = Body(limit: maxMessageBytes)
        var envelope: (sender: String, date: Timestamp?)?
        var first = true
        while try readLine() {
            if first {
                first = false
                var content = line.last == 0x0A ? Array(line.dropLast()) : line
                if content.last == 0x0D { content.removeLast() }
                if let parsed = Self.parseFromLine(content) {
                    envelope = parsed
                    continue
                }
            }
            body.append(line)
        }
        guard body.size > 0 else { return nil }
        count = 1
        return Message(
            index: 0, offset: 0, envelopeSender: envelope?.sender ?? "", envelopeDate: envelope?.date, raw: body.raw,
            isOversized: body.oversized, size: body.size)
    }

    /// A message's bytes as they are read: kept up to `limit`, counted in full.
    struct Body {
        let limit: Int
        var raw: [UInt8] = []
        var size: Int64 = 0
        var oversized = false

        mutating func append(_ bytes: [UInt8]) {
            size += Int64(bytes.count)
            if oversized { return }
            if raw.count + bytes.count > limit {
                raw.append(contentsOf: bytes.prefix(limit - raw.count))
                oversized = true
            } else {
                raw.append(contentsOf: bytes)
            }
        }
    }
}
