import CICU

/// Decoding of the byte charsets mail, vCards, HTML and old exports declare, to Swift strings:
/// UTF-8 natively, every other charset through ICU's converters (docs/SPEC.md 8, "Text encodings").
public enum Charsets {
    /// The converter name ICU is asked for, for a declared label. Labels are matched the way
    /// mail readers and browsers do (the WHATWG Encoding Standard): `gb2312` text is really GBK
    /// in practice, `iso-8859-1` is read as windows-1252, `ks_c_5601-1987` as windows-949.
    /// nil for the labels read as UTF-8 (`utf-8`, `us-ascii`, none).
    static func converterName(_ label: String) -> String? {
        let name = label.lowercased().trimming(anyOf: "\"' \t")
        switch name {
        case "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "unicode-1-1-utf-8", "": return nil
        case "gb2312", "gb_2312-80", "gb_2312", "chinese", "csgb2312", "x-gbk", "gbk", "cp936", "ms936", "euc-cn": return "GBK"
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "cp819", "x-cp1252", "cp1252": return "windows-1252"
        case "ks_c_5601-1987", "ks_c_5601", "korean", "euc-kr", "cp949": return "windows-949"
        case "iso-8859-9", "latin5", "iso8859-9": return "windows-1254"
        case "tis-620", "iso-8859-11": return "windows-874"
        case "x-mac-roman", "mac", "macintosh": return "macintosh"
        default: return name
        }
    }

    /// Decodes `bytes` in the charset `label` names. Returns nil for a charset ICU cannot
    /// convert; bytes invalid in the charset become U+FFFD.
    ///
    /// Text that is well-formed UTF-8 with at least one multi-byte character is read as UTF-8
    /// whatever the label says: mail clients often label UTF-8 bodies with the sender's legacy
    /// charset, while legacy text that happens to be valid UTF-8 is vanishingly rare.
    public static func decode(_ bytes: [UInt8], charset label: String) -> String? {
        guard let name = converterName(label), !isMultibyteUTF8(bytes) else { return String(decoding: bytes, as: UTF8.self) }
        guard let converter = try? Transcoder(from: name) else { return nil }
        var utf8 = converter.convert(bytes)
        utf8 += converter.finish()
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Decodes in `charset`, falling back to UTF-8 with replacement for a charset ICU cannot
    /// convert (`isConvertible` tells which).
    public static func decodeLossy(_ bytes: [UInt8], charset: String) -> String {
        decode(bytes, charset: charset) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// Well-formed UTF-8 with at least one byte over 0x7F.
    static func isMultibyteUTF8(_ bytes: [UInt8]) -> Bool {
        guard bytes.contains(where: { $0 >= 0x80 }) else { return false }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Whether ICU converts the charset `label` names.
    public static func isConvertible(_ label: String) -> Bool {
        guard let name = converterName(label) else { return true }
        return (try? Transcoder(from: name)) != nil
    }
}

/// Base64 (RFC 4648) and quoted-printable (RFC 2045) decoding, tolerant of line breaks and
/// whitespace the way mail bodies need.
public enum TransferEncoding {
    static let base64Table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        t[Int(UInt8(ascii: "-"))] = 62  // base64url
        t[Int(UInt8(ascii: "_"))] = 63
        return t
    }()

    /// Base64: characters outside the alphabet (line breaks, spaces) are skipped; decoding stops
    /// at `=`. A trailing partial group of 2 or 3 characters yields its whole bytes.
    public static func base64(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var acc: UInt32 = 0
        var n = 0
        // The table is looked up through one pointer: a global's every read checked that it
        // was initialised (`swift_once`), a tenth of a mail's attachments' time.
        base64Table.withUnsafeBufferPointer { table in
            for c in input {
                if c == UInt8(ascii: "=") { break }
                let v = table[Int(c)]
                if v == 0xFF { continue }
                acc = acc << 6 | UInt32(v)
                n += 1
                if n == 4 {
                    out.append(UInt8(acc >> 16 & 0xFF))
                    out.append(UInt8(acc >> 8 & 0xFF))
                    out.append(UInt8(acc & 0xFF))
                    acc = 0
                    n = 0
                }
            }
        }
        if n == 2 { out.append(UInt8(acc >> 4 & 0xFF)) }
        if n == 3 {
            out.append(UInt8(acc >> 10 & 0xFF))
            out.append(UInt8(acc >> 2 & 0xFF))
        }
        return out
    }

    /// `base64(input).count`, without decoding: an attachment's size is all a message keeps of it.
    public static func base64Count(_ input: [UInt8]) -> Int {
        var n = 0
        base64Table.withUnsafeBufferPointer { table in
            for c in input {
                if c == UInt8(ascii: "=") { break }
                if table[Int(c)] != 0xFF { n += 1 }
            }
        }
        return n / 4 * 3 + (n % 4 == 2 ? 1 : n % 4 == 3 ? 2 : 0)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// Quoted-printable: `=XX` is a byte, `=` at the end of a line is a soft break; an `=` not
    /// followed by two hex digits is kept literally. With `underscoreIsSpace` (RFC 2047 `Q`),
    /// `_` means a space.
    public static func quotedPrintable(_ input: [UInt8], underscoreIsSpace: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let c = input[i]
            if c == UInt8(ascii: "=") {
                if i + 1 < input.count, input[i + 1] == 0x0A {
                    i += 2
                    continue
                }
                if i + 2 < input.count, input[i + 1] == 0x0D, input[i + 2] == 0x0A {
                    i += 3
                    continue
                }
                if i + 2 < input.count, let h = hexValue(input[i + 1]), let l = hexValue(input[i + 2]) {
                    out.append(h << 4 | l)
                    i += 3
                    continue
                }
                if i + 1 == input.count { break }  // a soft break at the very end
                out.append(c)
            } else if underscoreIsSpace && c == UInt8(ascii: "_") {
                out.append(0x20)
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}
