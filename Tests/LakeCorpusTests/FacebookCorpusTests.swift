import Foundation
import LakeCore
import LakeCorpus
import LakeIngest
import LakeParsers
import Testing
import _LakeTestSupport

/// The generated Facebook corpus read back independently: counts per file, Facebook's per-byte
/// escapes (undone here with code of the test's own), newest-first threads, planted PII.
@Suite struct FacebookCorpusTests {
    /// Undoes Facebook's mojibake: every scalar is ≤ U+00FF, so take them as bytes and decode UTF-8.
    static func repair(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        guard scalars.allSatisfy({ $0.value <= 0xFF }) else { return s }
        return String(decoding: scalars.map { UInt8($0.value) }, as: UTF8.self)
    }

    static func records(_ value: JSONValue, kind: String) -> [JSONValue] {
        switch kind {
        case "comment": return value["comments_v2"]?.arrayValue ?? []
        case "friend": return value["friends_v2"]?.arrayValue ?? []
        case "message": return value["messages"]?.arrayValue ?? []
        default: return value.arrayValue ?? []
        }
    }

    @Test func readBackAgainstTheManifest() throws {
        let dir = TestPaths.scratch("fb")
        defer { TestPaths.remove(dir) }
        let manifest = try CorpusGenerator.generate(profile: "facebook", seed: 5, scale: "400KB", output: dir)
        #expect(manifest.inputs.count == 2)
        #expect(manifest.inputs.map { $0.entries.contains { $0.path.hasPrefix("your_facebook_activity/") } } == [true, false])
        let again = TestPaths.scratch("fb2")
        defer { TestPaths.remove(again) }
        try CorpusGenerator.generate(profile: "facebook", seed: 5, scale: "400KB", output: again)
        for f in TestPaths.listFiles(dir) { #expect(TestPaths.read(dir + "/" + f) == TestPaths.read(again + "/" + f)) }

        let file = try ManifestFile(path: dir + "/manifest.json")
        var checkedPII = 0
        var checkedDuplicates = 0
        for input in manifest.inputs {
            let files = Dictionary(uniqueKeysWithValues: try TwitterCorpusTests.entries(dir + "/" + input.file))
            #expect(Set(input.entries.map(\.recordKind)) == ["post", "comment", "reaction", "friend", "message"])
            for entry in input.entries {
                let bytes = try #require(files[entry.path])
                // Pure ASCII: every non-ASCII character went out as \u00XX escapes.
                #expect(bytes.allSatisfy { $0 < 0x80 }, "\(entry.path) has raw non-ASCII bytes")
                let value = try JSONReader.parse(bytes, limits: JSONLimits(maxDepth: 16, maxDocumentBytes: 1 << 30))
                let recs = Self.records(value, kind: entry.recordKind)
                #expect(recs.count == entry.records, "\(entry.path)")
                if entry.recordKind == "message" {
                    let times = recs.compactMap { Int64(CanonicalJSON.string($0["timestamp_ms"] ?? .null)) }
                    #expect(times == times.sorted(by: >), "\(entry.path) is not newest first")
                }
                for p in file.pii where p.file == input.file && p.entry == entry.path {
                    let rec = recs[p.index]
                    let raw = p.field == "content" ? rec["content"]?.stringValue : rec["data"]?.arrayValue?.first?["post"]?.stringValue
                    #expect(Self.repair(raw ?? "").contains(p.value))
                    checkedPII += 1
                }
                // Exact duplicates are equal records; near ones differ in text by one character.
                for d in file.duplicates where d.file == input.file && d.entry == entry.path {
                    let a = recs[d.first], b = recs[d.second]
                    if d.kind == "exact" {
                        #expect(CanonicalJSON.encode(a) == CanonicalJSON.encode(b))
                    } else {
                        let ta = a["data"]?.arrayValue?.first?["post"]?.stringValue ?? "",
                            tb = b["data"]?.arrayValue?.first?["post"]?.stringValue ?? ""
                        #expect(ta != tb && tb.hasPrefix(ta) && tb.count == ta.count + 1)
                        #expect(a["timestamp"] != b["timestamp"])
                    }
                    checkedDuplicates += 1
                }
            }
            // Names with non-ASCII letters come out as mojibake and repair to real text.
            let posts = try #require(input.entries.first { $0.recordKind == "post" })
            let title = try JSONReader.parse(try #require(files[posts.path])).arrayValue?.first?["title"]?.stringValue ?? ""
            #expect(Self.repair(title).hasSuffix("updated her status.") || Self.repair(title).hasSuffix("updated his status."))
        }
        #expect(checkedPII == file.pii.count && checkedPII == manifest.piiCount)
        #expect(
            checkedDuplicates == file.duplicates.count && file.duplicates.contains { $0.kind == "near" }
                && file.duplicates.contains { $0.kind == "exact" })
    }
}
