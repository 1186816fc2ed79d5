import Foundation
import LakeCore
import LakeCorpus
import LakeIngest
import LakeParsers
import Testing
import _LakeTestSupport

/// The generated Twitter corpus, read back with code that is not the generator's (libarchive,
/// the JSON reader, the timestamp parser) and checked against its manifest.
@Suite struct TwitterCorpusTests {
    static func generate(seed: UInt64 = 7, scale: String = "256KB") throws -> (String, CorpusManifest) {
        let dir = TestPaths.scratch("corpus")
        let manifest = try CorpusGenerator.generate(profile: "twitter", seed: seed, scale: scale, output: dir)
        return (dir, manifest)
    }

    /// Entry path → bytes, for every file entry of a zip.
    static func entries(_ zip: String) throws -> [(String, [UInt8])] {
        let r = try ArchiveReader(path: zip)
        var out: [(String, [UInt8])] = []
        while let e = try r.nextEntry() {
            var data: [UInt8] = []
            while let c = try r.readChunk() { data += c }
            if e.kind == .file { out.append((e.path, data)) }
        }
        return out
    }

    static func elements(_ bytes: [UInt8]) throws -> [JSONValue] {
        let f = try TwitterJSFile(source: ChunkCursor.oneShot(bytes), limits: JSONLimits(maxDepth: 16, maxDocumentBytes: 1 << 30))
        var out: [JSONValue] = []
        try f.forEachElement { _, v in out.append(v) }
        return out
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let (a, _) = try Self.generate()
        let (b, _) = try Self.generate()
        let (c, _) = try Self.generate(seed: 8)
        defer { TestPaths.remove(a); TestPaths.remove(b); TestPaths.remove(c) }
        let files = TestPaths.listFiles(a)
        #expect(files.count == 3)  // two archives and manifest.json
        #expect(files == TestPaths.listFiles(b))
        for f in files { #expect(TestPaths.read(a + "/" + f) == TestPaths.read(b + "/" + f), "\(f) differs between two runs") }
        #expect(TestPaths.read(a + "/manifest.json") != TestPaths.read(c + "/manifest.json"))
    }

    @Test func manifestMatchesWhatIsReadBack() throws {
        let (dir, manifest) = try Self.generate()
        defer { TestPaths.remove(dir) }
        let file = try Self.checkAgainstManifest(dir, generated: true)
        // The manifest on disk agrees with the returned summary.
        #expect(file.pii.count == manifest.piiCount && file.duplicates.count == manifest.duplicateCount)
        #expect(file.inputs.count == 2 && file.inputs.map(\.file) == manifest.inputs.map(\.file))
        #expect(file.pii.contains { $0.type == "email" })
        #expect(file.duplicates.contains { $0.kind == "exact" } && file.duplicates.contains { $0.kind == "near" })
    }

    /// The hand-written sample archive has a manifest too, held to the same checks.
    @Test func handWrittenSampleMatchesItsManifest() throws {
        let file = try Self.checkAgainstManifest(TestPaths.corpus + "/twitter-small", generated: false)
        #expect(file.inputs.count == 1 && file.pii.count == 1)
    }

    /// Reads every Twitter archive `dir/manifest.json` lists with code that is not the
    /// generator's and checks the manifest: canonical JSON, hashes, record counts, timestamps,
    /// media, null rates, planted PII and its validity, duplicate pairs.
    static func checkAgainstManifest(_ dir: String, generated: Bool) throws -> ManifestFile {
        let file = try ManifestFile(path: dir + "/manifest.json")
        #expect(CanonicalJSON.encode(file.raw) + [0x0A] == TestPaths.read(dir + "/manifest.json"))
        var seenPII = 0
        for input in file.inputs {
            let zip = dir + "/" + input.file
            #expect(FileDigester.sha256(TestPaths.read(zip)) == input.sha256)
            let files = Dictionary(uniqueKeysWithValues: try Self.entries(zip))
            #expect(files["Your archive.html"] != nil)
            for entry in input.entries {
                let bytes = try #require(files[entry.path], "\(entry.path) missing from \(input.file)")
                #expect(FileDigester.sha256(bytes) == entry.sha256)
                if entry.path.hasSuffix("manifest.js") { continue }
                let elements = try Self.elements(bytes)
                #expect(elements.count == entry.records, "\(entry.path)")
                if entry.recordKind == "tweet" {
                    // Media the tweets point at are in the archive, and are real media files.
                    for e in elements {
                        guard let url = (e["tweet"] ?? e)["extended_entities"]?["media"]?.arrayValue?.first?["media_url_https"]?.stringValue
                        else { continue }
                        // The file is `<tweet id>-<media key>` in `tweets_media/` (`tweet_media/` in old archives).
                        let id = try #require(((e["tweet"] ?? e)["id_str"] ?? (e["tweet"] ?? e)["id"])?.stringValue)
                        let name = id + "-" + String(url.split(separator: "/").last!)
                        let media = try #require(files.first { $0.key.hasSuffix("_media/" + name) }?.value, "\(name) missing")
                        let mime = try MagicDetector().mimeType(of: media)
                        #expect(["image/jpeg", "image/png", "video/mp4"].contains(mime), "\(name): \(mime)")
                    }
                }
                if entry.recordKind == "tweet" {
                    for e in elements {
                        let tweet = e["tweet"] ?? e
                        // Every tweet's time parses and its id/count fields are strings.
                        let created = try #require(tweet["created_at"]?.stringValue)
                        _ = try Timestamp.parseTwitter(created)
                        #expect(tweet["id"]?.stringValue != nil && tweet["favorite_count"]?.stringValue != nil)
                        // The old layout has no wrapper; the new one always has it.
                        let legacy = entry.path.hasPrefix("data/tweet.") || entry.path.hasPrefix("data/tweet-")
                        #expect((e["tweet"] == nil) == legacy)
                    }
                    // Generated tweets are not in time order (real archives are not).
                    let times = try elements.map { try Timestamp.parseTwitter(($0["tweet"] ?? $0)["created_at"]!.stringValue!).millis }
                    if generated && elements.count > 2 { #expect(times != times.sorted()) }
                    // The null rate in the manifest is what the file holds.
                    // Every tweet file has its null rate in the manifest, and it is what the file holds.
                    let rate = try #require(
                        file.nullRates[input.file + ":" + entry.path + ":in_reply_to_status_id"], "no null rate for \(entry.path)")
                    let nulls = elements.filter { ($0["tweet"] ?? $0)["in_reply_to_status_id"] == nil }.count
                    #expect(rate.nulls == nulls && rate.records == elements.count)
                }
            }
            // Planted PII is where the manifest says, spelled as it says, and its validity is right.
            for p in file.pii where p.file == input.file {
                let elements = try Self.elements(try #require(files[p.entry]))
                let record = elements[p.index]
                let holder = record["tweet"] ?? record["account"] ?? record
                let text = try #require(holder[p.field == "full_text" ? "full_text" : p.field]?.stringValue)
                #expect(text.contains(p.value), "\(p.value) not in \(p.entry)#\(p.index)")
                if p.type == "credit_card" {
                    #expect(Self.luhn(p.value) == p.valid)
                }
                if p.type == "ssn" {
                    #expect(Self.ssnValid(p.value) == p.valid)
                }
                if p.type == "iban" {
                    #expect(Self.ibanValid(p.value) == p.valid)
                }
                seenPII += 1
            }
            // Duplicates: exact pairs are byte-equal elements, near pairs differ in text only slightly.
            for d in file.duplicates where d.file == input.file {
                let elements = try Self.elements(try #require(files[d.entry]))
                let a = elements[d.first], b = elements[d.second]
                if d.kind == "exact" {
                    #expect(CanonicalJSON.encode(a) == CanonicalJSON.encode(b))
                } else {
                    let ta = (a["tweet"] ?? a)["full_text"]?.stringValue ?? "", tb = (b["tweet"] ?? b)["full_text"]?.stringValue ?? ""
                    #expect(ta != tb && tb.hasPrefix(ta))
                    #expect((a["tweet"] ?? a)["id"] != (b["tweet"] ?? b)["id"])
                }
            }
        }
        #expect(seenPII == file.pii.count)
        return file
    }

    /// Luhn, written here again on purpose: the check must not share code with the generator.
    static func luhn(_ s: String) -> Bool {
        let digits = s.compactMap(\.wholeNumberValue)
        var sum = 0
        for (i, d) in digits.reversed().enumerated() { sum += i % 2 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d }
        return sum % 10 == 0
    }

    static func ssnValid(_ s: String) -> Bool {
        let p = s.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return false }
        return p[0] != 0 && p[0] != 666 && p[0] < 900 && p[1] != 0 && p[2] != 0
    }

    /// ISO 13616 mod-97 by big-number division in steps of seven digits, written apart from the
    /// generator's and the detector's.
    static func ibanValid(_ s: String) -> Bool {
        let plain = s.replacingOccurrences(of: " ", with: "")
        let moved = plain.dropFirst(4) + plain.prefix(4)
        let digits = moved.map { $0.isLetter ? String(Int($0.asciiValue!) - 55) : String($0) }.joined()
        var rest = ""
        for chunk in stride(from: 0, to: digits.count, by: 7).map({ String(digits.dropFirst($0).prefix(7)) }) {
            rest = String(Int(rest + chunk)! % 97)
        }
        return rest == "1"
    }

    @Test func scaleAndProfileAreChecked() {
        #expect(CorpusGenerator.parseScale("10MB") == 10 << 20)
        #expect(CorpusGenerator.parseScale("1gb") == 1 << 30)
        #expect(CorpusGenerator.parseScale("x") == nil)
        #expect(throws: LakeError.self) { try CorpusGenerator.generate(profile: "nope", seed: 1, scale: "1MB", output: "/tmp/x") }
    }
}
