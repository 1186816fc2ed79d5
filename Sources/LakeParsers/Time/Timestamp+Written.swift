/// Times written as exports write them, straight into bytes: Twitter's `created_at`
/// (`Wed Oct 10 20:19:24 +0000 2018`) and a mail's `Date` header (`Sun, 9 Apr 2017 09:10:13
/// +0000`). The generator writes its exports with them, and the lake makes a stored record's
/// member again from its time (`CompactData.Rule`).
extension Timestamp {
    /// The length of Twitter's `created_at` text.
    public static let twitterLength = 30
    /// The longest `Date` header text `writeMailDate` writes (a two-digit day).
    public static let mailDateMaxLength = 31

    /// Writes Twitter's `created_at` text of `millis` (UTC, `+0000`, whole seconds: the
    /// milliseconds are dropped) from the start of `out`; its length (`twitterLength`), or nil
    /// for a year outside 0…9999.
    public static func writeTwitter(_ millis: Int64, into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        var w = Writer(out)
        guard let (y, m, d, second, weekday) = fields(millis), out.count >= twitterLength else { return nil }
        w.put(dayNames[weekday])
        w.put(" " + monthNames[Int(m - 1)] + " ")
        w.put(d, 2)
        w.put(" ")
        w.clock(second)
        w.put(" +0000 ")
        w.put(y, 4)
        return w.at
    }

    /// Writes the `Date` header text of `millis` at `offsetMinutes` from UTC, as mail writes it
    /// (RFC 5322: `Www, D Mmm YYYY HH:MM:SS +HHMM`, the day without a leading zero, whole
    /// seconds) from the start of `out`; its length, or nil for a year outside 0…9999 or an
    /// offset of 100 hours or more.
    public static func writeMailDate(_ millis: Int64, offsetMinutes: Int, into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        var w = Writer(out)
        guard abs(offsetMinutes) < 6000, let (y, m, d, second, weekday) = fields(millis + Int64(offsetMinutes) * 60_000),
            out.count >= mailDateMaxLength
        else { return nil }
        w.put(dayNames[weekday] + ", ")
        w.put(d, d < 10 ? 1 : 2)
        w.put(" " + monthNames[Int(m - 1)] + " ")
        w.put(y, 4)
        w.put(" ")
        w.clock(second)
        w.put(offsetMinutes < 0 ? " -" : " +")
        w.put(Int64(abs(offsetMinutes) / 60), 2)
        w.put(Int64(abs(offsetMinutes) % 60), 2)
        return w.at
    }

    /// Appends `writeTwitter`'s text; nothing for a year outside 0…9999.
    public static func appendTwitter(_ millis: Int64, into out: inout [UInt8]) {
        append(into: &out, max: twitterLength) { writeTwitter(millis, into: $0) }
    }

    /// Appends `writeMailDate`'s text; nothing when it writes none.
    public static func appendMailDate(_ millis: Int64, offsetMinutes: Int, into out: inout [UInt8]) {
        append(into: &out, max: mailDateMaxLength) { writeMailDate(millis, offsetMinutes: offsetMinutes, into: $0) }
    }

    private static func append(into out: inout [UInt8], max: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Int?) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: max))
        let n = out.withUnsafeMutableBufferPointer { write(.init(rebasing: $0[start...])) } ?? 0
        out.removeLast(max - n)
    }

    /// The civil fields of `millis` (UTC), its second of the day and its weekday (0 = Monday,
    /// as `dayNames`); nil for a year outside 0…9999.
    private static func fields(_ millis: Int64) -> (Int64, Int64, Int64, Int64, Int)? {
        let (day, ms) = days(millis)
        let (y, m, d) = Civil.civilFromDays(day)
        guard (0...9999).contains(y) else { return nil }
        // 1970-01-01 was a Thursday.
        return (y, m, d, ms / 1000, Int(((day + 3) % 7 + 7) % 7))
    }

    /// Writes bytes in order into a buffer the caller made long enough.
    private struct Writer {
        let out: UnsafeMutableBufferPointer<UInt8>
        var at = 0
        init(_ out: UnsafeMutableBufferPointer<UInt8>) { self.out = out }

        mutating func put(_ s: String) {
            for b in s.utf8 {
                out[at] = b
                at += 1
            }
        }

        /// `v` as `width` digits, zeros in front.
        mutating func put(_ v: Int64, _ width: Int) {
            var rest = v
            for i in stride(from: width - 1, through: 0, by: -1) {
                out[at + i] = 0x30 + UInt8(rest % 10)
                rest /= 10
            }
            at += width
        }

        /// `HH:MM:SS` of a second of the day.
        mutating func clock(_ second: Int64) {
            put(second / 3600, 2)
            put(":")
            put(second / 60 % 60, 2)
            put(":")
            put(second % 60, 2)
        }
    }
}
