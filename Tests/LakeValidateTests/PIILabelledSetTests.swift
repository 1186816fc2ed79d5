import Foundation
import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

@testable import LakeValidate

/// The detector against `Corpus/pii/labelled.jsonl` (written by Scripts/make-pii-labelled.py,
/// which computes validity on its own): at least 300 real-shaped strings per type and 900 near
/// misses. A finding counts when its type and text equal a labelled value.
@Suite struct PIILabelledSetTests {
    struct Counts: CustomStringConvertible {
        var tp = 0, fp = 0, fn = 0
        var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
        var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
        var description: String {
            "tp \(tp) fp \(fp) fn \(fn) precision \(Self.f(precision)) recall \(Self.f(recall))"
        }
        static func f(_ x: Double) -> String { String(format: "%.4f", x) }
    }

    static func score() throws -> (counts: [String: Counts], misses: [String]) {
        let scanner = PIIScanner()
        var counts: [String: Counts] = [:]
        var misses: [String] = []
        for line in TestPaths.read(TestPaths.corpus + "/pii/labelled.jsonl").split(separator: 0x0A) {
            let item = try JSONReader.parse(Array(line))
            let text = item["text"]?.stringValue ?? ""
            var expected = (item["expect"]?.arrayValue ?? []).map {
                ($0.arrayValue?[0].stringValue ?? "", $0.arrayValue?[1].stringValue ?? "")
            }
            let scalars = Array(text.unicodeScalars)
            for span in scanner.scan(text, field: item["field"]?.stringValue ?? "text") {
                let value = String(String.UnicodeScalarView(scalars[span.start..<span.end]))
                if let k = expected.firstIndex(where: { $0 == (span.type, value) }) {
                    counts[span.type, default: Counts()].tp += 1
                    expected.remove(at: k)
                } else {
                    counts[span.type, default: Counts()].fp += 1
                    misses.append("false positive \(span.type) \(value) in: \(text)")
                }
            }
            for (type, value) in expected {
                counts[type, default: Counts()].fn += 1
                misses.append("missed \(type) \(value) in: \(text)")
            }
        }
        return (counts, misses)
    }

    @Test func everyTypeIsAtLeast098() throws {
        let (counts, misses) = try Self.score()
        for type in PIIScanner.Kind.allCases.map(\.rawValue) {
            let c = counts[type] ?? Counts()
            print("labelled set \(type.padding(toLength: 14, withPad: " ", startingAt: 0)) \(c)")
            #expect(c.tp >= 300, "\(type): \(c)")
            #expect(c.precision >= 0.98 && c.recall >= 0.98, "\(type): \(c)")
        }
        for m in misses.prefix(40) { print(m) }
    }
}
