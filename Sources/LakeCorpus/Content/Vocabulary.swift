import Foundation
import LakeCore

/// Real-looking content for generated exports: sentences in the six languages the pipeline
/// detects, names, places, and planted personal data of known validity.
public enum Vocabulary {
    public static let sentences: [String: [String]] = [
        "en": [
            "Finally finished the book I started last summer.", "The train was late again, but the coffee was good.",
            "Does anyone know a good bakery near the station?", "Rain all day, perfect weather for reading.",
            "We walked along the river until the lights came on.", "My grandmother's recipe still beats every restaurant.",
            "Three meetings before lunch is too many.", "The concert last night was louder than I expected.",
        ],
        "es": [
            "Hoy fuimos al mercado y compramos fruta fresca.", "El tren llegó tarde otra vez, pero el café estaba rico.",
            "¿Alguien sabe dónde hay una buena panadería cerca?", "Llovió todo el día, perfecto para leer en casa.",
            "Caminamos por el río hasta que se encendieron las luces.", "La receta de mi abuela sigue siendo la mejor.",
        ],
        "fr": [
            "Nous avons passé la journée au bord de la mer.", "Le train avait encore du retard, mais le café était bon.",
            "Quelqu'un connaît une bonne boulangerie près de la gare ?", "Il a plu toute la journée, parfait pour lire.",
            "Nous avons marché le long du fleuve jusqu'à la nuit.", "La recette de ma grand-mère reste la meilleure.",
        ],
        "de": [
            "Heute waren wir auf dem Wochenmarkt und haben Äpfel gekauft.", "Der Zug hatte wieder Verspätung, aber der Kaffee war gut.",
            "Kennt jemand eine gute Bäckerei in der Nähe vom Bahnhof?", "Es hat den ganzen Tag geregnet, perfekt zum Lesen.",
            "Wir sind am Fluss entlang gelaufen, bis die Lichter angingen.", "Das Rezept meiner Großmutter ist immer noch das beste.",
        ],
        "zh": [
            "今天我们去市场买了新鲜的水果。", "火车又晚点了，不过咖啡很好喝。", "有人知道车站附近有好吃的面包店吗？",
            "下了一整天的雨，正适合在家看书。", "我们沿着河边散步，直到路灯亮起。", "奶奶的菜谱还是比任何餐厅都好。",
        ],
        "ja": [
            "今日は市場で新鮮な果物を買いました。", "電車がまた遅れたけど、コーヒーはおいしかった。", "駅の近くにおいしいパン屋さんはありますか？",
            "一日中雨だったので、家で本を読みました。", "明かりがつくまで川沿いを歩きました。", "祖母のレシピはどのレストランよりもおいしい。",
        ],
    ]
    public static let languages = ["en", "es", "fr", "de", "zh", "ja"]
    /// `sentences` by position in `languages`.
    static let sentenceLists = languages.map { sentences[$0]! }

    public static let firstNames = ["Ada", "René", "Zoë", "Jörg", "María", "Łukasz", "Siobhán", "Wei", "Yuki", "Amélie", "Nuno", "Søren"]
    public static let lastNames = [
        "Lovelace", "Müller", "García", "Dubois", "Nakamura", "Zhang", "O'Brien", "Kowalski", "Núñez", "Andersen",
    ]

    /// Places with WGS84 coordinates; the last two are out of range on purpose (as real exports
    /// sometimes are: latitude 91°, longitude 181°).
    public static let places: [(name: String, latitude: Double, longitude: Double)] = [
        ("Köln", 50.941278, 6.958281), ("Madrid", 40.416775, -3.703790), ("Paris", 48.856613, 2.352222),
        ("東京", 35.676192, 139.650311), ("São Paulo", -23.555771, -46.639557), ("Reykjavík", 64.146582, -21.942635),
        ("Nowhere North", 91.0, 10.0), ("Nowhere East", 10.0, 181.0),
    ]

    /// The escaped and encoded spellings the exporters need for a vocabulary string, worked out
    /// once per string (the generator writes each of them millions of times).
    struct Forms {
        /// `'` as `&#39;` (Takeout's HTML).
        var html: String
        /// `,` as `\,` (iCalendar TEXT).
        var ics: String
        /// Base64 of the UTF-8 bytes (RFC 2047 `B` words).
        var base64: String
        /// Quoted-printable: bytes ≥ 0x80 and `=` as `=XX`.
        var quotedPrintable: String
        /// Spaces as `+` (a URL query).
        var query: String
        /// Base64 of `<div>…</div>` around the string (a mail's HTML part).
        var htmlBase64: String
    }

    static func forms(of s: String) -> Forms {
        var qp = ""
        let upperHex = Array("0123456789ABCDEF".unicodeScalars)
        for b in s.utf8 {
            if b >= 0x80 || b == 0x3D {
                qp.unicodeScalars.append("=")
                qp.unicodeScalars.append(upperHex[Int(b >> 4)])
                qp.unicodeScalars.append(upperHex[Int(b & 0xF)])
            } else {
                qp.unicodeScalars.append(UnicodeScalar(b))
            }
        }
        return Forms(
            html: s.replacingOccurrences(of: "'", with: "&#39;"), ics: s.replacingOccurrences(of: ",", with: "\\,"),
            base64: Data(s.utf8).base64EncodedString(), quotedPrintable: qp, query: s.replacingOccurrences(of: " ", with: "+"),
            htmlBase64: Data("<div>\(s)</div>".utf8).base64EncodedString())
    }

    /// `forms(of:)` for every sentence and name in the vocabulary.
    static let known: [String: Forms] = {
        let all = sentences.values.flatMap { $0 } + firstNames + lastNames + searchQueries
        return Dictionary(all.map { ($0, forms(of: $0)) }, uniquingKeysWith: { a, _ in a })
    }()

    /// `forms(of:)`, looked up when `s` is a vocabulary string.
    static func spelled(_ s: String) -> Forms { known[s] ?? forms(of: s) }

    /// Google searches in My Activity.
    static let searchQueries = ["lake district weather", "bäckerei köln", "swift streaming json", "how to cook rice", "datapunk", "東京 天気"]

    /// Words that narrow a search (`searchQuery(_:)`); 64 of them.
    static let searchWords = [
        "near", "open", "today", "recipe", "review", "price", "hours", "map", "tickets", "cheap", "best", "vegan", "history",
        "menu", "forecast", "train", "parking", "museum", "garden", "river", "market", "bakery", "coffee", "books", "concert",
        "festival", "guide", "photos", "video", "lyrics", "tutorial", "example", "error", "release", "download", "install",
        "manual", "repair", "rental", "hotel", "airport", "beach", "winter", "summer", "spring", "autumn", "weekend", "night",
        "family", "kids", "dog", "cat", "bike", "walk", "hike", "lake", "castle", "bridge", "island", "station", "sale",
        "delivery", "schedule", "translate",
    ]

    /// The `index`th search of user `user`'s My Activity: a base query and four narrowing words.
    /// The words come from `user << 20 | index` through a bijection of 24 bits (an odd
    /// multiplier), so the first 1,048,576 searches of each of 16 users never repeat each other,
    /// and are never near duplicates of each other unless the generator plants one.
    static func searchQuery(user: Int, index: Int, base: String) -> String {
        let n = (UInt32(truncatingIfNeeded: (user & 15) << 20 | (index & 0xFFFFF)) &* 0x9E37_79B1) & 0xFF_FFFF
        let words = [n >> 18, (n >> 12) & 63, (n >> 6) & 63, n & 63].map { searchWords[Int($0)] }
        return base + " " + words.joined(separator: " ")
    }

    /// A name lowercased with everything but ASCII letters dropped (for user names and email
    /// addresses); the vocabulary's names are worked out once.
    static func asciiLetters(_ s: String) -> String { asciiNames[s] ?? keepASCIILetters(s) }

    private static func keepASCIILetters(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic }.map(Character.init))
    }

    private static let asciiNames: [String: String] = Dictionary(
        (firstNames + lastNames).map { ($0, keepASCIILetters($0)) }, uniquingKeysWith: { a, _ in a })

    /// Luhn check digit for the digits in `body`.
    public static func luhnCheckDigit(_ body: [Int]) -> Int {
        var sum = 0
        for (i, d) in body.reversed().enumerated() {
            var v = d
            if i % 2 == 0 {
                v *= 2
                if v > 9 { v -= 9 }
            }
            sum += v
        }
        return (10 - sum % 10) % 10
    }

    /// Whether a digit string passes the Luhn check.
    public static func passesLuhn(_ digits: String) -> Bool {
        let d = digits.compactMap(\.wholeNumberValue)
        guard d.count > 1 else { return false }
        return luhnCheckDigit(Array(d.dropLast())) == d.last
    }
}

/// A planted piece of personal data.
public struct PlantedPII: Sendable, Equatable {
    /// `email`, `phone`, `credit_card`, `ssn`, `iban`, `ip_address`.
    public var type: String
    public var value: String
    /// Whether the value is valid for its type (Luhn for cards, SSA rules for SSNs, mod-97
    /// for IBANs; emails, phones and IP addresses are always well-formed).
    public var valid: Bool
    /// For phones: the ISO country.
    public var country: String?
}

extension SplitMix64 {
    /// `n` ASCII letters: a short link's code. With 52^n codes, two generated texts that end in
    /// one are never equal nor near each other (near-duplicate detection sees only the pairs the
    /// generator plants). Letters only, so no run of digits reads as a phone number.
    mutating func code(_ n: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        return String(decoding: (0..<n).map { _ in letters[int(in: 0...51)] }, as: UTF8.self)
    }

    mutating func digits(_ n: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: n)
        for i in 0..<n { bytes[i] = UInt8(ascii: "0") + UInt8(int(in: 0...9)) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An email address built from a name.
    mutating func email(first: String, last: String) -> PlantedPII {
        let clean = Vocabulary.asciiLetters
        let domain = pick(["example.org", "example.com", "example.net", "mail.example.de"])
        let local = clean(first) + pick([".", "_", ""]) + clean(last) + (chance(0.3) ? String(int(in: 1...99)) : "")
        return PlantedPII(type: "email", value: "\(local.isEmpty ? "user" : local)@\(domain)", valid: true, country: nil)
    }

    /// A phone number of one of several countries, in the fictional or reserved ranges.
    mutating func phone() -> PlantedPII {
        switch int(in: 0...5) {
        case 0:
            // NANP's fictional range: 555-0100 to 555-0199 in any area.
            return PlantedPII(
                type: "phone", value: "+1 (\(pick(["212", "312", "415", "617"]))) 555-01\(digits(2))", valid: true, country: "US")
        case 1: return PlantedPII(type: "phone", value: "+44 20 7946 0\(digits(3))", valid: true, country: "GB")
        case 2: return PlantedPII(type: "phone", value: "+49 30 \(digits(3)) \(digits(5))", valid: true, country: "DE")
        case 3:
            return PlantedPII(type: "phone", value: "+33 1 \(digits(2)) \(digits(2)) \(digits(2)) \(digits(2))", valid: true, country: "FR")
        case 4: return PlantedPII(type: "phone", value: "+34 91 \(digits(3)) \(digits(2)) \(digits(2))", valid: true, country: "ES")
        default: return PlantedPII(type: "phone", value: "+81 3-\(digits(4))-\(digits(4))", valid: true, country: "JP")
        }
    }

    /// An IBAN of one of five countries, grouped in fours half the time; invalid ones have
    /// their check digits changed.
    mutating func iban(valid: Bool) -> PlantedPII {
        let (country, bban): (String, String) =
            switch int(in: 0...4) {
            case 0: ("DE", digits(18))
            case 1: ("GB", pick(["NWBK", "BARC", "MIDL"]) + digits(14))
            case 2: ("FR", digits(23))
            case 3: ("ES", digits(20))
            default: ("NL", pick(["ABNA", "INGB", "RABO"]) + digits(10))
            }
        // ISO 13616: check = 98 - (BBAN + country + "00" read as a number, letters 10-35) mod 97.
        var remainder = 0
        for c in (bban + country + "00").unicodeScalars {
            let v = c.value <= 0x39 ? Int(c.value) - 0x30 : Int(c.value) - 0x41 + 10
            remainder = (v > 9 ? remainder * 100 + v : remainder * 10 + v) % 97
        }
        var check = 98 - remainder
        if !valid { check = (check + int(in: 1...96) - 2) % 97 + 2 }
        let plain = country + (check < 10 ? "0" : "") + String(check) + bban
        let value =
            chance(0.5)
            ? stride(from: 0, to: plain.count, by: 4).map { String(plain.dropFirst($0).prefix(4)) }.joined(separator: " ") : plain
        return PlantedPII(type: "iban", value: value, valid: valid, country: country)
    }

    /// An IP address in the documentation ranges (RFC 5737, RFC 3849).
    mutating func ipAddress() -> PlantedPII {
        if chance(0.7) {
            let net = pick(["192.0.2", "198.51.100", "203.0.113"])
            return PlantedPII(type: "ip_address", value: "\(net).\(int(in: 1...254))", valid: true, country: nil)
        }
        let groups = (0..<3).map { _ in String(int(in: 1...0xFFFF), radix: 16) }
        return PlantedPII(type: "ip_address", value: "2001:db8::" + groups.joined(separator: ":"), valid: true, country: nil)
    }

    /// A 16-digit card number starting 4 (Visa's range), passing or failing Luhn as asked.
    mutating func creditCard(valid: Bool) -> PlantedPII {
        var body = [4] + (0..<14).map { _ in int(in: 0...9) }
        let check = Vocabulary.luhnCheckDigit(body)
        body.append(valid ? check : (check + int(in: 1...9)) % 10)
        let s = body.map(String.init).joined()
        let grouped = stride(from: 0, to: 16, by: 4).map { i -> String in
            let a = s.index(s.startIndex, offsetBy: i)
            return String(s[a..<s.index(a, offsetBy: 4)])
        }.joined(separator: chance(0.5) ? " " : "-")
        return PlantedPII(type: "credit_card", value: grouped, valid: valid, country: nil)
    }

    /// A US SSN-shaped number: valid (area 001-665 or 667-899, group 01-99, serial 0001-9999)
    /// or invalid (area 000, 666 or 9xx, or group 00, or serial 0000).
    mutating func ssn(valid: Bool) -> PlantedPII {
        func pad(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        if valid {
            var area = int(in: 1...898)
            if area >= 666 { area += 1 }
            return PlantedPII(
                type: "ssn", value: "\(pad(area, 3))-\(pad(int(in: 1...99), 2))-\(pad(int(in: 1...9999), 4))", valid: true, country: "US")
        }
        switch int(in: 0...4) {
        case 0:
            return PlantedPII(
                type: "ssn", value: "000-\(pad(int(in: 1...99), 2))-\(pad(int(in: 1...9999), 4))", valid: false, country: "US")
        case 1:
            return PlantedPII(
                type: "ssn", value: "666-\(pad(int(in: 1...99), 2))-\(pad(int(in: 1...9999), 4))", valid: false, country: "US")
        case 2:
            return PlantedPII(
                type: "ssn", value: "9\(pad(int(in: 0...99), 2))-\(pad(int(in: 1...99), 2))-\(pad(int(in: 1...9999), 4))", valid: false,
                country: "US")
        case 3:
            return PlantedPII(
                type: "ssn", value: "\(pad(int(in: 1...665), 3))-00-\(pad(int(in: 1...9999), 4))", valid: false, country: "US")
        default:
            return PlantedPII(
                type: "ssn", value: "\(pad(int(in: 1...665), 3))-\(pad(int(in: 1...99), 2))-0000", valid: false, country: "US")
        }
    }
}
