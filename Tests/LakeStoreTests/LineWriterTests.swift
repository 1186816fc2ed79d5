import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// The raw buffer canonical lines are written into writes what `CanonicalJSON` writes.
@Suite struct LineWriterTests {
    /// Strings of plain ASCII, quotes, backslashes, control characters, NFC and NFD letters,
    /// Hangul, emoji and bytes around 0xCC: `appendString` writes `CanonicalJSON.writeString`'s
    /// bytes, through a buffer that starts too small to hold them.
    @Test func stringsAreWrittenAsCanonicalJSONWritesThem() {
        let alphabet: [Character] = [
            "a", "Z", "0", "-", ":", ".", "é", "e\u{301}", "\"", "\\", "\n", "\u{1}", "\u{1F}", "\u{7F}", "😀", " ", "/", "가",
            "\u{1100}\u{1161}\u{11A8}", "\u{2F9}", "\u{300}", "Ì",
        ]
        var out = LineWriter(capacity: 4)
        var expected: [UInt8] = []
        for seed in SeededRandom.seeds(count: 3000) {
            var rng = SeededRandom(seed: seed)
            let s = rng.string(from: alphabet, maxLength: 24)
            var one: [UInt8] = []
            CanonicalJSON.writeString(s, into: &one)
            var single = LineWriter(capacity: 1)
            single.appendString(s)
            #expect(single.array == one, "\(s.debugDescription)")
            out.appendString(s)
            expected += one
        }
        #expect(out.array == expected)
        #expect(Array(out.bytes) == expected)
        out.reset()
        #expect(out.count == 0 && out.array.isEmpty)
    }

    /// `CanonicalJSON.isPlain`, eight bytes at a time, says what its definition says byte by byte, wherever
    /// in a string the first byte that is not plain lies.
    @Test func plainTextIsTheDefinitionsPlainText() {
        let bytes: [UInt8] = [0x61, 0x30, 0x2D, 0x20, 0x7F, 0x1F, 0x00, 0x22, 0x5C, 0x80, 0xC3, 0xCB, 0xCC, 0xE2, 0xFF]
        var rng = SeededRandom(seed: 46)
        for _ in 0..<20_000 {
            var u = [UInt8](repeating: 0x61, count: Int.random(in: 0...40, using: &rng))
            for _ in 0..<Int.random(in: 0...2, using: &rng) where !u.isEmpty {
                u[Int.random(in: 0..<u.count, using: &rng)] = bytes.randomElement(using: &rng)!
            }
            let expected = u.allSatisfy { !($0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0xCC) }
            #expect(u.withUnsafeBufferPointer { CanonicalJSON.isPlain($0) } == expected, "\(u)")
        }
    }

    @Test func integersAreWrittenInDecimal() {
        var values = [0, 1, -1, 9, 10, -10, 99, 100, Int.max, Int.min, Int.min + 1]
        var rng = SeededRandom(seed: 5)
        values += (0..<2000).map { _ in Int.random(in: Int.min...Int.max, using: &rng) >> Int.random(in: 0...63, using: &rng) }
        var out = LineWriter(capacity: 2)
        for v in values {
            out.reset()
            out.appendDecimal(v)
            #expect(out.array == Array(String(v).utf8), "\(v)")
        }
    }

    @Test func piecesFollowEachOther() {
        var out = LineWriter(capacity: 3)
        out.append("{\"a\":")
        out.append([0x31, 0x32])
        out.append(byte: UInt8(ascii: "}"))
        out.append([])
        #expect(out.array == Array("{\"a\":12}".utf8))
    }
}

extension LineWriterTests {
    /// `RecordLine.length` leaves room for the whole line when its strings need no escape (the
    /// line is then written in place, one allocation), and a line that outgrows it (escaped
    /// strings) comes out whole all the same.
    @Test func theLengthBoundHoldsAndLongerLinesStayWhole() {
        for seed in SeededRandom.seeds(count: 300) {
            var rng = SeededRandom(seed: seed)
            var r = CompactRecordTests.record(&rng, id: String(format: "%032x", seed), index: Int.random(in: 0...Int.max, using: &rng))
            if seed % 2 == 0 {
                r.sourceOffset = nil
                r.occurredAt = nil
                r.partition = "undated"
            }
            let row = RecordRow(r)
            let parts = (RecordLine.KindFragments(row.kind), RecordLine.OwnerFragments(row.owner), RecordLine.SourceFragments(row.source))
            let line = RecordLine.assemble(row.columns, kind: parts.0, owner: parts.1, source: parts.2)
            #expect(line == r.canonicalLine(), "seed \(seed)")
            #expect(RecordLine.length(row.columns, kind: parts.0, owner: parts.1, source: parts.2) >= line.count, "seed \(seed)")
            var escaped = row.columns
            escaped.id = "\u{1}\"\\" + escaped.id
            let long = LineWriter.array(capacity: 4) {
                RecordLine.assemble(escaped, kind: parts.0, owner: parts.1, source: parts.2, into: &$0)
            }
            #expect(long == RecordLine.assemble(escaped, kind: parts.0, owner: parts.1, source: parts.2), "seed \(seed)")
        }
    }
}
