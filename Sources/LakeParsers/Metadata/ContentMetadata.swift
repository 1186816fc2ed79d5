import LakeCore

/// Metadata a file carries in its own bytes, read from its first and last 64 KiB (never more):
/// HTML title and meta tags; image size (PNG, GIF, JPEG, WebP) and JPEG EXIF camera and time;
/// MP4 brand, duration and creation time (when the `moov` box is in those bytes); PDF Info
/// dictionary strings. Every reader is bounds-checked and gives up quietly on what it cannot
/// read (a fuzz target runs them). Values are strings and numbers as the file spells them.
///
/// ```swift
/// ContentMetadata.extract(format: "png", head: first64k, tail: last64k)
/// // {"height": 480, "width": 640}
/// ```
public enum ContentMetadata {
    public static let headBytes = 64 * 1024
    public static let tailBytes = 64 * 1024
    /// At most this many meta tags are kept from an HTML page, each value cut to 1,000 bytes.
    static let maxMetaTags = 20
    static let maxValueBytes = 1000

    /// Whether `extract` reads the tail for `format` (MP4 `moov` boxes and PDF trailers often sit there).
    public static func readsTail(_ format: String) -> Bool { format == "mp4" || format == "pdf" }

    /// The metadata as a JSON object, or nil when the format carries none we read.
    public static func extract(format: String, head: [UInt8], tail: [UInt8]) -> JSONValue? {
        var m: [JSONMember]
        switch format {
        case "html": m = html(head)
        case "png": m = png(head)
        case "gif": m = gif(head)
        case "jpeg": m = jpeg(head)
        case "webp": m = webp(head)
        case "mp4": m = mp4(head) + mp4(tail, fromTail: true)
        case "pdf": m = pdf(tail) + pdf(head)
        default: return nil
        }
        var seen = Set<String>()
        m = m.filter { seen.insert($0.key).inserted }
        return m.isEmpty ? nil : .object(m)
    }

    static func cut(_ s: String) -> String {
        s.utf8.count <= maxValueBytes ? s : String(decoding: Array(s.utf8.prefix(maxValueBytes)), as: UTF8.self)
    }

    // MARK: HTML

    static func html(_ head: [UInt8]) -> [JSONMember] {
        let t = HTMLTokenizer(bytes: head, maxTokenBytes: 64 * 1024)
        var out: [JSONMember] = []
        var metas: [JSONMember] = []
        var inTitle = false
        var title = ""
        tokens: while let token = try? t.next() {
            switch token {
            case .startTag(let name, let attributes, _):
                if name == "title" { inTitle = true }
                if name == "meta", metas.count < maxMetaTags, let content = attributes["content"],
                    let key = attributes["name"] ?? attributes["property"] ?? attributes["http-equiv"]
                {
                    metas.append(.init(key.lowercased(), .string(cut(content))))
                }
                if name == "body" { break tokens }
            case .endTag(let name): if name == "title" { inTitle = false }
            case .text(let text): if inTitle { title += text }
            }
        }
        let trimmed = title.split(whereSeparator: \.isLayoutSpace).joined(separator: " ")
        if !trimmed.isEmpty { out.append(.init("title", .string(cut(trimmed)))) }
        if !metas.isEmpty { out.append(.init("meta", .object(metas))) }
        return out
    }

    // MARK: Images

    static func u16be(_ b: [UInt8], _ i: Int) -> Int? { i >= 0 && i + 1 < b.count ? Int(b[i]) << 8 | Int(b[i + 1]) : nil }
    static func u16le(_ b: [UInt8], _ i: Int) -> Int? { i >= 0 && i + 1 < b.count ? Int(b[i + 1]) << 8 | Int(b[i]) : nil }
    static func u32be(_ b: [UInt8], _ i: Int) -> Int? {
        guard let hi = u16be(b, i), let lo = u16be(b, i + 2) else { return nil }
        return hi << 16 | lo
    }
    static func u32le(_ b: [UInt8], _ i: Int) -> Int? {
        guard let lo = u16le(b, i), let hi = u16le(b, i + 2) else { return nil }
        return hi << 16 | lo
    }
    static func u64be(_ b: [UInt8], _ i: Int) -> Int? {
        guard let hi = u32be(b, i), let lo = u32be(b, i + 4), hi < 1 << 31 else { return nil }
        return hi << 32 | lo
    }

    static func size(_ w: Int?, _ h: Int?) -> [JSONMember] {
        guard let w, let h else { return [] }
        return [.init("height", .number(String(h))), .init("width", .number(String(w)))]
    }

    static func png(_ b: [UInt8]) -> [JSONMember] {
        guard b.count >= 24, Array(b[12..<16]) == Array("IHDR".utf8) else { return [] }
        return size(u32be(b, 16), u32be(b, 20))
    }

    static func gif(_ b: [UInt8]) -> [JSONMember] { size(u16le(b, 6), u16le(b, 8)) }

    /// Walks JPEG markers to the first SOFn (size) and reads EXIF from APP1.
    static func jpeg(_ b: [UInt8]) -> [JSONMember] {
        var out: [JSONMember] = []
        var i = 2
        var steps = 0
        while i + 4 <= b.count, b[i] == 0xFF, steps < 256 {
            steps += 1
            let marker = b[i + 1]
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                i += 2
                continue
            }
            guard let length = u16be(b, i + 2), length >= 2 else { break }
            let body = i + 4
            if marker == 0xE1, body + 6 <= b.count, Array(b[body..<body + 6]) == [0x45, 0x78, 0x69, 0x66, 0, 0] {
                out += exif(Array(b[(body + 6)..<min(b.count, i + 2 + length)]))
            }
            if [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF].contains(marker) {
                return size(u16be(b, body + 3), u16be(b, body + 1)) + out
            }
            if marker == 0xDA { break }
            i += 2 + length
        }
        return out
    }

    /// TIFF-structured EXIF: Make, Model, DateTime from IFD0, DateTimeOriginal from the EXIF IFD.
    static func exif(_ t: [UInt8]) -> [JSONMember] {
        guard t.count >= 8 else { return [] }
        let little = t[0] == 0x49 && t[1] == 0x49
        guard little || (t[0] == 0x4D && t[1] == 0x4D) else { return [] }
        func u16(_ i: Int) -> Int? { little ? u16le(t, i) : u16be(t, i) }
        func u32(_ i: Int) -> Int? { little ? u32le(t, i) : u32be(t, i) }
        var out: [JSONMember] = []
        func ascii(_ count: Int, _ valueOffset: Int) -> String? {
            let start = count <= 4 ? valueOffset : (u32(valueOffset) ?? -1)
            guard start >= 0, count > 0, count <= 256, start + count <= t.count else { return nil }
            let bytes = t[start..<start + count].prefix { $0 != 0 }
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
        func readIFD(_ offset: Int, names: [Int: String]) -> Int? {
            guard let n = u16(offset), n <= 512 else { return nil }
            var exifPointer: Int?
            for k in 0..<n {
                let e = offset + 2 + 12 * k
                guard let tag = u16(e), let type = u16(e + 2), let count = u32(e + 4) else { break }
                if tag == 0x8769 { exifPointer = u32(e + 8) }
                if let name = names[tag], type == 2, let value = ascii(count, e + 8) {
                    out.append(.init(name, .string(value)))
                }
            }
            return exifPointer
        }
        guard let ifd0 = u32(4) else { return [] }
        let exifIFD = readIFD(ifd0, names: [0x010F: "camera_make", 0x0110: "camera_model", 0x0132: "date_time"])
        if let p = exifIFD { _ = readIFD(p, names: [0x9003: "date_time_original"]) }
        return out
    }

    // MARK: PDF

    static let pdfKeys = ["Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate"]

    /// Info dictionary entries `/Key (literal)` or `/Key <hex>` found in the bytes.
    static func pdf(_ b: [UInt8]) -> [JSONMember] {
        var out: [JSONMember] = []
        for key in pdfKeys {
            let pattern = Array("/\(key)".utf8)
            var i = 0
            while i + pattern.count < b.count {
                if b[i] == 0x2F, Array(b[i..<i + pattern.count]) == pattern {
                    var j = i + pattern.count
                    while j < b.count, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D { j += 1 }
                    if let value = pdfString(b, at: j) {
                        let snake = key == "CreationDate" ? "creation_date" : key == "ModDate" ? "mod_date" : key.lowercased()
                        out.append(.init(snake, .string(cut(value))))
                        break
                    }
                }
                i += 1
            }
        }
        return out
    }

    /// A PDF string at `i`: `( … )` with escapes and nesting, or `< hex >`; UTF-16BE with a BOM
    /// is decoded, other bytes are read as Latin-1 (PDFDocEncoding's printable range).
    static func pdfString(_ b: [UInt8], at i: Int) -> String? {
        guard i < b.count else { return nil }
        var bytes: [UInt8] = []
        if b[i] == 0x28 {
            var depth = 1, j = i + 1
            while j < b.count, bytes.count < 4096 {
                let c = b[j]
                if c == 0x5C, j + 1 < b.count {
                    let n = b[j + 1]
                    switch n {
                    case 0x6E: bytes.append(0x0A)
                    case 0x72: bytes.append(0x0D)
                    case 0x74: bytes.append(0x09)
                    case 0x30...0x37:
                        var v = 0, k = j + 1
                        while k < b.count, k < j + 4, (0x30...0x37).contains(b[k]) { v = v * 8 + Int(b[k] - 0x30); k += 1 }
                        bytes.append(UInt8(v & 0xFF))
                        j = k
                        continue
                    default: bytes.append(n)
                    }
                    j += 2
                    continue
                }
                if c == 0x28 { depth += 1 }
                if c == 0x29 {
                    depth -= 1
                    if depth == 0 { break }
                }
                bytes.append(c)
                j += 1
            }
            guard depth == 0 else { return nil }
        } else if b[i] == 0x3C, i + 1 < b.count, b[i + 1] != 0x3C {
            var j = i + 1
            var digits: [UInt8] = []
            while j < b.count, b[j] != 0x3E, digits.count < 8192 {
                if let d = hexValue(b[j]) { digits.append(d) }
                j += 1
            }
            if digits.count % 2 == 1 { digits.append(0) }
            bytes = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
        } else {
            return nil
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            return String(decoding: units, as: UTF16.self)
        }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x37
        case 0x61...0x66: return c - 0x57
        default: return nil
        }
    }
}

/// The first and last 64 KiB of a stream, kept as it goes by, for `ContentMetadata`. The tail
/// keeps references to the last chunks (no copying) until it is asked for.
public struct HeadAndTail {
    public private(set) var head: [UInt8] = []
    private var recent: [[UInt8]] = []
    private var recentBytes = 0

    public init() {}

    public mutating func add(_ chunk: [UInt8]) {
        if head.count < ContentMetadata.headBytes { head += chunk.prefix(ContentMetadata.headBytes - head.count) }
        recent.append(chunk)
        recentBytes += chunk.count
        while let first = recent.first, recentBytes - first.count >= ContentMetadata.tailBytes {
            recentBytes -= first.count
            recent.removeFirst()
        }
    }

    /// The last `tailBytes` bytes seen (fewer when the stream was shorter).
    public var tail: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(recentBytes, ContentMetadata.tailBytes))
        var skip = max(0, recentBytes - ContentMetadata.tailBytes)
        for chunk in recent {
            if skip >= chunk.count { skip -= chunk.count; continue }
            out += chunk[skip...]
            skip = 0
        }
        return out
    }

    /// `ContentMetadata.extract` over what was kept; the tail is put together only for the
    /// formats that read it.
    public func metadata(format: String) -> JSONValue? {
        ContentMetadata.extract(format: format, head: head, tail: ContentMetadata.readsTail(format) ? tail : [])
    }
}
