import Foundation
import LakeCore
import LakeParsers

/// Golden files: `Golden/<suite>/<name>`. Compared byte for byte. With `RECORD_GOLDENS=1`
/// the file is (re)written and the comparison reports a failure anyway, so a new baseline
/// never appears silently.
public enum Golden {
    public enum Outcome: Equatable {
        case matches
        case recorded
        case differs(String)
        case missing
    }

    public static func check(_ actual: [UInt8], suite: String, name: String) -> Outcome {
        let path = TestPaths.golden + "/" + suite + "/" + name
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try? FileManager.default.createDirectory(atPath: TestPaths.golden + "/" + suite, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path, contents: Data(actual))
            return .recorded
        }
        guard let expected = FileManager.default.contents(atPath: path) else { return .missing }
        if Array(expected) == actual { return .matches }
        let e = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let a = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) where (i < e.count ? String(e[i]) : nil) != (i < a.count ? String(a[i]) : nil) {
            return .differs(
                "first difference at line \(i + 1):\n  golden: \(i < e.count ? String(e[i].prefix(300)) : "<none>")\n  actual: \(i < a.count ? String(a[i].prefix(300)) : "<none>")"
            )
        }
        return .differs("bytes differ")
    }
}

extension Golden {
    /// Golden exports whose records' `data` cover the near-duplicate text kinds (tweets, mail,
    /// messages, activities, posts, comments), real and generated.
    public static let textExports = [
        "twitter-small/export.ndjson", "generated/twitter-seed8-300KB.ndjson", "generated/facebook-seed1-64KB.ndjson",
        "generated/google-takeout-seed1-64KB.ndjson", "conformance/real-google-takeout-to-sqlite-mbox.ndjson",
    ]

    /// Calls `body` with the `data` of every record of the golden exports `names`; returns how
    /// many records had one.
    @discardableResult
    public static func forEachData(in names: [String] = textExports, _ body: (JSONValue) throws -> Void) throws -> Int {
        var records = 0
        for name in names {
            let text = try String(contentsOfFile: TestPaths.golden + "/" + name, encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let data = try JSONTape(bytes: Array(line.utf8)).value()["data"] else { continue }
                records += 1
                try body(data)
            }
        }
        return records
    }
}
