import LakeCore
@testable import LakeCorpus
import Testing

/// The manifest's PII elements are written by hand for speed; they must be exactly the
/// canonical JSON of the same element built as a tree.
@Suite struct ManifestEncodingTests {
    @Test func handWrittenPIIIsCanonical() {
        let cases: [CorpusManifest.PII] = [
            .init(
                file: "a.zip", entry: "data/tweets.js", index: 0, field: "full_text",
                planted: PlantedPII(type: "email", value: "zoë@example.org", valid: true, country: nil)),
            .init(
                file: "Ünïcode \"quoted\".zip", entry: "Takeout/Meine Aktivitäten/x\\y", index: 123_456, field: "tel",
                planted: PlantedPII(type: "phone", value: "+49 30 123 45678", valid: false, country: "DE")),
        ]
        for p in cases {
            var hand: [UInt8] = []
            CorpusManifest.writeCanonical(p, into: &hand)
            #expect(hand == CanonicalJSON.encode(CorpusManifest.json(p)))
        }
    }
}
