import Foundation
import LakeCore
import LakeIngest
import LakeStore
import Testing
import _LakeTestSupport

/// Near-duplicate text records through the command line (docs/SPEC.md 5.11), on Takeout
/// searches written for the purpose.
@Suite struct NearDuplicateEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }

    static let base = "Searched for the best bakery near the old station in town"

    /// A Takeout part whose My Activity holds one search per title, a minute apart from
    /// `minute` on (all at `minute` with `sameTime`).
    static func takeout(_ path: String, _ titles: [String], minute: Int = 0, sameTime: Bool = false) throws {
        let items = titles.enumerated().map { i, title in
            let t = String(format: "2024-03-01T10:%02d:00.000Z", minute + (sameTime ? 0 : i))
            let escaped = title.replacingOccurrences(of: "\"", with: "\\\"")
            return #"{"header":"Search","title":"\#(escaped)","time":"\#(t)","products":["Search"]}"#
        }
        let writer = try ArchiveWriter(path: path, format: .zip)
        try writer.addFile("Takeout/My Activity/Search/MyActivity.json", contents: Array(("[" + items.joined(separator: ",") + "]").utf8))
        try writer.close()
    }

    /// `(title, link target's title, method, confidence)` of every record with a link, by title.
    static func links(_ lake: String) throws -> [String: (target: String, method: String, confidence: String)] {
        let export = try dp(["export", "--lake", lake]).stdoutText
        let records = export.split(separator: "\n").compactMap { try? JSONValueReader.parse(Array($0.utf8)) }
        let titles = Dictionary(records.map { ($0["id"]?.stringValue ?? "", $0["data"]?["title"]?.stringValue ?? "") }) { a, _ in a }
        var out: [String: (String, String, String)] = [:]
        for r in records {
            guard let l = r["relationships"]?.arrayValue?.first(where: { $0["type"]?.stringValue == "duplicate_of" }) else { continue }
            let key = (r["data"]?["title"]?.stringValue ?? "") + "@" + number(r["source"]?["index"])
            out[key] = (titles[l["target"]?.stringValue ?? ""] ?? "?", l["method"]?.stringValue ?? "", number(l["confidence"]))
        }
        return out
    }

    static func number(_ v: JSONValue?) -> String {
        if case .number(let n)? = v { return n }
        return "?"
    }

    @Test func nearAndEqualTextsLinkToTheFirstShortAndDifferentOnesDoNot() throws {
        let dir = TestPaths.scratch("near-e2e")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let titles = [
            Self.base,  // 0: the original
            Self.base + "!",  // 1: near (one character more): Jaccard 52/53
            "Searched for swift streaming json parser benchmarks",  // 2: unrelated
            Self.base.uppercased(),  // 3: equal once normalized
            "Searched for the best bakery near the new station in town",  // 4: one word changed: under 0.95
            "Searched for x", "Searched for x",  // 5, 6: too short to compare
        ]
        try Self.takeout(dir + "/takeout-1.zip", titles)
        let r = try Self.dp(["ingest", dir + "/takeout-1.zip", "--lake", dir + "/lake", "--progress", "json"])
        #expect(r.status == 0, "\(r.stderrText)")
        let links = try Self.links(dir + "/lake")
        #expect(links.count == 2, "\(links)")
        let near = try #require(links[Self.base + "!@1"])
        #expect(near.target == Self.base && near.method == "minhash" && near.confidence == "0.98")
        let equal = try #require(links[Self.base.uppercased() + "@3"])
        #expect(equal.target == Self.base && equal.method == "minhash" && equal.confidence == "1.00")
        // A second job hashes only its own record and leaves the links as they were.
        try Self.takeout(dir + "/takeout-2.zip", ["Searched for opening hours of the city library"])
        let again = try Self.dp(["ingest", dir + "/takeout-2.zip", "--lake", dir + "/lake", "--progress", "json"])
        #expect(again.status == 0)
        #expect(again.stderrText.contains(#""texts_hashed":1"#), "\(again.stderrText)")
        #expect(try Self.links(dir + "/lake").mapValues(\.target) == links.mapValues(\.target))
    }

    /// A later job's record that comes earlier in export order takes over as the first: the
    /// links are those of the lake's records, whichever job brought them. Two users' equal
    /// texts are never linked, and an exact duplicate keeps its `content_hash` link.
    @Test func linksFollowExportOrderUsersAndExactLinks() throws {
        let dir = TestPaths.scratch("near-order")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.takeout(dir + "/b.zip", [Self.base + "!"])
        try Self.takeout(dir + "/a.zip", [Self.base, Self.base + "!"], minute: 5)
        try Self.takeout(dir + "/c.zip", [Self.base])
        for (lake, order) in [("ab", ["b.zip", "a.zip"]), ("ba", ["a.zip", "b.zip"])] {
            for input in order {
                #expect(try Self.dp(["ingest", dir + "/" + input, "--lake", dir + "/" + lake, "--user", "alice"]).status == 0)
            }
            #expect(try Self.dp(["ingest", dir + "/c.zip", "--lake", dir + "/" + lake, "--user", "bob"]).status == 0)
        }
        let ab = try Self.dp(["export", "--lake", dir + "/ab"]).stdout
        #expect(ab == (try Self.dp(["export", "--lake", dir + "/ba"]).stdout))
        // a.zip sorts first: its base search is the first; a.zip's own copy is equal to b.zip's
        // (both link to it, equal text), and bob's equal search links to nothing.
        let links = try Self.links(dir + "/ab")
        #expect(links.count == 2, "\(links)")
        #expect(links[Self.base + "!@1"]?.target == Self.base && links[Self.base + "!@1"]?.confidence == "0.98")
        #expect(links[Self.base + "!@0"]?.target == Self.base + "!" && links[Self.base + "!@0"]?.confidence == "1.00")
        // An exact copy of an element: the content-hash link, not a near one.
        try Self.takeout(dir + "/d.zip", [Self.base, Self.base], minute: 5, sameTime: true)
        #expect(try Self.dp(["ingest", dir + "/d.zip", "--lake", dir + "/exact", "--user", "alice"]).status == 0)
        let exact = try Self.links(dir + "/exact")
        #expect(exact.count == 1 && exact[Self.base + "@1"]?.method == "content_hash", "\(exact)")
    }
}
