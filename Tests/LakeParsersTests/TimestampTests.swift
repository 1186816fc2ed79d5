import LakeCore
import Testing

@testable import LakeParsers

@Suite struct TimestampTests {
    @Test func twitterCreatedAt() throws {
        let t = try Timestamp.parseTwitter("Wed Oct 10 20:19:24 +0000 2018")
        #expect(t.iso8601 == "2018-10-10T20:19:24.000Z")
        #expect(t.millis == 1_539_202_764_000)
        #expect(t.offsetText == "+00:00")
        let local = try Timestamp.parseTwitter("Wed Nov 27 18:45:12 -0800 2024")
        #expect(local.iso8601 == "2024-11-28T02:45:12.000Z")
        #expect(local.offsetText == "-08:00")
        #expect(local.partition == "2024-11")
    }

    @Test func iso8601Forms() throws {
        #expect(try Timestamp.parseISO8601("2021-12-13T03:04:05.007Z").iso8601 == "2021-12-13T03:04:05.007Z")
        #expect(try Timestamp.parseISO8601("2021-12-13 03:04:05Z").iso8601 == "2021-12-13T03:04:05.000Z")
        #expect(try Timestamp.parseISO8601("2024-06-21T19:51:13.014999999-06:00").iso8601 == "2024-06-22T01:51:13.014Z")
        #expect(try Timestamp.parseISO8601("2024-06-21T19:51:13.5+05:30").offsetSeconds == 19800)
    }

    @Test(arguments: [
        "2023-02-30T00:00:00Z", "2023-13-01T00:00:00Z", "2023-01-01T24:00:00Z", "2023-01-01T00:00:00+25:00",
        "2023-01-01T00:00:00", "2023-01-01T00:00:00.Z", "2023-01-01T00:00:00.1234567890Z", "2023-1-01T00:00:00Z",
        "2100-02-29T00:00:00Z",
    ])
    func impossibleISODatesAreErrors(_ text: String) {
        #expect(throws: TimestampError.self) { _ = try Timestamp.parseISO8601(text) }
    }

    @Test func leapDays() throws {
        #expect(try Timestamp.parseISO8601("2000-02-29T12:00:00Z").iso8601 == "2000-02-29T12:00:00.000Z")
        #expect(try Timestamp.parseTwitter("Thu Feb 29 23:59:59 +0000 2024").iso8601 == "2024-02-29T23:59:59.000Z")
        #expect(throws: TimestampError.self) { _ = try Timestamp.parseTwitter("Thu Feb 29 23:59:59 +0000 2023") }
    }

    @Test(arguments: [
        "Xyz Oct 10 20:19:24 +0000 2018", "Wed Foo 10 20:19:24 +0000 2018", "Wed Oct 10 20:19:24 +2500 2018", "Wed Oct 10 20:19 +0000 2018",
        "Wed Oct 10 20:19:24 +0000 18",
    ])
    func malformedTwitterDatesAreErrors(_ text: String) {
        #expect(throws: TimestampError.self) { _ = try Timestamp.parseTwitter(text) }
    }

    @Test func civilRoundTripOverTheWholeRange() {
        // Every 997th day from 0001-01-01 to 9999-12-31: days -> civil -> days is the identity.
        let first = Civil.daysFromCivil(1, 1, 1)
        let last = Civil.daysFromCivil(9999, 12, 31)
        var d = first
        while d <= last {
            let (y, m, day) = Civil.civilFromDays(d)
            #expect(Civil.daysFromCivil(y, m, day) == d)
            d += 997
        }
        #expect(Timestamp(millis: Timestamp.minMillis, offsetSeconds: nil).iso8601 == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp(millis: Timestamp.maxMillis, offsetSeconds: nil).iso8601 == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp(millis: -1, offsetSeconds: nil).iso8601 == "1969-12-31T23:59:59.999Z")
    }

    /// The byte writers (the string's and `writeISO8601`'s) against the text each field gives
    /// with `String` padding, on 20,000 instants over the whole range, offsets included: the written form parses back to the
    /// same instant, and the partition is its first seven characters.
    @Test func formattingMatchesTheFieldsOverTheWholeRange() throws {
        func padded(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        // The text each field gives: the day by the floor of the division, the fields padded.
        func expected(_ ms: Int64) -> String {
            let rest = (ms % 86_400_000 + 86_400_000) % 86_400_000
            let (y, m, d) = Civil.civilFromDays((ms - rest) / 86_400_000)
            return "\(padded(y, 4))-\(padded(m, 2))-\(padded(d, 2))T\(padded(rest / 3_600_000, 2)):\(padded(rest / 60_000 % 60, 2)):"
                + "\(padded(rest / 1000 % 60, 2)).\(padded(rest % 1000, 3))Z"
        }
        var rng = SystemRandomNumberGenerator()
        var instants = [Timestamp.minMillis, Timestamp.maxMillis, -1, 0, 951_782_400_000]
        for _ in 0..<20_000 { instants.append(Int64.random(in: Timestamp.minMillis...Timestamp.maxMillis, using: &rng)) }
        for ms in instants {
            let expected = expected(ms)
            let offset = Int.random(in: -18 * 60...18 * 60, using: &rng) * 60
            let t = Timestamp(millis: ms, offsetSeconds: offset)
            #expect(t.iso8601 == expected)
            var bytes: [UInt8] = []
            Timestamp.writeISO8601(ms, into: &bytes)
            #expect(bytes == Array(expected.utf8))
            #expect(t.partition == String(expected.prefix(7)))
            let sign = offset < 0 ? "-" : "+"
            #expect(t.offsetText == "\(sign)\(padded(Int64(abs(offset) / 3600), 2)):\(padded(Int64(abs(offset) / 60 % 60), 2))")
            #expect(try Timestamp.parseISO8601(t.iso8601).millis == ms)
        }
        #expect(Timestamp(millis: 0, offsetSeconds: nil).offsetText == nil)
        // Outside years 0-9999 and past 99 hours of offset the general writers decide (a
        // negative year padded in front of its sign, as `String` spells it).
        for _ in 0..<2_000 {
            let ms =
                Bool.random(using: &rng)
                ? Int64.random(in: -10 * Timestamp.maxMillis...(-62_167_219_200_001), using: &rng)
                : Int64.random(in: 253_402_300_800_000...10 * Timestamp.maxMillis, using: &rng)
            var bytes: [UInt8] = []
            Timestamp.writeISO8601(ms, into: &bytes)
            let t = Timestamp(millis: ms, offsetSeconds: Int.random(in: 360_000...10_000_000, using: &rng))
            #expect(t.iso8601 == expected(ms))
            #expect(String(decoding: bytes, as: UTF8.self) == expected(ms))
            #expect(t.partition == String(t.iso8601.prefix(7)))
            let hours = Int64(t.offsetSeconds! / 3600), minutes = Int64(t.offsetSeconds! / 60 % 60)
            #expect(t.offsetText == "+\(padded(hours, 2)):\(padded(minutes, 2))")
        }
    }
}

/// Both paths gave the same instant and offset, or refused with the same reason.
func expectSameOutcome(_ a: Result<Timestamp, Error>, _ b: Result<Timestamp, Error>, _ label: String) {
    switch (a, b) {
    case (.success(let a), .success(let b)): #expect(a == b && a.offsetSeconds == b.offsetSeconds, "\(label)")
    case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)", "\(label)")
    default: Issue.record("\(label): one path refused it")
    }
}

/// Twitter times read from their bytes (`Timestamp.twitterFromBytes`) against the general
/// field-by-field parses (Twitter's and asctime's), on seeded valid times and single-byte corruptions of them.
@Suite struct TwitterTimeBytesTests {
    @Test func theByteReadIsTheFieldRead() throws {
        var random = SplitMix64(seed: 11)
        var fast = 0, refused = 0
        let alphabet = Array("0123456789 +-:MonTueWedJanFebxZ".utf8)
        for n in 0..<20_000 {
            let day = Timestamp.dayNames[Int(random.next() % 7)], month = Timestamp.monthNames[Int(random.next() % 12)]
            func two(_ limit: UInt64) -> String { random.twoDigits(below: limit) }
            let sign = random.next() % 2 == 0 ? "+" : "-"
            let year = String(1 + random.next() % 9999)
            let text = random.halfCorrupted(
                "\(day) \(month) \(two(33)) \(two(25)):\(two(61)):\(two(61)) \(sign)\(two(25))\(two(61)) \(year)", from: alphabet)
            let general = Result { try Timestamp.twitterByFields(text) }
            if let t = Timestamp.twitterFromBytes(text) {
                fast += 1
                #expect(t == (try? general.get()), "text \(n): \(text)")
            }
            expectSameOutcome(Result { try Timestamp.parseTwitter(text) }, general, "text \(n): \(text)")
            if case .failure = general { refused += 1 }
            // The asctime parse reads the same well-formed texts from their bytes first.
            expectSameOutcome(
                Result { try Timestamp.parseAsctime(text) }, Result { try Timestamp.asctimeByFields(text) }, "asctime \(n): \(text)")
        }
        #expect(fast > 4_000 && refused > 4_000, "\(fast) by bytes, \(refused) refused")
    }
}

/// Mail dates read from their bytes (`Timestamp.rfc2822FromBytes`) against the field-by-field
/// parse, on seeded dates in the forms mail clients write and single-byte corruptions of them.
@Suite struct MailDateBytesTests {
    @Test func theByteReadIsTheFieldRead() throws {
        var random = SplitMix64(seed: 2822)
        var fast = 0, refused = 0
        let alphabet = Array("0123456789 \t+-:,()MonTueJanFebjanxZUTGMT".utf8)
        for n in 0..<20_000 {
            let weekday = ["", "\(Timestamp.dayNames[Int(random.next() % 7)]), ", "Sun ", "Xyz, "][Int(random.next() % 4)]
            let month = Timestamp.monthNames[Int(random.next() % 12)]
            func two(_ limit: UInt64) -> String { random.twoDigits(below: limit) }
            let day = random.next() % 2 == 0 ? String(random.next() % 33) : two(33)
            let zone = ["+\(two(25))\(two(61))", "-\(two(25))\(two(61))", "-0000", "+0000", "GMT", "EDT"][Int(random.next() % 6)]
            let year = random.next() % 8 == 0 ? two(100) : String(1000 + random.next() % 9000)
            let tail = random.next() % 8 == 0 ? " (UTC)" : ""
            let text = random.halfCorrupted(
                "\(weekday)\(day) \(month) \(year) \(two(25)):\(two(61)):\(two(61)) \(zone)\(tail)", from: alphabet)
            let general = Result { try Timestamp.rfc2822ByFields(text) }
            if let t = Timestamp.rfc2822FromBytes(text) {
                fast += 1
                #expect(t == (try? general.get()), "text \(n): \(text)")
                #expect(t.offsetSeconds == (try? general.get())?.offsetSeconds, "text \(n): \(text)")
            }
            expectSameOutcome(Result { try Timestamp.parseRFC2822(text) }, general, "text \(n): \(text)")
            if case .failure = general { refused += 1 }
        }
        #expect(fast > 1_500 && refused > 3_000, "\(fast) by bytes, \(refused) refused")
    }
}

extension SplitMix64 {
    /// A number below `limit` in two digits at least (`07`).
    fileprivate mutating func twoDigits(below limit: UInt64) -> String { String(format: "%02d", Int(next() % limit)) }

    /// `text`, or half of the time `text` with one byte replaced by one of `alphabet`'s: the
    /// well-formed dates and their single-byte corruptions the byte readers are held to.
    fileprivate mutating func halfCorrupted(_ text: String, from alphabet: [UInt8]) -> String {
        var bytes = Array(text.utf8)
        if next() % 2 == 0 { bytes[Int(next() % UInt64(bytes.count))] = alphabet[Int(next() % UInt64(alphabet.count))] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
