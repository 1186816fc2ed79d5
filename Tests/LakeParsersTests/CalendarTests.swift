import LakeParsers
import Testing

@Suite struct ICalendarTests {
    static let ics = """
        BEGIN:VCALENDAR\r
        PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
        VERSION:2.0\r
        BEGIN:VTIMEZONE\r
        TZID:Europe/Berlin\r
        END:VTIMEZONE\r
        BEGIN:VEVENT\r
        DTSTART;TZID=Europe/Berlin:20240331T013000\r
        DTEND;TZID=Europe/Berlin:20240331T033000\r
        UID:a@google.com\r
        SUMMARY:Night across the DST change\\, with a comma and a very long title that is fol\r
         ded onto the next line\r
        DESCRIPTION:Line one\\nLine two\\; done\r
        LOCATION:Köln\r
        ATTENDEE;CN="Doe, Jane";PARTSTAT=ACCEPTED:mailto:jane@example.org\r
        BEGIN:VALARM\r
        ACTION:DISPLAY\r
        END:VALARM\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        DTSTART;VALUE=DATE:20240229\r
        DTEND;VALUE=DATE:20240301\r
        SUMMARY:Leap day\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        DTSTART:20240101T100000Z\r
        DTEND:20240101T110000\r
        RRULE:FREQ=WEEKLY;BYDAY=MO\r
        SUMMARY:UTC start\\, floating end\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    static func readAll(_ text: String, chunk: Int) throws -> [CalendarEvent] {
        let bytes = Array(text.utf8)
        let r = ICalendarReader(source: ChunkCursor.chunks(of: bytes, size: chunk))
        var out: [CalendarEvent] = []
        while let e = try r.nextEvent() { out.append(e) }
        return out
    }

    @Test func eventsUnfoldedAndTimed() throws {
        let events = try Self.readAll(Self.ics, chunk: 1 << 16)
        #expect(events.count == 3)
        for size in [1, 3, 50] { #expect(try Self.readAll(Self.ics, chunk: size) == events) }
        let night = events[0]
        #expect(night.summary == "Night across the DST change, with a comma and a very long title that is folded onto the next line")
        #expect(night.description == "Line one\nLine two; done")
        #expect(night.location == "Köln")
        #expect(night.attendees == ["mailto:jane@example.org"])
        // 01:30 CET is 00:30Z; 03:30 CEST (after the change at 02:00) is 01:30Z.
        #expect(night.start?.timestamp.iso8601 == "2024-03-31T00:30:00.000Z")
        #expect(night.start?.timestamp.offsetText == "+01:00")
        #expect(night.end?.timestamp.iso8601 == "2024-03-31T01:30:00.000Z")
        #expect(night.end?.timestamp.offsetText == "+02:00")
        #expect(night.start?.kind == .zoned)
        #expect(night.properties.contains { $0.name == "ACTION" } == false)
        #expect(events[1].start?.kind == .date)
        #expect(events[1].start?.timestamp.iso8601 == "2024-02-29T00:00:00.000Z")
        #expect(events[2].start?.kind == .utc)
        #expect(events[2].end?.kind == .floating)
        #expect(events[2].end?.timestamp.offsetSeconds == nil)
        #expect(events[2].recurrence == "FREQ=WEEKLY;BYDAY=MO")
    }

    @Test(arguments: [
        "SUMMARY:x\nBEGIN:VEVENT\nEND:VEVENT\n", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VTODO\n",
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\n", "BEGIN:VCALENDAR\nno colon here\n",
    ])
    func malformedCalendarsAreErrors(_ text: String) {
        #expect(throws: (any Error).self) { _ = try Self.readAll(text, chunk: 7) }
    }

    /// A bad value costs its own event only: the reader lists the problem and goes on.
    @Test func anInvalidDateIsTheEventsProblemNotTheFiles() throws {
        let text = """
            BEGIN:VCALENDAR\r
            BEGIN:VEVENT\r
            DTSTART:INVALID-DATE\r
            SUMMARY:broken\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            DTSTART:20230230T000000Z\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            DTSTART:20240101T100000Z\r
            this line has no colon\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            DTSTART:20240102T100000Z\r
            SUMMARY:fine\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        for size in [1, 5, 4096] {
            let events = try Self.readAll(text, chunk: size)
            #expect(events.count == 4)
            #expect(events[0].start == nil)
            #expect(events[0].problems == [RecordProblem(rule: "timestamp.invalid", line: 3, reason: "DTSTART: not a date or date-time")])
            #expect(events[1].problems.map(\.rule) == ["timestamp.invalid"])
            #expect(events[2].problems == [RecordProblem(rule: "ics.line", line: 11, reason: "a line without a colon")])
            #expect(events[3].problems.isEmpty && events[3].summary == "fine")
        }
    }

    /// Some exporters write a property (or a blank-ish line) after END:VCALENDAR, and some files
    /// hold two calendars one after the other.
    @Test func linesAfterTheCalendarAreSkippedAndASecondCalendarIsRead() throws {
        let text =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nEND:VEVENT\nEND:VCALENDAR\nX-TRAILING:yes\ngarbage\n"
            + "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:2\nEND:VEVENT\nEND:VCALENDAR\nX-AFTER:1\n"
        let events = try Self.readAll(text, chunk: 3)
        #expect(events.map(\.uid) == ["1", "2"])
    }

    /// A bare VEVENT (python-icalendar's test events, one-event exports) reads as if wrapped.
    @Test func aBareEventIsRead() throws {
        let events = try Self.readAll("BEGIN:VEVENT\nSUMMARY:åäö\nORGANIZER;CN=\"acme, ädmin\":mailto:a@b.de\nEND:VEVENT\n", chunk: 4)
        #expect(events.map(\.summary) == ["åäö"])
        #expect(events.first?.organizerName == "acme, ädmin")
    }

    @Test func unknownTZIDStaysFloating() throws {
        let t = try CalendarTime.parse("20240101T120000", tzid: "Mars/Olympus_Mons")
        #expect(t.kind == .floating)
        #expect(t.timestamp.iso8601 == "2024-01-01T12:00:00.000Z")
    }
}

@Suite struct VCardTests {
    @Test func readsVersions21to40() throws {
        let vcf = """
            BEGIN:VCARD\r
            VERSION:3.0\r
            FN:Jane Doe\r
            N:Doe;Jane;;;\r
            EMAIL;TYPE=INTERNET;TYPE=HOME:jane@example.org\r
            TEL;TYPE=CELL:+49 151 23456789\r
            ADR;TYPE=HOME:;;Domstraße 1;Köln;;50667;Germany\r
            ORG:Example\\, Inc.\r
            item1.EMAIL:work@example.org\r
            NOTE:Met at\\nthe conference\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:2.1\r
            N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=B6rg\r
            FN;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=BC=\r
            ller\r
            TEL;HOME;VOICE:555-0100\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:4.0\r
            FN:Only Name\r
            BDAY:--0415\r
            END:VCARD\r

            """
        let r = VCardReader(bytes: Array(vcf.utf8))
        var cards: [VCard] = []
        while let c = try r.next() { cards.append(c) }
        #expect(cards.count == 3)
        #expect(cards[0].formattedName == "Jane Doe")
        #expect(cards[0].name == ["Doe", "Jane", "", "", ""])
        #expect(cards[0].emails.first?.types == ["internet", "home"])
        #expect(cards[0].emails.map(\.value) == ["jane@example.org", "work@example.org"])
        #expect(cards[0].phones.first?.types == ["cell"])
        #expect(cards[0].addresses.first?.value == "Domstraße 1, Köln, 50667, Germany")
        #expect(cards[0].organization == "Example, Inc.")
        #expect(cards[0].note == "Met at\nthe conference")
        #expect(cards[1].name == ["Müller", "Jörg"])
        #expect(cards[1].formattedName == "Jörg Müller")
        #expect(cards[1].phones.first?.types == ["home", "voice"])
        #expect(cards[2].birthday == "--0415")
        #expect(cards[2].version == "4.0")
    }

    /// iPhone exports end lines with CR CR LF; folded lines must still unfold.
    @Test func crCRLFLineEndsAreOneBreak() throws {
        let vcf =
            "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nFN:Anna\r\r\nNOTE:first part\r\r\n  second part\r\r\nTEL;type=CELL:+45 20 12 34 56\r\r\nEND:VCARD\r\r\n"
        for size in [1, 2, 7, 4096] {
            let r = VCardReader(source: ChunkCursor.chunks(of: Array(vcf.utf8), size: size))
            var cards: [VCard] = []
            while let c = try r.next() { cards.append(c) }
            #expect(cards.count == 1)
            #expect(cards.first?.note == "first part second part")
            #expect(cards.first?.phones.map(\.value) == ["+45 20 12 34 56"])
        }
    }

    @Test(arguments: ["FN:x\n", "BEGIN:VCARD\nFN:x\n", "BEGIN:VCARD\nBEGIN:VCARD\n"])
    func malformedCardsAreErrors(_ text: String) {
        let r = VCardReader(bytes: Array(text.utf8))
        #expect(throws: VCardReader.FormatError.self) { while try r.next() != nil {} }
    }
}

@Suite struct VCardQuotedPrintableTests {
    /// Android writes a QUOTED-PRINTABLE value's last soft break (`=`) before a blank line: the
    /// value ends there, and the next property is its own (ez-vcard's John_Doe_ANDROID.vcf).
    @Test func aBlankLineEndsASoftBrokenValue() throws {
        let vcf =
            "BEGIN:VCARD\r\nVERSION:2.1\r\nORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=\r\n=C3=91=\r\n\r\nCATEGORIES:My Contacts,Friends\r\nEND:VCARD\r\n"
        let card = try #require(try VCardReader(bytes: Array(vcf.utf8)).next())
        #expect(card.organization == "ÑÑ")
        #expect(card.categories == ["My Contacts", "Friends"])
    }
}
