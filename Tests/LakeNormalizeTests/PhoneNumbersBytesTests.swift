import LakeCore
@testable import LakeNormalize
import Testing

/// A phone value read from its bytes when it is ASCII (`PhoneNumbers.asciiNumber`) against the
/// character loop, on random values of digits, separators, `+` anywhere, letters, CR LF, a
/// no-break space and a non-ASCII digit.
@Suite struct PhoneNumbersBytesTests {
    static let digits = ["030", "1234", "55", "+49", " ", "-"]
    static let pieces = ["0", "1", "49", "30 123", "+", "-", ".", "/", "(", ")", " ", "(0)", "x", "\r\n", "\u{A0}", "\u{661}", "7"]

    @Test func asciiValuesReadAsTheCharacterLoopReadsThem() {
        var random = SplitMix64(seed: 0x9404E)
        var ascii = 0, numbers = 0
        for n in 0..<20_000 {
            // One in five values may draw a piece that spoils it; the rest are digits and separators.
            let spoiling = random.next() % 5 == 0
            let value = (0..<Int(random.next() % 10)).map { _ in
                spoiling || random.next() % 2 == 0
                    ? Self.pieces[Int(random.next() % UInt64(Self.pieces.count))]
                    : Self.digits[Int(random.next() % UInt64(Self.digits.count))]
            }.joined()
            let characters = PhoneNumbers.byCharacters(value)
            if let bytes = PhoneNumbers.asciiNumber(value) {
                ascii += 1
                #expect(bytes == characters, "value \(n): \(value.debugDescription)")
            } else {
                #expect(!value.utf8.allSatisfy { $0 < 0x80 }, "value \(n): \(value.debugDescription)")
            }
            if characters != nil { numbers += 1 }
        }
        #expect(ascii > 10_000 && numbers > 1_000, "\(ascii) ASCII, \(numbers) numbers")
    }
}
