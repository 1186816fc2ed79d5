import Glibc

/// The checksums and number plans a PII candidate must pass (docs/SPEC.md 5.10): Luhn and the
/// card issuers' prefixes and lengths, the Social Security Administration's never-issued
/// numbers, IBAN's per-country lengths and mod-97, IP address syntax.
enum PIIChecks {
    /// Whether the digits (0-9 values) pass the Luhn check.
    static func luhn(_ digits: [UInt8]) -> Bool {
        guard digits.count > 1 else { return false }
        var sum = 0
        for (k, d) in digits.reversed().enumerated() {
            var v = Int(d)
            if k % 2 == 1 {
                v *= 2
                if v > 9 { v -= 9 }
            }
            sum += v
        }
        return sum % 10 == 0
    }

    /// The issuer a card number's prefix and length belong to, or nil when no major network
    /// issues that prefix at that length (ISO/IEC 7812 ranges as the networks publish them).
    static func cardIssuer(_ d: [UInt8]) -> String? {
        func prefix(_ n: Int) -> Int { d.prefix(n).reduce(0) { $0 * 10 + Int($1) } }
        let n = d.count
        let p2 = prefix(2), p3 = prefix(3), p4 = prefix(4), p6 = prefix(6)
        if d.first == 4, [13, 16, 19].contains(n) { return "visa" }
        if (51...55).contains(p2) || (2221...2720).contains(p4) { return n == 16 ? "mastercard" : nil }
        if p2 == 34 || p2 == 37 { return n == 15 ? "amex" : nil }
        if p4 == 6011 || (644...649).contains(p3) || p2 == 65 || (622_126...622_925).contains(p6) {
            return (16...19).contains(n) ? "discover" : nil
        }
        if (3528...3589).contains(p4) { return (16...19).contains(n) ? "jcb" : nil }
        if (300...305).contains(p3) || p2 == 36 || p2 == 38 || p2 == 39 { return (14...19).contains(n) ? "diners" : nil }
        if p2 == 62 { return (16...19).contains(n) ? "unionpay" : nil }
        if p2 == 50 || (56...69).contains(p2) { return (12...19).contains(n) ? "maestro" : nil }
        return nil
    }

    /// Whether area-group-serial is a number the SSA could have issued: area not 000, 666 or
    /// 900-999; group not 00; serial not 0000; and not one of the numbers publicised and
    /// voided (078-05-1120, 219-09-9999, 123-45-6789).
    static func ssn(area: Int, group: Int, serial: Int) -> Bool {
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return false }
        let voided = [(78, 5, 1120), (219, 9, 9999), (123, 45, 6789)]
        return !voided.contains { $0 == (area, group, serial) }
    }

    /// IBAN lengths by country (the SWIFT IBAN registry).
    static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28, "CH": 21,
        "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
        "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
        "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
        "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
        "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
        "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    ]

    /// Whether `chars` (ASCII upper-case letters and digits, no spaces) is an IBAN: a known
    /// country, its length, and the remainder 1 after moving the first four characters to the
    /// end and reading letters as 10-35 (ISO 13616).
    static func iban(_ chars: [UInt8]) -> Bool {
        guard chars.count >= 15, chars.count <= 34 else { return false }
        let country = String(decoding: chars[0..<2], as: UTF8.self)
        guard ibanLengths[country] == chars.count else { return false }
        var remainder = 0
        for c in chars[4...] + chars[0..<4] {
            if c >= 0x30 && c <= 0x39 {
                remainder = (remainder * 10 + Int(c - 0x30)) % 97
            } else if c >= 0x41 && c <= 0x5A {
                remainder = (remainder * 100 + Int(c - 0x41) + 10) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }

    /// Whether `text` is an IPv6 address as `inet_pton` reads it (a zone id is not accepted).
    static func ipv6(_ text: [UInt8]) -> Bool {
        var address = in6_addr()
        let s = String(decoding: text, as: UTF8.self)
        return inet_pton(AF_INET6, s, &address) == 1
    }

    /// Whether four dot-separated groups are an IPv4 address: each 0-255, no leading zero.
    static func ipv4(_ groups: [[UInt8]]) -> Bool {
        guard groups.count == 4 else { return false }
        return groups.allSatisfy { g in
            guard (1...3).contains(g.count), g.count == 1 || g[0] != 0 else { return false }
            return g.reduce(0) { $0 * 10 + Int($1) } <= 255
        }
    }
}
