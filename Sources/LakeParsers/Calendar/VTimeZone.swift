/// A time zone an iCalendar file defines itself (a VTIMEZONE whose TZID the IANA database does
/// not know, as Outlook and custom exporters write): its STANDARD and DAYLIGHT observances,
/// evaluated for a wall-clock time (RFC 5545 3.6.5).
///
/// Each observance starts at its DTSTART (local time, in TZOFFSETFROM) and again at each
/// RDATE and each occurrence of its RRULE; the offset in force at a local time is the
/// TZOFFSETTO of the latest onset at or before it. RRULEs are evaluated in the forms time zone
/// definitions use: `FREQ=YEARLY` with `BYMONTH` and `BYDAY` (`2SU`, `-1SU`), or `BYDAY=SU`
/// with a `BYMONTHDAY` list, or `BYMONTHDAY` alone, bounded by `UNTIL` or `COUNT`. An
/// observance with any other RRULE counts only its DTSTART and RDATEs.
public struct VTimeZone: Equatable, Sendable {
    public struct Observance: Equatable, Sendable {
        public var isDaylight: Bool
        /// DTSTART as local seconds since 1970 (the wall clock read as UTC).
        public var start: Int64
        public var offsetFrom: Int
        public var offsetTo: Int
        public var rule: String?
        /// RDATEs, as local seconds like `start`.
        public var extraStarts: [Int64]
        public var name: String?
    }

    public var tzid: String
    public var observances: [Observance]

    /// The offset (seconds east of UTC) in force at `local` (the wall clock read as UTC, in
    /// seconds); nil when the zone defines no observance.
    public func offset(atLocal local: Int64) -> Int? {
        guard !observances.isEmpty else { return nil }
        var best: (onset: Int64, offset: Int)?
        for o in observances {
            for onset in onsets(o, near: local) where onset <= local {
                if best == nil || onset > best!.onset { best = (onset, o.offsetTo) }
            }
        }
        if let best { return best.offset }
        // Before every onset: the offset the earliest observance changes from.
        return observances.min { $0.start < $1.start }!.offsetFrom
    }

    /// The onsets of `o` that can decide a time near `local`: its DTSTART, its RDATEs, and its
    /// rule's occurrences in the year before, of and after `local`.
    func onsets(_ o: Observance, near local: Int64) -> [Int64] {
        var out = [o.start] + o.extraStarts
        guard let text = o.rule else { return out }
        var parts: [String: String] = [:]
        for p in text.split(separator: ";") {
            let kv = p.split(separator: "=", maxSplits: 1).map { String($0).uppercased() }
            if kv.count == 2 { parts[kv[0]] = kv[1] }
        }
        guard parts["FREQ"] == "YEARLY", let monthText = parts["BYMONTH"], let month = Int64(monthText), (1...12).contains(month) else {
            return out
        }
        let startDays = Civil.floorDiv(o.start, 86_400)
        let timeOfDay = o.start - startDays * 86_400
        let (startYear, _, _) = Civil.civilFromDays(startDays)
        let until = parts["UNTIL"].flatMap { try? CalendarTime.parse($0, tzid: nil) }
        let count = parts["COUNT"].flatMap { Int($0) }
        let year = Civil.civilFromDays(Civil.floorDiv(local, 86_400)).0
        // With COUNT every occurrence from the start year is counted; else only the nearby years.
        let firstYear = count == nil ? max(startYear, year - 1) : startYear
        let interval = parts["INTERVAL"].flatMap { Int64($0) }.map { max(1, $0) } ?? 1
        var seen = 0
        var y = firstYear
        while y <= year + 1 {
            defer { y += 1 }
            if (y - startYear) % interval != 0 { continue }
            guard let day = Self.day(year: y, month: month, byDay: parts["BYDAY"], byMonthDay: parts["BYMONTHDAY"]) else { continue }
            let onset = Civil.daysFromCivil(y, month, day) * 86_400 + timeOfDay
            guard onset >= o.start else { continue }
            if let until {
                // UNTIL is UTC (or a date): the onset's instant is its local time less TZOFFSETFROM.
                let instant = (onset - Int64(o.offsetFrom)) * 1000
                if instant > until.timestamp.millis { break }
            }
            seen += 1
            if let count, seen > count { break }
            if y >= year - 1 { out.append(onset) }
        }
        return out
    }

    /// The day of `month` in `year` a yearly rule picks.
    static func day(year: Int64, month: Int64, byDay: String?, byMonthDay: String?) -> Int64? {
        let length = Civil.daysInMonth(year, month)
        let monthDays = byMonthDay.map { $0.split(separator: ",").compactMap { Int64($0) }.map { $0 < 0 ? length + 1 + $0 : $0 } }
        guard let byDay else { return monthDays?.first }
        let names = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
        guard let weekday = names.firstIndex(of: String(byDay.suffix(2))) else { return nil }
        let ordinalText = byDay.dropLast(2)
        // 1970-01-01 was a Thursday (index 4).
        func weekdayOf(_ d: Int64) -> Int { Int(((Civil.daysFromCivil(year, month, d) + 4) % 7 + 7) % 7) }
        let matching = (1...length).filter { weekdayOf($0) == weekday }
        if ordinalText.isEmpty {
            // `BYDAY=SU;BYMONTHDAY=8,9,…,14`: the listed day that is that weekday.
            return monthDays.flatMap { days in matching.first { days.contains($0) } }
        }
        guard let n = Int(ordinalText), n != 0, abs(n) <= matching.count else { return nil }
        return n > 0 ? matching[n - 1] : matching[matching.count + n]
    }
}

extension VTimeZone {
    /// Builds a zone from a VTIMEZONE's lines: the component's own properties and, for each
    /// STANDARD or DAYLIGHT inside it, its properties in order. Nil without a TZID.
    static func build(tzid: String?, observances raw: [(isDaylight: Bool, lines: [ContentLine])]) -> VTimeZone? {
        guard let tzid else { return nil }
        var out: [Observance] = []
        for (isDaylight, lines) in raw {
            func value(_ name: String) -> String? { lines.first { $0.name == name }?.value }
            func local(_ text: String) -> Int64? {
                (try? CalendarTime.parse(text, tzid: nil)).map { $0.timestamp.millis / 1000 }
            }
            guard let startText = value("DTSTART"), let start = local(startText),
                let from = value("TZOFFSETFROM").flatMap(Self.offset), let to = value("TZOFFSETTO").flatMap(Self.offset)
            else { continue }
            let rdates = lines.filter { $0.name == "RDATE" }.flatMap { $0.value.split(separator: ",") }.compactMap { local(String($0)) }
            out.append(
                Observance(
                    isDaylight: isDaylight, start: start, offsetFrom: from, offsetTo: to, rule: value("RRULE"),
                    extraStarts: rdates, name: value("TZNAME")))
        }
        return VTimeZone(tzid: tzid, observances: out)
    }

    /// `+HHMM`, `-HHMM` or `±HHMMSS` as seconds east of UTC.
    static func offset(_ text: String) -> Int? {
        let t = text.trimmingFoldingWhitespace()
        guard let sign = t.first, sign == "+" || sign == "-" else { return nil }
        let digits = Array(t.dropFirst())
        guard digits.count == 4 || digits.count == 6, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        let n = digits.map { Int(String($0))! }
        let seconds = (n[0] * 10 + n[1]) * 3600 + (n[2] * 10 + n[3]) * 60 + (digits.count == 6 ? n[4] * 10 + n[5] : 0)
        guard seconds < 24 * 3600 else { return nil }
        return sign == "-" ? -seconds : seconds
    }
}

extension Civil {
    /// Division rounding toward negative infinity.
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
