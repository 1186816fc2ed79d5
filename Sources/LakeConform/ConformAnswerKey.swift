import Foundation
import LakeCore
import LakeCorpus
import LakeParsers

/// A golden export checked against its case's answer key before it becomes a kit's expected
/// output (docs/SPEC.md 9.2), so an expectation is more than a snapshot of what the code
/// printed: the records per entry the key counts, every planted PII value found and nothing
/// else, every planted duplicate pair linked and nothing else. (The refusals are the key's own.)
public enum ConformAnswerKey {
    /// One line per disagreement; empty when the golden fits the key.
    public static func problems(golden: [UInt8], manifest manifestBytes: [UInt8]) throws -> [String] {
        let manifest = try JSONReader.parse(manifestBytes, limits: JSONLimits(maxDepth: 16, maxDocumentBytes: 1 << 30))
        let pii = PIIAnswerKey(manifest: manifest), duplicates = DuplicateAnswerKey(manifest: manifest)
        var counts: [String: Int] = [:]
        for raw in golden.split(separator: 0x0A) {
            let line = Array(raw)
            let record = try JSONReader.parse(line, limits: JSONLimits(maxDepth: 256, maxDocumentBytes: 1 << 30))
            if let s = record["source"] {
                counts[(s["input"]?.stringValue ?? "") + "\u{0}" + (s["path"]?.stringValue ?? ""), default: 0] += 1
            }
            try pii.add(recordLine: line)
            try duplicates.add(recordLine: line)
        }
        var out: [String] = []
        for input in manifest["inputs"]?.arrayValue ?? [] {
            let file = input["file"]?.stringValue ?? ""
            for entry in input["entries"]?.arrayValue ?? [] {
                guard let path = entry["path"]?.stringValue, case .number(let n)? = entry["records"], let want = Int(n) else { continue }
                let got = counts[file + "\u{0}" + path] ?? 0
                if got != want { out.append("\(file) \(path): \(got) records, the key counts \(want)") }
            }
        }
        for r in pii.results + duplicates.results where r.falsePositives > 0 || r.falseNegatives > 0 {
            out.append("\(r.type): \(r.truePositives) found, \(r.falsePositives) not planted, \(r.falseNegatives) missed")
        }
        return out
    }

    /// An outside suite's golden against the suite's own outcomes, by file name: a `y_` file
    /// is accepted (no refusal line names it) and an `n_` file refused (one does); `i_` files
    /// may go either way. A file of 0 bytes is an empty input to the pipeline, not a JSON
    /// document: it loads nothing and is not refused (`n_structure_no_data.json`).
    public static func suiteProblems(golden: [UInt8], inputs: [String]) throws -> [String] {
        var refused = Set<String>()
        for raw in golden.split(separator: 0x0A) {
            let v = try JSONReader.parse(Array(raw), limits: JSONLimits(maxDepth: 256, maxDocumentBytes: 1 << 30))
            if let input = v["refused"]?["input"]?.stringValue { refused.insert(input) }
        }
        var out: [String] = []
        for path in inputs {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if name.hasPrefix("y_") && refused.contains(name) { out.append("\(name) must be accepted and was refused") }
            var st = stat()
            let empty = stat(path, &st) == 0 && st.st_size == 0
            if name.hasPrefix("n_") && !empty && !refused.contains(name) { out.append("\(name) must be refused and was accepted") }
        }
        return out
    }
}
