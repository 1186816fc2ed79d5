import Foundation
import LakeCore
@testable import LakeNormalize
import LakeParsers
import Testing
import _LakeTestSupport

/// The standardization rules of docs/SPEC.md 5.3-5.7, with seeded property tests (replay one
/// seed with `PROPERTY_SEED`, run more with `PROPERTY_COUNT`).
@Suite struct StandardizeTests {
    // MARK: NFC against Unicode's own test file

    /// Every line of NormalizationTest.txt (Debian's unicode-data): NFC(c1) = NFC(c2) = NFC(c3)
    /// = c2 and NFC(c4) = NFC(c5) = c4; and every code point Part 1 does not list is its own NFC.
    @Test func nfcAgreesWithNormalizationTest() throws {
        let path = "/usr/share/unicode/NormalizationTest.txt.bz2"
        let r = try CommandRunner.run("/usr/bin/bzip2", ["-dc", path])
        try #require(r.status == 0, "needs the unicode-data and bzip2 packages (Scripts/setup.sh): \(r.stderrText)")
        var checked = 0
        var part1 = Set<UInt32>()
        var inPart1 = false
        func string(_ field: Substring) -> String {
            var s = String.UnicodeScalarView()
            for hex in field.split(separator: " ") { s.append(Unicode.Scalar(UInt32(hex, radix: 16)!)!) }
            return String(s)
        }
        for line in r.stdoutText.split(separator: "\n") {
            if line.hasPrefix("@Part") { inPart1 = line.hasPrefix("@Part1") }
            if line.hasPrefix("#") || line.hasPrefix("@") { continue }
            let columns = line.split(separator: ";", omittingEmptySubsequences: false).prefix(5).map(string)
            guard columns.count == 5 else { continue }
            let (c1, c2, c3, c4, c5) = (columns[0], columns[1], columns[2], columns[3], columns[4])
            for (source, expected) in [(c1, c2), (c2, c2), (c3, c2), (c4, c4), (c5, c4)] {
                let got = CanonicalJSON.nfc(source)
                #expect(Array(got.unicodeScalars) == Array(expected.unicodeScalars), "\(line)")
            }
            if inPart1, let s = c1.unicodeScalars.first, c1.unicodeScalars.count == 1 { part1.insert(s.value) }
            checked += 1
        }
        #expect(checked > 18_000)
        var stable = 0
        for v in UInt32(0)...0x10FFFF where !part1.contains(v) {
            guard let s = Unicode.Scalar(v) else { continue }
            let text = String(Character(s))
            if CanonicalJSON.nfc(text) != text || Array(CanonicalJSON.nfc(text).unicodeScalars) != [s] {
                Issue.record("U+\(String(v, radix: 16)) is not its own NFC")
                break
            }
            stable += 1
        }
        #expect(stable > 1_000_000)
    }

    // MARK: Flattening

    @Test func flattenExample() throws {
        let v = try JSONReader.parse(
            Array(#"{"a": {"b": 1, "c": null, "d": ""}, "e": [{"f": {"g": 2}}, null, []], "h": {}, "i": []}"#.utf8))
        #expect(CanonicalJSON.string(Flatten.flatten(v)) == #"{"a.b":1,"e":[{"f.g":2},null,null]}"#)
        #expect(CanonicalJSON.string(Flatten.unflatten(Flatten.flatten(v))) == #"{"a":{"b":1},"e":[{"f":{"g":2}},null,null]}"#)
    }

    /// A key starting with a combining mark after the `.` joining it to its parent: `.` and the
    /// mark are one character, but the key still splits there (a fuzz finding).
    @Test func keysStartingWithACombiningMarkUnflatten() throws {
        let v = try JSONReader.parse(Array(#"{"\u034d":{"\u034d0":0,"x":{"\u0301":true}}}"#.utf8))
        #expect(Flatten.unflatten(Flatten.flatten(v)) == v)
    }

    @Test func subtreesPastTheDepthLimitStayAsCanonicalText() {
        // 12 nested objects: the value at depth 11 is kept as text.
        var v: JSONValue = .object([.init("leaf", .number("1")), .init("gone", .null)])
        for i in (0..<11).reversed() { v = .object([.init("k\(i)", v)]) }
        let flat = Flatten.flatten(v)
        let key = (0..<10).map { "k\($0)" }.joined(separator: ".")
        #expect(flat.objectMembers?.map(\.key) == [key])
        #expect(flat[key] == .string(#"{"k10":{"leaf":1}}"#))
    }

    /// Random nested values within the depth limit, keys snake_case (no `.`): flattening then
    /// unflattening gives the input without its empty values; flattening is idempotent.
    @Test func flattenThenUnflattenGivesBackTheNonEmptyInput() {
        for seed in SeededRandom.seeds(count: 300) {
            var rng = SeededRandom(seed: seed)
            let v = Self.randomObject(&rng, depth: 1)
            let flat = Flatten.flatten(v)
            let expected = Flatten.prune(v) ?? .object([])
            #expect(Flatten.unflatten(flat) == expected, "seed \(seed)")
            #expect(Flatten.flatten(flat) == flat, "seed \(seed)")
            #expect(Self.independentPrune(v) == Flatten.prune(v), "seed \(seed)")
        }
    }

    static func randomObject(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        let n = Int.random(in: 0...4, using: &rng)
        var members: [JSONMember] = []
        var used = Set<String>()
        for _ in 0..<n {
            let key = SnakeCase.convert(rng.string(from: Array("abcxyzAB1 _"), maxLength: 4))
            guard used.insert(key).inserted else { continue }
            members.append(.init(key, randomValue(&rng, depth: depth + 1)))
        }
        return .object(members)
    }

    static func randomValue(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        let choice = Int.random(in: 0..<(depth >= Flatten.defaultMaxDepth ? 5 : 7), using: &rng)
        switch choice {
        case 0: return .null
        case 1: return .string(Bool.random(using: &rng) ? "" : rng.string(from: Array("ab é."), maxLength: 5))
        case 2: return .number(String(Int.random(in: -50...50, using: &rng)))
        case 3: return .bool(Bool.random(using: &rng))
        case 4: return .string("s")
        case 5: return randomObject(&rng, depth: depth)
        default: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        }
    }

    /// The pruning rule written again, from the SPEC's words, to check `Flatten.prune` against.
    static func independentPrune(_ v: JSONValue) -> JSONValue? {
        switch v {
        case .null: return nil
        case .string(let s): return s == "" ? nil : v
        case .array(let a):
            let kept = a.map { independentPrune($0) ?? .null }
            return kept.contains(where: { $0 != .null }) ? .array(kept) : nil
        case .object(let m):
            var out: [JSONMember] = []
            for x in m { if let p = independentPrune(x.value) { out.append(.init(x.key, p)) } }
            return out.isEmpty ? nil : .object(out)
        default: return v
        }
    }

    // MARK: Geo

    @Test(arguments: [
        (473_667_115, 85_390_125, "47.366712", "8.539013"),  // halves round away from zero
        (-473_667_115, -85_390_124, "-47.366712", "-8.539012"),
        (0, 5, "0.000000", "0.000001"),
        (-4, -5, "0.000000", "-0.000001"),
        (910_467_500, 100_265_000, "91.046750", "10.026500"),
    ])
    func geoFromE7(_ c: (Int64, Int64, String, String)) {
        let p = GeoPoint(latE7: c.0, lngE7: c.1)
        #expect(p.latitude == c.2 && p.longitude == c.3, "\(p)")
    }

    /// Coordinates as text against the decimal digits written out with `String`, on random
    /// micro-degrees of every size (the extremes of Int64 included).
    @Test func geoTextIsTheDecimalDigits() {
        var rng = SeededRandom(seed: 55)
        var values: [Int64] = [0, 1, -1, 999_999, -999_999, 1_000_000, Int64.max, Int64.min + 1, Int64.min]
        for _ in 0..<5_000 {
            let magnitude = Int64.random(in: 0...18, using: &rng)
            var limit: Int64 = 1
            for _ in 0..<magnitude { limit *= 10 }
            values.append(Int64.random(in: -limit...limit, using: &rng))
        }
        for v in values {
            let m = v.magnitude
            let frac = String(m % 1_000_000)
            let expected = (v < 0 ? "-" : "") + String(m / 1_000_000) + "." + String(repeating: "0", count: 6 - frac.count) + frac
            #expect(GeoPoint(latMicro: v, lngMicro: 0).latitude == expected)
        }
        // The place value and the canonical JSON are the same digits, written without strings
        // (`inBounds` takes magnitudes: `abs` trapped on Int64.min).
        for (a, b) in zip(values, values.reversed()) {
            let p = GeoPoint(latMicro: a, lngMicro: b)
            #expect(p.placeValue == p.latitude + "," + p.longitude)
            #expect(p.canonicalJSON == CanonicalJSON.encode(p.json))
        }
    }

    @Test func outOfBoundsIsFlaggedNotClamped() {
        let p = GeoPoint(latE7: 910_467_500, lngE7: 100_265_000)
        #expect(!p.inBounds)
        #expect(CanonicalJSON.string(p.json) == #"{"lat":91.046750,"lng":10.026500,"out_of_bounds":true}"#)
        #expect(GeoPoint(latE7: 900_000_000, lngE7: -1_800_000_000).inBounds)
        #expect(!GeoPoint(latE7: 0, lngE7: 1_800_000_010).inBounds)
    }

    @Test func geoStrings() {
        #expect(GeoPoint.parse("31.1234567°, -73.1234567°") == GeoPoint(latMicro: 31_123_457, lngMicro: -73_123_457))
        #expect(GeoPoint.parse("geo:30.123456,-105.987654") == GeoPoint(latMicro: 30_123_456, lngMicro: -105_987_654))
        #expect(GeoPoint.parse("geo:30.1,-105.9,12.5;u=35") == GeoPoint(latMicro: 30_100_000, lngMicro: -105_900_000))
        #expect(GeoPoint.parse("48.8566,2.3522") == GeoPoint(latMicro: 48_856_600, lngMicro: 2_352_200))
        for bad in ["", "geo:", "geo:1", "1°", "a°, b°", "1e5, 2", "1.2.3, 4", "geo:1,2,3,4"] {
            #expect(GeoPoint.parse(bad) == nil, "\(bad)")
        }
    }

    /// Formatting then parsing gives back the point, for random micro-degree values (out of bounds too).
    @Test func geoFormatParseRoundTrip() {
        for seed in SeededRandom.seeds(count: 500) {
            var rng = SeededRandom(seed: seed)
            let p = GeoPoint(
                latMicro: Int64.random(in: -95_000_000...95_000_000, using: &rng),
                lngMicro: Int64.random(in: -185_000_000...185_000_000, using: &rng))
            #expect(GeoPoint.parse(p.latitude + "°, " + p.longitude + "°") == p, "seed \(seed)")
            #expect(GeoPoint.parse("geo:" + p.latitude + "," + p.longitude) == p, "seed \(seed)")
        }
    }

    // MARK: Timestamps

    /// Format then parse over the whole supported range (years 1-9999, milliseconds).
    @Test func timestampFormatParseRoundTrip() throws {
        for seed in SeededRandom.seeds(count: 2000) {
            var rng = SeededRandom(seed: seed)
            let t = Timestamp(millis: Int64.random(in: Timestamp.minMillis...Timestamp.maxMillis, using: &rng), offsetSeconds: nil)
            let text = t.iso8601
            #expect(text.count == 24 && text.hasSuffix("Z"), "\(text)")
            #expect(try Timestamp.parseISO8601(text).millis == t.millis, "seed \(seed): \(text)")
        }
    }

    // MARK: CSV

    @Test func csvHeaders() {
        #expect(
            CSVColumns.header(["First Name", "E-mail (work)", "Amount €", "", "first name", "  Größe\tKG "]) == [
                "first_name", "email_work", "amount", "column_4", "first_name_2", "größe_kg",
            ])
        for seed in SeededRandom.seeds(count: 200) {
            var rng = SeededRandom(seed: seed)
            let raw = (0..<4).map { _ in rng.string(from: Array("aB é_-(x) 1\t"), maxLength: 6) }
            let once = CSVColumns.header(raw)
            #expect(CSVColumns.header(once) == once, "seed \(seed): \(raw)")
        }
    }

    @Test func localeNumbers() {
        func n(_ s: String, _ sep: Character) -> String? { LocaleNumber.normalize(s, decimalSeparator: sep)?.text }
        #expect(n("1.234,50", ",") == "1234.50")
        #expect(n("1,234.50", ".") == "1234.50")
        #expect(n("3,5", ",") == "3.5")
        #expect(n("-1.234.567", ",") == "-1234567")
        #expect(n("+12", ".") == "12")
        #expect(n("1.5e3", ".") == "1.5e3")
        #expect(n("-0", ".") == "0")
        for bad in ["007", "1,23.4", "12,34", "1.2.3", "", "-", "1,", ",5", "1e", "0x10", "١٢"] { #expect(n(bad, ".") == nil, "\(bad)") }
        #expect(n("1,234", ",") == "1.234")
        #expect(n("1,234", ".") == "1234")
        // Idempotent: a normalized number normalizes to itself.
        for s in ["1.234,50", "3,5", "-1.234.567", "12"] {
            let once = n(s, ",")!
            #expect(n(once, ".") == once)
        }
    }

    @Test func columnTypesAtTheConfidenceThreshold() {
        // 100 rows: 95 integers and 5 words is still an integer column (0.95); 94 and 6 is not.
        let ok = (0..<100).map { [$0 < 95 ? String($0) : "n/a"] }
        let columns = CSVColumns.infer(header: ["n"], rows: ok)
        #expect(columns.types == [.integer])
        #expect(columns.value(["n/a"]) == .object([.init("n", .string("n/a"))]))
        #expect(columns.value(["42"]) == .object([.init("n", .number("42"))]))
        let short = (0..<100).map { [$0 < 94 ? String($0) : "n/a"] }
        #expect(CSVColumns.infer(header: ["n"], rows: short).types == [.string])
        // German amounts, booleans, times, strings, an empty column.
        let rows = [["1.234,50", "true", "2024-01-02T03:04:05Z", "x", ""], ["3,5", "FALSE", "2024-01-02T03:04:06.5+01:00", "007", ""]]
        let c = CSVColumns.infer(header: ["Betrag", "ok", "when", "code", "none"], rows: rows)
        #expect(c.types == [.decimal, .boolean, .timestamp, .string, .string])
        #expect(CanonicalJSON.string(c.value(rows[1])) == #"{"betrag":3.5,"code":"007","ok":false,"when":"2024-01-02T02:04:06.500Z"}"#)
        // Cells past the header get positional names.
        #expect(c.value(["1", "true", "", "", "", "extra"])["column_6"] == .string("extra"))
        // ZIP codes with leading zeros are no integers, and bare digits are no times either
        // (read as epoch seconds, `08123` became 1970-01-01T02:15:23Z: csv-spectrum).
        let zips = CSVColumns.infer(header: ["zip"], rows: [["08123"], ["01234"], ["00501"]])
        #expect(zips.types == [.string])
        #expect(zips.value(["08123"]) == .object([.init("zip", .string("08123"))]))
        let mixed = CSVColumns.infer(header: ["t"], rows: (0..<20).map { ["2024-01-0\($0 % 9 + 1)T10:00:00Z"] })
        #expect(mixed.types == [.timestamp] && mixed.value(["0123"]) == .object([.init("t", .string("0123"))]))
    }

    // MARK: Mojibake

    @Test func facebookMojibakeIsRepaired() {
        #expect(Mojibake.repair("\u{f0}\u{9f}\u{99}\u{82}") == "🙂")
        #expect(Mojibake.repair("d\u{c3}\u{b3}nde") == "dónde")
        #expect(Mojibake.repair("Café") == "Café")  // real Latin-1: left alone
        #expect(Mojibake.repair("plain") == "plain")
        #expect(Mojibake.repair("日本 \u{c3}\u{b3}") == "日本 \u{c3}\u{b3}")  // above U+00FF: not mojibake
        // Idempotent on repaired text and on random Latin-1 text.
        for seed in SeededRandom.seeds(count: 300) {
            var rng = SeededRandom(seed: seed)
            let original = rng.string(from: Array("aé🙂ó日ß "), maxLength: 8)
            let broken = String(String.UnicodeScalarView(original.utf8.map { Unicode.Scalar($0) }))
            #expect(Mojibake.repair(broken) == original, "seed \(seed)")
            #expect(Mojibake.repair(original) == original || original.unicodeScalars.allSatisfy { $0.value <= 0xFF }, "seed \(seed)")
            let latin = rng.string(from: Array("aéÀÿ ü"), maxLength: 6)
            #expect(Mojibake.repair(Mojibake.repair(latin)) == Mojibake.repair(latin), "seed \(seed)")
        }
    }

    // MARK: Entities and routes

    /// Tokens passed over unread (`mayHoldEntity`) hold nothing `find` would report: the same
    /// entities with and without skipping, and for some kinds the same as all kinds filtered, on
    /// random texts of entity-like tokens and punctuation.
    @Test func skippedTokensHoldNoEntities() {
        var rng = SeededRandom(seed: 0xE7)
        let parts = [
            "ann@example.com", "(https://e.x/a).", "HTTP://E.X", "hxxp", "#tag", "@bob", "2024-02-29", "2023-02-29", "1999/12/31",
            "+1 415 555 0100", "(415) 555-0100", "«#x»", "\"@y\"", "e\u{301}@x.io", "h", ".", "«", "word", "42", "#42", "@", "x@",
            "mail:me@a.b,", "ĥttp://x", "Ｈttp://x", "“2024-01-01”", "\t", "\n", " ",
        ]
        for n in 0..<2000 {
            let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in parts.randomElement(using: &rng)! }.joined(
                separator: ["", " ", "  ", "\u{A0}"].randomElement(using: &rng)!)
            let all = TextEntities.find(text, skipping: false)
            #expect(TextEntities.find(text, skipping: true) == all, "text \(n): \(text)")
            // Asked for some kinds, the same entities as all of them filtered, more tokens skipped.
            let kinds = TextEntities.Kinds(rawValue: Int.random(in: 0...63, using: &rng))
            let filtered = all.filter { kinds.contains(TextEntities.Kinds($0.kind)!) }
            #expect(TextEntities.find(text, kinds: kinds) == filtered, "text \(n), kinds \(kinds.rawValue): \(text)")
        }
    }

    @Test func entitiesInText() {
        let found = TextEntities.find("Mail ana@example.org about #swift, see (https://swift.org). @bob_1 #42 again #swift")
        #expect(
            found.map { "\($0.kind):\($0.value)" } == ["email:ana@example.org", "hashtag:swift", "url:https://swift.org", "mention:bob_1"])
        #expect(found.allSatisfy { $0.method == "pattern" })
        let more = TextEntities.find(
            "Call +1 (555) 0111-9973 or 030 1234567 on 2024-02-29, not 2023-02-29; pi 3.14159265, id 1234567890, ssn 000-76-2068")
        #expect(more.map { "\($0.kind):\($0.value)" } == ["phone:+155501119973", "phone:0301234567", "date:2024-02-29"])
    }

    @Test(arguments: [
        ("Takeout/My Activity/Search/MyActivity.json", ExportMapper.Route.json(.takeoutActivity)),
        ("Takeout/Meine Aktivitäten/Suche/MeineAktivitäten.json", .json(.takeoutActivity)),
        ("Takeout/YouTube and YouTube Music/history/watch-history.json", .json(.takeoutActivity)),
        ("Takeout/Location History (Timeline)/Records.json", .json(.takeoutLocationRecords)),
        ("Takeout/Location History/Semantic Location History/2017/2017_DECEMBER.json", .json(.takeoutSemanticLocation)),
        ("Timeline.json", .json(.takeoutTimeline)),
        ("Takeout/Chrome/History.json", .json(.chromeHistory)),
        ("Takeout/Chrome/BrowserHistory.json", .json(.chromeHistory)),
        ("Takeout/Google Photos/Photos from 2019/IMG_001.jpg.json", .json(.photoSidecar)),
        ("Takeout/Google Photos/Album/metadata.json", .json(.takeoutGeneric)),
        ("posts/your_posts_1.json", .json(.facebookPost)),
        ("your_facebook_activity/comments_and_reactions/comments.json", .json(.facebookComment)),
        ("comments_and_reactions/likes_and_reactions_1.json", .json(.facebookReaction)),
        ("connections/friends/your_friends.json", .json(.facebookFriend)),
        ("messages/inbox/ana_123/message_1.json", .json(.facebookMessage)),
        (
            "Takeout/YouTube and YouTube Music/subscriptions/subscriptions.csv",
            .csv(recordKind: "subscription", exportKind: "google-takeout")
        ),
        ("data/export.csv", .csv(recordKind: "generic", exportKind: "generic")),
        ("something/else.json", .json(.generic)),
        ("Takeout/Contacts/All Contacts/All Contacts.vcf", .vcard(exportKind: "google-takeout")),
        ("Takeout/Kalender/a@example.com.ics", .icalendar(exportKind: "google-takeout")),
        ("Takeout/My Activity/YouTube/MyActivity.html", .activityHTML),
        ("Takeout/YouTube and YouTube Music/history/watch-history.html", .activityHTML),
        ("data/tweets.js", .twitterJS), ("twitter-2024/data/like.js", .twitterJS),
        ("Takeout/Mail/All mail Including Spam and Trash.mbox", .mbox), ("inbox.mbox", .mbox),
        ("mail/message.eml", .message),
    ])
    func routes(_ c: (String, ExportMapper.Route)) {
        #expect(ExportMapper.route(path: c.0) == c.1, "\(c.0)")
    }

    @Test func unroutedFiles() {
        for path in ["Takeout/Chrome/Bookmarks.html", "Your archive.html", "photo.jpg", "data/tweets.JS.bak", "notes.txt"] {
            #expect(ExportMapper.route(path: path) == nil, "\(path)")
        }
    }

    @Test func phoneNumbers() {
        #expect(PhoneNumbers.normalize("+1 (555) 0147-9788") == "+155501479788")
        #expect(PhoneNumbers.normalize("+44 20 7946 0018") == "+442079460018")
        #expect(PhoneNumbers.normalize("030/1234.567") == "0301234567")
        for bad in ["123", "+1 555 CALL NOW", "1+2345678", "1234567890123456"] { #expect(PhoneNumbers.normalize(bad) == nil, "\(bad)") }
    }

    @Test func sidecarsNameTheirMedia() {
        let cases = [
            ("A/IMG_1.jpg.json", "IMG_1.jpg", "A/IMG_1.jpg"),
            ("A/IMG_1.jpg.supplemental-metadata.json", "IMG_1.jpg", "A/IMG_1.jpg"),
            ("A/IMG_1.jpg.supplemental-metad.json", "IMG_1.jpg", "A/IMG_1.jpg"),
            ("A/IMG_1.jpg.s.json", "IMG_1.jpg", "A/IMG_1.jpg"),
            ("A/IMG_1234.jpg.supplemental-metadata(1).json", "IMG_1234.jpg", "A/IMG_1234(1).jpg"),
        ]
        for (sidecar, title, media) in cases {
            #expect(Mapped.mediaPath(sidecar: sidecar, title: title) == media, "\(sidecar)")
        }
    }
}
