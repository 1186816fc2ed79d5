import LakeCore

/// The container formats of `ContentMetadata`: WebP (RIFF chunks), MP4/MOV (ISO boxes) and
/// OOXML office documents (their `docProps` parts). Bounds-checked like the rest; a fuzz target
/// runs them.
extension ContentMetadata {
    // MARK: WebP

    /// Size from `VP8 `, `VP8L` or `VP8X`; from `VP8X` also its flags (`animated`, `alpha`,
    /// `icc`, `exif`, `xmp`), and for an animation the `ANIM` loop count and the `ANMF` frames
    /// counted in the bytes given (`frames_seen`: a long animation's frames go on past them).
    static func webp(_ b: [UInt8]) -> [JSONMember] {
        guard b.count >= 30, Array(b[0..<4]) == Array("RIFF".utf8), Array(b[8..<12]) == Array("WEBP".utf8) else { return [] }
        switch String(decoding: b[12..<16], as: UTF8.self) {
        case "VP8 ":
            guard let w = u16le(b, 26), let h = u16le(b, 28) else { return [] }
            return size(w & 0x3FFF, h & 0x3FFF)
        case "VP8L":
            guard b.count >= 25, b[20] == 0x2F else { return [] }
            let bits = Int(b[21]) | Int(b[22]) << 8 | Int(b[23]) << 16 | Int(b[24]) << 24
            return size((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            let w = Int(b[24]) | Int(b[25]) << 8 | Int(b[26]) << 16
            let h = Int(b[27]) | Int(b[28]) << 8 | Int(b[29]) << 16
            let flags = b[20]
            var out = size(w + 1, h + 1)
            for (name, bit) in [("animated", 0x02), ("alpha", 0x10), ("icc", 0x20), ("exif", 0x08), ("xmp", 0x04)] as [(String, UInt8)] {
                out.append(.init(name, .bool(flags & bit != 0)))
            }
            guard flags & 0x02 != 0 else { return out }
            // The chunks after VP8X: ANIM (background colour, loop count), then ANMF frames.
            var i = 30, frames = 0, steps = 0
            while i + 8 <= b.count, steps < 100_000, let length = u32le(b, i + 4) {
                steps += 1
                let fourcc = String(decoding: b[i..<(i + 4)], as: UTF8.self)
                if fourcc == "ANIM", let loops = u16le(b, i + 12) { out.append(.init("loop_count", .number(String(loops)))) }
                if fourcc == "ANMF" { frames += 1 }
                // Chunks are padded to an even length.
                let next = i + 8 + length + (length & 1)
                guard next > i else { break }
                i = next
            }
            out.append(.init("frames_seen", .number(String(frames))))
            return out
        default: return []
        }
    }

    // MARK: MP4 and MOV

    /// `ftyp` major brand; `mvhd` duration (seconds, 3 decimals) and creation time (UTC) when
    /// the `moov` box lies within the bytes; from each `stsd` sample description the codec
    /// (`codecs`: `avc1`, `hvc1`, `mp4a`, … in track order) and the first video track's coded
    /// size. From the tail, boxes are found by their names.
    static func mp4(_ b: [UInt8], fromTail: Bool = false) -> [JSONMember] {
        var out: [JSONMember] = []
        if !fromTail, b.count >= 12, Array(b[4..<8]) == Array("ftyp".utf8) {
            let brand = String(decoding: b[8..<12], as: UTF8.self).trimmingCharacters(in: " ")
            if brand.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { out.append(.init("brand", .string(brand))) }
        }
        if let v = find("mvhd", in: b) {
            let version = b[v]
            let created: Int?, scale: Int?, duration: Int?
            if version == 1 {
                created = u64be(b, v + 4); scale = u32be(b, v + 20); duration = u64be(b, v + 24)
            } else {
                created = u32be(b, v + 4); scale = u32be(b, v + 12); duration = u32be(b, v + 16)
            }
            if let scale, scale > 0, let duration {
                // Whole seconds and milliseconds apart: a 64-bit duration times 1000 could overflow.
                let millis = duration % scale * 1000 / scale
                out.append(.init("duration_seconds", .number("\(duration / scale).\(String(millis + 1000).dropFirst())")))
            }
            // Seconds since 1904-01-01; 0 means unset; times past the year 9999 are not kept.
            if let created, created > 0, created < 255_000_000_000 {
                let unix = Int64(created) - 2_082_844_800
                out.append(.init("created", .string(Timestamp(millis: unix * 1000, offsetSeconds: nil).iso8601)))
            }
        }
        // Sample descriptions: full box (4), entry count (4), then the first entry (size, format).
        var codecs: [JSONValue] = []
        var from = 0
        while codecs.count < 8, let v = find("stsd", in: b, from: from) {
            from = v
            let entry = v + 8
            guard entry + 8 <= b.count else { break }
            let format = b[(entry + 4)..<(entry + 8)]
            guard format.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { continue }
            let code = String(decoding: format, as: UTF8.self)
            codecs.append(.string(code))
            // A visual sample entry: 6 reserved, data reference index, 16 pre-defined, width, height.
            let visual: Set<String> = ["avc1", "avc3", "hvc1", "hev1", "mp4v", "av01", "vp09", "jpeg", "mjpa", "apcn", "apch", "s263"]
            if visual.contains(code), !out.contains(where: { $0.key == "video_width" }), let w = u16be(b, entry + 32),
                let h = u16be(b, entry + 34)
            {
                out += [.init("video_width", .number(String(w))), .init("video_height", .number(String(h)))]
            }
        }
        if !codecs.isEmpty { out.append(.init("codecs", .array(codecs))) }
        return out
    }

    /// The offset just past the first box named `name` at or after `from` (searched by name).
    static func find(_ name: String, in b: [UInt8], from: Int = 0) -> Int? {
        let n = Array(name.utf8)
        var i = max(4, from)
        while i + 4 <= b.count {
            if b[i] == n[0], b[i + 1] == n[1], b[i + 2] == n[2], b[i + 3] == n[3] { return i + 4 < b.count ? i + 4 : nil }
            i += 1
        }
        return nil
    }

    // MARK: Office documents

    /// Entry names read as office documents (zip containers): their `docProps` parts.
    public static func isOfficeDocument(_ path: String) -> Bool {
        let p = path.lowercased()
        return [".docx", ".xlsx", ".pptx"].contains { p.hasSuffix($0) }
    }

    /// The parts of an office document read for metadata.
    public static let officeParts = ["docProps/core.xml", "docProps/app.xml"]

    /// `docProps/core.xml` of an OOXML document: title, subject, creator, keywords,
    /// description, last_modified_by, created, modified (the elements' text, namespaces dropped).
    public static func officeCoreProperties(_ xml: [UInt8]) -> JSONValue? {
        properties(
            xml,
            [
                "title": "title", "subject": "subject", "creator": "creator", "keywords": "keywords", "description": "description",
                "lastModifiedBy": "last_modified_by", "created": "created", "modified": "modified",
            ], numbers: [])
    }

    /// `docProps/app.xml`: the application and its version, and the counts it keeps (pages,
    /// words, characters, paragraphs, lines for a DOCX; slides, notes for a PPTX), as numbers.
    public static func officeAppProperties(_ xml: [UInt8]) -> JSONValue? {
        properties(
            xml,
            [
                "Application": "application", "AppVersion": "app_version", "Pages": "pages", "Words": "words",
                "Characters": "characters", "Paragraphs": "paragraphs", "Lines": "lines", "Slides": "slides", "Notes": "notes",
                "TotalTime": "total_edit_minutes",
            ], numbers: ["pages", "words", "characters", "paragraphs", "lines", "slides", "notes", "total_edit_minutes"])
    }

    /// The text of the `wanted` elements (local names), each once, in document order; those in
    /// `numbers` as numbers when they are plain digits.
    static func properties(_ xml: [UInt8], _ wanted: [String: String], numbers: Set<String>) -> JSONValue? {
        let reader = XMLReader(bytes: xml)
        var out: [JSONMember] = []
        var current: String?
        var text = ""
        while let event = try? reader.next() {
            switch event {
            case .startElement(let name, _):
                let local = String(name.split(separator: ":").last ?? "")
                current = wanted[local]
                text = ""
            case .text(let t): if current != nil { text += t }
            case .endElement:
                if let key = current, !text.isEmpty, !out.contains(where: { $0.key == key }) {
                    let digits = !text.isEmpty && text.utf8.count <= 15 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                    out.append(.init(key, numbers.contains(key) && digits ? .number(String(Int(text)!)) : .string(cut(text))))
                }
                current = nil
            }
        }
        return out.isEmpty ? nil : .object(out)
    }
}
