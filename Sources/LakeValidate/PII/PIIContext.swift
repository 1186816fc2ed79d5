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

    let fieldName: String
    /// The field's name ASCII lower-cased, `_` as a space; made only for a candidate.
    var field: [UInt8] { fieldName.utf8.map { $0 == 0x5F ? 0x20 : $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }
    let b: UnsafeBufferPointer<UInt8>

    init(bytes: UnsafeBufferPointer<UInt8>, field: String) {
        b = bytes
        fieldName = field
    }

    /// The score change for a candidate of `kind` at `start..<end`.
    func delta(_ kind: PIIScanner.Kind, start: Int, end: Int) -> Int {
        var d = has(kind, start: start, end: end) ? 8 : 0
        if kind != .email, kind != .iban, opposed(kind, start: start) { d -= 30 }
        if kind == .email, Self.identifierFields.contains(where: { Self.contains(self.field, $0) }) { d -= 30 }
        return d
    }

    /// Whether a supporting word of `kind` is near.
    func has(_ kind: PIIScanner.Kind, start: Int, end: Int) -> Bool {
        supports(Self.supporting[kind] ?? [], start: start, end: end)
    }

    /// Whether one of `words` is in the field's name or the window around `start..<end`.
    func supports(_ words: [String], start: Int, end: Int) -> Bool {
        let field = self.field
        if words.contains(where: { Self.contains(field, $0) }) { return true }
        let window = Self.lowered(b[max(0, start - 32)..<start]) + [0x20] + Self.lowered(b[end..<min(b.count, end + 16)])
        return words.contains { Self.contains(window, $0) }
    }

    /// Whether an opposing word is before `start` or in the field's name, not counting one
    /// inside a supporting phrase of `kind` (`tax id` supports an SSN; its `id` opposes nothing).
    func opposed(_ kind: PIIScanner.Kind, start: Int) -> Bool {
        var window = Self.lowered(b[max(0, start - 32)..<start])
        var name = field
        for phrase in Self.supporting[kind] ?? [] where phrase.utf8.contains(0x20) {
            Self.blank(phrase, in: &window)
            Self.blank(phrase, in: &name)
        }
        return Self.opposing.contains { Self.contains(name, $0) || Self.contains(window, $0) }
    }

    /// Overwrites every occurrence of `phrase` in `text` with spaces.
    static func blank(_ phrase: String, in text: inout [UInt8]) {
        let p = Array(phrase.utf8)
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
        s.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    /// Whether `word` occurs in `text` with no ASCII letter right before or after it.
    static func contains(_ text: [UInt8], _ word: String) -> Bool {
        let w = Array(word.utf8)
        guard !w.isEmpty, text.count >= w.count else { return false }
        var i = 0
        while i + w.count <= text.count {
            if text[i] == w[0], text[i..<(i + w.count)].elementsEqual(w) {
                let before = i == 0 || !PIIText.isAlpha(text[i - 1])
                let after = i + w.count == text.count || !PIIText.isAlpha(text[i + w.count])
                if before && after { return true }
            }
            i += 1
        }
        return false
    }
}
