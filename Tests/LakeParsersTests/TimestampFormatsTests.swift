import LakeParsers
import Testing
import _LakeTestSupport

@Suite struct TimestampFormatsTests {
    @Test func epochsByMagnitude() throws {
        #expect(try Timestamp.parseEpoch("1258549448").iso8601 == "2009-11-18T13:04:08.000Z")  // Photos: seconds as a string
        #expect(try Timestamp.parseEpoch("1512947698030").iso8601 == "2017-12-10T23:14:58.030Z")  // Records.json timestampMs
        #expect(try Timestamp.parseEpoch("1617404690134513").iso8601 == "2021-04-02T23:04:50.134Z")  // Chrome time_usec
        #expect(try Timestamp.parseEpoch("1617404690134513999").iso8601 == "2021-04-02T23:04:50.134Z")  // nanoseconds
        #expect(try Timestamp.parseEpoch("0").iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(try Timestamp.parseEpoch("1512947698.030").millis == 1_512_947_698_030)
        #expect(try Timestamp.parseEpoch("-1.5").millis == -1500)
        #expect(try Timestamp.parseEpoch("-1").millis == -1000)
        #expect(try Timestamp.parseEpoch("-1000001", unit: .microseconds).millis == -1001)  // floors toward the past
        #expect(try Timestamp.parseEpoch("1700000000", unit: .milliseconds).iso8601 == "1970-01-20T16:13:20.000Z")
        #expect(try Timestamp.parseEpoch("1234").offsetSeconds == nil)
    }

    @Test(arguments: ["", "-", "1e9", "12a", "1.", ".5", "+5", "12345678901234567890", "-99999999999"])
    func badEpochs(_ text: String) {
        #expect(throws: TimestampError.self) { _ = try Timestamp.parseEpoch(text) }
    }

    @Test func rfc2822() throws {
        let t = try Timestamp.parseRFC2822("Tue, 1 Jul 2003 10:52:37 +0200")
        #expect(t.iso8601 == "2003-07-01T08:52:37.000Z")
        #expect(t.offsetText == "+02:00")
        #expect(try Timestamp.parseRFC2822("1 Jul 03 10:52 GMT").iso8601 == "2003-07-01T10:52:00.000Z")
        #expect(try Timestamp.parseRFC2822("Fri, 21 Nov 1997 09:55:06 -0600 (CST)").iso8601 == "1997-11-21T15:55:06.000Z")
        #expect(try Timestamp.parseRFC2822("Thu, 13 Feb 1969 23:32:54 -0330").iso8601 == "1969-02-14T03:02:54.000Z")
        #expect(try Timestamp.parseRFC2822("Mon, 2 Jan 2006 15:04:05 PST").offsetText == "-08:00")
        #expect(try Timestamp.parseRFC2822("2 Jan 2006 15:04:05 -0000").offsetSeconds == nil)
    }

    @Test(arguments: [
        "Tue, 30 Feb 2003 10:52:37 +0200", "Tue, 1 Foo 2003 10:52:37 +0200", "Tue, 1 Jul 2003 10:52:37 +2500",
        "Tue, 1 Jul 2003 25:52:37 +0200", "Tue 1 Jul 2003 10:52:37 +0200", "1 Jul 2003 10:52:37 XYZ",
    ])
    func badRFC2822(_ text: String) {
        #expect(throws: TimestampError.self) { _ = try Timestamp.parseRFC2822(text) }
    }

    @Test func asctimeFromLines() throws {
        #expect(try Timestamp.parseAsctime("Mon Jan 02 15:04:05 +0000 2006").iso8601 == "2006-01-02T15:04:05.000Z")
        let classic = try Timestamp.parseAsctime("Sat Jan  3 01:05:34 1996")
        #expect(classic.iso8601 == "1996-01-03T01:05:34.000Z")
        #expect(classic.offsetSeconds == nil)
        #expect(throws: TimestampError.self) { _ = try Timestamp.parseAsctime("Sat Jan 32 01:05:34 1996") }
    }

    @Test func takeoutHTML() throws {
        let old = try Timestamp.parseTakeoutHTML("Mar 8, 2018, 5:14:40 PM")
        #expect(old.iso8601 == "2018-03-08T17:14:40.000Z")
        #expect(old.offsetText == "+00:00")
        #expect(try Timestamp.parseTakeoutHTML("Jan 15, 2021, 6:54:12 PM UTC").iso8601 == "2021-01-15T18:54:12.000Z")
        // BST is applied as +01:00 as printed, even in January (Google's export-time zone).
        let bst = try Timestamp.parseTakeoutHTML("Jan 15, 2021, 6:54:12 PM BST")
        #expect(bst.iso8601 == "2021-01-15T17:54:12.000Z")
        #expect(bst.offsetText == "+01:00")
        #expect(try Timestamp.parseTakeoutHTML("Dec 31, 2019, 12:00:01\u{202F}AM\u{00A0}PST").iso8601 == "2019-12-31T08:00:01.000Z")
        #expect(try Timestamp.parseTakeoutHTML("Jun 1, 2020, 12:30:00 PM IST").iso8601 == "2020-06-01T07:00:00.000Z")
    }

    @Test(arguments: [
        "Feb 30, 2021, 6:54:12 PM", "Jan 15, 2021, 13:54:12 PM", "Jan 15, 2021, 6:54:12 PM XYZ", "Jan 15 2021, 6:54:12 PM",
        "Jan 15, 2021, 6:54:12",
    ])
    func badTakeoutHTML(_ text: String) {
        #expect(throws: TimestampError.self) { _ = try Timestamp.parseTakeoutHTML(text) }
    }

    @Test func parseAnyReportsTheForm() throws {
        #expect(try Timestamp.parseAny("2021-12-13T03:04:05.007Z").1 == .iso8601)
        #expect(try Timestamp.parseAny("1617404690134513").1 == .epoch)
        #expect(try Timestamp.parseAny("Tue, 1 Jul 2003 10:52:37 +0200").1 == .rfc2822)
        #expect(try Timestamp.parseAny("Sat Aug 12 16:10:37 +0000 2023").1 == .twitter)
        #expect(try Timestamp.parseAny("Sat Jan  3 01:05:34 1996").1 == .asctime)
        #expect(try Timestamp.parseAny("Mar 8, 2018, 5:14:40 PM").1 == .takeoutHTML)
        #expect(throws: TimestampError.self) { _ = try Timestamp.parseAny("yesterday") }
    }

    /// Property: format then parse is the identity over the whole supported range, for ISO-8601
    /// with any offset and for millisecond epochs.
    @Test func formatThenParseRoundTrips() throws {
        for seed in SeededRandom.seeds(count: 2000) {
            var rng = SeededRandom(seed: seed)
            let millis = Int64.random(in: Timestamp.minMillis...Timestamp.maxMillis, using: &rng)
            let t = Timestamp(millis: millis, offsetSeconds: 0)
            let iso = try Timestamp.parseISO8601(t.iso8601)
            #expect(iso.millis == millis, "seed \(seed): \(t.iso8601)")
            #expect(try Timestamp.parseEpoch(String(millis), unit: .milliseconds).millis == millis, "seed \(seed)")
            // The same instant written in a local offset parses back to the same instant.
            let offset = Int.random(in: -18 * 60...18 * 60, using: &rng) * 60
            let local = Timestamp(millis: millis + Int64(offset) * 1000, offsetSeconds: nil).iso8601
            let withOffset = String(local.dropLast()) + Timestamp(millis: 0, offsetSeconds: offset).offsetText!
            if let back = try? Timestamp.parseISO8601(withOffset) {
                #expect(back.millis == millis, "seed \(seed): \(withOffset)")
            } else {
                // Only near the ends of the range may the local time fall outside 0001-9999.
                #expect(
                    millis < Timestamp.minMillis + 86_400_000 || millis > Timestamp.maxMillis - 86_400_000, "seed \(seed): \(withOffset)")
            }
        }
    }
}
