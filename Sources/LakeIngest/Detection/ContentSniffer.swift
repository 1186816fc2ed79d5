import LakeCore

/// What a file is, decided from libmagic's answer, our own signatures and content checks on
/// the first bytes, and the extension (trusted least).
public struct Detection: Sendable, Equatable {
    /// What the file is (`FileFormat`; its raw value is what the catalog and `inspect` print).
    public var format: FileFormat
    public var mimeType: String
    public var encoding: String
    /// Confidence in `encoding`, 0...1.
    public var encodingConfidence: Double
    /// Set when libmagic, the content check and the extension disagree; says how.
    public var mismatch: String?
    /// Facebook's per-byte mojibake: UTF-8 bytes written one `\u00XX` escape each (`\u00c3\u00a9`
    /// for é), found in the sample; normalization repairs such strings.
    public var mojibake = false

    public init(
        format: FileFormat, mimeType: String, encoding: String, encodingConfidence: Double, mismatch: String?, mojibake: Bool = false
    ) {
        self.format = format
        self.mimeType = mimeType
        self.encoding = encoding
        self.encodingConfidence = encodingConfidence
        self.mismatch = mismatch
        self.mojibake = mojibake
    }

    public var jsonValue: JSONValue {
        .object([
            .init("format", .string(format.rawValue)),
            .init("mime_type", .string(mimeType)),
            .init("encoding", .string(encoding)),
            .init("encoding_confidence", .number(ContentSniffer.formatConfidence(encodingConfidence))),
            .init("mismatch", mismatch.map { .string($0) } ?? .null),
            .init("mojibake", .bool(mojibake)),
        ])
    }
}

/// Format and encoding detection on a sample (the first 4 KB by default).
public enum ContentSniffer {
    /// Detects the format of `sample` (the first bytes of a file named `name`), given libmagic's `mime`.
    public static func detect(sample: [UInt8], name: String, mime: String, isComplete: Bool) -> Detection {
        let (encoding, confidence) = detectEncoding(sample, isComplete: isComplete)
        let byContent = formatFromContent(sample, encoding: encoding)
        let byExtension = formatFromExtension(name)
        var format = byContent ?? formatFromMime(mime) ?? byExtension ?? (encoding == "binary" ? .binary : .text)
        if byContent == nil, format == .text, let ext = byExtension, [.csv, .text].contains(ext) { format = ext }
        var mismatch: String?
        if let ext = byExtension, ext != format, !compatible(ext, format) {
            mismatch = "extension says \(ext.rawValue), content says \(format.rawValue)"
        }
        let mojibake = encoding != "binary" && hasEscapedMojibake(sample)
        return Detection(
            format: format, mimeType: mime, encoding: encoding, encodingConfidence: confidence, mismatch: mismatch, mojibake: mojibake)
    }

    /// Whether the bytes hold a UTF-8 lead byte and a continuation byte written as two JSON
    /// escapes in a row: `\u00` + C2…F4, then `\u00` + 80…BF (case-insensitive hex).
    public static func hasEscapedMojibake(_ s: [UInt8]) -> Bool {
        func hex(_ i: Int) -> Int? {
            guard i + 1 < s.count, let a = hexDigit(s[i]), let b = hexDigit(s[i + 1]) else { return nil }
            return a << 4 | b
        }
        func escape00(at i: Int) -> Bool {
            i + 5 < s.count && s[i] == 0x5C && (s[i + 1] == 0x75 || s[i + 1] == 0x55) && s[i + 2] == 0x30 && s[i + 3] == 0x30
        }
        var i = 0
        while i + 11 < s.count {
            if escape00(at: i), let lead = hex(i + 4), (0xC2...0xF4).contains(lead), escape00(at: i + 6), let next = hex(i + 10),
                (0x80...0xBF).contains(next)
            {
                return true
            }
            i += 1
        }
        return false
    }

    static func hexDigit(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x37)
        case 0x61...0x66: return Int(c - 0x57)
        default: return nil
        }
    }

    static func compatible(_ ext: FileFormat, _ format: FileFormat) -> Bool {
        switch (ext, format) {
        case (.javascript, .twitterJS), (.javascript, .twitterManifest), (.json, .json), (.text, .csv), (.csv, .text), (.text, .json):
            return true
        default: return false
        }
    }

    static func formatFromExtension(_ name: String) -> FileFormat? {
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "zip": return .zip
        case "gz", "tgz": return .gzip
        case "tar": return .tar
        case "js": return .javascript
        case "json": return .json
        case "html", "htm": return .html
        case "csv": return .csv
        case "txt": return .text
        case "jpg", "jpeg": return .jpeg
        case "png": return .png
        case "gif": return .gif
        case "webp": return .webp
        case "mp4", "m4v": return .mp4
        case "mbox": return .mbox
        case "ics": return .ics
        case "vcf": return .vcf
        case "pdf": return .pdf
        default: return nil
        }
    }

    static func formatFromMime(_ mime: String) -> FileFormat? {
        switch mime {
        case "application/zip": return .zip
        case "application/gzip", "application/x-gzip": return .gzip
        case "application/x-tar": return .tar
        case "application/x-7z-compressed": return .sevenZip
        case "application/x-rar", "application/vnd.rar": return .rar
        case "application/x-bzip2": return .bzip2
        case "application/x-xz": return .xz
        case "application/zstd": return .zstd
        case "application/json": return .json
        case "text/html": return .html
        case "text/csv": return .csv
        case "image/jpeg": return .jpeg
        case "image/png": return .png
        case "image/gif": return .gif
        case "image/webp": return .webp
        case "video/mp4": return .mp4
        case "application/pdf": return .pdf
        default: return nil
        }
    }

    /// The binary format whose signature `sample` (a file's first bytes) starts with, or nil:
    /// zip, gzip, 7z, RAR, tar, JPEG, PNG, GIF, WebP, MP4, PDF.
    public static func signature(_ sample: [UInt8]) -> FileFormat? { formatFromContent(sample, encoding: "binary") }

    /// Our own signatures and content checks.
    static func formatFromContent(_ s: [UInt8], encoding: String) -> FileFormat? {
        func starts(_ sig: [UInt8], at offset: Int = 0) -> Bool {
            s.count >= offset + sig.count && Array(s[offset..<offset + sig.count]) == sig
        }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if starts([0x1F, 0x8B]) { return .gzip }
        if starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return .sevenZip }
        if starts(Array("Rar!\u{1A}\u{07}".utf8)) { return .rar }
        if starts(Array("ustar".utf8), at: 257) { return .tar }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("ftyp".utf8), at: 4) { return .mp4 }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        guard encoding != "binary" else { return nil }
        var text = s
        if starts([0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        var i = 0
        while i < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[i]) { i += 1 }
        let rest = Array(text[i...])
        func restStarts(_ str: String) -> Bool { rest.starts(with: Array(str.utf8)) }
        if restStarts("window.YTD.") { return .twitterJS }
        if restStarts("window.__THAR_CONFIG") { return .twitterManifest }
        if restStarts("{") || restStarts("[") { return .json }
        let lower = String(decoding: rest.prefix(64), as: UTF8.self).lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") { return .html }
        if restStarts("From ") { return .mbox }
        if restStarts("BEGIN:VCALENDAR") { return .ics }
        if restStarts("BEGIN:VCARD") { return .vcf }
        return nil
    }

    /// The encoding of a text sample, with a confidence. `isComplete` says whether the sample
    /// is the whole file (so a cut multi-byte sequence at its end is an error, not truncation).
    public static func detectEncoding(_ s: [UInt8], isComplete: Bool) -> (String, Double) {
        if s.starts(with: [0xEF, 0xBB, 0xBF]) { return ("utf-8-bom", 1.0) }
        if s.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return ("utf-32le", 1.0) }
        if s.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return ("utf-32be", 1.0) }
        if s.starts(with: [0xFF, 0xFE]) { return ("utf-16le", 1.0) }
        if s.starts(with: [0xFE, 0xFF]) { return ("utf-16be", 1.0) }
        if s.isEmpty { return ("empty", 1.0) }
        let zeros = s.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        if zeros > 0 {
            // UTF-16 without BOM: zeros in every other byte of ASCII text.
            let evenZeros = stride(from: 0, to: s.count, by: 2).filter { s[$0] == 0 }.count
            let oddZeros = stride(from: 1, to: s.count, by: 2).filter { s[$0] == 0 }.count
            let half = Double(s.count) / 2
            if Double(oddZeros) > 0.9 * half, evenZeros == 0 { return ("utf-16le", Double(oddZeros) / half) }
            if Double(evenZeros) > 0.9 * half, oddZeros == 0 { return ("utf-16be", Double(evenZeros) / half) }
            return ("binary", 1.0)
        }
        switch validateUTF8(s, isComplete: isComplete) {
        case .ascii: return ("ascii", 1.0)
        case .valid: return ("utf-8", 1.0)
        case .invalid(let badFraction):
            let controls = s.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C }.count
            if Double(controls) / Double(s.count) > 0.05 { return ("binary", 1.0) }
            // Bytes 0x80-0x9F are printable in Windows-1252 but C1 controls in Latin-1.
            let c1 = s.contains { (0x80...0x9F).contains($0) }
            return (c1 ? "windows-1252" : "iso-8859-1", max(0.5, 1.0 - badFraction))
        }
    }

    enum UTF8Check { case ascii, valid, invalid(Double) }

    static func validateUTF8(_ s: [UInt8], isComplete: Bool) -> UTF8Check {
        var i = 0
        var bad = 0
        var sawMulti = false
        while i < s.count {
            let b = s[i]
            if b < 0x80 { i += 1; continue }
            sawMulti = true
            guard let (need, lo, hi) = UTF8Sequence.shape(lead: b) else {
                bad += 1
                i += 1
                continue
            }
            if !isComplete && i + need >= s.count { break }  // cut off by the end of the sample
            var ok = true
            for k in 1...need {
                guard i + k < s.count else { ok = false; break }
                let c = s[i + k]
                if c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF) { ok = false; break }
            }
            if ok { i += need + 1 } else { bad += 1; i += 1 }
        }
        if bad > 0 { return .invalid(Double(bad) / Double(s.count)) }
        return sawMulti ? .valid : .ascii
    }

    static func formatConfidence(_ c: Double) -> String {
        let v = (c * 1000).rounded() / 1000
        return v == v.rounded() ? String(Int(v)) + ".0" : String(v)
    }
}
