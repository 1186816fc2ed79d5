// The other timestamp forms personal-data exports use (docs/SPEC.md, "Timestamps").

extension Timestamp {
    /// Which parser matched, for lineage and reports.
    public enum Format: String, Sendable, Equatable {
        case iso8601, rfc2822, twitter, asctime, takeoutHTML = "takeout_html", epoch
    }

    /// Unit of an epoch number.
    public enum EpochUnit: String, Sendable, Equatable {
        case seconds, milliseconds, microseconds, nanoseconds

        /// The unit of an integer epoch, told apart by its number of digits (sign excluded):
        /// up to 11 digits seconds (to year 5138), 12-14 milliseconds, 15-17 microseconds,
        /// 18-19 nanoseconds. More digits are an error.
        public static func byMagnitude(digits: Int) -> EpochUnit? {
            switch digits {
            case 1...11: return .seconds
            case 12...14: return .milliseconds
            case 15...17: return .microseconds
            case 18...19: return .nanoseconds
            default: return nil
            }
        }

        var perSecond: Int64 {
            switch self {
            case .seconds: return 1
            case .milliseconds: return 1000
            case .microseconds: return 1_000_000
            case .nanoseconds: return 1_000_000_000
            }
        }
    }

    /// An epoch given as digits (a JSON number's spelling or a digit string such as Facebook's
    /// and Photos' `"1258549448"`): optional `-`, digits, optional `.` fraction. With `unit`
    /// nil, the unit comes from the number of integer digits (`EpochUnit.byMagnitude`).
    /// Sub-millisecond parts are truncated toward the past. No offset is known.
    public static func parseEpoch(_ text: String, unit: EpochUnit? = nil) throws -> Timestamp {
        func bad(_ why: String) -> TimestampError { TimestampError(text: text, reason: why) }
        var b = Array(text.utf8)
        let negative = b.first == UInt8(ascii: "-")
        if negative { b.removeFirst() }
        let dot = b.firstIndex(of: UInt8(ascii: "."))
        let intPart = Array(b[..<(dot ?? b.count)])
        let fracPart = dot.map { Array(b[($0 + 1)...]) } ?? []
        guard !intPart.isEmpty, intPart.allSatisfy({ (0x30...0x39).contains($0) }),
            fracPart.allSatisfy({ (0x30...0x39).contains($0) }), dot == nil || !fracPart.isEmpty
        else { throw bad("not an epoch number") }
        let significant = intPart.drop(while: { $0 == 0x30 })
        guard let u = unit ?? EpochUnit.byMagnitude(digits: max(1, significant.count)) else {
            throw bad("epoch has too many digits to be seconds, ms, µs or ns")
        }
        guard significant.count <= 19, let whole = UInt64(String(decoding: intPart, as: UTF8.self)) else {
            throw bad("epoch out of range")
        }
        // The fraction in units of 1e-9 of the epoch's unit (digits past 9 dropped).
        let nine = Array((fracPart + [UInt8](repeating: 0x30, count: 9)).prefix(9))
        let fraction = UInt64(String(decoding: nine, as: UTF8.self))!
        let perSecond = UInt64(u.perSecond)
        let seconds = whole / perSecond
        guard seconds <= 300_000_000_000 else { throw bad("instant out of range 0001-9999") }
        // Below a second: (remainder of the unit + fraction) in 1e-9 units, then milliseconds.
        let below = (whole % perSecond) * 1_000_000_000 + fraction
        let divisor = perSecond * 1_000_000
        var millis = Int64(seconds) * 1000 + Int64(below / divisor)
        if negative {
            millis = -millis
            if below % divisor != 0 { millis -= 1 }  // floor, toward the past
        }
        guard millis >= minMillis, millis <= maxMillis else { throw bad("instant out of range 0001-9999") }
        return Timestamp(millis: millis, offsetSeconds: nil)
    }

    /// RFC 2822 / RFC 5322 date-time, as in mail `Date:` headers:
    /// `[Www, ]D[D] Mmm YYYY HH:MM[:SS] zone [(comment)]`. Zone: `±HHMM`, `UT`, `GMT`, `Z`, or the
    /// US zones `EST EDT CST CDT MST MDT PST PDT`. Two-digit years: 00-49 are 20xx, 50-99 19xx.
    /// `-0000` (time in unknown zone) gives no source offset.
    public static func parseRFC2822(_ text: String) throws -> Timestamp {
        if let t = rfc2822FromBytes(text) { return t }
        return try rfc2822ByFields(text)
    }

    /// `parseRFC2822` of the form mail clients write, `Www, D[D] Mmm YYYY HH:MM:SS ±HHMM` (the
    /// weekday optional, names as `dayNames` and `monthNames` spell them, single spaces, nothing
    /// after), read from its bytes with no split and no `String` per field; nil for any other
    /// text, which the general path then reads (and explains).
    static func rfc2822FromBytes(_ text: String) -> Timestamp? {
        var bytes = text
        return bytes.withUTF8 { b -> Timestamp? in
            var i = 0
            if b.count > 5, b[3] == UInt8(ascii: ","), b[4] == 0x20 {
                guard dayCodes.contains(nameCode(b, at: 0)) else { return nil }
                i = 5
            }
            // D[D] Mmm YYYY HH:MM:SS ±HHMM: 25 or 26 bytes.
            let dayDigits = b.count - i - 24
            guard dayDigits == 1 || dayDigits == 2 else { return nil }
            let m = i + dayDigits
            guard b[m] == 0x20, b[m + 4] == 0x20, b[m + 9] == 0x20, b[m + 12] == 0x3A, b[m + 15] == 0x3A, b[m + 18] == 0x20,
                b[m + 19] == UInt8(ascii: "+") || b[m + 19] == UInt8(ascii: "-"),
                let month = monthCodes.firstIndex(of: nameCode(b, at: m + 1))
            else { return nil }
            guard let day = decimal(b, i..<m), let year = decimal(b, (m + 5)..<(m + 9)), let hour = decimal(b, (m + 10)..<(m + 12)),
                let minute = decimal(b, (m + 13)..<(m + 15)), let second = decimal(b, (m + 16)..<(m + 18)),
                let oh = decimal(b, (m + 20)..<(m + 22)), let om = decimal(b, (m + 22)..<(m + 24)), oh <= 23, om <= 59
            else { return nil }
            // `-0000`: the time is UTC and its offset unknown (RFC 5322 3.3).
            let unknown = b[m + 19] == UInt8(ascii: "-") && oh == 0 && om == 0
            let offset = (b[m + 19] == UInt8(ascii: "-") ? -1 : 1) * Int(oh * 3600 + om * 60)
            guard
                let t = try? make(
                    text, year: year, month: Int64(month + 1), day: day, hour: hour, minute: minute, second: second, millis: 0,
                    offsetSeconds: offset)
            else { return nil }
            return Timestamp(millis: t.millis, offsetSeconds: unknown ? nil : offset)
        }
    }

    /// `parseRFC2822` for any text, field by field, with the reason a text is refused.
    static func rfc2822ByFields(_ text: String) throws -> Timestamp {
        func bad(_ why: String) -> TimestampError { TimestampError(text: text, reason: why) }
        var s = text
        if let paren = s.firstIndex(of: "(") { s = String(s[..<paren]) }
        var parts = s.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let first = parts.first, first.hasSuffix(",") {
            guard dayNames.contains(String(first.dropLast())) else { throw bad("unknown weekday name") }
            parts.removeFirst()
        } else if let first = parts.first, dayNames.contains(first) {
            throw bad("weekday without a comma")
        }
        guard parts.count == 5 else { throw bad("expected `D Mmm YYYY HH:MM[:SS] zone`") }
        guard let day = Int64(parts[0]), parts[0].count <= 2 else { throw bad("day is not a number") }
        guard let monthIndex = monthNames.firstIndex(where: { $0.caseInsensitiveCompare(parts[1]) }) else {
            throw bad("unknown month name")
        }
        guard parts[2].allSatisfy(\.isASCIIDigit), var year = Int64(parts[2]), parts[2].count == 2 || parts[2].count == 4 else {
            throw bad("year is not 2 or 4 digits")
        }
        if parts[2].count == 2 { year += year < 50 ? 2000 : 1900 }
        let hms = parts[3].split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 2 || hms.count == 3, hms.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }) else {
            throw bad("time is not HH:MM[:SS]")
        }
        let zone = parts[4]
        var offset: Int?
        let named: [String: Int] = [
            "UT": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
        ]
        if let h = named[zone.uppercased()] {
            offset = h * 3600
        } else if zone == "-0000" {
            offset = nil
        } else {
            offset = try parseOffset(zone, text: text, colon: false)
        }
        let t = try make(
            text, year: year, month: Int64(monthIndex + 1), day: day, hour: Int64(hms[0])!, minute: Int64(hms[1])!,
            second: hms.count == 3 ? Int64(hms[2])! : 0, millis: 0, offsetSeconds: offset ?? 0)
        return Timestamp(millis: t.millis, offsetSeconds: offset)
    }

    /// The asctime form of mbox `From ` lines: `Www Mmm [D]D HH:MM:SS YYYY` (classic, day padded
    /// with a space, no zone: taken as UTC with no source offset) or Gmail's
    /// `Www Mmm DD HH:MM:SS ±HHMM YYYY` (same as Twitter's `created_at`).
    public static func parseAsctime(_ text: String) throws -> Timestamp {
        // A well-formed Twitter-style text (an mbox `From ` line's) read from its bytes, before
        // any split: the six-field branch below would give `parseTwitter` the same text.
        if let t = twitterFromBytes(text) { return t }
        return try asctimeByFields(text)
    }

    /// `parseAsctime` for any text, field by field, with the reason a text is refused.
    static func asctimeByFields(_ text: String) throws -> Timestamp {
        let parts = text.split(separator: " ").map(String.init)
        func bad(_ why: String) -> TimestampError { TimestampError(text: text, reason: why) }
        if parts.count == 6 {
            return try parseTwitter(parts.joined(separator: " ").replacingDay(parts[2]))
        }
        guard parts.count == 5 else { throw bad("expected `Www Mmm DD HH:MM:SS YYYY`") }
        guard dayNames.contains(parts[0]) else { throw bad("unknown weekday name") }
        guard let monthIndex = monthNames.firstIndex(of: parts[1]) else { throw bad("unknown month name") }
        guard parts[2].count <= 2, parts[2].allSatisfy(\.isASCIIDigit), let day = Int64(parts[2]) else { throw bad("day is not a number") }
        let hms = parts[3].split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, hms.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }) else { throw bad("time is not HH:MM:SS") }
        guard parts[4].count == 4, parts[4].allSatisfy(\.isASCIIDigit), let year = Int64(parts[4]) else {
            throw bad("year is not four digits")
        }
        let t = try make(
            text, year: year, month: Int64(monthIndex + 1), day: day, hour: Int64(hms[0])!, minute: Int64(hms[1])!,
            second: Int64(hms[2])!, millis: 0, offsetSeconds: 0)
        return Timestamp(millis: t.millis, offsetSeconds: nil)
    }

    /// Fixed offsets (hours east of UTC, as minutes) of the zone abbreviations legacy Takeout
    /// HTML pages print. `IST` is India (+05:30). Unknown abbreviations are errors.
    public static let zoneAbbreviations: [String: Int] = [
        "UTC": 0, "GMT": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330, "CET": 60, "CEST": 120, "EET": 120,
        "EEST": 180, "MSK": 180, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
        "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600, "JST": 540, "KST": 540, "SGT": 480,
        "HKT": 480, "AEST": 600, "AEDT": 660, "ACST": 570, "ACDT": 630, "AWST": 480, "NZST": 720, "NZDT": 780,
    ]

    /// Legacy Takeout My Activity HTML dates: `Mmm D, YYYY, H:MM:SS AM|PM[ ZONE]`. Spaces may be
    /// U+0020, U+00A0 or U+202F. With no zone the time is UTC (pre-2018 pages). A zone
    /// abbreviation is applied as its fixed offset from `zoneAbbreviations`, even though Google
    /// printed the exporter's zone at export time (so the offset can be an hour off for events
    /// on the other side of a DST change); the record keeps the offset it was read with.
    public static func parseTakeoutHTML(_ text: String) throws -> Timestamp {
        func bad(_ why: String) -> TimestampError { TimestampError(text: text, reason: why) }
        // U+00A0 and U+202F are the only scalars made spaces: a text with neither lead byte
        // (C2, E2) is kept as it is, not rebuilt character by character.
        let normalized =
            text.utf8.contains(where: { $0 == 0xC2 || $0 == 0xE2 })
            ? String(text.map { $0 == "\u{00A0}" || $0 == "\u{202F}" ? " " : $0 }) : text
        let parts = normalized.split(separator: " ").map(String.init)
        guard parts.count == 5 || parts.count == 6 else { throw bad("expected `Mmm D, YYYY, H:MM:SS AM|PM [ZONE]`") }
        guard let monthIndex = monthNames.firstIndex(of: parts[0]) else { throw bad("unknown month name") }
        guard parts[1].hasSuffix(","), let day = Int64(parts[1].dropLast()), parts[1].count <= 3 else { throw bad("day is not `D,`") }
        guard parts[2].hasSuffix(","), parts[2].count == 5, let year = Int64(parts[2].dropLast()) else { throw bad("year is not `YYYY,`") }
        let hms = parts[3].split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, hms[0].count <= 2, hms[1].count == 2, hms[2].count == 2,
            hms.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }), var hour = Int64(hms[0]), (1...12).contains(hour)
        else { throw bad("time is not H:MM:SS on a 12-hour clock") }
        switch parts[4] {
        case "AM": if hour == 12 { hour = 0 }
        case "PM": if hour != 12 { hour += 12 }
        default: throw bad("expected AM or PM")
        }
        var offset = 0
        if parts.count == 6 {
            guard let minutes = zoneAbbreviations[parts[5]] else { throw bad("unknown time zone abbreviation") }
            offset = minutes * 60
        }
        return try make(
            text, year: year, month: Int64(monthIndex + 1), day: day, hour: hour, minute: Int64(hms[1])!,
            second: Int64(hms[2])!, millis: 0, offsetSeconds: offset)
    }

    /// Tries every form in a fixed order: ISO-8601, epoch digits, RFC 2822, Twitter/asctime,
    /// Takeout HTML. The first that parses wins.
    public static func parseAny(_ text: String) throws -> (Timestamp, Format) {
        let trimmed = text.trimmingASCIIWhitespace()
        if let t = try? parseISO8601(trimmed) { return (t, .iso8601) }
        if let t = try? parseEpoch(trimmed) { return (t, .epoch) }
        if let t = try? parseRFC2822(trimmed) { return (t, .rfc2822) }
        if let t = try? parseTwitter(trimmed) { return (t, .twitter) }
        if let t = try? parseAsctime(trimmed) { return (t, .asctime) }
        if let t = try? parseTakeoutHTML(trimmed) { return (t, .takeoutHTML) }
        throw TimestampError(text: text, reason: "no supported timestamp form matches")
    }
}

extension String {
    /// Zero-pads a one-digit day so Gmail's `From ` lines fit the Twitter parser.
    fileprivate func replacingDay(_ day: String) -> String {
        guard day.count == 1 else { return self }
        let parts = split(separator: " ").map(String.init)
        return ([parts[0], parts[1], "0" + day] + parts[3...]).joined(separator: " ")
    }

    fileprivate func caseInsensitiveCompare(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
