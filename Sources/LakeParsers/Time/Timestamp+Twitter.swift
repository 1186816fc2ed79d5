extension Timestamp {
    /// The length of Twitter's `created_at` text: `Wed Oct 10 20:19:24 +0000 2018`.
    public static let twitterLength = 30

    /// Writes Twitter's `created_at` text of `millis` (UTC, `+0000`, whole seconds: the
    /// milliseconds are dropped), `twitterLength` bytes from the start of `out`; false (nothing
    /// meaningful written) for a year outside 0…9999.
    public static func writeTwitter(_ millis: Int64, into out: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        let (day, ms) = days(millis)
        let (y, m, d) = Civil.civilFromDays(day)
        guard (0...9999).contains(y), out.count >= twitterLength else { return false }
        var at = 0
        func put(_ s: String) {
            for b in s.utf8 {
                out[at] = b
                at += 1
            }
        }
        func put(_ v: Int64, _ width: Int) {
            var rest = v
            for i in stride(from: width - 1, through: 0, by: -1) {
                out[at + i] = 0x30 + UInt8(rest % 10)
                rest /= 10
            }
            at += width
        }
        // 1970-01-01 was a Thursday (`dayNames` starts on Monday).
        put(dayNames[Int(((day + 3) % 7 + 7) % 7)])
        put(" " + monthNames[Int(m - 1)] + " ")
        put(d, 2)
        put(" ")
        put(ms / 3_600_000, 2)
        put(":")
        put(ms / 60_000 % 60, 2)
        put(":")
        put(ms / 1000 % 60, 2)
        put(" +0000 ")
        put(y, 4)
        return true
    }

    /// Appends `writeTwitter`'s text; nothing for a year outside 0…9999.
    public static func appendTwitter(_ millis: Int64, into out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: twitterLength))
        let ok = out.withUnsafeMutableBufferPointer { writeTwitter(millis, into: .init(rebasing: $0[start...])) }
        if !ok { out.removeLast(twitterLength) }
    }
}
