@testable import LakeNormalize
import Testing
import _LakeTestSupport

/// `GeoPoint.parse(bytes:)` and `Mapped.point(bytes:)` answer as the String rules do whenever
/// they answer: on Timeline-shaped points (degrees and `geo:` URIs, spaces, signs, rounding
/// digits, altitudes and parameters) and on the same texts broken by random edits, with CR,
/// CR LF, combining marks and other non-ASCII text among them.
@Suite struct GeoBytesTests {
    static func number(_ rng: inout SeededRandom) -> String {
        let sign = ["", "", "", "-", "-", "+", "- "].randomElement(using: &rng)!
        let whole = ["", "0", "19", "19", "72", "72", "180", "1234567890123", "007"].randomElement(using: &rng)!
        let fraction = ["", ".", ".5", ".075996", ".075996", ".877748", ".1234565", ".12345649", ".999999951", ".000000000000000000001"]
            .randomElement(using: &rng)!
        return sign + whole + fraction
    }

    static func text(_ rng: inout SeededRandom) -> String {
        let space = { (rng: inout SeededRandom) in ["", "", " ", "  "].randomElement(using: &rng)! }
        var t: String
        if Bool.random(using: &rng) {
            let degree = { (rng: inout SeededRandom) in ["°", "°", "", " °", "°°"].randomElement(using: &rng)! }
            t = space(&rng) + number(&rng) + degree(&rng) + space(&rng) + "," + space(&rng) + number(&rng) + degree(&rng) + space(&rng)
        } else {
            t = space(&rng) + ["geo:", "GEO:", "Geo:", "geo"].randomElement(using: &rng)! + number(&rng) + "," + number(&rng)
            t += ["", ",12.5", ",", ";u=35", ",1;crs=wgs84", ",,"].randomElement(using: &rng)! + space(&rng)
        }
        // Random edits: the texts the byte rules must leave to the String rules, or refuse.
        let edits = ["\r", "\r\n", "\n", "\u{301}", "é", "x", ",", ".", "°", ";", "\t", "\u{B0}\u{301}"]
        for _ in 0..<[0, 0, 0, 1, 2].randomElement(using: &rng)! {
            var scalars = Array(t.unicodeScalars)
            let at = Int.random(in: 0...scalars.count, using: &rng)
            scalars.insert(contentsOf: edits.randomElement(using: &rng)!.unicodeScalars, at: at)
            t = String(String.UnicodeScalarView(scalars))
        }
        return t
    }

    @Test func theBytesAnswerAsTheStringRules() {
        var rng = SeededRandom(seed: 0x6E05)
        var onBytes = 0, points = 0, leftToStrings = 0
        for _ in 0..<30_000 {
            let t = Self.text(&rng)
            let bytes = Array(t.utf8)
            if let answer = bytes.withUnsafeBufferPointer({ GeoPoint.parse(bytes: $0) }) {
                onBytes += 1
                #expect(answer == GeoPoint.parse(t), "\(t.debugDescription)")
                if answer != nil { points += 1 }
            } else {
                leftToStrings += 1
            }
            if let answer = bytes.withUnsafeBufferPointer({ Mapped.point(bytes: $0) }) {
                #expect(answer == Mapped.point(in: t), "point(bytes:) of \(t.debugDescription)")
            }
        }
        #expect(
            points > 4_000 && onBytes - points > 10_000 && leftToStrings > 4_000,
            "\(onBytes) on bytes, \(points) points, \(leftToStrings) left")
    }
}
