import LakeCore
import Testing
import _LakeTestSupport

/// `Lowercase.scalars` is `lowercased()`, for every scalar there is and for texts of them.
@Suite struct LowercaseTests {
    @Test func everyScalarAsTheStandardLibraryLowercasesIt() {
        var disagreements: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(value) else { continue }  // surrogates
            let text = String(s)
            if Lowercase.scalars(text) != Array(text.lowercased().unicodeScalars) { disagreements.append(value) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10).map { String($0, radix: 16) })")
    }

    /// Texts of ASCII, letters lowercasing changes (one to one, one to two: `İ`, and past the
    /// BMP: Deseret), caseless scripts, marks and a final sigma.
    @Test func textsAsTheStandardLibraryLowercasesThem() {
        var rng = SplitMix64(seed: 0x10CA5E)
        let alphabet = Array("aZ 9\tΣσςΑΩİIıẞßǅÅÉé東京ПРИВЕТмир\u{301}\u{345}𐐀𐐨🙂ﬀ")
        for _ in 0..<5000 {
            let text = rng.string(from: alphabet, maxLength: 24)
            #expect(Lowercase.scalars(text) == Array(text.lowercased().unicodeScalars), "\(text.debugDescription)")
        }
    }
}
