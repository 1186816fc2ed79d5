import LakeCore

/// `GeoPoint.parse` on UTF-8 bytes, for the texts where a byte and a `Character` are the same
/// thing: ASCII without CR (CR LF is one `Character`), and a degree sign (C2 B0) only in the
/// degrees form. An Android Timeline string (`"19.075996°, 72.877748°"`) is one, and the
/// String rules cost about 56,000 instructions for it.
extension GeoPoint {
    /// `parse` of the text of UTF-8 `b`: `.some(point)` or `.some(nil)` as `parse` answers,
    /// nil when the text is outside what this reads (the caller asks `parse`).
    public static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> GeoPoint?? {
        var degrees = false
        var k = 0
        while k < b.count {
            let c = b[k]
            if c == 0x0D { return nil }
            if c >= 0x80 {
                guard c == 0xC2, k + 1 < b.count, b[k + 1] == 0xB0 else { return nil }
                degrees = true
                k += 1
            }
            k += 1
        }
        let body = trimmed(b, 0..<b.count)
        if body.count >= 4, isGeoScheme(b, at: body.lowerBound) {
            guard !degrees else { return nil }
            var end = body.upperBound
            if let semicolon = (body.lowerBound + 4..<end).first(where: { b[$0] == 0x3B }) { end = semicolon }
            let parts = split(b, body.lowerBound + 4..<end)
            guard parts.count == 2 || parts.count == 3, let lat = micro(b, parts[0]), let lng = micro(b, parts[1]) else {
                return .some(nil)
            }
            return GeoPoint(latMicro: lat, lngMicro: lng)
        }
        let parts = split(b, body)
        guard parts.count == 2 else { return .some(nil) }
        func inDegrees(_ part: Range<Int>) -> Int64? {
            var p = trimmed(b, part)
            if p.count >= 2, b[p.upperBound - 2] == 0xC2, b[p.upperBound - 1] == 0xB0 { p = p.lowerBound..<(p.upperBound - 2) }
            return micro(b, p)
        }
        guard let lat = inDegrees(parts[0]), let lng = inDegrees(parts[1]) else { return .some(nil) }
        return GeoPoint(latMicro: lat, lngMicro: lng)
    }

    /// Whether `geo:` (in any case) starts at `i`.
    static func isGeoScheme(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        i + 4 <= b.count && b[i] | 0x20 == 0x67 && b[i + 1] | 0x20 == 0x65 && b[i + 2] | 0x20 == 0x6F && b[i + 3] == 0x3A
    }

    /// `range` without its leading and trailing spaces.
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, b[lo] == 0x20 { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 { hi -= 1 }
        return lo..<hi
    }

    /// The parts of `range` between commas, empty ones kept.
    static func split(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var from = range.lowerBound
        for k in range where b[k] == 0x2C {
            parts.append(from..<k)
            from = k + 1
        }
        parts.append(from..<range.upperBound)
        return parts
    }

    /// `micro` of the ASCII text at `range`.
    static func micro(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        var r = trimmed(b, range)
        var negative = false
        if let first = r.first, b[first] == 0x2D || b[first] == 0x2B {
            negative = b[first] == 0x2D
            r = (first + 1)..<r.upperBound
        }
        var dot: Int?
        for k in r where b[k] < 0x30 || b[k] > 0x39 {
            guard b[k] == 0x2E, dot == nil else { return nil }
            dot = k
        }
        let whole = r.lowerBound..<(dot ?? r.upperBound)
        let fraction = dot.map { ($0 + 1)..<r.upperBound } ?? r.upperBound..<r.upperBound
        guard whole.count <= 12, fraction.count <= 20, !(whole.isEmpty && fraction.isEmpty) else { return nil }
        var value: Int64 = 0
        for k in whole { value = value * 10 + Int64(b[k] - 0x30) }
        for n in 0..<6 { value = value * 10 + (n < fraction.count ? Int64(b[fraction.lowerBound + n] - 0x30) : 0) }
        if fraction.count > 6, b[fraction.lowerBound + 6] >= 0x35 { value += 1 }
        return negative ? -value : value
    }
}
