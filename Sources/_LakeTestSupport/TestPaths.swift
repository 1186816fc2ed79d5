import Foundation

/// Where tests find the repository, the vendored conformance suites and scratch space.
/// Not API: underscored target, used by the test targets only.
public enum TestPaths {
    /// The repository root (the folder holding Package.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static var corpus: String { root + "/Corpus" }
    /// The outside suites vendored with their licences (Corpus/conformance/SOURCES.md).
    public static var conformance: String { corpus + "/conformance" }
    public static var golden: String { root + "/Golden" }
    public static var sampleZip: String { corpus + "/twitter-small/twitter-2024-01-15-sample.zip" }

    /// A fresh empty folder under the system temp folder; removed by `remove`.
    public static func scratch(_ label: String = "t") -> String {
        let path = NSTemporaryDirectory() + "datapunk-\(label)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    public static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// Every file under `folder`, relative paths, sorted.
    public static func listFiles(_ folder: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
        }
        return out.sorted()
    }

    public static func read(_ path: String) -> [UInt8] {
        (FileManager.default.contents(atPath: path)).map { Array($0) } ?? []
    }
}
