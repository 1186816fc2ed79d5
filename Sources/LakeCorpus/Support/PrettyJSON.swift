import LakeCore

/// The pretty-printing habits of the exporters, as byte-exact writers: 2-space indent,
/// objects and arrays one member per line, and per-exporter key separators and string escapes.
/// Strings are written as given (the generator's text is already NFC); the hot paths copy
/// runs of plain bytes whole, since the corpus generator streams gigabytes through here.
struct PrettyJSON {
    enum Strings {
        /// Canonical minimal escaping, UTF-8 as is (Twitter, Google's location files).
        case raw
        /// Gson's HTML-safe escapes: `=` `&` `'` `<` `>` as `\u003d` `\u0026` `\u0027` `\u003c` `\u003e`.
        case gson
        /// Facebook: every UTF-8 byte ≥ 0x80 as `\u00xx` (the mojibake).
        case facebookBytes
    }

    let keySeparator: [UInt8]
    let strings: Strings
    /// Arrays whose elements are all scalars stay on one line (`["Search"]`), as Gson does.
    let inlineScalarArrays: Bool
    let emptyObject: [UInt8]
    let emptyArray: [UInt8]

    init(keySeparator: String, strings: Strings, inlineScalarArrays: Bool = false) {
        self.keySeparator = Array(keySeparator.utf8)
        self.strings = strings
        self.inlineScalarArrays = inlineScalarArrays
        emptyObject = Array((strings == .raw && keySeparator == " : " ? "{ }" : "{}").utf8)
        emptyArray = Array((keySeparator == " : " ? "[ ]" : "[]").utf8)
    }

    static let twitter = PrettyJSON(keySeparator: " : ", strings: .raw)
    static let facebook = PrettyJSON(keySeparator: ": ", strings: .facebookBytes)
    static let google = PrettyJSON(keySeparator: ": ", strings: .raw)
    static let gson = PrettyJSON(keySeparator: ": ", strings: .gson, inlineScalarArrays: true)

    static let hex = Array("0123456789abcdef".utf8)
    private static let spaces = [UInt8](repeating: 0x20, count: 256)
    private static let comma: [UInt8] = [0x2C, 0x0A]
    private static let lineFeed: [UInt8] = [0x0A]

    private static func pad(_ n: Int, into out: inout [UInt8]) {
        var left = n
        while left > 0 {
            let k = min(left, spaces.count)
            out.append(contentsOf: spaces[0..<k])
            left -= k
        }
    }

    func write(_ v: JSONValue, indent: Int, into out: inout [UInt8]) {
        switch v {
        case .object(let members):
            if members.isEmpty { out += emptyObject; return }
            out.append(contentsOf: [0x7B, 0x0A])
            for i in members.indices {
                Self.pad(indent + 2, into: &out)
                writeString(members[i].key, into: &out)
                out += keySeparator
                write(members[i].value, indent: indent + 2, into: &out)
                out += i + 1 < members.count ? Self.comma : Self.lineFeed
            }
            Self.pad(indent, into: &out)
            out.append(0x7D)
        case .array(let items):
            if items.isEmpty { out += emptyArray; return }
            if inlineScalarArrays
                && items.allSatisfy({
                    if case .object = $0 { return false }; if case .array = $0 { return false }; return true
                })
            {
                out.append(0x5B)
                for i in items.indices {
                    if i > 0 { out.append(contentsOf: [0x2C, 0x20]) }
                    write(items[i], indent: indent, into: &out)
                }
                out.append(0x5D)
                return
            }
            out.append(contentsOf: [0x5B, 0x0A])
            for i in items.indices {
                Self.pad(indent + 2, into: &out)
                write(items[i], indent: indent + 2, into: &out)
                out += i + 1 < items.count ? Self.comma : Self.lineFeed
            }
            Self.pad(indent, into: &out)
            out.append(0x5D)
        case .string(let s): writeString(s, into: &out)
        case .number(let n): out += n.utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .null: out += "null".utf8
        }
    }

    func writeString(_ s: String, into out: inout [UInt8]) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ writeEscaped($0, into: &out) }) { return done }
        Array(s.utf8).withUnsafeBufferPointer { writeEscaped($0, into: &out) }
    }

    /// Whether this style escapes byte `b`.
    @inline(__always)
    private func escapes(_ b: UInt8) -> Bool {
        if b < 0x20 || b == 0x22 || b == 0x5C { return true }
        switch strings {
        case .raw: return false
        case .gson: return b == 0x3D || b == 0x26 || b == 0x27 || b == 0x3C || b == 0x3E
        case .facebookBytes: return b >= 0x7F
        }
    }

    private func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(0x22)
        var run = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            if !escapes(b) { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
            run = i + 1
            // Byte by byte: an array literal here would allocate on every escape.
            out.append(0x5C)
            switch b {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08 where strings != .facebookBytes: out.append(UInt8(ascii: "b"))
            case 0x0C where strings != .facebookBytes: out.append(UInt8(ascii: "f"))
            default:
                out.append(UInt8(ascii: "u"))
                out.append(0x30)
                out.append(0x30)
                out.append(PrettyJSON.hex[Int(b >> 4)])
                out.append(PrettyJSON.hex[Int(b & 0xF)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count]))
        out.append(0x22)
    }
}

/// Writes one pretty-printed JSON value token by token in a `PrettyJSON` style, with no tree
/// in between: the generator's hot records (tweets, location points, activity entries) go
/// through here. Produces the same bytes as `PrettyJSON.write` of the equivalent tree, except
/// that empty containers must be written with `emptyArray`/`emptyObject`.
struct JSONStream {
    let style: PrettyJSON
    private var indent: Int
    /// Bit d set: the container open at depth d has a member already (depth < 64).
    private var started: UInt64 = 0
    private var depth = 0
    private var afterKey = false

    init(style: PrettyJSON, indent: Int) {
        self.style = style
        self.indent = indent
    }

    /// The separator and indentation before a value (nothing right after a key).
    private mutating func prefix(_ out: inout [UInt8]) {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << UInt64(depth - 1)
        if started & bit != 0 { out.append(0x2C) }
        started |= bit
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent))
    }

    mutating func beginObject(_ out: inout [UInt8]) {
        prefix(&out)
        out.append(0x7B)
        open()
    }

    mutating func beginArray(_ out: inout [UInt8]) {
        prefix(&out)
        out.append(0x5B)
        open()
    }

    private mutating func open() {
        precondition(depth < 64, "JSONStream nests at most 64 levels")
        depth += 1
        started &= ~(1 << UInt64(depth - 1))
        indent += 2
    }

    /// Closes the innermost object or array (which must not be empty).
    mutating func end(_ closer: UInt8, _ out: inout [UInt8]) {
        depth -= 1
        indent -= 2
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent))
        out.append(closer)
    }

    mutating func endObject(_ out: inout [UInt8]) { end(0x7D, &out) }
    mutating func endArray(_ out: inout [UInt8]) { end(0x5D, &out) }

    /// A member name known at compile time: plain ASCII that needs no escaping.
    mutating func key(_ k: StaticString, _ out: inout [UInt8]) {
        prefix(&out)
        out.append(0x22)
        out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        out.append(0x22)
        out += style.keySeparator
        afterKey = true
    }

    mutating func string(_ s: String, _ out: inout [UInt8]) {
        prefix(&out)
        style.writeString(s, into: &out)
    }

    mutating func number(_ text: String, _ out: inout [UInt8]) {
        prefix(&out)
        out += text.utf8
    }

    mutating func number(_ v: Int64, _ out: inout [UInt8]) { number(String(v), &out) }

    /// A string value whose bytes `body` appends and which needs no escaping (ASCII digits,
    /// dates): no intermediate `String`.
    mutating func plainString(_ out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        prefix(&out)
        out.append(0x22)
        body(&out)
        out.append(0x22)
    }

    mutating func bool(_ b: Bool, _ out: inout [UInt8]) {
        prefix(&out)
        out += (b ? "true" : "false").utf8
    }

    mutating func emptyArray(_ out: inout [UInt8]) {
        prefix(&out)
        out += style.emptyArray
    }

    /// A one-line array of strings (`["Search"]`), as Gson writes scalar arrays.
    mutating func inlineArray(_ items: [String], _ out: inout [UInt8]) {
        prefix(&out)
        out.append(0x5B)
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(contentsOf: [0x2C, 0x20]) }
            style.writeString(item, into: &out)
        }
        out.append(0x5D)
    }

    /// A two-string array (`["0", "42"]`: Twitter's index ranges).
    mutating func pair(_ a: String, _ b: String, _ out: inout [UInt8]) {
        beginArray(&out)
        string(a, &out)
        string(b, &out)
        endArray(&out)
    }

    /// `key: value` for a string value.
    mutating func member(_ k: StaticString, _ v: String, _ out: inout [UInt8]) {
        key(k, &out)
        string(v, &out)
    }
}
