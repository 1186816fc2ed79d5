import LakeCore
import Testing

/// The fast answers are the Unicode properties, for every scalar there is.
@Suite struct ScalarClassTests {
    @Test func everyScalarAgreesWithItsProperties() {
        var disagreements: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(value) else { continue }  // surrogates
            let p = s.properties
            if ScalarClass.isWhitespace(s) != p.isWhitespace { disagreements.append("white space \(value)") }
            if ScalarClass.isAlphabetic(s) != p.isAlphabetic { disagreements.append("alphabetic \(value)") }
            if ScalarClass.isNumeric(s) != (p.numericType != nil) { disagreements.append("numeric \(value)") }
            if ScalarClass.isWord(s) != (p.isAlphabetic || p.numericType != nil || s == "_") { disagreements.append("word \(value)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }
}
