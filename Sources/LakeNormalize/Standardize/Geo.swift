import LakeCore
import LakeParsers

/// A point in WGS84 decimal degrees with exactly 6 decimals (docs/SPEC.md 5.4), kept as
/// integers of micro-degrees so every implementation rounds the same way.
///
/// ```swift
/// GeoPoint(latE7: 473_667_111, lngE7: 85_390_123)?.json   // {"lat": 47.366711, "lng": 8.539012}
/// GeoPoint.parse("31.1234567°, -73.1234567°")               // 31.123457, -73.123457
/// GeoPoint.parse("geo:30.123456,-105.987654")
/// ```
public struct GeoPoint: Equatable, Sendable {
    /// The version recorded in lineage (`normalize.geo`); bump it whenever a rule changes.
    public static let version = "1"

    public var latMicro: Int64
    public var lngMicro: Int64

    public init(latMicro: Int64, lngMicro: Int64) {
        self.latMicro = latMicro
        self.lngMicro = lngMicro
    }

    /// From E7 integers (degrees × 10⁷, Google's `latitudeE7`): divided by 10, rounded half
    /// away from zero.
    public init(latE7: Int64, lngE7: Int64) {
        latMicro = MicroDegrees.fromE7(latE7)
        lngMicro = MicroDegrees.fromE7(lngE7)
    }

    /// Latitude within [-90, 90] and longitude within [-180, 180]. Values outside are kept
    /// as they are (never clamped) and flagged.
    public var inBounds: Bool { MicroDegrees.inBounds(latMicro: latMicro, lngMicro: lngMicro) }

    public var latitude: String { MicroDegrees.text(latMicro) }
    public var longitude: String { MicroDegrees.text(lngMicro) }

    /// `latitude,longitude`: the value of the point's place entity.
    public var placeValue: String {
        let a = MicroDegrees.length(latMicro), b = MicroDegrees.length(lngMicro)
        return String(unsafeUninitializedCapacity: a + 1 + b) { out in
            MicroDegrees.write(latMicro, length: a, into: out, at: 0)
            out[a] = UInt8(ascii: ",")
            MicroDegrees.write(lngMicro, length: b, into: out, at: a + 1)
            return a + 1 + b
        }
    }

    /// `{"lat": …, "lng": …}` with 6-decimal numbers, plus `"out_of_bounds": true` when flagged.
    public var json: JSONValue {
        var m: [JSONMember] = [.init("lat", .number(latitude)), .init("lng", .number(longitude))]
        if !inBounds { m.append(.init("out_of_bounds", .bool(true))) }
        return .object(m)
    }

    /// The canonical JSON of `json`, written in its sorted key order (the tape mappers add it
    /// to `data` as it is).
    public var canonicalJSON: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(60)
        MicroDegrees.appendPoint(latMicro: latMicro, lngMicro: lngMicro, to: &out)
        return out
    }

    /// A decimal number of degrees, as written (`-73.1234567`, `8`, `+1.5`), in micro-degrees,
    /// rounded half away from zero from its decimal digits (no binary floating point). Nil for
    /// anything else, exponents included, or more than 20 digits.
    public static func micro(_ text: Substring) -> Int64? {
        var s = String(text).trimming(anyOf: " ")
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = String(s.dropFirst())
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2,
            whole.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), whole.count <= 12
        else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), fraction.count <= 20, !(whole.isEmpty && fraction.isEmpty) else {
            return nil
        }
        var value = (Int64(whole) ?? 0) * 1_000_000
        let digits = Array(fraction.utf8).map { Int64($0 - 0x30) }
        for i in 0..<6 { value += (i < digits.count ? digits[i] : 0) * [100_000, 10_000, 1_000, 100, 10, 1][i] }
        if digits.count > 6, digits[6] >= 5 { value += 1 }
        return negative ? -value : value
    }

    /// Parses `"lat°, lng°"` (Android Timeline; the `°` and spaces optional) or a `geo:` URI
    /// (`geo:lat,lng[,alt][;params]`, iOS Timeline). Nil when neither form matches.
    public static func parse(_ text: String) -> GeoPoint? {
        var body = Substring(text.trimming(anyOf: " "))
        if body.lowercased().hasPrefix("geo:") {
            body = body.dropFirst(4)
            if let semicolon = body.firstIndex(of: ";") { body = body[..<semicolon] }
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3, let lat = micro(parts[0]), let lng = micro(parts[1]) else { return nil }
            return GeoPoint(latMicro: lat, lngMicro: lng)
        }
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        func degrees(_ p: Substring) -> Int64? {
            var p = Substring(String(p).trimming(anyOf: " "))
            if p.hasSuffix("°") { p = p.dropLast() }
            return micro(p)
        }
        guard let lat = degrees(parts[0]), let lng = degrees(parts[1]) else { return nil }
        return GeoPoint(latMicro: lat, lngMicro: lng)
    }
}
