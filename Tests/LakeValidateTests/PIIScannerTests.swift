import Testing
import LakeCore
import _LakeTestSupport

@testable import LakeValidate

@Suite struct PIIScannerTests {
    let scanner = PIIScanner()

    /// The found substrings with their types.
    func found(_ text: String, field: String = "text") -> [String] {
        let scalars = Array(text.unicodeScalars)
        return scanner.scan(text, field: field).map {
            "\($0.type):" + String(String.UnicodeScalarView(scalars[$0.start..<$0.end]))
        }
    }

    @Test(arguments: [
        ("write to ana.lima+news@example.org today", "EMAIL_ADDRESS:ana.lima+news@example.org"),
        ("Ünïcode José <jose@correo.example.es>", "EMAIL_ADDRESS:jose@correo.example.es"),
        ("call +44 20 7946 0958 after six", "PHONE_NUMBER:+44 20 7946 0958"),
        ("+1 (212) 555-0123", "PHONE_NUMBER:+1 (212) 555-0123"),
        ("ring me: (415) 555-2671", "PHONE_NUMBER:(415) 555-2671"),
        ("+44 (0)20 7946 0958", "PHONE_NUMBER:+44 (0)20 7946 0958"),
        ("Mein Handy: 0171 1234567", "PHONE_NUMBER:0171 1234567"),
        ("appelle 01 23 45 67 89", "PHONE_NUMBER:01 23 45 67 89"),
        ("llámame al 612 345 678", "PHONE_NUMBER:612 345 678"),
        ("chiamami 347 123 4567", "PHONE_NUMBER:347 123 4567"),
        ("bel 06-12345678", "PHONE_NUMBER:06-12345678"),
        ("電話 03-1234-5678", "PHONE_NUMBER:03-1234-5678"),
        ("mobile 0412 345 678", "PHONE_NUMBER:0412 345 678"),
        ("call 98765 43210", "PHONE_NUMBER:98765 43210"),
        ("call me at 18:30 +44 20 7946 0958", "PHONE_NUMBER:+44 20 7946 0958"),
        ("手机 138 0013 8000", "PHONE_NUMBER:138 0013 8000"),
        ("liga (11) 91234-5678", "PHONE_NUMBER:(11) 91234-5678"),
        ("tel 2125550123", "PHONE_NUMBER:2125550123"),
        ("paid with 4111 1111 1111 1111", "CREDIT_CARD:4111 1111 1111 1111"),
        ("amex 3782-822463-10005", "CREDIT_CARD:3782-822463-10005"),
        ("card 5555555555554444.", "CREDIT_CARD:5555555555554444"),
        ("my ssn is 219-09-9998", "US_SSN:219-09-9998"),
        ("SSN 219099998", "US_SSN:219099998"),
        ("IBAN DE89 3704 0044 0532 0130 00 please", "IBAN:DE89 3704 0044 0532 0130 00"),
        ("GB82WEST12345698765432", "IBAN:GB82WEST12345698765432"),
        ("login from 203.0.113.45 at noon", "IP_ADDRESS:203.0.113.45"),
        ("host 2001:db8::8a2e:370:7334", "IP_ADDRESS:2001:db8::8a2e:370:7334"),
        ("fe80::1ff:fe23:4567:890a is the router", "IP_ADDRESS:fe80::1ff:fe23:4567:890a"),
    ])
    func findsEachType(text: String, expected: String) {
        #expect(found(text) == [expected])
    }

    @Test(arguments: [
        "see icon@2x.png", "@mention and #tag", "user@localhost", "2024-01-15T10:30:00Z", "on 2021-07-04 and 04.07.2021",
        "ZIP 90210-1234", "1700000000123", "order 4111 1111 1111 1111", "4111 1111 1111 1112", "666-12-3456", "000-12-3456",
        "078-05-1120", "219 09 9998", "DE89 3704 0044 0532 0130 01", "version 1.2.3.4", "10.0.0.1.5", "256.1.1.1",
        "12:30:45", "00:1A:2B:3C:4D:5E", "std::vector<int>", "ISBN 978-3-16-148410-0", "tracking 1Z999AA10123456784",
        "$1,234.56", "51.5074, -0.1278", "Order #112-3456789-1234567", "1.2.3.4", "from 2008-2017", "id 1495839205710508032",
        "https://t.co/abc123", "v2.10.4", "ref 020 7946 0958",
        // UTC offsets after a clock time (Twitter's created_at; found by the conformance kit's answer-key check).
        "Sat Jan 06 18:45:12 -0800 2024", "Wed Oct 10 20:19:24 +0000 2018", "Mon, 4 Mar 2024 09:15 +0530 2024 1234",
    ])
    func ignoresNearMisses(text: String) {
        #expect(found(text) == [], "\(text)")
    }

    @Test func offsetsAreScalarPositions() {
        // "é" and "🙂" are one scalar each, two and four bytes.
        let text = "é🙂 mail: a@b.example"
        let spans = scanner.scan(text, field: "text")
        #expect(spans.count == 1)
        #expect(spans.first?.start == 9)
        #expect(spans.first?.end == 20)
    }

    @Test func contextRaisesAndLowers() {
        let plain = scanner.scan("612 345 678", field: "text").first?.score
        let supported = scanner.scan("phone 612 345 678", field: "text").first?.score
        #expect(plain == 87)
        #expect(supported == 95)
        #expect(scanner.scan("invoice 612 345 678", field: "text").isEmpty)
        // The field's name is context too.
        #expect(scanner.scan("612 345 678", field: "phone_number").first?.score == 95)
        #expect(scanner.scan("612 345 678", field: "order_id").isEmpty)
        // Scores stop at 1.00.
        #expect(scanner.scan("IBAN DE89 3704 0044 0532 0130 00", field: "iban").first?.score == 100)
    }

    @Test func overlapsKeepTheStrongerType() {
        // An IPv4 address inside an IPv6 one is one finding.
        #expect(found("addr ::ffff:192.0.2.128") == ["IP_ADDRESS:::ffff:192.0.2.128"])
    }

    @Test func aPhoneBeforeAYearIsStillAPhone() {
        #expect(found("call 020 7946 0958 2024") == ["PHONE_NUMBER:020 7946 0958"])
    }

    /// Spans are given in Unicode scalars, whatever the bytes before, between and after them
    /// (one to four bytes a scalar), and a text ending right after a span gives its end.
    @Test func offsetsCountScalarsNotBytes() {
        let fillers = ["", "é", "日本", "🙂 ", "a\u{301}", "Ω ok "]
        for (n, before) in fillers.enumerated() {
            let between = fillers[(n + 1) % fillers.count], after = fillers[(n + 2) % fillers.count]
            let text = "\(before) mail ana@example.org \(between) tel +44 20 7946 0958" + (after.isEmpty ? "" : " " + after)
            let scalars = Array(text.unicodeScalars)
            let spans = scanner.scan(text, field: "text")
            #expect(spans.count == 2, "\(text)")
            for span in spans {
                let got = String(String.UnicodeScalarView(scalars[span.start..<span.end]))
                #expect(got == (span.type == "EMAIL_ADDRESS" ? "ana@example.org" : "+44 20 7946 0958"), "\(text)")
            }
        }
    }
    /// A block of more than 16 digits is classified as nothing, whatever the words and field
    /// around it: the premise of `digitRuns` skipping such blocks before splitting them.
    @Test func longBlocksAreNothing() {
        var rng = SplitMix64(seed: 0x1DB10C)
        let before = ["", "card number ", "call me at ", "phone: ", "SSN ", "tel ", "my id is "]
        let fields = ["text", "phone", "card_number", "ssn", "id_str"]
        for n in 0..<3000 {
            let length = PIIText.longestBlock + 1 + Int(rng.next() % 8)
            let digits = String((0..<length).map { _ in Character(String(rng.next() % 10)) })
            let prefix = before[Int(rng.next() % UInt64(before.count))]
            let bytes = Array((prefix + digits + " ok").utf8)
            let field = fields[Int(rng.next() % UInt64(fields.count))]
            let start = prefix.utf8.count
            bytes.withUnsafeBufferPointer { b in
                let text = PIIText(bytes: b, field: field)
                let run = text.split(start, start + length)
                #expect(run.map { text.classifyTrimming($0).isEmpty } ?? true, "\(n): \(prefix)\(digits) in \(field)")
            }
            #expect(found(prefix + digits + " ok", field: field).isEmpty, "\(n)")
        }
    }
}

extension PIIScannerTests {
    /// The scanner looks for IPv6 addresses only in text with six colons or `::`, which
    /// `inet_pton` needs: it finds what looking in every text with two colons finds. Texts of
    /// hex digits, colons, dots and separators, times among them, and addresses in every form.
    @Test func ipv6IsLookedForWhereItCanBe() {
        var rng = SeededRandom(seed: 0x1F6)
        let pieces = [
            "0", "7", "a", "F", "ff", "2001", "db8", ":", ":", "::", ".", "1.2.3.4", "T", " ", "-", "g", "12:30:45.123Z",
            "2001:db8:0:0:0:0:2:1", "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "fe80::1",
        ]
        var found = 0
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 1...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let bytes = Array(text.utf8)
            let everywhere = bytes.withUnsafeBufferPointer { Self.lookingEverywhere($0) }
            #expect(bytes.withUnsafeBufferPointer { PIIScanner.builtIn($0, field: "") } == everywhere, "\(text)")
            found += everywhere.count
        }
        #expect(found > 1000)
    }

    /// `PIIScanner.builtIn` as it was: IPv6 looked for in every text with two colons.
    static func lookingEverywhere(_ b: UnsafeBufferPointer<UInt8>) -> [PIIScanner.Span] {
        let hasDigit = b.contains { $0 >= 0x30 && $0 <= 0x39 }, hasAt = b.contains(0x40)
        guard hasDigit || hasAt else { return [] }
        let text = PIIText(bytes: b, field: "")
        var out: [PIIScanner.Span] = []
        if hasAt { out += text.emails() }
        if hasDigit {
            let ibans = text.ibans()
            out += ibans.spans
            out += text.digitRuns().filter { s in !ibans.shapes.contains { $0.overlaps(s.start..<s.end) } }
            if b.filter({ $0 == 0x3A }).count >= 2 { out += text.ipv6() }
        }
        return out
    }
}
