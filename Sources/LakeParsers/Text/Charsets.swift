/// Decoding of the byte charsets mail and old exports declare, to Swift strings.
public enum Charsets {
    /// Windows-1252's 0x80-0x9F (the rest of the byte range is Latin-1); 0 marks an undefined byte.
    static let cp1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// Decodes `bytes` in `charset` (case-insensitive: utf-8, us-ascii, iso-8859-1/latin1,
    /// windows-1252/cp1252). Returns nil for a charset it does not know; invalid UTF-8 is
    /// replaced with U+FFFD (maximal subparts, as Swift's decoder does).
    public static func decode(_ bytes: [UInt8], charset: String) -> String? {
        switch charset.lowercased().trimmingCharacters(in: "\"") {
        case "utf-8", "utf8", "us-ascii", "ascii", "":
            return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "l1":
            var s = String.UnicodeScalarView()
            for b in bytes { s.append(Unicode.Scalar(b)) }
            return String(s)
        case "windows-1252", "cp1252", "x-cp1252":
            var s = String.UnicodeScalarView()
            for b in bytes {
                if (0x80...0x9F).contains(b) {
                    let v = cp1252High[Int(b - 0x80)]
                    s.append(v == 0 ? Unicode.Scalar(0xFFFD)! : Unicode.Scalar(v)!)
                } else {
                    s.append(Unicode.Scalar(b))
                }
            }
            return String(s)
        default:
            return nil
        }
    }

    /// Decodes in `charset`, falling back to UTF-8 with replacement for unknown charsets.
    public static func decodeLossy(_ bytes: [UInt8], charset: String) -> String {
        decode(bytes, charset: charset) ?? String(decoding: bytes, as: UTF8.self)
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
        for c in input {
            if c == UInt8(ascii: "=") { break }
            let v = base64Table[Int(c)]
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
        if n == 2 { out.append(UInt8(acc >> 4 & 0xFF)) }
        if n == 3 {
            out.append(UInt8(acc >> 10 & 0xFF))
            out.append(UInt8(acc >> 2 & 0xFF))
        }
        return out
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
