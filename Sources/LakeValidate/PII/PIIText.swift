/// One string's bytes, searched for PII candidates (docs/SPEC.md 5.10). Every method returns
/// spans as byte offsets, scored with `PIIContext` but not yet thresholded.
struct PIIText {
    let b: UnsafeBufferPointer<UInt8>
    let context: PIIContext

    init(bytes: UnsafeBufferPointer<UInt8>, field: String) {
        b = bytes
        context = PIIContext(bytes: bytes, field: field)
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    static func isWord(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) || c == 0x5F }
    static func isHex(_ c: UInt8) -> Bool { isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) }
    func at(_ i: Int) -> UInt8? { i >= 0 && i < b.count ? b[i] : nil }

    func span(_ kind: PIIScanner.Kind, _ start: Int, _ end: Int, base: Int) -> PIIScanner.Span {
        PIIScanner.Span(type: kind.rawValue, start: start, end: end, score: min(100, base + context.delta(kind, start: start, end: end)))
    }

    // MARK: - E-mail addresses

    /// File extensions that are not top-level domains: `icon@2x.png` is a file name.
    static let fileExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "webp", "svg", "heic", "bmp", "tif", "tiff", "pdf", "txt", "json", "csv", "html", "htm", "js",
        "css", "mp4", "mov", "mp3", "wav", "zip", "gz", "tar", "xml", "yml", "yaml", "log", "bak", "tmp", "exe", "dll", "ico",
    ]

    /// `local@domain.tld`: a local part of letters, digits and `._%+-` (not starting or ending
    /// with a dot), a domain of at least two labels of letters, digits and `-` (UTF-8 letters
    /// too), each 1-63 bytes not starting or ending with `-`, a top-level label of at least two
    /// letters (or `xn--`) that is not a file extension.
    func emails() -> [PIIScanner.Span] {
        var out: [PIIScanner.Span] = []
        func isLocal(_ c: UInt8) -> Bool { Self.isWord(c) || c == 0x2E || c == 0x25 || c == 0x2B || c == 0x2D || c >= 0x80 }
        func isDomain(_ c: UInt8) -> Bool { Self.isDigit(c) || Self.isAlpha(c) || c == 0x2E || c == 0x2D || c >= 0x80 }
        for i in 0..<b.count where b[i] == 0x40 {
            var left = i
            while left > 0, isLocal(b[left - 1]) { left -= 1 }
            while left < i, b[left] == 0x2E { left += 1 }
            var right = i + 1
            while right < b.count, isDomain(b[right]) { right += 1 }
            while right > i + 1, b[right - 1] == 0x2E || b[right - 1] == 0x2D { right -= 1 }
            // Not the tail of a longer address-like token (`a@b@c`), not a bare mention.
            guard left < i, i - left <= 64, b[i - 1] != 0x2E, at(left - 1) != 0x40, at(right) != 0x40 else { continue }
            let labels = b[(i + 1)..<right].split(separator: 0x2E, omittingEmptySubsequences: false)
            guard labels.count >= 2,
                labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 && $0.first != 0x2D && $0.last != 0x2D }),
                let tld = labels.last
            else { continue }
            let top = String(decoding: tld, as: UTF8.self).lowercased()
            guard top.hasPrefix("xn--") || (tld.count >= 2 && tld.allSatisfy(Self.isAlpha) && !Self.fileExtensions.contains(top))
            else { continue }
            guard !hasDoubleDot(left, i) else { continue }
            out.append(span(.email, left, right, base: 90))
        }
        return out
    }

    private func hasDoubleDot(_ from: Int, _ to: Int) -> Bool {
        var k = from + 1
        while k < to {
            if b[k] == 0x2E && b[k - 1] == 0x2E { return true }
            k += 1
        }
        return false
    }

    // MARK: - IBANs

    /// Two capital letters, two check digits, then capital letters and digits, in one block or
    /// in groups of four separated by single spaces, to the country's length; mod-97. Also
    /// returns where anything of that shape is, valid or not: its digit groups are no phone.
    func ibans() -> (spans: [PIIScanner.Span], shapes: [Range<Int>]) {
        var out: [PIIScanner.Span] = []
        var shapes: [Range<Int>] = []
        func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
        var i = 0
        while i + 4 < b.count {
            guard isUpper(b[i]), isUpper(b[i + 1]), Self.isDigit(b[i + 2]), Self.isDigit(b[i + 3]),
                !(at(i - 1).map(Self.isWord) ?? false),
                let length = PIIChecks.ibanLengths[String(decoding: [b[i], b[i + 1]], as: UTF8.self)]
            else {
                i += 1
                continue
            }
            var chars: [UInt8] = []
            var j = i
            while j < b.count, chars.count < length {
                let c = b[j]
                if Self.isDigit(c) || isUpper(c) {
                    chars.append(c)
                } else if c == 0x20, chars.count % 4 == 0, j + 1 < b.count, Self.isDigit(b[j + 1]) || isUpper(b[j + 1]) {
                    // A space only between groups of four.
                } else {
                    break
                }
                j += 1
            }
            if chars.count == length, !(at(j).map(Self.isWord) ?? false) {
                shapes.append(i..<j)
                if PIIChecks.iban(chars) { out.append(span(.iban, i, j, base: 95)) }
                i = j
            } else {
                i += 1
            }
        }
        return (out, shapes)
    }

    // MARK: - IPv6

    /// A run of hex digits, `:` and `.` with at least two colons and a hex digit, standing
    /// alone, that `inet_pton` reads as an IPv6 address.
    func ipv6() -> [PIIScanner.Span] {
        var out: [PIIScanner.Span] = []
        var i = 0
        while i < b.count {
            let c = b[i]
            guard Self.isHex(c) || c == 0x3A, !(at(i - 1).map { Self.isWord($0) || $0 == 0x3A || $0 == 0x2E } ?? false) else {
                i += 1
                continue
            }
            var j = i
            var colons = 0, hex = 0
            while j < b.count, Self.isHex(b[j]) || b[j] == 0x3A || b[j] == 0x2E {
                if b[j] == 0x3A { colons += 1 } else if b[j] != 0x2E { hex += 1 }
                j += 1
            }
            var end = j
            while end > i, b[end - 1] == 0x2E { end -= 1 }
            if colons >= 2, hex > 0, !(at(j).map(Self.isWord) ?? false), PIIChecks.ipv6(Array(b[i..<end])) {
                out.append(span(.ip, i, end, base: 90))
            }
            i = max(j, i + 1)
        }
        return out
    }
}
