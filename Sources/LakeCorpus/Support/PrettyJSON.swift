import LakeCore

/// The pretty-printing habits of the exporters, as byte-exact writers: 2-space indent,
/// objects and arrays one member per line, and per-exporter key separators and string escapes.
struct PrettyJSON {
    enum Strings {
        /// Canonical minimal escaping, UTF-8 as is (Twitter, Google's location files).
        case raw
        /// Gson's HTML-safe escapes: `=` `&` `'` `<` `>` as `\u003d` `\u0026` `\u0027` `\u003c` `\u003e`.
        case gson
        /// Facebook: every UTF-8 byte ≥ 0x80 as `\u00xx` (the mojibake).
        case facebookBytes
    }

    var keySeparator: String
    var strings: Strings
    /// Arrays whose elements are all scalars stay on one line (`["Search"]`), as Gson does.
    var inlineScalarArrays = false

    static let twitter = PrettyJSON(keySeparator: " : ", strings: .raw)
    static let facebook = PrettyJSON(keySeparator: ": ", strings: .facebookBytes)
    static let google = PrettyJSON(keySeparator: ": ", strings: .raw)
    static let gson = PrettyJSON(keySeparator: ": ", strings: .gson, inlineScalarArrays: true)

    static let hex = Array("0123456789abcdef".utf8)

    func write(_ v: JSONValue, indent: Int, into out: inout [UInt8]) {
        let pad = { (n: Int) in [UInt8](repeating: 0x20, count: n) }
        switch v {
        case .object(let members):
            if members.isEmpty { out += Array((strings == .raw && keySeparator == " : " ? "{ }" : "{}").utf8); return }
            out += Array("{\n".utf8)
            for (i, m) in members.enumerated() {
                out += pad(indent + 2)
                writeString(m.key, into: &out)
                out += Array(keySeparator.utf8)
                write(m.value, indent: indent + 2, into: &out)
                out += Array((i + 1 < members.count ? ",\n" : "\n").utf8)
            }
            out += pad(indent) + [UInt8(ascii: "}")]
        case .array(let items):
            if items.isEmpty { out += Array((keySeparator == " : " ? "[ ]" : "[]").utf8); return }
            if inlineScalarArrays && items.allSatisfy({ if case .object = $0 { return false }; if case .array = $0 { return false }; return true }) {
                out.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { out += Array(", ".utf8) }
                    write(item, indent: indent, into: &out)
                }
                out.append(UInt8(ascii: "]"))
                return
            }
            out += Array("[\n".utf8)
            for (i, item) in items.enumerated() {
                out += pad(indent + 2)
                write(item, indent: indent + 2, into: &out)
                out += Array((i + 1 < items.count ? ",\n" : "\n").utf8)
            }
            out += pad(indent) + [UInt8(ascii: "]")]
        case .string(let s): writeString(s, into: &out)
        default: CanonicalJSON.write(v, into: &out)
        }
    }

    func writeString(_ s: String, into out: inout [UInt8]) {
        switch strings {
        case .raw:
            CanonicalJSON.writeString(s, into: &out)
        case .gson:
            var plain: [UInt8] = []
            CanonicalJSON.writeString(s, into: &plain)
            for b in plain {
                switch b {
                case UInt8(ascii: "="), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "<"), UInt8(ascii: ">"):
                    out += Array("\\u00".utf8) + [Self.hex[Int(b >> 4)], Self.hex[Int(b & 0xF)]]
                default: out.append(b)
                }
            }
        case .facebookBytes:
            out.append(UInt8(ascii: "\""))
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\""): out += Array("\\\"".utf8)
                case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
                case 0x0A: out += Array("\\n".utf8)
                case 0x0D: out += Array("\\r".utf8)
                case 0x09: out += Array("\\t".utf8)
                case 0x00..<0x20, 0x7F...0xFF: out += Array("\\u00".utf8) + [Self.hex[Int(b >> 4)], Self.hex[Int(b & 0xF)]]
                default: out.append(b)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }
}
