/// PII detection in one string (docs/SPEC.md 5.10): e-mail addresses, phone numbers, payment
/// card numbers, US social security numbers, IBANs and IP addresses, each found by its
/// grammar, checked by its checksum or number plan, and scored with the words around it.
///
/// ```swift
/// let scanner = PIIScanner()
/// scanner.scan("call +44 20 7946 0958", field: "text")
/// // [Span(type: "PHONE_NUMBER", start: 5, end: 21, score: 98)]
/// ```
///
/// Offsets are Unicode scalar (code point) positions in the string, `end` exclusive. Scores are
/// hundredths (0-100); a span under `threshold` is not reported.
public struct PIIScanner: Sendable {
    /// The types, as they appear in a finding's `type`.
    public enum Kind: String, Sendable, CaseIterable {
        case email = "EMAIL_ADDRESS"
        case phone = "PHONE_NUMBER"
        case creditCard = "CREDIT_CARD"
        case ssn = "US_SSN"
        case iban = "IBAN"
        case ip = "IP_ADDRESS"
    }

    /// One finding in one string.
    public struct Span: Sendable, Equatable, CustomStringConvertible {
        public var type: String
        public var start: Int
        public var end: Int
        /// Hundredths: 85 is 0.85.
        public var score: Int
        public var description: String { "\(type)@\(start)..<\(end):\(score)" }
    }

    /// Findings scored under this (0.85) are dropped.
    public static let threshold = 85
    /// Bumped when what is found or its score changes (lineage `validate.pii`).
    public static let version = "2"

    let custom: [CustomPIIPattern]

    public init(custom: [CustomPIIPattern] = []) { self.custom = custom }

    /// The findings in `text`, in order of position; `field` is the name of the field holding it
    /// (the last token of its path), read as context.
    public func scan(_ text: String, field: String) -> [Span] {
        var contiguous = text
        return contiguous.withUTF8 { scan($0, text: text, field: field) }
    }

    /// `scan` of the text of UTF-8 `bytes` (a `String` of it is made only for custom patterns).
    public func scan(bytes: UnsafeBufferPointer<UInt8>, field: String) -> [Span] { scan(bytes, text: nil, field: field) }

    private func scan(_ bytes: UnsafeBufferPointer<UInt8>, text: String?, field: String) -> [Span] {
        var spans = Self.builtIn(bytes, field: field)
        if !custom.isEmpty {
            let text = text ?? String(decoding: bytes, as: UTF8.self)
            for pattern in custom { spans += pattern.find(in: text, bytes: bytes, field: field) }
        }
        return spans.isEmpty ? [] : Self.resolved(spans, bytes)
    }

    /// Whether `scan` can find anything in the text of UTF-8 `bytes`: false only for a text with
    /// neither a digit nor an `@` and no custom patterns (the built-in types all need one of the
    /// two), which a caller then need not scan, nor name its field for.
    public func mayFind(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !custom.isEmpty || bytes.contains { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x40 }
    }

    /// Overlaps resolved and byte offsets turned into scalar offsets.
    static func resolved(_ found: [Span], _ bytes: UnsafeBufferPointer<UInt8>) -> [Span] {
        var spans = found
        // Overlaps: the higher score wins, then the longer span, then the earlier one.
        spans.sort { ($1.score, $0.end - $0.start, $1.start) < ($0.score, $1.end - $1.start, $0.start) }
        var kept: [Span] = []
        for s in spans where s.score >= threshold && !kept.contains(where: { $0.start < s.end && s.start < $0.end }) {
            kept.append(s)
        }
        guard !kept.isEmpty else { return [] }
        kept.sort { $0.start < $1.start }
        // Byte offsets to scalar offsets (the scalars that start before each) in one walk: the
        // kept spans do not overlap, so in start order their offsets never go back. Nothing
        // is read past the last span, and nothing is made but the result.
        var scalar = 0, i = 0
        func scalars(before offset: Int) -> Int {
            while i < offset {
                if bytes[i] & 0xC0 != 0x80 { scalar += 1 }
                i += 1
            }
            return scalar
        }
        return kept.map { s in
            let start = scalars(before: s.start)
            return Span(type: s.type, start: start, end: scalars(before: s.end), score: s.score)
        }
    }

    /// The built-in types' spans, as byte offsets into `b`, scored but not yet thresholded.
    static func builtIn(_ b: UnsafeBufferPointer<UInt8>, field: String) -> [Span] {
        // Most strings hold neither a digit nor an `@`: nothing to look at.
        var hasDigit = false, hasAt = false, colons = 0, doubleColon = false, last: UInt8 = 0
        for c in b {
            if c >= 0x30 && c <= 0x39 {
                hasDigit = true
            } else if c == 0x40 {
                hasAt = true
            } else if c == 0x3A {
                colons += 1
                if last == 0x3A { doubleColon = true }
            }
            last = c
        }
        guard hasDigit || hasAt else { return [] }
        let text = PIIText(bytes: b, field: field)
        var out: [Span] = []
        if hasAt { Self.add(text.emails(), to: &out) }
        if hasDigit {
            let ibans = text.ibans()
            Self.add(ibans.spans, to: &out)
            let runs = text.digitRuns()
            Self.add(ibans.shapes.isEmpty ? runs : runs.filter { s in !ibans.shapes.contains { $0.overlaps(s.start..<s.end) } }, to: &out)
            // An IPv6 address has eight groups (seven colons), six and an IPv4 address (six), or
            // fewer with `::` (`inet_pton`): a time's two colons are none.
            if colons >= 6 || doubleColon { Self.add(text.ipv6(), to: &out) }
        }
        return out
    }

    /// Appends `spans` to `out`; an empty list costs no call into the array's append.
    @inline(__always)
    private static func add(_ spans: [Span], to out: inout [Span]) {
        if !spans.isEmpty { out += spans }
    }
}
