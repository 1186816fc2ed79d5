import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

@testable import LakeCorpus

/// The committed goldens of the generated cases (which `GeneratedCorpusGoldenTests` holds to
/// what the pipeline writes) scored against their answer keys: a golden is more than a
/// snapshot of what the code printed.
@Suite struct PIIAnswerKeyTests {
    static let cases = String(decoding: TestPaths.read(TestPaths.corpus + "/generated/cases.txt"), as: UTF8.self)
        .split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }

    static func score(_ name: String) throws -> [PIIAnswerKey.Result] {
        let manifest = try JSONReader.parse(TestPaths.read(TestPaths.corpus + "/generated/\(name)/manifest.json"))
        let key = PIIAnswerKey(manifest: manifest)
        for line in TestPaths.read(TestPaths.golden + "/generated/\(name).ndjson").split(separator: 0x0A) {
            try key.add(recordLine: Array(line))
        }
        return key.results
    }

    @Test(arguments: cases)
    func goldenFindsThePlantedPII(name: String) throws {
        let results = try Self.score(name)
        for r in results {
            #expect(r.precision >= 0.98 && r.recall >= 0.98, "\(name) \(r)")
        }
        if name != "adversarial-seed1" {
            #expect(results.reduce(0) { $0 + $1.truePositives } > 0, "\(name): nothing planted was found")
        }
    }

    @Test func theScoreCountsMissesAndWrongFinds() throws {
        let manifest = try JSONReader.parse(
            Array(
                #"""
                {"pii":[{"file":"a.zip","entry":"e.js","index":0,"field":"t","type":"email","value":"x@y.org","valid":true},
                {"file":"a.zip","entry":"e.js","index":1,"field":"t","type":"credit_card","value":"4111 1111 1111 1112","valid":false},
                {"file":"a.zip","entry":"e.js","index":2,"field":"t","type":"phone","value":"+44 20 7946 0958","valid":true},
                {"file":"a.zip","entry":"e.js","index":3,"field":"from","type":"email","value":"me@y.org","valid":true},
                {"file":"a.zip","entry":"e.js","index":3,"field":"to","type":"email","value":"me@y.org","valid":true}]}
                """#.utf8))
        let key = PIIAnswerKey(manifest: manifest)
        func line(_ index: Int, _ text: String, _ pii: String) -> [UInt8] {
            Array(
                #"{"source":{"input":"a.zip","path":"e.js","index":\#(index)},"data":{"t":"\#(text)"},"pii":[\#(pii)]}"#.utf8)
        }
        try key.add(recordLine: line(0, "mail x@y.org", #"{"type":"EMAIL_ADDRESS","field":"/t","start":5,"end":12}"#))
        // The invalid card found: a false positive.
        try key.add(recordLine: line(1, "4111 1111 1111 1112", #"{"type":"CREDIT_CARD","field":"/t","start":0,"end":19}"#))
        // The phone missed: a false negative.
        try key.add(recordLine: line(2, "+44 20 7946 0958", ""))
        // A mail from and to its owner: the one address is found for both planted entries.
        try key.add(recordLine: line(3, "me@y.org", #"{"type":"EMAIL_ADDRESS","field":"/t","start":0,"end":8}"#))
        let byType = Dictionary(uniqueKeysWithValues: key.results.map { ($0.type, $0) })
        #expect(byType["EMAIL_ADDRESS"]?.truePositives == 3 && byType["EMAIL_ADDRESS"]?.falsePositives == 0)
        #expect(byType["EMAIL_ADDRESS"]?.falseNegatives == 0)
        #expect(byType["CREDIT_CARD"]?.falsePositives == 1 && byType["CREDIT_CARD"]?.precision == 0)
        #expect(byType["PHONE_NUMBER"]?.falseNegatives == 1 && byType["PHONE_NUMBER"]?.recall == 0)
    }
}
