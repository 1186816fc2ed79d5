import Foundation
import LakeCore
import LakeCorpus
import LakeIngest
import LakeParsers
import Testing
import _LakeTestSupport

/// The generated Takeout corpus: the parts of each export are read as one union of trees and
/// every data file is counted with the project's own parsers (not the generator's code).
@Suite struct TakeoutCorpusTests {
    static func count(_ kind: String, _ bytes: [UInt8]) throws -> Int {
        switch kind {
        case "activity":
            if bytes.starts(with: Array("<html".utf8)) {
                let r = TakeoutActivityReader(bytes: bytes)
                var n = 0
                while let e = try r.next() {
                    #expect(e.time != nil, "an activity entry without a parseable date")
                    n += 1
                }
                return n
            }
            return try JSONReader.parse(bytes, limits: JSONLimits(maxDocumentBytes: 1 << 30)).arrayValue?.count ?? -1
        case "location":
            return try JSONReader.parse(bytes, limits: JSONLimits(maxDocumentBytes: 1 << 30))["locations"]?.arrayValue?.count ?? -1
        case "semantic_location": return try JSONReader.parse(bytes)["timelineObjects"]?.arrayValue?.count ?? -1
        case "browser_visit":
            let visits = try JSONReader.parse(bytes)["Browser History"]?.arrayValue ?? []
            for v in visits { _ = try Timestamp.parseEpoch(CanonicalJSON.string(v["time_usec"] ?? .null), unit: .microseconds) }
            return visits.count
        case "email":
            let r = MboxReader(bytes: bytes)
            var n = 0
            while let m = try r.next() {
                #expect(MailMessage.parse(m.raw).date != nil)
                n += 1
            }
            return n
        case "calendar_event":
            let r = ICalendarReader(bytes: bytes)
            var n = 0
            while try r.nextEvent() != nil { n += 1 }
            return n
        case "contact":
            let r = VCardReader(bytes: bytes)
            var n = 0
            while try r.next() != nil { n += 1 }
            return n
        case "photo_metadata":
            let v = try JSONReader.parse(bytes)
            _ = try Timestamp.parseEpoch(v["photoTakenTime"]?["timestamp"]?.stringValue ?? "x", unit: .seconds)
            return 1
        case "subscription":
            let r = CSVReader(bytes: bytes)
            var n = -1  // the header
            while try r.nextRecord() != nil { n += 1 }
            return n
        default:
            Issue.record("unknown kind \(kind)")
            return -1
        }
    }

    @Test func partsReadBackAsOneExport() throws {
        let dir = TestPaths.scratch("takeout")
        defer { TestPaths.remove(dir) }
        let m = try CorpusGenerator.generate(profile: "google-takeout", seed: 3, scale: "512KB", output: dir)
        #expect(m.inputs.count == 6)
        #expect(m.inputs.map(\.file).filter { $0.hasSuffix(".tgz") }.count == 2)
        for user in m.users {
            let parts = m.inputs.filter { $0.user == user }
            #expect(parts.count == 3)
            var mimes: Set<String> = []
            // The union of the parts' trees.
            var tree: [String: [UInt8]] = [:]
            for p in parts {
                for (path, bytes) in try TwitterCorpusTests.entries(dir + "/" + p.file) {
                    #expect(path.hasPrefix("Takeout/"))
                    #expect(tree[path] == nil, "\(path) in two parts")
                    tree[path] = bytes
                }
            }
            for p in parts {
                for e in p.entries {
                    let bytes = try #require(tree[e.path])
                    #expect(FileDigester.sha256(bytes) == e.sha256)
                    #expect(try Self.count(e.recordKind, bytes) == e.records, "\(e.path)")
                    if e.recordKind == "photo_metadata" {
                        // The photo exists somewhere in the export, possibly in another part,
                        // and libmagic recognises it.
                        let title = try #require(try JSONReader.parse(bytes)["title"]?.stringValue)
                        let folder = e.path.split(separator: "/").dropLast().joined(separator: "/")
                        let photo = try #require(tree[folder + "/" + title], "no photo for \(e.path)")
                        let mime = try MagicDetector().mimeType(of: photo)
                        #expect(["image/jpeg", "image/png", "image/webp", "video/mp4"].contains(mime), "\(title): \(mime)")
                        mimes.insert(mime)
                    }
                }
            }
            #expect(mimes.count == 4, "photos and videos in all four formats: \(mimes)")
            let paths = Array(tree.keys)
            #expect(paths.contains { $0.hasSuffix(".supplemental-metad.json") })
            #expect(paths.contains { $0.hasSuffix(".supplemental-metadata.json") })
            // Gson byte habits in My Activity JSON.
            let search = try #require(
                tree.first { $0.key.hasSuffix(".json") && $0.key.contains("/Search/") || $0.key.contains("/Suche/") }?.value)
            let text = String(decoding: search, as: UTF8.self)
            #expect(text.hasPrefix("[{") && text.contains("},{") && text.contains("\\u003d") && text.contains("\\u0026"))
            // Both Records.json time variants.
            let records = String(decoding: try #require(tree.first { $0.key.hasSuffix("Records.json") }?.value), as: UTF8.self)
            #expect(records.contains("\"timestampMs\"") && records.contains("\"timestamp\""))
        }
        #expect(m.inputs.contains { $0.entries.contains { $0.path.contains("Meine Aktivitäten") } })
        // Planted PII in contacts and mail headers.
        let file = try ManifestFile(path: dir + "/manifest.json")
        for p in file.pii.prefix(50) {
            let bytes = try #require(try TwitterCorpusTests.entries(dir + "/" + p.file).first { $0.0 == p.entry }?.1)
            #expect(String(decoding: bytes, as: UTF8.self).contains(p.value))
        }
        #expect(!file.pii.isEmpty && file.pii.allSatisfy { !$0.file.isEmpty })
        // Near duplicates in the search activity: the same query one second apart.
        #expect(!file.duplicates.isEmpty)
        for d in file.duplicates {
            let bytes = try #require(try TwitterCorpusTests.entries(dir + "/" + d.file).first { $0.0 == d.entry }?.1)
            let items = try #require(try JSONReader.parse(bytes).arrayValue)
            let a = items[d.first], b = items[d.second]
            #expect(d.kind == "near" && a["title"] == b["title"])
            let ta = try Timestamp.parseISO8601(a["time"]?.stringValue ?? ""), tb = try Timestamp.parseISO8601(b["time"]?.stringValue ?? "")
            #expect(tb.millis - ta.millis == 1000)
        }
    }
}
