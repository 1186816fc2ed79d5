import Foundation
import LakeCore
import LakeNormalize
import LakeStore

/// CSV header checks (docs/SPEC.md 5.12): a column without a name, a name given twice (after
/// trimming, case-insensitively), and a known file missing a column its format has. Each is a
/// `csv.header` finding of the file, never a refusal.
enum CSVHeaderCheck {
    /// The columns a known CSV file has (Takeout's YouTube subscriptions).
    static let known: [String: [String]] = ["subscription": ["Channel Id", "Channel Url", "Channel Title"]]

    static func problems(_ header: [String], recordKind: String) -> [String] {
        var out: [String] = []
        var seen: [String: Int] = [:]
        for (i, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { out.append("column \(i + 1) has no name") }
            let key = name.lowercased()
            if !name.isEmpty, let first = seen[key] { out.append("column \(i + 1) repeats the name '\(name)' of column \(first + 1)") }
            if seen[key] == nil { seen[key] = i }
        }
        for column in known[recordKind] ?? [] where seen[column.lowercased()] == nil {
            out.append("no column '\(column)', which \(recordKind) files have")
        }
        return out
    }

    static func findings(_ header: [String], recordKind: String, _ context: RecordContext) -> [Finding] {
        let found = problems(header, recordKind: recordKind)
        guard let first = found.first else { return [] }
        return [
            Finding(
                input: context.input, entry: context.path, rule: LakeError.Rule.csvHeader.rawValue, count: 1,
                measured: Int64(found.count), threshold: 0, location: "the header: \(first)")
        ]
    }
}
