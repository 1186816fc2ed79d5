import LakeCore

/// An instant in milliseconds since 1970-01-01T00:00:00Z, with the UTC offset the source
/// wrote it in when the source gave one.
///
/// ```swift
/// let t = try Timestamp.parseTwitter("Wed Oct 10 20:19:24 +0000 2018")
/// t.iso8601        // "2018-10-10T20:19:24.000Z"
/// t.offsetText     // "+00:00"
/// ```
public struct Timestamp: Equatable, Sendable {
    public var millis: Int64
    /// Seconds east of UTC, or nil when the source gave no offset.
    public var offsetSeconds: Int?

    public init(millis: Int64, offsetSeconds: Int?) {
        self.millis = millis
        self.offsetSeconds = offsetSeconds
    }

    /// Earliest and latest instants the lake writes: years 0001 to 9999.
    public static let minMillis: Int64 = Civil.daysFromCivil(1, 1, 1) * 86_400_000
    public static let maxMillis: Int64 = (Civil.daysFromCivil(9999, 12, 31) + 1) * 86_400_000 - 1

    /// UTC ISO-8601 with milliseconds: `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public var iso8601: String {
        // Years 0-9999 (every instant the lake writes) are 24 bytes, written into the string.
        guard let fields = Self.fixedFields(millis) else {
            var out: [UInt8] = []
            Self.writeISO8601(millis, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: 24) { b in
            Self.writeFixed(fields, b, 0)
            return 24
        }
    }

    /// The monthly partition key `YYYY-MM` (UTC).
    public var partition: String {
        let (y, m, _) = Civil.civilFromDays(Self.days(millis).days)
        guard (0...9999).contains(y) else { return String(iso8601.prefix(7)) }
        return String(unsafeUninitializedCapacity: 7) { b in
            Self.digits(y, 4, b, 0)
            b[4] = 0x2D
            Self.digits(m, 2, b, 5)
            return 7
        }
    }

    /// The source offset as `+HH:MM` / `-HH:MM`, or nil.
    public var offsetText: String? { offsetSeconds.map(Self.offsetText(seconds:)) }

    /// `+HH:MM` / `-HH:MM` of an offset of `o` seconds (more digits of hours past 99; seconds
    /// dropped), as `offsetText` spells it.
    public static func offsetText(seconds o: Int) -> String {
        let a = Int64(abs(o))
        guard a < 360_000 else {
            var out: [UInt8] = [o < 0 ? 0x2D : 0x2B]
            Self.pad(a / 3600, 2, into: &out)
            out.append(0x3A)
            Self.pad((a / 60) % 60, 2, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: 6) { b in
            b[0] = o < 0 ? 0x2D : 0x2B
            Self.digits(a / 3600, 2, b, 1)
            b[3] = 0x3A
            Self.digits((a / 60) % 60, 2, b, 4)
            return 6
        }
    }

    /// The date and the milliseconds into the day of `millis` when its year is 0-9999 (its
    /// ISO-8601 text is then 24 bytes), else nil.
    static func fixedFields(_ millis: Int64) -> (y: Int64, m: Int64, d: Int64, ms: Int64)? {
        let (days, ms) = Self.days(millis)
        let (y, m, d) = Civil.civilFromDays(days)
        return (0...9999).contains(y) ? (y, m, d, ms) : nil
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` of `fixedFields`, 24 bytes at `at`.
    static func writeFixed(_ f: (y: Int64, m: Int64, d: Int64, ms: Int64), _ b: UnsafeMutableBufferPointer<UInt8>, _ at: Int) {
        digits(f.y, 4, b, at)
        b[at + 4] = 0x2D
        digits(f.m, 2, b, at + 5)
        b[at + 7] = 0x2D
        digits(f.d, 2, b, at + 8)
        b[at + 10] = 0x54
        digits(f.ms / 3_600_000, 2, b, at + 11)
        b[at + 13] = 0x3A
        digits((f.ms / 60_000) % 60, 2, b, at + 14)
        b[at + 16] = 0x3A
        digits((f.ms / 1000) % 60, 2, b, at + 17)
        b[at + 19] = 0x2E
        digits(f.ms % 1000, 3, b, at + 20)
        b[at + 23] = 0x5A
    }

    /// The last `width` decimal digits of `v` (0 ≤ v) written at `at`, zeros in front.
    @inline(__always)
    static func digits(_ v: Int64, _ width: Int, _ b: UnsafeMutableBufferPointer<UInt8>, _ at: Int) {
        var rest = v
        for k in stride(from: at + width - 1, through: at, by: -1) {
            b[k] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
    }

    /// Appends `millis` as UTC ISO-8601 with milliseconds, `YYYY-MM-DDTHH:MM:SS.mmmZ` (a year
    /// past 9999 gets its digits, one before 1000 its leading zeros).
    public static func writeISO8601(_ millis: Int64, into out: inout [UInt8]) {
        if let fields = fixedFields(millis) {
            let start = out.count
            out.append(contentsOf: repeatElement(0, count: 24))
            out.withUnsafeMutableBufferPointer { writeFixed(fields, $0, start) }
            return
        }
        let (days, ms) = Self.days(millis)
        let (y, m, d) = Civil.civilFromDays(days)
        pad(y, 4, into: &out)
        out.append(0x2D)
        pad(m, 2, into: &out)
        out.append(0x2D)
        pad(d, 2, into: &out)
        out.append(0x54)
        pad(ms / 3_600_000, 2, into: &out)
        out.append(0x3A)
        pad((ms / 60_000) % 60, 2, into: &out)
        out.append(0x3A)
        pad((ms / 1000) % 60, 2, into: &out)
        out.append(0x2E)
        pad(ms % 1000, 3, into: &out)
        out.append(0x5A)
    }

    /// Whole days since 1970-01-01 (rounded down) and the milliseconds into the last one.
    static func days(_ millis: Int64) -> (days: Int64, millis: Int64) {
        let days = millis >= 0 ? millis / 86_400_000 : -((-millis - 1) / 86_400_000) - 1
        return (days, millis - days * 86_400_000)
    }

    /// `v`'s decimal digits, zeros in front up to `width` characters (a negative value as
    /// `String` writes it, zeros in front of its sign, as this has always written it).
    static func pad(_ v: Int64, _ width: Int, into out: inout [UInt8]) {
        guard v >= 0 else {
            let s = Array(String(v).utf8)
            if s.count < width { out.append(contentsOf: repeatElement(0x30, count: width - s.count)) }
            out.append(contentsOf: s)
            return
        }
        var digits = 1
        var limit: Int64 = 10
        while v >= limit && digits < 19 {
            digits += 1
            limit &*= 10
        }
        if digits < width { out.append(contentsOf: repeatElement(0x30, count: width - digits)) }
        var div: Int64 = 1
        for _ in 1..<digits { div *= 10 }
        var rest = v
        while div > 0 {
            out.append(0x30 + UInt8(rest / div))
            rest %= div
            div /= 10
        }
    }
}

/// Proleptic Gregorian calendar arithmetic (days since 1970-01-01), after Howard Hinnant's
/// `days_from_civil` / `civil_from_days` algorithms.
public enum Civil {
    public static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Why a timestamp was refused.
public struct TimestampError: Error, Equatable, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "timestamp.invalid: \(reason)" }

    public func lakeError(input: String? = nil, entry: String? = nil, location: String? = nil) -> LakeError {
        LakeError(.timestampInvalid, scope: .entry, input: input, entry: entry, location: location, message: reason)
    }
}

extension Timestamp {
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// Builds an instant from civil fields, refusing impossible ones (month 13, Feb 30,
    /// hour 24, offsets past ±18:00).
    public static func make(
        _ text: @autoclosure () -> String, year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64,
        millis: Int64, offsetSeconds: Int?
    ) throws -> Timestamp {
        func bad(_ why: String) -> TimestampError { TimestampError(text: text(), reason: why) }
        guard (1...9999).contains(year) else { throw bad("year out of range 0001-9999") }
        guard (1...12).contains(month) else { throw bad("month out of range") }
        guard day >= 1, day <= Civil.daysInMonth(year, month) else { throw bad("day out of range for the month") }
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            throw bad("time of day out of range")
        }
        if let o = offsetSeconds, abs(o) > 18 * 3600 { throw bad("UTC offset out of range ±18:00") }
        let days = Civil.daysFromCivil(year, month, day)
        let local = ((days * 24 + hour) * 60 + minute) * 60 + second
        let utc = (local - Int64(offsetSeconds ?? 0)) * 1000 + millis
        guard utc >= minMillis, utc <= maxMillis else { throw bad("instant out of range 0001-9999") }
        return Timestamp(millis: utc, offsetSeconds: offsetSeconds)
    }

    /// Twitter's `created_at`: `Sat Aug 12 16:10:37 +0000 2023` (`%a %b %d %H:%M:%S %z %Y`).
    /// The weekday must be a valid name; it is not checked against the date.
    public static func parseTwitter(_ text: String) throws -> Timestamp {
        if let t = twitterFromBytes(text) { return t }
        return try twitterByFields(text)
    }

    /// `parseTwitter` for any text, field by field, with the reason a text is refused.
    static func twitterByFields(_ text: String) throws -> Timestamp {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        func bad(_ why: String) -> TimestampError { TimestampError(text: text, reason: why) }
        guard parts.count == 6 else { throw bad("expected `Www Mmm DD HH:MM:SS +HHMM YYYY`") }
        guard dayNames.contains(String(parts[0])) else { throw bad("unknown weekday name") }
        guard let monthIndex = monthNames.firstIndex(of: String(parts[1])) else { throw bad("unknown month name") }
        guard parts[2].count == 2, let day = Int64(parts[2]) else { throw bad("day is not two digits") }
        let hms = parts[3].split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, hms.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }) else {
            throw bad("time is not HH:MM:SS")
        }
        let offset = try parseOffset(String(parts[4]), text: text, colon: false)
        guard parts[5].count == 4, parts[5].allSatisfy(\.isASCIIDigit), let year = Int64(parts[5]) else {
            throw bad("year is not four digits")
        }
        return try make(
            text, year: year, month: Int64(monthIndex + 1), day: day, hour: Int64(hms[0])!, minute: Int64(hms[1])!,
            second: Int64(hms[2])!, millis: 0, offsetSeconds: offset)
    }

    /// `parseTwitter` of a well-formed text, read from its 30 bytes with no split and no
    /// `String` per field (an mbox's `From ` lines and every tweet come here); nil for anything
    /// else, which the general path then reads (and explains).
    static func twitterFromBytes(_ text: String) -> Timestamp? {
        var bytes = text
        return bytes.withUTF8 { b -> Timestamp? in
            guard b.count == 30, b[3] == 0x20, b[7] == 0x20, b[10] == 0x20, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x20,
                b[25] == 0x20, b[20] == UInt8(ascii: "+") || b[20] == UInt8(ascii: "-")
            else { return nil }
            guard dayCodes.contains(nameCode(b, at: 0)), let month = monthCodes.firstIndex(of: nameCode(b, at: 4)) else { return nil }
            guard let day = decimal(b, 8..<10), let hour = decimal(b, 11..<13), let minute = decimal(b, 14..<16),
                let second = decimal(b, 17..<19), let oh = decimal(b, 21..<23), let om = decimal(b, 23..<25), let year = decimal(b, 26..<30)
            else { return nil }
            guard oh <= 23, om <= 59 else { return nil }
            let offset = (b[20] == UInt8(ascii: "-") ? -1 : 1) * Int(oh * 3600 + om * 60)
            return try? make(
                text, year: year, month: Int64(month + 1), day: day, hour: hour, minute: minute, second: second, millis: 0,
                offsetSeconds: offset)
        }
    }

    /// The decimal number `b[range]` spells; nil unless every byte is a digit.
    static func decimal(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        var v: Int64 = 0
        for i in range {
            let d = b[i] &- 0x30
            guard d <= 9 else { return nil }
            v = v * 10 + Int64(d)
        }
        return v
    }

    /// `dayNames` and `monthNames` as their three bytes in one integer.
    static let dayCodes = dayNames.map(nameCode), monthCodes = monthNames.map(nameCode)

    private static func nameCode(_ name: String) -> UInt32 { name.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

    /// The code of the three bytes at `at`, as `nameCode` gives a name's.
    static func nameCode(_ b: UnsafeBufferPointer<UInt8>, at: Int) -> UInt32 {
        UInt32(b[at]) << 16 | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2])
    }

    /// `+HHMM` (colon false) or `+HH:MM` (colon true).
    static func parseOffset(_ s: String, text: String, colon: Bool) throws -> Int {
        let b = Array(s.utf8)
        let ok = colon ? (b.count == 6 && b[3] == UInt8(ascii: ":")) : b.count == 5
        guard ok, b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-") else {
            throw TimestampError(text: text, reason: "UTC offset is not ±HH\(colon ? ":" : "")MM")
        }
        let digits = colon ? [b[1], b[2], b[4], b[5]] : [b[1], b[2], b[3], b[4]]
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw TimestampError(text: text, reason: "UTC offset is not numeric")
        }
        let h = Int(digits[0] - 0x30) * 10 + Int(digits[1] - 0x30)
        let m = Int(digits[2] - 0x30) * 10 + Int(digits[3] - 0x30)
        guard h <= 23, m <= 59 else { throw TimestampError(text: text, reason: "UTC offset out of range") }
        return (b[0] == UInt8(ascii: "-") ? -1 : 1) * (h * 3600 + m * 60)
    }

    /// ISO-8601 / RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`; a space may
    /// stand for `T`. Fractions past milliseconds are truncated toward the past.
    public static func parseISO8601(_ text: String) throws -> Timestamp {
        var text = text
        return try text.withUTF8 { try parseISO8601(bytes: $0) }
    }

    /// `parseISO8601` of the text whose UTF-8 is `b` (the text is made only for an error).
    public static func parseISO8601(bytes b: UnsafeBufferPointer<UInt8>) throws -> Timestamp {
        func text() -> String { String(decoding: b, as: UTF8.self) }
        func bad(_ why: String) -> TimestampError { TimestampError(text: text(), reason: why) }
        func num(_ r: Range<Int>) throws -> Int64 {
            guard r.upperBound <= b.count else { throw bad("too short for YYYY-MM-DDTHH:MM:SS") }
            var v: Int64 = 0
            for i in r {
                guard (0x30...0x39).contains(b[i]) else { throw bad("expected a digit at character \(i + 1)") }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard b.count >= 19 else { throw bad("too short for YYYY-MM-DDTHH:MM:SS") }
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == 0x20,
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":")
        else { throw bad("not YYYY-MM-DDTHH:MM:SS") }
        let year = try num(0..<4), month = try num(5..<7), day = try num(8..<10)
        let hour = try num(11..<13), minute = try num(14..<16), second = try num(17..<19)
        var i = 19
        var millis: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }
            let digits = i - start
            guard (1...9).contains(digits) else { throw bad("fraction must have 1 to 9 digits") }
            var frac = try num(start..<min(i, start + 3))
            for _ in 0..<max(0, 3 - digits) { frac *= 10 }
            millis = frac
        }
        guard i < b.count else { throw bad("missing `Z` or UTC offset") }
        var offset: Int
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            offset = 0
            i += 1
        } else {
            offset = try parseOffset(String(decoding: b[i..<min(b.count, i + 6)], as: UTF8.self), text: text(), colon: true)
            i += 6
        }
        guard i == b.count else { throw bad("characters after the UTC offset") }
        return try make(
            text(), year: year, month: month, day: day, hour: hour, minute: minute, second: second, millis: millis,
            offsetSeconds: offset)
    }
}

extension Character {
    /// `0`-`9` only (unlike `isNumber`, which takes every Unicode digit).
    public var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
