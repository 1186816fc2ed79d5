import Foundation
/// Text files in UTF-16 or UTF-32 (Windows tools write JSON and CSV that way), recognised from
/// the head of the file and converted to UTF-8 as they stream (docs/SPEC.md 8, "Text encodings").
public enum UnicodeForm {
    /// The encoding form of a text whose first bytes are `head`, when it is not UTF-8: from
    /// a byte order mark, or without one when the head holds zero bytes (UTF-8 text has none),
    /// starts with an ASCII character (RFC 4627 section 3's rule for JSON, true of CSV,
    /// iCalendar and vCard too) and decodes in that form without a U+0000, an unpaired
    /// surrogate or a value past U+10FFFF. `bom` is the length of the mark to drop.
    public static func detect(head: [UInt8]) -> (charset: String, bom: Int)? {
        let b = head
        if b.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return ("UTF-32BE", 4) }
        if b.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return ("UTF-32LE", 4) }
        if b.starts(with: [0xFE, 0xFF]) { return ("UTF-16BE", 2) }
        if b.starts(with: [0xFF, 0xFE]) { return ("UTF-16LE", 2) }
        guard b.count >= 4, b.contains(0) else { return nil }
        let sample = Array(b.prefix(4096))
        for (charset, width, bigEndian) in [("UTF-32BE", 4, true), ("UTF-32LE", 4, false), ("UTF-16BE", 2, true), ("UTF-16LE", 2, false)] {
            let units = stride(from: 0, to: sample.count - sample.count % width, by: width).map { i -> UInt32 in
                let bytes = bigEndian ? sample[i..<i + width] : sample[i..<i + width].reversed()[...]
                return bytes.reduce(0) { $0 << 8 | UInt32($1) }
            }
            guard let first = units.first, first > 0, first < 0x80 else { continue }
            if width == 4 {
                if units.allSatisfy({ $0 != 0 && $0 <= 0x10FFFF && !(0xD800...0xDFFF).contains($0) }) { return (charset, 0) }
                continue
            }
            if isWellFormedUTF16(units) { return (charset, 0) }
        }
        return nil
    }

    /// No U+0000 and every surrogate paired (a high one cut at the very end of the sample is fine).
    static func isWellFormedUTF16(_ units: [UInt32]) -> Bool {
        var i = 0
        while i < units.count {
            let u = units[i]
            if u == 0 || (0xDC00...0xDFFF).contains(u) { return false }
            if (0xD800...0xDBFF).contains(u) {
                if i + 1 == units.count { return true }
                guard (0xDC00...0xDFFF).contains(units[i + 1]) else { return false }
                i += 1
            }
            i += 1
        }
        return true
    }

    /// `source` as UTF-8: passed through unchanged when its head is not UTF-16 or UTF-32,
    /// else converted chunk by chunk through ICU with the byte order mark dropped. `detected`
    /// is called once with the form found (nil for none) before the first chunk is returned.
    ///
    /// `declared` reads a charset the file names in its head (an HTML `<meta charset>`): a
    /// file in neither UTF form is converted from that charset when ICU has it. `legacy` is the
    /// charset of a file that names none and whose head is not UTF-8 (a CSV saved by a
    /// spreadsheet in Windows-1252).
    public static func utf8Source(
        _ source: @escaping ChunkCursor.ChunkSource, declared: @escaping ([UInt8]) -> String? = { _ in nil },
        legacy: String? = nil, detected: @escaping (String?) -> Void = { _ in }
    ) -> ChunkCursor.ChunkSource {
        var started = false
        var pending: [UInt8]?
        var transcoder: Transcoder?
        var finished = false
        return {
            if !started {
                started = true
                // Enough of the head to judge (chunks can be tiny).
                var head: [UInt8] = []
                while head.count < 4096, let chunk = try source() { head += chunk }
                var label = declared(head).flatMap(Charsets.converterName)
                if label == nil, let legacy, !isUTF8(head, complete: head.count < 4096) { label = legacy }
                guard let form = detect(head: head) ?? label.map({ ($0, 0) }), let converter = try? Transcoder(from: form.charset) else {
                    detected(nil)
                    return head.isEmpty ? nil : head
                }
                detected(form.charset)
                transcoder = converter
                pending = Array(head.dropFirst(form.bom))
            }
            guard let transcoder else { return try source() }
            while !finished {
                let chunk: [UInt8]
                if let p = pending {
                    pending = nil
                    chunk = p
                } else if let next = try source() {
                    chunk = next
                } else {
                    finished = true
                    let tail = transcoder.finish()
                    return tail.isEmpty ? nil : tail
                }
                let out = transcoder.convert(chunk)
                if !out.isEmpty { return out }
            }
            return nil
        }
    }

    /// Whether `head` is UTF-8; when it is not `complete`, a sequence cut by its end is allowed.
    public static func isUTF8(_ head: [UInt8], complete: Bool) -> Bool {
        var end = head.count
        if !complete {
            // Back up over a multi-byte sequence the cut may have split (at most 3 bytes).
            var i = head.count - 1, continuation = 0
            while i >= 0, continuation < 3, head[i] & 0xC0 == 0x80 {
                continuation += 1
                i -= 1
            }
            if i >= 0, head[i] >= 0xC0 { end = i }
        }
        return String(validating: head[..<end], as: UTF8.self) != nil
    }

    /// The charset an HTML head declares (`<meta charset="…">` or the `http-equiv` form's
    /// `content="text/html; charset=…"`), or nil.
    public static func htmlMetaCharset(_ head: [UInt8]) -> String? {
        let text = String(decoding: head.prefix(4096).map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        var rest = Substring(text)
        while let meta = rest.range(of: "<meta") {
            let tag = rest[meta.upperBound...].prefix { $0 != ">" }
            if let c = tag.range(of: "charset=") {
                let value = tag[c.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
                let name = value.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }
                if !name.isEmpty { return String(name) }
            }
            rest = rest[meta.upperBound...]
        }
        return nil
    }
}
