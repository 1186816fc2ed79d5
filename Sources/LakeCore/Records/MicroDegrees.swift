/// Degrees as micro-degrees (docs/SPEC.md 5.4): the integers a point is kept as, and their
/// text with exactly six decimals. Normalization writes a point's `geo` with it and the lake
/// writes it again from a row's E7 members (`CompactData`, derived members), so both give
/// the same bytes.
///
/// ```swift
/// MicroDegrees.fromE7(509_437_485)   // 50943749 (half away from zero)
/// MicroDegrees.text(-6_979_271)      // "-6.979271"
/// ```
public enum MicroDegrees {
    /// E7 degrees (Google's `latitudeE7`) divided by 10, rounded half away from zero.
    public static func fromE7(_ e7: Int64) -> Int64 {
        let q = e7 / 10, r = e7 % 10
        if abs(r) * 2 >= 10 { return q + (e7 < 0 ? -1 : 1) }
        return q
    }

    /// The degrees with six decimals, made at its exact length (up to 15 bytes, a small string
    /// that allocates nothing).
    public static func text(_ micro: Int64) -> String {
        let n = length(micro)
        return String(unsafeUninitializedCapacity: n) { out in
            write(micro, length: n, into: out, at: 0)
            return n
        }
    }

    /// The length of `text(micro)`: sign, whole digits, the point and six decimals.
    public static func length(_ micro: Int64) -> Int {
        var whole = micro.magnitude / 1_000_000, digits = 1
        while whole >= 10 {
            whole /= 10
            digits += 1
        }
        return (micro < 0 ? 1 : 0) + digits + 7
    }

    /// Writes `text(micro)`, `length` bytes, at `at`.
    public static func write(_ micro: Int64, length: Int, into out: UnsafeMutableBufferPointer<UInt8>, at: Int) {
        if micro < 0 { out[at] = UInt8(ascii: "-") }
        var rest = micro.magnitude
        let point = at + length - 7
        for i in stride(from: at + length - 1, through: at + (micro < 0 ? 1 : 0), by: -1) {
            if i == point {
                out[i] = UInt8(ascii: ".")
                continue
            }
            out[i] = 0x30 + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// Appends `text(micro)` to `out`.
    public static func append(_ micro: Int64, to out: inout [UInt8]) {
        let n = length(micro)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: n))
        out.withUnsafeMutableBufferPointer { write(micro, length: n, into: $0, at: start) }
    }

    /// Whether a point is within [-90, 90] degrees of latitude and [-180, 180] of longitude.
    public static func inBounds(latMicro: Int64, lngMicro: Int64) -> Bool {
        latMicro.magnitude <= 90_000_000 && lngMicro.magnitude <= 180_000_000
    }

    /// The length of a point's canonical `geo` object (`writePoint`).
    public static func pointLength(latMicro: Int64, lngMicro: Int64) -> Int {
        15 + length(latMicro) + length(lngMicro) + (inBounds(latMicro: latMicro, lngMicro: lngMicro) ? 0 : outOfBounds.utf8CodeUnitCount)
    }

    /// Writes a point's canonical `geo` object, `pointLength` bytes, at the start of `out`:
    /// `{"lat":…,"lng":…}`, with `"out_of_bounds":true` after them when it is out of bounds.
    public static func writePoint(latMicro: Int64, lngMicro: Int64, into out: UnsafeMutableBufferPointer<UInt8>) {
        var at = 0
        func put(_ s: StaticString) {
            for i in 0..<s.utf8CodeUnitCount { out[at + i] = s.utf8Start[i] }
            at += s.utf8CodeUnitCount
        }
        func put(_ micro: Int64) {
            let n = length(micro)
            write(micro, length: n, into: out, at: at)
            at += n
        }
        put(#"{"lat":"#)
        put(latMicro)
        put(#","lng":"#)
        put(lngMicro)
        if !inBounds(latMicro: latMicro, lngMicro: lngMicro) { put(outOfBounds) }
        put("}")
    }

    /// `writePoint` appended to `out`.
    public static func appendPoint(latMicro: Int64, lngMicro: Int64, to out: inout [UInt8]) {
        let n = pointLength(latMicro: latMicro, lngMicro: lngMicro)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: n))
        out.withUnsafeMutableBufferPointer { writePoint(latMicro: latMicro, lngMicro: lngMicro, into: .init(rebasing: $0[start...])) }
    }

    static let outOfBounds: StaticString = #","out_of_bounds":true"#
}
