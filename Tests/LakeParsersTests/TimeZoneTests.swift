import Foundation
import LakeParsers
import Testing
import _LakeTestSupport

/// Calendar time zones that are not IANA names (docs/SPEC.md 5.8, "Zones"): Windows names through
/// CLDR (ICU), vendor prefixes, VTIMEZONEs defined in the file, Outlook labels.
@Suite struct TimeZoneTests {
    /// python-icalendar's test_windows_to_olson_mapping: the same instants.
    @Test func windowsNamesMapThroughCLDR() throws {
        #expect(ZoneNames.windowsToIANA("Eastern Standard Time") == "America/New_York")
        #expect(ZoneNames.windowsToIANA("W. Europe Standard Time") == "Europe/Berlin")
        #expect(ZoneNames.windowsToIANA("Mountain Standard Time (Mexico)") == "America/Mazatlan")
        #expect(ZoneNames.windowsToIANA("Not A Zone") == nil)
        let eastern = try CalendarTime.parse("20170507T181920", tzid: "Eastern Standard Time")
        #expect(eastern.kind == .zoned)
        #expect(eastern.timestamp.iso8601 == "2017-05-07T22:19:20.000Z")
        let mexico = try CalendarTime.parse("20260706T110000", tzid: "Mountain Standard Time (Mexico)")
        #expect(mexico.timestamp.iso8601 == "2026-07-06T18:00:00.000Z")
    }

    @Test func vendorPrefixesAndLabels() throws {
        let mozilla = try CalendarTime.parse("20240715T090000", tzid: "/mozilla.org/20050126_1/Europe/Berlin")
        #expect(mozilla.timestamp.iso8601 == "2024-07-15T07:00:00.000Z")
        let evolution = try CalendarTime.parse("20240115T090000", tzid: "/softwarestudio.org/Olson_20011030_5/America/New_York")
        #expect(evolution.timestamp.iso8601 == "2024-01-15T14:00:00.000Z")
        // An Outlook label with no VTIMEZONE: its fixed offset, better than floating.
        let label = try CalendarTime.parse("20240715T090000", tzid: "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi")
        #expect(label.kind == .zoned && label.timestamp.offsetSeconds == 19_800)
        #expect(label.timestamp.iso8601 == "2024-07-15T03:30:00.000Z")
        #expect(ZoneNames.labelOffset("(GMT-03.00) Buenos Aires") == -10_800)
        #expect(ZoneNames.labelOffset("(UTC) Coordinated Universal Time") == 0)
        #expect(ZoneNames.labelOffset("Brasília") == nil)
    }

    static func zone(_ ics: String) throws -> VTimeZone {
        let reader = ICalendarReader(bytes: Array(ics.utf8))
        while try reader.nextEvent() != nil {}
        return try #require(reader.zones.values.first)
    }

    /// The RFC 5545 America/New_York definition (as python-icalendar's fixture has it) against
    /// the system's tzdata: every day from 1990 to 2030, at noon and at the small hours when
    /// the clocks change, gives the same offset.
    @Test func aVTimezoneAgreesWithTzdata() throws {
        let ics = String(decoding: TestPaths.read(TestPaths.corpus + "/real/python-icalendar/america_new_york.ics"), as: UTF8.self)
        let custom = try Self.zone(ics)
        let tzdata = try #require(TimeZone(identifier: "America/New_York"))
        var mismatches: [String] = []
        let first = Civil.daysFromCivil(1990, 1, 1), last = Civil.daysFromCivil(2030, 12, 31)
        for day in first...last {
            for hour: Int64 in [1, 4, 12] {
                let local = day * 86_400 + hour * 3600
                let offset = custom.offset(atLocal: local)
                // tzdata's offset at the instant that local time (read in the found offset) is.
                let expected = tzdata.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - Int64(offset ?? 0))))
                if offset != expected { mismatches.append("\(Civil.civilFromDays(day)) \(hour)h: \(offset ?? 0) vs \(expected)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func byMonthDayRulesAndRDates() throws {
        let ics = String(decoding: TestPaths.read(TestPaths.corpus + "/real/python-icalendar/pacific_fiji.ics"), as: UTF8.self)
        let fiji = try Self.zone(ics)
        func at(_ y: Int64, _ m: Int64, _ d: Int64) -> Int? { fiji.offset(atLocal: Civil.daysFromCivil(y, m, d) * 86_400 + 12 * 3600) }
        #expect(at(2014, 8, 29) == 12 * 3600)
        #expect(at(2014, 12, 1) == 13 * 3600)  // after the Sunday among Oct 21-27 (Oct 26, 2014)
        #expect(at(2010, 1, 10) == 13 * 3600)  // daylight from the RDATE of 2009-11-29
        #expect(at(2010, 4, 10) == 12 * 3600)  // standard from the RDATE of 2010-03-28
        #expect(at(1950, 6, 1) == 12 * 3600)
    }

    /// A TZID defined by a VTIMEZONE after the events that use it, and a label VTIMEZONE.
    @Test func forwardReferencesWaitForTheirZone() throws {
        let ics = """
            BEGIN:VCALENDAR\r
            BEGIN:VEVENT\r
            UID:a\r
            DTSTART;TZID=Later Zone:20240110T100000\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:b\r
            DTSTART:20240110T100000Z\r
            END:VEVENT\r
            BEGIN:VTIMEZONE\r
            TZID:Later Zone\r
            BEGIN:STANDARD\r
            DTSTART:19700101T000000\r
            TZOFFSETFROM:+0200\r
            TZOFFSETTO:+0200\r
            END:STANDARD\r
            END:VTIMEZONE\r
            END:VCALENDAR\r
            BEGIN:VCALENDAR\r
            BEGIN:VEVENT\r
            UID:c\r
            DTSTART;TZID=Later Zone:20240110T100000\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        let reader = ICalendarReader(bytes: Array(ics.utf8))
        var events: [CalendarEvent] = []
        while let e = try reader.nextEvent() { events.append(e) }
        #expect(events.map(\.uid) == ["a", "b", "c"])
        #expect(events[0].start?.timestamp.iso8601 == "2024-01-10T08:00:00.000Z")
        #expect(events[0].start?.kind == .zoned)
        // A zone defined in one calendar does not reach into the next.
        #expect(events[2].start?.kind == .floating)
    }
}
