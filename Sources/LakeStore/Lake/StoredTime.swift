import LakeParsers

/// A record's `occurred_at` as the catalog stores it: milliseconds since 1970-01-01T00:00:00Z
/// (an integer) when the text is exactly `YYYY-MM-DDTHH:MM:SS.mmmZ` and reads back to the same
/// text, else the text itself. Eight bytes instead of twenty-four, ordered as time, and what
/// `archive` compares partition bounds with.
///
/// ```swift
/// StoredTime.millis("2018-05-28T17:27:19.423Z")  // 1527528439423
/// StoredTime.text(1527528439423)                   // "2018-05-28T17:27:19.423Z"
/// ```
enum StoredTime {
    /// The milliseconds of `text`, or nil when it is not the canonical form (or out of years 0…9999).
    static func millis(_ text: String) -> Int64? {
        // Read where the bytes lie (the committer asks once per record): no array made.
        text.withUTF8InPlace { millis($0) }
    }

    static func millis(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 24, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x2E, b[23] == 0x5A
        else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            var v: Int64 = 0
            for i in from..<(from + count) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), let milli = number(20, 3),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milli
    }

    /// The canonical text of `millis` (years 0…9999; the inverse of `millis(_:)`).
    static func text(_ millis: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        write(millis, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the canonical text of `millis`.
    static func write(_ millis: Int64, into out: inout [UInt8]) { Timestamp.writeISO8601(millis, into: &out) }

    /// The first millisecond of month `month` (1…12) of `year`, for partition bounds.
    static func monthStart(year: Int64, month: Int64) -> Int64 {
        daysFromCivil(year: year, month: month, day: 1) * 86_400_000
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 { Civil.daysInMonth(year, month) }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 { Civil.daysFromCivil(year, month, day) }

    /// The date of a day count since 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) { Civil.civilFromDays(days) }
}

/// A record's `source_offset` as the catalog stores it: the offset in minutes, as the digits of
/// a text (`records.source_offset` has text affinity), when the text is exactly `+HH:MM` or
/// `-HH:MM` and reads back the same (`"+00:00"` as `"0"`, `"-05:00"` as `"-300"`; `"-00:00"`
/// stays as it is); any other text as it is, and a text that looks like minutes as a blob, so
/// the stored forms never meet.
///
/// ```swift
/// StoredOffset.value("+05:30")   // .integer(330), stored as the text "330"
/// StoredOffset.text(.text("330"))  // "+05:30"
/// ```
enum StoredOffset {
    /// How `text` is stored (the committer asks once per record: read in place, no array made).
    static func value(_ text: String?) -> SQLiteValue {
        guard let text else { return .null }
        // Bound as an integer: the column's text affinity makes it digits, with no string made here.
        if let m = minutes(text) { return .integer(Int64(m)) }
        return looksLikeMinutes(text) ? .blob(Array(text.utf8)) : .text(text)
    }

    /// The minutes a text is stored as (`value` binds them), nil when it is stored otherwise.
    static func minutes(_ text: String?) -> Int? {
        guard var text else { return nil }
        return text.withUTF8 { minutes($0) }
    }

    /// The minutes a stored value holds, nil for any other stored form.
    static func minutes(stored: SQLiteValue) -> Int? {
        switch stored {
        case .text(let t): looksLikeMinutes(t) ? Int(t) : nil
        case .integer(let m): Int(m)
        default: nil
        }
    }

    /// The text a stored value reads back as.
    static func text(_ stored: SQLiteValue) -> String? {
        switch stored {
        case .text(let t): looksLikeMinutes(t) ? Int(t).map(text) ?? t : t
        case .blob(let b): String(decoding: b, as: UTF8.self)
        case .integer(let m): text(Int(m))
        default: nil
        }
    }

    /// `+HH:MM` / `-HH:MM` of `m` minutes, as a record's offset is spelled (`Timestamp.offsetText`).
    static func text(_ m: Int) -> String { Timestamp.offsetText(seconds: m * 60) }

    /// The minutes of `[+-]H…H:MM` when `text(_:)` spells them so: hours of two digits, or up to
    /// five without a leading zero (so the digits stored, sign included, are at most 8);
    /// minutes below 60; no `-` before zero. Nil otherwise.
    private static func minutes(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = b.count
        guard n >= 6, n <= 9, b[0] == 0x2B || b[0] == 0x2D, b[n - 3] == 0x3A, n == 6 || b[1] != 0x30 else { return nil }
        var total = 0
        for i in 1..<(n - 3) {
            guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
            total = total * 10 + Int(b[i] - 0x30)
        }
        guard b[n - 2] >= 0x30 && b[n - 2] <= 0x35, b[n - 1] >= 0x30 && b[n - 1] <= 0x39 else { return nil }
        total = total * 60 + Int(b[n - 2] - 0x30) * 10 + Int(b[n - 1] - 0x30)
        guard b[0] == 0x2B || total != 0 else { return nil }
        return b[0] == 0x2D ? -total : total
    }

    /// Whether a stored text is digits, an optional `-` first: the stored minutes, and only
    /// those (any other such text is stored as a blob).
    private static func looksLikeMinutes(_ t: String) -> Bool {
        let body = t.utf8.first == 0x2D ? t.utf8.dropFirst() : t.utf8[...]
        return !body.isEmpty && body.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
