import LakeParsers
import Testing

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
}
