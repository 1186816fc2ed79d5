import Foundation
import LakeCore
import LakeNormalize
import Testing
import _LakeTestSupport

/// Phone entities measured on a labelled set (Corpus/labelled/phones.tsv, 417 strings):
/// formats from a dozen countries, and the shapes real exports carry that are not phones
/// (ISO times, file names, ZIP+4 codes, year ranges, CSV dates, IDs, coordinates).
@Suite struct PhoneLabelledSetTests {
    struct Score: CustomStringConvertible {
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        var misses: [String] = []
        var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
        var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
        var description: String {
            "precision \(String(format: "%.4f", precision)) (\(falsePositives) false), recall \(String(format: "%.4f", recall)) (\(falseNegatives) missed)"
        }
    }

    static func score() -> (Score, Int) {
        var score = Score()
        let text = String(decoding: TestPaths.read(TestPaths.corpus + "/labelled/phones.tsv"), as: UTF8.self)
        var rows = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            let expected = Set(parts.count > 1 ? parts[1].split(separator: ",").map(String.init) : [])
            let found = Set(TextEntities.find(String(parts[0])).filter { $0.kind == "phone" }.map(\.value))
            rows += 1
            score.truePositives += found.intersection(expected).count
            score.falsePositives += found.subtracting(expected).count
            score.falseNegatives += expected.subtracting(found).count
            if found != expected { score.misses.append("\(parts[0]) -> \(found.sorted()) want \(expected.sorted())") }
        }
        return (score, rows)
    }

    /// The figures are printed for the record; the bars are what a user can rely on.
    @Test func precisionAndRecallOnTheLabelledSet() {
        let (score, rows) = Self.score()
        print("phone entities on \(rows) labelled strings: \(score)")
        #expect(rows >= 300)
        #expect(score.precision >= 0.99, "\(score): \(score.misses.prefix(20))")
        #expect(score.recall >= 0.95, "\(score): \(score.misses.prefix(20))")
    }

    /// The shapes issue 13 saw become phones no more.
    @Test(arguments: [
        "11:41:14.000-05:00", "signal-2020-07-18-183333.webm", "Beverly Hills, CA 90210-1234", "© 2008-2017",
        "2021-07-04 08:00:00",
    ])
    func notPhones(_ text: String) {
        #expect(TextEntities.find(text).filter { $0.kind == "phone" }.isEmpty)
    }
}
