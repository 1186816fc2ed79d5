import LakeCore
import Testing
import _LakeTestSupport

/// A record's lists written in their fixed key order are the bytes `CanonicalJSON` writes for
/// their values: with text to escape and text that NFC changes.
@Suite struct LakeRecordCanonicalTests {
    @Test func listsAreTheCanonicalJSONOfTheirValues() {
        var rng = SeededRandom(seed: 0x11E5)
        let alphabet: [Character] = ["a", "\"", "\\", "\n", "\u{1}", "e", "\u{301}", "😀", "/"]
        for n in 0..<500 {
            func text() -> String { rng.string(from: alphabet, maxLength: 5) }
            var r = LakeRecord(
                id: "i", source: .init(input: "in", inputSHA256: "s", path: "p", index: n), exportKind: "e", recordKind: "k",
                occurredAt: nil, sourceOffset: nil, user: "u", partition: "undated", shards: [1], category: "c", language: nil,
                languageMethod: nil, data: .object([]), pii: [], entities: [], lineage: [], contentHash: "h")
            r.lineage = (0..<Int.random(in: 0...3, using: &rng)).map { _ in .init(text(), version: text()) }
            r.entities = (0..<Int.random(in: 0...3, using: &rng)).map { _ in .init(kind: text(), value: text(), method: text()) }
            r.relationships = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
                .init(type: text(), target: text(), confidence: ["1", "0.95"].randomElement(using: &rng)!, method: text())
            }
            if Bool.random(using: &rng) {
                r.language = text()
                r.languageMethod = Bool.random(using: &rng) ? text() : nil
                r.languageConfidence = Bool.random(using: &rng) ? "0.87" : nil
            }
            #expect(r.lineageJSON == CanonicalJSON.encode(r.lineageValue), "record \(n)")
            #expect(r.entitiesJSON == CanonicalJSON.encode(r.entitiesValue), "record \(n)")
            #expect(r.relationshipsJSON == CanonicalJSON.encode(r.relationshipsValue), "record \(n)")
            #expect(r.languageJSON == (r.language == nil ? nil : CanonicalJSON.encode(r.languageValue)), "record \(n)")
        }
    }
}
