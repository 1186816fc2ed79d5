import LakeCore

/// The words around a candidate (docs/SPEC.md 5.10): the field's name and the 32 bytes before
/// the candidate (ASCII letters lower-cased), and for supporting words also the 16 bytes after
/// it. A supporting word adds 0.08 to the score; an opposing word takes off 0.30 (e-mail
/// addresses and IBANs have none). Words match whole: `id` is not found in `paid`. An address
/// in a field named as an identifier (`message_id`, `uid`, `references`, `in_reply_to`) is an
/// identifier that looks like an address (RFC 5322 message ids, iCalendar UIDs): it loses 0.30.
struct PIIContext {
    static let supporting: [PIIScanner.Kind: [String]] = [
        .email: ["email", "e-mail", "mail", "contact", "reach", "write"],
        .phone: [
            "tel", "phone", "telephone", "call", "fax", "mobile", "cell", "ring", "dial", "whatsapp", "sms", "contact", "handy",
            "telefon", "telefono", "téléphone", "numéro", "mob", "ph", "☎", "📞",
        ],
        .creditCard: ["card", "visa", "mastercard", "amex", "credit", "debit", "payment", "paid", "pay", "cc", "kreditkarte", "carte"],
        .ssn: ["ssn", "social security", "ss#", "ss", "tax id", "taxpayer"],
        .iban: ["iban", "bank", "account", "transfer", "konto", "sepa"],
        .ip: ["ip", "address", "host", "server", "client", "login", "from", "gateway", "dns", "connected", "addr", "remote"],
    ]
    static let opposing = [
        "order", "invoice", "tracking", "track", "ref", "reference", "ticket", "confirmation", "booking", "isbn", "serial", "version",
        "ver", "build", "release", "zip", "postal", "postcode", "sku", "model", "part", "id", "item", "receipt", "transaction",
        "txn", "case", "issue", "parcel", "shipment", "awb", "pnr", "chapter", "section", "oid",
    ]

    static let identifierFields = ["id", "uid", "references", "reply"]

    /// The word lists as bytes, made once: a candidate is scored without making an array per word.
    static let supportingBytes = supporting.mapValues { $0.map { Array($0.utf8) } }
    /// The supporting phrases with a space in them, per kind (`blank`ed before looking for opposing words).
    static let supportingPhrases = supportingBytes.mapValues { $0.filter { $0.contains(0x20) } }
    static let opposingBytes = opposing.map { Array($0.utf8) }
    static let identifierFieldBytes = identifierFields.map { Array($0.utf8) }

    let fieldName: String
    /// The field's name ASCII lower-cased, `_` as a space; made only for a candidate.
    var field: [UInt8] { fieldName.utf8.map { $0 == 0x5F ? 0x20 : Self.lower($0) } }
    let b: UnsafeBufferPointer<UInt8>

    init(bytes: UnsafeBufferPointer<UInt8>, field: String) {
        b = bytes
        fieldName = field
    }

    /// The score change for a candidate of `kind` at `start..<end`.
    func delta(_ kind: PIIScanner.Kind, start: Int, end: Int) -> Int {
        let field = self.field
        var d = supports(Self.supportingBytes[kind] ?? [], field: field, start: start, end: end) ? 8 : 0
        if kind != .email, kind != .iban, opposed(kind, field: field, start: start) { d -= 30 }
        if kind == .email, Self.identifierFieldBytes.contains(where: { Self.contains(field, $0) }) { d -= 30 }
        return d
    }

    /// Whether a supporting word of `kind` is near.
    func has(_ kind: PIIScanner.Kind, start: Int, end: Int) -> Bool {
        supports(Self.supportingBytes[kind] ?? [], field: field, start: start, end: end)
    }

    /// Whether one of `words` is in the field's name or the window around `start..<end`.
    func supports(_ words: [String], start: Int, end: Int) -> Bool {
        supports(words.map { Array($0.utf8) }, field: field, start: start, end: end)
    }

    /// `supports` with the words as bytes and the field's name lower-cased (`field`).
    func supports(_ words: [[UInt8]], field: [UInt8], start: Int, end: Int) -> Bool {
        // A text holding no byte a word starts with holds no word: most windows around a run
        // of digits are digits and punctuation, and are not searched.
        var starts = FirstBytes()
        for w in words where !w.isEmpty { starts.insert(w[0]) }
        if field.contains(where: starts.contains), words.contains(where: { Self.contains(field, $0) }) { return true }
        // The window (the bytes before, a space, the bytes after, lower-cased) on the stack.
        let before = b[max(0, start - 32)..<start], after = b[end..<min(b.count, end + 16)]
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: before.count + 1 + after.count) { w in
            var n = 0, any = starts.contains(0x20)
            for c in before {
                w[n] = Self.lower(c)
                any = any || starts.contains(w[n])
                n += 1
            }
            w[n] = 0x20
            n += 1
            for c in after {
                w[n] = Self.lower(c)
                any = any || starts.contains(w[n])
                n += 1
            }
            guard any else { return false }
            let window = UnsafeBufferPointer(w)
            return words.contains { word in word.withUnsafeBufferPointer { Self.contains(window, $0) } }
        }
    }

    /// A set of bytes as 256 bits.
    struct FirstBytes {
        private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        mutating func insert(_ c: UInt8) {
            let bit = UInt64(1) << UInt64(c & 63)
            switch c >> 6 {
            case 0: bits.0 |= bit
            case 1: bits.1 |= bit
            case 2: bits.2 |= bit
            default: bits.3 |= bit
            }
        }

        func contains(_ c: UInt8) -> Bool {
            let bit = UInt64(1) << UInt64(c & 63)
            switch c >> 6 {
            case 0: return bits.0 & bit != 0
            case 1: return bits.1 & bit != 0
            case 2: return bits.2 & bit != 0
            default: return bits.3 & bit != 0
            }
        }
    }

    /// Whether an opposing word is before `start` or in the field's name, not counting one
    /// inside a supporting phrase of `kind` (`tax id` supports an SSN; its `id` opposes nothing).
    func opposed(_ kind: PIIScanner.Kind, field: [UInt8], start: Int) -> Bool {
        var window = Self.lowered(b[max(0, start - 32)..<start])
        var name = field
        for phrase in Self.supportingPhrases[kind] ?? [] {
            Self.blank(phrase, in: &window)
            Self.blank(phrase, in: &name)
        }
        return Self.opposingBytes.contains { Self.contains(name, $0) || Self.contains(window, $0) }
    }

    /// Overwrites every occurrence of `p` in `text` with spaces.
    static func blank(_ p: [UInt8], in text: inout [UInt8]) {
        var i = 0
        while i + p.count <= text.count {
            if text[i..<(i + p.count)].elementsEqual(p) {
                for k in i..<(i + p.count) { text[k] = 0x20 }
                i += p.count
            } else {
                i += 1
            }
        }
    }

    static func lowered(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count + 17)
        appendLowered(s, to: &out)
        return out
    }

    static func appendLowered(_ s: Slice<UnsafeBufferPointer<UInt8>>, to out: inout [UInt8]) {
        for c in s { out.append(lower(c)) }
    }

    /// An ASCII capital as its small letter; any other byte as it is.
    static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// Whether `w` occurs in `text` with no ASCII letter right before or after it.
    static func contains(_ text: [UInt8], _ w: [UInt8]) -> Bool {
        text.withUnsafeBufferPointer { t in w.withUnsafeBufferPointer { contains(t, $0) } }
    }

    /// `contains` on buffers.
    static func contains(_ t: UnsafeBufferPointer<UInt8>, _ w: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !w.isEmpty, t.count >= w.count else { return false }
        var from = 0
        while let i = ByteSearch.first(w, in: t, from: from) {
            let before = i == 0 || !PIIText.isAlpha(t[i - 1])
            let after = i + w.count == t.count || !PIIText.isAlpha(t[i + w.count])
            if before && after { return true }
            from = i + 1
        }
        return false
    }
}
