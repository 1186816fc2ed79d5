import Foundation
import LakeCore
import LakeCorpus
import LakeNormalize
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
            let record = try JSONReader.parse(line, limits: .canonicalLines)
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
            let v = try JSONReader.parse(Array(raw), limits: .canonicalLines)
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

    /// csv-spectrum's golden against its expected JSON (`<expected>/<name>.json` per
    /// `<name>.csv`): record `i` of a CSV holds row `i`'s values, each as its text (a typed
    /// number or boolean as spelled, after SPEC 5.2's text cleansing: CR LF and CR become LF,
    /// other controls but tab go, NFC, white space trimmed), an empty cell left out.
    public static func spectrumProblems(golden: [UInt8], expected folder: String) throws -> [String] {
        var rows: [String: [Int: JSONValue]] = [:]
        for raw in golden.split(separator: 0x0A) {
            let v = try JSONReader.parse(Array(raw), limits: .canonicalLines)
            guard let s = v["source"], let input = s["input"]?.stringValue, case .number(let n)? = s["index"], let i = Int(n) else {
                continue
            }
            rows[input, default: [:]][i] = v["data"]
        }
        var out: [String] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
        for name in names {
            let csv = String(name.dropLast(5)) + ".csv"
            guard let bytes = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
            let expected = try JSONReader.parse(Array(bytes), limits: JSONLimits()).arrayValue ?? []
            let got = rows[csv] ?? [:]
            if got.count != expected.count { out.append("\(csv): \(got.count) records, csv-spectrum has \(expected.count) rows") }
            for (i, row) in expected.enumerated() {
                for m in row.objectMembers ?? [] {
                    let want = TextCleansing.clean(m.value.stringValue ?? "")
                    let have: String? = got[i]?[m.key].map { v in
                        switch v {
                        case .string(let t): return t
                        case .number(let t): return t
                        case .bool(let b): return b ? "true" : "false"
                        default: return CanonicalJSON.string(v)
                        }
                    }
                    if want.isEmpty ? have != nil : have != want {
                        out.append("\(csv) row \(i) \(m.key): \(have.map { "\"\($0)\"" } ?? "absent"), csv-spectrum has \"\(want)\"")
                    }
                }
            }
        }
        return out
    }

    /// A real fixture's golden against the records its own project's tests assert
    /// (`Corpus/real/expected.json`, one case): records per path, and the fields of the records
    /// named there (`path` inside a record with `/` between levels; `null` expects the field
    /// absent; `contains` a substring).
    /// The merge case's problems: the number of records, and for each record the key says is
    /// kept, its `merge.seen_again` steps (input and index, in order) exactly as listed; no
    /// other record has such a step.
    public static func mergeProblems(golden: [UInt8], expected: [UInt8]) throws -> [String] {
        let key = try JSONReader.parse(expected, limits: JSONLimits(maxDepth: 16, maxDocumentBytes: 1 << 24))
        func place(_ v: JSONValue?) -> String {
            let index: String
            if case .number(let n)? = v?["index"] { index = n } else { index = "?" }
            return (v?["input"]?.stringValue ?? "?") + "#" + index
        }
        var steps: [String: [String]] = [:]
        var count = 0
        for raw in golden.split(separator: 0x0A) {
            let r = try JSONReader.parse(Array(raw), limits: .canonicalLines)
            guard r["id"] != nil else { continue }
            count += 1
            steps[place(r["source"])] = (r["lineage"]?.arrayValue ?? []).filter { $0["step"]?.stringValue == "merge.seen_again" }
                .map { place($0["source"]) }
        }
        var out: [String] = []
        if case .number(let n)? = key["records"], Int(n) != count { out.append("\(count) records, the key says \(n)") }
        var kept = Set<String>()
        for k in key["kept"]?.arrayValue ?? [] {
            let at = place(k), want = (k["seen_again"]?.arrayValue ?? []).map { place($0) }
            kept.insert(at)
            guard let got = steps[at] else {
                out.append("no record at \(at)")
                continue
            }
            if got != want { out.append("\(at) names sightings \(got), the key says \(want)") }
        }
        for (at, got) in steps.sorted(by: { $0.key < $1.key }) where !kept.contains(at) && !got.isEmpty {
            out.append("\(at) is not kept by the key but names sightings \(got)")
        }
        return out
    }

    public static func realProblems(golden: [UInt8], expected c: JSONValue) throws -> [String] {
        var byPath: [String: [Int: JSONValue]] = [:]
        for raw in golden.split(separator: 0x0A) {
            let r = try JSONReader.parse(Array(raw), limits: .canonicalLines)
            guard let s = r["source"], case .number(let n)? = s["index"], let i = Int(n) else { continue }
            byPath[s["path"]?.stringValue ?? "", default: [:]][i] = r
        }
        // `a/b/0` is the JSON pointer `/a/b/0` (the fixtures' keys hold no `~` or `/`).
        func value(_ record: JSONValue, at path: String) -> JSONValue? { JSONPointer.resolve("/" + path, in: record) }
        var out: [String] = []
        for m in c["counts"]?.objectMembers ?? [] {
            guard case .number(let n) = m.value, let want = Int(n) else { continue }
            let got = byPath[m.key]?.count ?? 0
            if got != want { out.append("\(m.key): \(got) records, the peer's tests expect \(want)") }
        }
        for want in c["records"]?.arrayValue ?? [] {
            let path = want["path"]?.stringValue ?? ""
            guard case .number(let n)? = want["index"], let index = Int(n), let record = byPath[path]?[index] else {
                out.append("\(path): no record \(want["index"].map { CanonicalJSON.string($0) } ?? "?")")
                continue
            }
            for f in want["fields"]?.objectMembers ?? [] {
                let got = value(record, at: f.key) ?? (f.value == .null ? .null : nil)
                if got != f.value {
                    out.append(
                        "\(path) #\(index) \(f.key): \(got.map { CanonicalJSON.string($0) } ?? "absent"), expected \(CanonicalJSON.string(f.value))"
                    )
                }
            }
            for f in want["contains"]?.objectMembers ?? []
            where value(record, at: f.key)?.stringValue?.contains(f.value.stringValue ?? "") != true {
                out.append("\(path) #\(index) \(f.key) does not contain \(f.value.stringValue ?? "")")
            }
        }
        return out
    }
}
