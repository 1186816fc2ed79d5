import LakeCore

/// Streams entries out of a legacy Google Takeout "My Activity" HTML page (`MyActivity.html`,
/// often 100 MB and more) in constant memory: one entry at a time.
///
/// Each entry is a `div.outer-cell`; inside it `p.mdl-typography--title` holds the product
/// header, the first `div.content-cell.mdl-typography--body-1` holds lines separated by `<br>`
/// (the action and title with its link, then optional extra links such as the channel, and the
/// date as the last line), and `div.mdl-typography--caption` holds `<b>Products:</b>`,
/// `<b>Details:</b>` and `<b>Locations:</b>` sections.
///
/// ```swift
/// let page = TakeoutActivityReader(source: chunks)
/// while let e = try page.next() { e.header; e.title; e.time?.iso8601; e.products }
/// ```
public final class TakeoutActivityReader {
    /// 2: CR LF line breaks collapse like LF ones and every HTML5 named reference decodes.
    public static let version = "2"

    public struct Entry: Equatable, Sendable {
        public struct Link: Equatable, Sendable {
            public var text: String
            public var url: String
        }

        public var index: Int
        /// Byte offset of the entry's `div.outer-cell`.
        public var offset: Int64
        public var header: String
        /// The first content line, e.g. `Watched Some Video` (non-breaking spaces made plain).
        public var title: String
        /// Every content line, in order, the date line included.
        public var lines: [String]
        public var links: [Link]
        /// The date line as written, and as an instant when it parses (`Timestamp.parseTakeoutHTML`).
        public var timeText: String?
        public var time: Timestamp?
        public var products: [String]
        public var details: [String]
        public var locations: [Link]

        /// An entry begun at `offset`, nothing read into it yet.
        static func empty(index: Int, offset: Int64) -> Entry {
            Entry(
                index: index, offset: offset, header: "", title: "", lines: [], links: [], timeText: nil, time: nil, products: [],
                details: [], locations: [])
        }
    }

    public struct LimitError: Error, Equatable, Sendable, CustomStringConvertible {
        public var offset: Int64
        public var limit: Int
        public var rule: String { "html.entry_limit" }
        public var description: String { "\(rule): an activity entry larger than \(limit) bytes (byte \(offset))" }
    }

    private let tokens: HTMLTokenizer
    /// Bytes consumed so far.
    public var offset: Int64 { tokens.offset }
    public let maxEntryBytes: Int
    private var count = 0

    public init(source: @escaping ChunkCursor.ChunkSource, maxEntryBytes: Int = 1 << 20) {
        tokens = HTMLTokenizer(source: source, maxTokenBytes: maxEntryBytes)
        self.maxEntryBytes = maxEntryBytes
    }

    public convenience init(bytes: [UInt8]) {
        self.init(source: ChunkCursor.oneShot(bytes))
    }

    private enum Region { case none, header, content, caption }

    /// A tag's class names (its `class` attribute split at spaces), compared as a set of
    /// strings compares them: on the attribute's bytes when it is ASCII (a byte is then a
    /// character, and equal strings are equal bytes), else as a `Set`. A set built for each
    /// `div` was a fifth of reading a `MyActivity.html`.
    struct ClassList {
        let attribute: String
        let set: Set<Substring>?

        init(_ attributes: [String: String]) {
            attribute = attributes["class"] ?? ""
            set = attribute.utf8.allSatisfy { $0 < 0x80 } ? nil : Set(attribute.split(separator: " "))
        }

        func contains(_ name: StaticString) -> Bool {
            if let set { return set.contains(Substring(name.description)) }
            var attribute = attribute
            return attribute.withUTF8 { b in
                let count = name.utf8CodeUnitCount
                let bytes = UnsafeBufferPointer(start: name.utf8Start, count: count)
                var start = 0
                while start <= b.count {
                    var end = start
                    while end < b.count && b[end] != 0x20 { end += 1 }
                    if end - start == count && SameBytes.same(UnsafeBufferPointer(rebasing: b[start..<end]), bytes) { return true }
                    start = end + 1
                }
                return false
            }
        }
    }

    /// `s` with no-break and fixed-width spaces (U+00A0, U+2002, U+2003, U+202F) made plain,
    /// each run of layout space (space, tab, LF, CR) made one space, and the ends trimmed, by
    /// characters (`cleanCharacters`); on bytes when every scalar is below U+0300, where no
    /// scalar joins another into one character (CR LF aside, layout space either way). By
    /// characters it was a fifth of reading a 100 MB `MyActivity.html`.
    static func clean(_ s: String) -> String {
        var s = s
        return s.withUTF8 { cleanBytes($0) } ?? cleanCharacters(s)
    }

    static func cleanCharacters(_ s: String) -> String {
        let spaced = String(s.map { $0 == "\u{A0}" || $0 == "\u{2003}" || $0 == "\u{2002}" || $0 == "\u{202F}" ? " " : $0 })
        return spaced.split(whereSeparator: \.isLayoutSpace).joined(separator: " ")
    }

    /// `cleanCharacters` of UTF-8 `b` that is `SingleScalarText` (the fixed-width spaces U+2002,
    /// U+2003 and U+202F allowed in it); nil for any other.
    static func cleanBytes(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        guard SingleScalarText.holds(b, fixedSpaces: true) else { return nil }
        return String(unsafeUninitializedCapacity: b.count) { out in
            var n = 0
            var space = false
            var i = 0
            while i < b.count {
                let c = b[i]
                let width = c >= 0xE0 ? 3 : c >= 0x80 ? 2 : 1
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || (c == 0xC2 && b[i + 1] == 0xA0) || width == 3 {
                    space = n > 0
                } else {
                    if space {
                        out[n] = 0x20
                        n += 1
                        space = false
                    }
                    for k in 0..<width { out[n + k] = b[i + k] }
                    n += width
                }
                i += width
            }
            return n
        }
    }

    /// The next entry, or nil at the end of the page.
    /// - Throws: `HTMLTokenizer.LimitError`, `LimitError`.
    public func next() throws -> Entry? {
        var depth = 0  // div depth inside the current entry; 0 = outside any entry
        // The entry being read, when `inEntry`: not an optional, whose every change copied it.
        var entry = Entry.empty(index: 0, offset: 0)
        var inEntry = false
        var regionDepth = 0
        var region = Region.none
        var line = ""
        var lines: [String] = []
        var links: [Entry.Link] = []
        var link: (url: String, text: String)?
        var captionSection = ""
        var size = 0
        func flushLine() {
            let text = Self.clean(line)
            line = ""
            guard !text.isEmpty else { return }
            switch region {
            case .content: lines.append(text)
            case .caption:
                if text.hasSuffix(":") && ["Products:", "Details:", "Locations:"].contains(text) {
                    captionSection = text
                } else if captionSection == "Products:" {
                    entry.products.append(text)
                } else if captionSection == "Details:" {
                    entry.details.append(text)
                } else if captionSection == "Locations:" && !entry.locations.contains(where: { $0.text == text }) {
                    entry.locations.append(.init(text: text, url: ""))
                }
            default: break
            }
        }
        while let token = try tokens.next() {
            if inEntry {
                size += 1
                if case .text(let t) = token { size += t.utf8.count }
                if size > maxEntryBytes { throw LimitError(offset: entry.offset, limit: maxEntryBytes) }
            }
            switch token {
            case .startTag(let name, let attributes, let selfClosing):
                if name == "div" && !selfClosing {
                    let cls = ClassList(attributes)
                    if !inEntry {
                        if cls.contains("outer-cell") {
                            entry = Entry.empty(index: count, offset: tokens.offset)
                            inEntry = true
                            depth = 1
                            size = 0
                        }
                        continue
                    }
                    depth += 1
                    if region == .none {
                        if cls.contains("content-cell") && cls.contains("mdl-typography--body-1")
                            && !cls.contains("mdl-typography--text-right")
                            && lines.isEmpty
                        {
                            region = .content
                            regionDepth = depth
                        } else if cls.contains("mdl-typography--caption") {
                            region = .caption
                            regionDepth = depth
                        }
                    }
                } else if inEntry {
                    if name == "p" && ClassList(attributes).contains("mdl-typography--title") && region == .none {
                        region = .header
                    } else if name == "br" {
                        if region == .header { continue }
                        flushLine()
                    } else if name == "a" {
                        link = (attributes["href"] ?? "", "")
                    } else if name == "b" && region == .caption {
                        flushLine()
                    }
                }
            case .endTag(let name):
                guard inEntry else { continue }
                if name == "a", let l = link {
                    let text = Self.clean(l.text)
                    if region == .content { links.append(.init(text: text, url: l.url)) }
                    if region == .caption && captionSection == "Locations:" { entry.locations.append(.init(text: text, url: l.url)) }
                    link = nil
                } else if name == "b" && region == .caption {
                    flushLine()
                } else if name == "p" && region == .header {
                    entry.header = Self.clean(line)
                    line = ""
                    region = .none
                } else if name == "div" {
                    if region == .content || region == .caption, depth == regionDepth {
                        flushLine()
                        region = .none
                    }
                    depth -= 1
                    if depth == 0 {
                        var e = entry
                        e.lines = lines
                        e.links = links
                        e.title = lines.first ?? ""
                        for l in lines.reversed() {
                            if let t = try? Timestamp.parseTakeoutHTML(l) {
                                e.timeText = l
                                e.time = t
                                break
                            }
                        }
                        count += 1
                        return e
                    }
                }
            case .text(let t):
                guard inEntry, region != .none else { continue }
                line += t
                if link != nil { link!.text += t }
            }
        }
        return nil
    }
}
