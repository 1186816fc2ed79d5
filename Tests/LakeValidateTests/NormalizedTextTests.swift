import LakeCore
import Testing
import _LakeTestSupport

@testable import LakeValidate

/// The normalized text as UTF-8 (`NearDuplicates.Normalized`) against the definitions it
/// stands for: `normalized` of the strings joined by a newline, and shingles that are the
/// XXH64 of each run of five scalars.
@Suite struct NormalizedTextTests {
    static let ascii = Array("aBcZzA09 \t\n\r\u{0B}\u{0C}\u{1C}  .,!?'-_@[]`{~")
    static let mixed = ascii + Array("ÄéßİΣ\u{85}\u{A0}\u{2003}\u{3000}日😀")

    /// Random strings, each appended as a record's field is (ASCII ones by their bytes, as the
    /// compact path does, or as strings), give `normalized` of them joined by a newline (the
    /// rule scalar by scalar): white-space-only strings, strings that start or end with white
    /// space, every ASCII white space, empty lists; the word-wise ASCII check agrees with a
    /// byte-wise one.
    @Test func joinedStringsNormalizeAsTheirJoinedText() {
        var rng = SplitMix64(seed: 0x5EED)
        for n in 0..<4000 {
            let alphabet = n % 2 == 0 ? Self.ascii : Self.mixed
            let parts = (0..<Int(rng.next() % 4)).map { _ in rng.string(from: alphabet, maxLength: 12) }
            var text = NearDuplicates.Normalized()
            for (i, part) in parts.enumerated() {
                if i > 0 { text.appendSpace() }
                var bytes = Array(part.utf8)
                let ascii = bytes.allSatisfy { $0 < 0x80 }
                #expect(bytes.withUnsafeBufferPointer { NearDuplicates.Normalized.isASCII($0) } == ascii, "\(part.debugDescription)")
                if rng.next() % 2 == 0, ascii {
                    bytes.withUnsafeBufferPointer { text.appendASCII($0) }
                } else {
                    text.append(part)
                }
                bytes.removeAll()
            }
            let expected = NearDuplicates.normalized(parts.joined(separator: "\n"))
            #expect(text.scalars == expected && text.scalarCount == expected.count, "\(parts.debugDescription)")
            #expect(text.utf8 == Array(String(String.UnicodeScalarView(expected)).utf8), "\(parts.debugDescription)")
        }
    }

    /// The shingle hashes of a normalized text are the XXH64 of each run of five scalars' UTF-8
    /// in order (the whole text when shorter), for ASCII texts, read off their bytes, and others.
    @Test func shingleHashesAreEachRunOfFiveScalars() {
        var rng = SplitMix64(seed: 0x5417)
        for n in 0..<2000 {
            let alphabet = Array((n % 2 == 0 ? "ab cde" : "ab é😀가").unicodeScalars)
            let scalars = (0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let k = NearDuplicates.shingleLength
            func utf8(_ s: ArraySlice<Unicode.Scalar>) -> [UInt8] { Array(String(String.UnicodeScalarView(s)).utf8) }
            let reference: [UInt64] =
                scalars.isEmpty
                ? []
                : scalars.count <= k
                    ? [XXH64.hash(utf8(scalars[...]))] : (0...(scalars.count - k)).map { XXH64.hash(utf8(scalars[$0..<($0 + k)])) }
            let text = NearDuplicates.Normalized(normalized: scalars)
            #expect(NearDuplicates.shingleHashes(text) == reference, "text \(n)")
            #expect(text.scalars == scalars && text.scalarCount == scalars.count, "text \(n)")
        }
    }
}
