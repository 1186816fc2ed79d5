import CICU
import Foundation

/// Time zone names as calendars write them, to zones (docs/SPEC.md 5.8, "Zones"): IANA names, the same
/// behind a vendor prefix (`/mozilla.org/20050126_1/America/New_York`), Windows names
/// (`Eastern Standard Time`, mapped by CLDR's windowsZones through ICU), and Outlook's display
/// labels (`(UTC-03:00) Brasília`), which give a fixed offset only.
public enum ZoneNames {
    /// The IANA zone `tzid` names, directly, behind a vendor prefix, or as a Windows name.
    public static func zone(_ tzid: String) -> TimeZone? {
        let name = tzid.trimmingCharacters(in: "\"").trimmingFoldingWhitespace()
        guard !name.isEmpty else { return nil }
        if let z = iana(name) { return z }
        if let windows = windowsToIANA(name), let z = TimeZone(identifier: windows) { return z }
        // A vendor prefix: the last two or three path components may be an IANA name.
        let parts = name.split(separator: "/")
        if parts.count > 2 {
            for n in [3, 2] where parts.count > n {
                if let z = iana(parts.suffix(n).joined(separator: "/")) { return z }
            }
        }
        return nil
    }

    /// Only real IANA names (Foundation also accepts abbreviations like `EST`; those are kept:
    /// RFC 5545 readers treat them the same way).
    static func iana(_ name: String) -> TimeZone? {
        guard name.unicodeScalars.allSatisfy({ $0.isASCII }) else { return nil }
        return TimeZone(identifier: name)
    }

    /// Mappings CLDR changed after the release Debian's ICU carries (ICU 72 = CLDR 42): CLDR
    /// 44 moved `Mountain Standard Time (Mexico)` to America/Mazatlan when Chihuahua left
    /// that zone's rules in 2022.
    static let newerCLDR: [String: String] = ["Mountain Standard Time (Mexico)": "America/Mazatlan"]

    /// The IANA zone CLDR maps a Windows zone name to (its default region's), or nil.
    public static func windowsToIANA(_ name: String) -> String? {
        if let newer = newerCLDR[name] { return newer }
        var buffer = [CChar](repeating: 0, count: 128)
        let n = dp_iana_for_windows_zone(name, &buffer, Int32(buffer.count))
        guard n > 0 else { return nil }
        return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The offset an Outlook-style label starts with: `(UTC-03:00) …`, `(GMT+01.00) …`,
    /// `(UTC) …`; nil for anything else.
    public static func labelOffset(_ tzid: String) -> Int? {
        let t = tzid.trimmingCharacters(in: "\"").trimmingFoldingWhitespace()
        guard t.hasPrefix("("), let close = t.firstIndex(of: ")") else { return nil }
        var inner = Substring(t[t.index(after: t.startIndex)..<close])
        if inner.hasPrefix("UTC") {
            inner = inner.dropFirst(3)
        } else if inner.hasPrefix("GMT") {
            inner = inner.dropFirst(3)
        } else {
            return nil
        }
        if inner.isEmpty { return 0 }
        guard let sign = inner.first, sign == "+" || sign == "-" else { return nil }
        let fields = inner.dropFirst().split(whereSeparator: { $0 == ":" || $0 == "." })
        guard fields.count == 2, let h = Int(fields[0]), let m = Int(fields[1]), h <= 14, m < 60 else { return nil }
        let seconds = h * 3600 + m * 60
        return sign == "-" ? -seconds : seconds
    }
}
