import Foundation

/// A date or date-time value of iCalendar or vCard.
public struct CalendarTime: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// `...Z`: UTC.
        case utc
        /// With a `TZID` that names a zone (IANA, Windows, a VTIMEZONE in the file, an Outlook
        /// label's offset): converted to UTC.
        case zoned
        /// No zone: "floating" local time, stored as if UTC, with no source offset.
        case floating
        /// `VALUE=DATE` / `YYYYMMDD`: a whole day, stored at 00:00 UTC.
        case date
    }

    public var timestamp: Timestamp
    public var kind: Kind
    /// The TZID as written, when there was one.
    public var tzid: String?

    /// Parses `YYYYMMDD`, `YYYYMMDDTHHMMSS[Z]` (and the extended `YYYY-MM-DD[THH:MM:SS[Z]]`
    /// vCard 4 form). A TZID is resolved as `ZoneNames.zone` reads it (IANA, vendor-prefixed
    /// or Windows), else by the file's own VTIMEZONE of that name in `zones`, else by the
    /// offset of an Outlook label; a TZID none of them knows leaves the time floating.
    public static func parse(_ value: String, tzid: String?, zones: [String: VTimeZone] = [:]) throws -> CalendarTime {
        func bad(_ why: String) -> TimestampError { TimestampError(text: value, reason: why) }
        // Without its separators; from the bytes for ASCII (each byte a whole character), with
        // no Foundation search (a twentieth of a calendar ingest's samples).
        let b =
            value.utf8.allSatisfy { $0 < 0x80 }
            ? value.utf8.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ":") }
            : Array(value.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "").utf8)
        func num(_ r: Range<Int>) throws -> Int64 {
            guard r.upperBound <= b.count, b[r].allSatisfy({ (0x30...0x39).contains($0) }) else { throw bad("not a date or date-time") }
            return Int64(String(decoding: b[r], as: UTF8.self))!
        }
        let y = try num(0..<4), m = try num(4..<6), d = try num(6..<8)
        if b.count == 8 {
            let t = try Timestamp.make(value, year: y, month: m, day: d, hour: 0, minute: 0, second: 0, millis: 0, offsetSeconds: 0)
            return CalendarTime(timestamp: Timestamp(millis: t.millis, offsetSeconds: nil), kind: .date, tzid: nil)
        }
        guard b.count == 15 || (b.count == 16 && (b[15] == UInt8(ascii: "Z") || b[15] == UInt8(ascii: "z"))), b[8] == UInt8(ascii: "T")
        else {
            throw bad("not YYYYMMDD or YYYYMMDDTHHMMSS[Z]")
        }
        let h = try num(9..<11), mi = try num(11..<13), s = try num(13..<15)
        if b.count == 16 {
            let t = try Timestamp.make(value, year: y, month: m, day: d, hour: h, minute: mi, second: s, millis: 0, offsetSeconds: 0)
            return CalendarTime(timestamp: t, kind: .utc, tzid: nil)
        }
        let local = try Timestamp.make(value, year: y, month: m, day: d, hour: h, minute: mi, second: s, millis: 0, offsetSeconds: 0)
        if let tzid, let zone = ZoneNames.zone(tzid) {
            // The offset in force at that wall-clock time: try the offset at the local time read
            // as UTC, then correct once (enough for every real zone's transitions).
            let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local.millis) / 1000))
            let corrected = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local.millis / 1000 - Int64(guess))))
            return CalendarTime(
                timestamp: Timestamp(millis: local.millis - Int64(corrected) * 1000, offsetSeconds: corrected), kind: .zoned, tzid: tzid)
        }
        if let tzid, let offset = zones[tzid]?.offset(atLocal: local.millis / 1000) ?? ZoneNames.labelOffset(tzid) {
            return CalendarTime(
                timestamp: Timestamp(millis: local.millis - Int64(offset) * 1000, offsetSeconds: offset), kind: .zoned, tzid: tzid)
        }
        return CalendarTime(timestamp: Timestamp(millis: local.millis, offsetSeconds: nil), kind: .floating, tzid: tzid)
    }
}

/// One VEVENT.
public struct CalendarEvent: Equatable, Sendable {
    public var uid: String?
    public var summary: String?
    public var description: String?
    public var location: String?
    public var start: CalendarTime?
    public var end: CalendarTime?
    public var recurrence: String?
    public var status: String?
    public var organizer: String?
    /// The organizer's CN parameter (a display name), when given.
    public var organizerName: String?
    public var attendees: [String]
    /// Every property of the event (alarms and other nested components excluded), in order.
    public var properties: [ContentLine]
    /// 1-based line where `BEGIN:VEVENT` stood.
    public var line: Int
    /// What in this event could not be read (a DTSTART that is no date, a line without a colon),
    /// each with its line: the event is rejected as one record, the file goes on.
    public var problems: [RecordProblem] = []
    /// DTSTART and DTEND as read, with their line numbers: timed when the event is returned,
    /// once the zones the file defines are known.
    var timeLines: [NumberedLine] = []

    struct NumberedLine: Equatable, Sendable {
        var line: ContentLine
        var number: Int
    }
}

/// Streams VEVENTs out of an iCalendar file (RFC 5545), one at a time.
///
/// ```swift
/// let ics = ICalendarReader(bytes: data)
/// while let event = try ics.nextEvent() { event.summary; event.start?.timestamp.iso8601 }
/// ```
public final class ICalendarReader {
    public struct FormatError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var rule: String { "ics.structure" }
        public var description: String { "\(rule): \(reason) (line \(line))" }
    }

    private let lines: ContentLineReader
    /// Bytes consumed so far.
    public var offset: Int64 { lines.offset }
    public let maxNesting: Int
    public let maxPropertiesPerEvent: Int
    private var sawCalendar = false
    /// Calendars closed so far: lines after an `END:VCALENDAR` outside any calendar (a stray
    /// property some exporters append) are skipped once one calendar has been read.
    private var closedCalendars = 0
    /// The VTIMEZONEs read so far, by TZID.
    public private(set) var zones: [String: VTimeZone] = [:]
    /// Events whose TZID may be defined by a VTIMEZONE further on (a forward reference), held
    /// until the calendar ends, and every event after them, so that order is kept.
    private var waiting: [CalendarEvent] = []
    /// Events ready to return, in order.
    private var ready: [CalendarEvent] = []
    /// At most this many events wait for a forward reference; past it they are timed with
    /// the zones known so far.
    public static let maxWaiting = 10_000

    public init(source: @escaping ChunkCursor.ChunkSource, maxNesting: Int = 8, maxPropertiesPerEvent: Int = 10_000) {
        lines = ContentLineReader(source: source)
        self.maxNesting = maxNesting
        self.maxPropertiesPerEvent = maxPropertiesPerEvent
    }

    public convenience init(bytes: [UInt8]) {
        self.init(source: ChunkCursor.oneShot(bytes))
    }

    /// The next event, or nil at the end.
    /// - Throws: `FormatError` for a file that is not iCalendar or components that do not nest;
    ///   `ContentLineReader.LimitError`. An impossible DTSTART/DTEND or a malformed line inside
    ///   an event is not thrown: it is listed in the event's `problems`.
    public func nextEvent() throws -> CalendarEvent? {
        while ready.isEmpty {
            guard let e = try readEvent() else {
                releaseWaiting()
                break
            }
            if waiting.isEmpty && e.timeLines.allSatisfy({ isDefined($0.line.parameter("TZID")) }) {
                ready.append(timed(e))
            } else {
                waiting.append(e)
                if waiting.count >= Self.maxWaiting { releaseWaiting() }
            }
        }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    /// Whether a TZID's zone is known now (no TZID, a name `ZoneNames` resolves, or a VTIMEZONE
    /// already read). An Outlook label or unknown name may still be defined further on.
    private func isDefined(_ tzid: String?) -> Bool {
        guard let tzid else { return true }
        return zones[tzid] != nil || ZoneNames.zone(tzid) != nil
    }

    private func releaseWaiting() {
        ready += waiting.map(timed)
        waiting = []
    }

    /// The event with DTSTART and DTEND resolved against the zones known now.
    private func timed(_ event: CalendarEvent) -> CalendarEvent {
        var e = event
        for t in e.timeLines {
            do {
                let time = try CalendarTime.parse(t.line.value, tzid: t.line.parameter("TZID"), zones: zones)
                // The first of a repeated DTSTART or DTEND counts (RFC 5545 allows one).
                if t.line.name == "DTSTART" { e.start = e.start ?? time } else { e.end = e.end ?? time }
            } catch let error as TimestampError {
                e.problems.append(RecordProblem(rule: "timestamp.invalid", line: t.number, reason: "\(t.line.name): \(error.reason)"))
            } catch {
                e.problems.append(RecordProblem(rule: "timestamp.invalid", line: t.number, reason: "\(t.line.name): \(error)"))
            }
        }
        e.problems.sort { $0.line < $1.line }
        e.timeLines = []
        return e
    }

    /// The next VEVENT as read (times not yet resolved), keeping the VTIMEZONEs on the way.
    private func readEvent() throws -> CalendarEvent? {
        var stack: [String] = []
        var event: CalendarEvent?
        var zone: (tzid: String?, observances: [(isDaylight: Bool, lines: [ContentLine])])?
        while let text = try lines.next() {
            guard let line = ContentLine.parse(text) else {
                if stack.first == "VEVENT", event != nil {
                    event?.problems.append(RecordProblem(rule: "ics.line", line: lines.lineNumber, reason: "a line without a colon"))
                    continue
                }
                if !sawCalendar && closedCalendars > 0 { continue }
                throw FormatError(line: lines.lineNumber, reason: "a line without a colon")
            }
            if !sawCalendar {
                guard line.name == "BEGIN" else {
                    if closedCalendars > 0 { continue }
                    throw FormatError(line: lines.lineNumber, reason: "the file does not start with BEGIN:VCALENDAR")
                }
                sawCalendar = true
                // A component without the VCALENDAR around it (a bare VEVENT, as some tools
                // write one event) is read as if it had one.
                // Each calendar defines its own zones.
                zones = [:]
                if line.value.uppercased() == "VCALENDAR" { continue }
            }
            if line.name == "BEGIN" {
                let component = line.value.uppercased()
                if stack.count >= maxNesting {
                    throw FormatError(line: lines.lineNumber, reason: "components nested deeper than \(maxNesting)")
                }
                stack.append(component)
                if component == "VEVENT" && stack.count == 1 {
                    event = CalendarEvent(attendees: [], properties: [], line: lines.lineNumber)
                }
                if component == "VTIMEZONE" && stack.count == 1 { zone = (nil, []) }
                if (component == "STANDARD" || component == "DAYLIGHT") && stack.count == 2 && stack[0] == "VTIMEZONE" {
                    zone?.observances.append((component == "DAYLIGHT", []))
                }
                continue
            }
            if line.name == "END" {
                let component = line.value.uppercased()
                if stack.isEmpty {
                    if component == "VCALENDAR" {
                        sawCalendar = false
                        closedCalendars += 1
                        // A forward reference can only be to this calendar's zones.
                        releaseWaiting()
                        if !ready.isEmpty { return nil }
                        continue
                    }
                    throw FormatError(line: lines.lineNumber, reason: "END:\(component) without BEGIN")
                }
                guard stack.last == component else {
                    throw FormatError(line: lines.lineNumber, reason: "END:\(component) closes BEGIN:\(stack.last!)")
                }
                stack.removeLast()
                if component == "VEVENT" && stack.isEmpty, let e = event { return e }
                if component == "VTIMEZONE" && stack.isEmpty, let z = zone,
                    let built = VTimeZone.build(tzid: z.tzid, observances: z.observances)
                {
                    zones[built.tzid] = built
                }
                continue
            }
            if stack.first == "VTIMEZONE" {
                if stack.count == 1, line.name == "TZID" { zone?.tzid = line.value }
                if stack.count == 2, zone?.observances.isEmpty == false {
                    zone!.observances[zone!.observances.count - 1].lines.append(line)
                }
                continue
            }
            guard stack == ["VEVENT"], var e = event else { continue }
            if e.properties.count >= maxPropertiesPerEvent {
                throw FormatError(line: lines.lineNumber, reason: "more than \(maxPropertiesPerEvent) properties in one event")
            }
            e.properties.append(line)
            switch line.name {
            case "UID": e.uid = line.value
            case "SUMMARY": e.summary = ContentLine.unescapeText(line.value)
            case "DESCRIPTION": e.description = ContentLine.unescapeText(line.value)
            case "LOCATION": e.location = ContentLine.unescapeText(line.value)
            case "STATUS": e.status = line.value
            case "RRULE": e.recurrence = line.value
            case "ORGANIZER":
                e.organizer = line.value
                e.organizerName = line.parameter("CN")
            case "ATTENDEE": e.attendees.append(line.value)
            case "DTSTART", "DTEND": e.timeLines.append(.init(line: line, number: lines.lineNumber))
            default: break
            }
            event = e
        }
        if !stack.isEmpty { throw FormatError(line: lines.lineNumber, reason: "BEGIN:\(stack.last!) is never closed") }
        return nil
    }
}
