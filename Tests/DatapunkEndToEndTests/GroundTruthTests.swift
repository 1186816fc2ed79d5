import Foundation
import LakeCore
import Testing
import _LakeTestSupport

/// The committed Takeout and Facebook cases read a second way: each raw file the generator
/// wrote is taken out of its archive by bsdtar and parsed by Foundation's JSONSerialization;
/// times are computed with Foundation's ISO8601DateFormatter and Date, coordinates with
/// NSDecimalNumber. None of that is our parsing, so the exported `occurred_at` and `data.geo`
/// are checked against the generator's own values, record by record.
@Suite(.serialized) struct GroundTruthTests {
    struct Export {
        var records: [String: [Int: JSONValue]] = [:]  // "input|path" -> index -> record
    }

    static func ingestAndExport(_ name: String) throws -> (Export, String) {
        let folder = TestPaths.corpus + "/generated/" + name
        let lake = TestPaths.scratch("truth-lake")
        let manifest = try JSONValueReader.parse(TestPaths.read(folder + "/manifest.json"))
        for r in try CommandRunner.ingestCorpus(folder, manifest: manifest, lake: lake) {
            #expect(r.status == 0, "\(r.stderrText)")
        }
        let out = try CommandRunner.run(CommandRunner.datapunk, ["export", "--lake", lake])
        var export = Export()
        for line in out.stdoutText.split(separator: "\n") {
            let r = try JSONValueReader.parse(Array(line.utf8))
            let key = (r["source"]?["input"]?.stringValue ?? "") + "|" + (r["source"]?["path"]?.stringValue ?? "")
            export.records[key, default: [:]][Int(CanonicalJSON.string(r["source"]?["index"] ?? .null)) ?? -1] = r
        }
        return (export, lake)
    }

    /// The raw bytes of `entry` in `archive`, through bsdtar.
    static func raw(_ archive: String, _ entry: String) throws -> Any {
        var environment = CommandRunner.environment
        environment["LC_ALL"] = "C.UTF-8"  // entry names are UTF-8
        let r = try CommandRunner.run("/usr/bin/bsdtar", ["-xOf", archive, entry], environment: environment)
        try #require(r.status == 0, "\(r.stderrText)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout), options: [.fragmentsAllowed])
    }

    static var iso: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }

    /// Milliseconds since 1970 of an exported `occurred_at`.
    static func millis(_ occurredAt: String?) -> Int64? {
        guard let t = occurredAt, let d = iso.date(from: t) else { return nil }
        return Int64((d.timeIntervalSince1970 * 1000).rounded())
    }

    /// Milliseconds of an ISO-8601 text as the source wrote it (with or without a fraction).
    static func isoMillis(_ text: String) -> Int64? {
        if let d = iso.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        let plain = ISO8601DateFormatter()
        return plain.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    /// `value` × 10^exponent as text with 6 decimals, rounded half away from zero (NSDecimalNumber).
    static func degrees(_ value: Int64, exponent: Int16) -> String {
        let handler = NSDecimalNumberHandler(
            roundingMode: .plain, scale: 6, raiseOnExactness: false, raiseOnOverflow: false,
            raiseOnUnderflow: false, raiseOnDivideByZero: false)
        let n = NSDecimalNumber(mantissa: value.magnitude, exponent: exponent, isNegative: value < 0).rounding(accordingToBehavior: handler)
        var text = n.stringValue
        if !text.contains(".") { text += "." }
        let decimals = text.split(separator: ".", omittingEmptySubsequences: false)[1].count
        return text + String(repeating: "0", count: 6 - decimals)
    }

    static func number(_ any: Any?) -> Int64? {
        if let n = any as? NSNumber { return n.int64Value }
        if let s = any as? String { return Int64(s) }
        return nil
    }

    @Test func takeoutTimesAndCoordinatesMatchTheRawFiles() throws {
        let (export, lake) = try Self.ingestAndExport("google-takeout-seed1-64KB")
        defer { TestPaths.remove(lake) }
        let folder = TestPaths.corpus + "/generated/google-takeout-seed1-64KB"
        var checkedTimes = 0, checkedPoints = 0
        for archive in TestPaths.listFiles(folder) where archive != "manifest.json" {
            for (key, byIndex) in export.records where key.hasPrefix(archive + "|") {
                let path = String(key.dropFirst(archive.count + 1))
                let record0 = byIndex.values.first!
                let kind = record0["record_kind"]?.stringValue ?? ""
                guard ["location", "semantic_location", "browser_visit", "photo_metadata", "activity"].contains(kind),
                    path.hasSuffix(".json")
                else { continue }
                let json = try Self.raw(folder + "/" + archive, path)
                let elements: [Any]
                switch kind {
                case "location": elements = (json as! [String: Any])["locations"] as! [Any]
                case "semantic_location": elements = (json as! [String: Any])["timelineObjects"] as! [Any]
                case "browser_visit": elements = (json as! [String: Any])["Browser History"] as! [Any]
                case "photo_metadata": elements = [json]
                default: elements = json as! [Any]
                }
                #expect(elements.count == byIndex.count, "\(key)")
                for (i, element) in elements.enumerated() {
                    let e = element as! [String: Any]
                    let r = try #require(byIndex[i], "\(key) #\(i)")
                    let got = Self.millis(r["occurred_at"]?.stringValue)
                    var want: Int64?
                    var point: (Int64, Int64, Int16)?
                    switch kind {
                    case "location":
                        want = Self.number(e["timestampMs"]) ?? (e["timestamp"] as? String).flatMap(Self.isoMillis)
                        point = (Self.number(e["latitudeE7"])!, Self.number(e["longitudeE7"])!, -7)
                    case "semantic_location":
                        let inner = (e["placeVisit"] ?? e["activitySegment"]) as! [String: Any]
                        let duration = inner["duration"] as! [String: Any]
                        want = Self.number(duration["startTimestampMs"]) ?? (duration["startTimestamp"] as? String).flatMap(Self.isoMillis)
                        if let loc = (inner["location"] ?? inner["startLocation"]) as? [String: Any] {
                            point = (Self.number(loc["latitudeE7"])!, Self.number(loc["longitudeE7"])!, -7)
                        }
                    case "browser_visit":
                        want = Self.number(e["time_usec"]).map { $0 / 1000 }
                    case "photo_metadata":
                        want = Self.number((e["photoTakenTime"] as? [String: Any])?["timestamp"]).map { $0 * 1000 }
                        if let g = e["geoData"] as? [String: Any], let lat = g["latitude"] as? NSNumber,
                            let lng = g["longitude"] as? NSNumber,
                            lat.doubleValue != 0 || lng.doubleValue != 0
                        {
                            // The sidecar writes 6 decimals: as micro-degrees they are exact.
                            point = (Int64((lat.doubleValue * 1e6).rounded()), Int64((lng.doubleValue * 1e6).rounded()), -6)
                        }
                    default:
                        want = (e["time"] as? String).flatMap(Self.isoMillis)
                    }
                    #expect(got == want, "\(key) #\(i): \(String(describing: r["occurred_at"]))")
                    checkedTimes += 1
                    if let (lat, lng, exponent) = point {
                        #expect(r["data"]?["geo"]?["lat"] == .number(Self.degrees(lat, exponent: exponent)), "\(key) #\(i)")
                        #expect(r["data"]?["geo"]?["lng"] == .number(Self.degrees(lng, exponent: exponent)), "\(key) #\(i)")
                        let outside =
                            abs(lat) > 90 * Int64(pow(10.0, Double(-exponent))) || abs(lng) > 180 * Int64(pow(10.0, Double(-exponent)))
                        #expect((r["data"]?["geo"]?["out_of_bounds"] == .bool(true)) == outside, "\(key) #\(i)")
                        checkedPoints += 1
                    }
                }
            }
        }
        #expect(checkedTimes > 250 && checkedPoints > 140, "\(checkedTimes) times, \(checkedPoints) points")
    }

    /// Tweets: `created_at` (`Wed Oct 10 20:19:24 +0000 2018`) read by Foundation's DateFormatter.
    @Test func twitterTimesMatchTheRawFiles() throws {
        let (export, lake) = try Self.ingestAndExport("twitter-seed1-64KB")
        defer { TestPaths.remove(lake) }
        let folder = TestPaths.corpus + "/generated/twitter-seed1-64KB"
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE MMM dd HH:mm:ss Z yyyy"
        var checked = 0
        for archive in TestPaths.listFiles(folder) where archive != "manifest.json" {
            for (key, byIndex) in export.records where key.hasPrefix(archive + "|") && byIndex[0]?["record_kind"] == .string("tweet") {
                let path = String(key.dropFirst(archive.count + 1))
                var environment = CommandRunner.environment
                environment["LC_ALL"] = "C.UTF-8"
                let r = try CommandRunner.run("/usr/bin/bsdtar", ["-xOf", folder + "/" + archive, path], environment: environment)
                let text = r.stdoutText
                let json = try #require(text.firstIndex(of: "[").map { String(text[$0...]) })
                let elements = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
                #expect(elements.count == byIndex.count, "\(key)")
                for (i, element) in elements.enumerated() {
                    let tweet = (element["tweet"] as? [String: Any]) ?? element
                    let want = (tweet["created_at"] as? String).flatMap(formatter.date(from:)).map {
                        Int64(($0.timeIntervalSince1970 * 1000).rounded())
                    }
                    #expect(want != nil && Self.millis(byIndex[i]?["occurred_at"]?.stringValue) == want, "\(key) #\(i)")
                    checked += 1
                }
            }
        }
        #expect(checked > 30, "\(checked)")
    }

    @Test func facebookTimesMatchTheRawFiles() throws {
        let (export, lake) = try Self.ingestAndExport("facebook-seed1-64KB")
        defer { TestPaths.remove(lake) }
        let folder = TestPaths.corpus + "/generated/facebook-seed1-64KB"
        var checked = 0
        for archive in TestPaths.listFiles(folder) where archive != "manifest.json" {
            for (key, byIndex) in export.records where key.hasPrefix(archive + "|") {
                let path = String(key.dropFirst(archive.count + 1))
                let json = try Self.raw(folder + "/" + archive, path)
                let elements: [Any]
                if let a = json as? [Any] {
                    elements = a
                } else {
                    let o = json as! [String: Any]
                    elements = (o["messages"] ?? o["comments_v2"] ?? o["friends_v2"]) as! [Any]
                }
                #expect(elements.count == byIndex.count, "\(key)")
                for (i, element) in elements.enumerated() {
                    let e = element as! [String: Any]
                    let want = Self.number(e["timestamp_ms"]) ?? Self.number(e["timestamp"]).map { $0 * 1000 }
                    #expect(Self.millis(byIndex[i]?["occurred_at"]?.stringValue) == want, "\(key) #\(i)")
                    checked += 1
                }
            }
        }
        // Every record the answer key counts was checked.
        let manifest = try ManifestFile(path: folder + "/manifest.json")
        #expect(checked == manifest.inputs.flatMap(\.entries).reduce(0) { $0 + $1.records } && checked > 100)
    }
}
