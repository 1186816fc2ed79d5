import Foundation
import LakeCore
import LakeIngest
import LakeParsers

/// Twitter's own text forms, written straight into bytes: `created_at`, ISO times, digits, pretty JSON.
extension TwitterProfile {
    /// Twitter's `created_at` for an instant, always `+0000` as the archive writes it.
    static func createdAt(_ millis: Int64) -> String {
        let day = millis >= 0 ? millis / 86_400_000 : -((-millis - 1) / 86_400_000) - 1
        let (y, m, d) = Civil.civilFromDays(day)
        let secondOfDay = (millis - day * 86_400_000) / 1000
        func p2(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let weekday = days[Int(((day + 3) % 7 + 7) % 7)]
        return "\(weekday) \(months[Int(m - 1)]) \(p2(d)) \(p2(secondOfDay / 3600)):\(p2(secondOfDay / 60 % 60)):\(p2(secondOfDay % 60)) +0000 \(y)"
    }

    static func iso(_ millis: Int64) -> String { Timestamp(millis: millis, offsetSeconds: 0).iso8601 }

    /// `createdAt(millis)`'s bytes, without a `String`.
    static func appendCreatedAt(_ millis: Int64, into out: inout [UInt8]) {
        let day = millis >= 0 ? millis / 86_400_000 : -((-millis - 1) / 86_400_000) - 1
        let (y, m, d) = Civil.civilFromDays(day)
        let second = (millis - day * 86_400_000) / 1000
        out += days[Int(((day + 3) % 7 + 7) % 7)].utf8
        out.append(0x20)
        out += months[Int(m - 1)].utf8
        out.append(0x20)
        digits(d, width: 2, into: &out)
        out.append(0x20)
        digits(second / 3600, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        digits(second / 60 % 60, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        digits(second % 60, width: 2, into: &out)
        out += " +0000 ".utf8
        digits(y, width: 4, into: &out)
    }

    /// Appends `v` as `width` decimal digits.
    static func digits(_ v: Int64, width: Int, into out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = v
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// `iso(millis)`'s bytes for years 1000-9999 (`2024-06-01T12:00:00.000Z`), without a `String`.
    static func appendISO(_ millis: Int64, into out: inout [UInt8]) {
        let day = millis / 86_400_000
        let (y, m, d) = Civil.civilFromDays(day)
        let ms = millis - day * 86_400_000
        digits(y, width: 4, into: &out)
        out.append(UInt8(ascii: "-"))
        digits(m, width: 2, into: &out)
        out.append(UInt8(ascii: "-"))
        digits(d, width: 2, into: &out)
        out.append(UInt8(ascii: "T"))
        digits(ms / 3_600_000, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        digits(ms / 60_000 % 60, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        digits(ms / 1000 % 60, width: 2, into: &out)
        out.append(UInt8(ascii: "."))
        digits(ms % 1000, width: 3, into: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Twitter's pretty-printing: 2-space indent, `"key" : value`, `[ {` / `}, {` / `} ]` between
    /// top-level elements.
    static func pretty(_ v: JSONValue, indent: Int, into out: inout [UInt8]) {
        PrettyJSON.twitter.write(v, indent: indent, into: &out)
    }
}
