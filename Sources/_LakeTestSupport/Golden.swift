import Foundation

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
