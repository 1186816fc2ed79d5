import Foundation
import LakeCore
import LakeIngest
import LakeParsers

/// The `twitter` profile: one archive per user, laid out and spelled as Twitter/X writes them
/// (../shared/corpus/EXPORT-FORMATS.md A.3): `window.YTD.<name>.partN = ` wrappers, `"key" : value`
/// spacing with `[ {` and `}, {`, ids and counts as strings, tweets unsorted and split into
/// `tweets.js` / `tweets-part1.js`, likes without times, direct messages, followers, account,
/// manifest, and media named `<tweet id>-<name>`. The second user's archive is the pre-2020
/// layout: `data/tweet.js` (`YTD.tweet`), elements not wrapped in `{"tweet": …}`.
struct TwitterProfile {
    /// Elements per `tweets-partN.js` file.
    static let tweetsPerPart = 20_000
    /// Twitter's snowflake epoch (2010-11-04T01:42:54.657Z).
    static let snowflakeEpoch: Int64 = 1_288_834_974_657

    /// Instants planted on purpose: EU and US DST changes and leap days.
    static let plantedInstants: [Int64] = [
        1_679_794_200_000,  // 2023-03-26T01:30:00Z, the EU spring-forward hour
        1_699_165_800_000,  // 2023-11-05T06:30:00Z, the US fall-back hour
        1_456_747_199_000,  // 2016-02-29T11:59:59Z
        1_582_934_400_000,  // 2020-02-29T00:00:00Z
        1_709_251_199_000,  // 2024-02-29T23:59:59Z
    ]

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// Twitter's `created_at` for an instant, always `+0000` as the archive writes it.
    static func createdAt(_ millis: Int64) -> String {
        let day = millis >= 0 ? millis / 86_400_000 : -((-millis - 1) / 86_400_000) - 1
        let (y, m, d) = Civil.civilFromDays(day)
        let secondOfDay = (millis - day * 86_400_000) / 1000
        func p2(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let weekday = days[Int(((day + 3) % 7 + 7) % 7)]
        return "\(weekday) \(months[Int(m - 1)]) \(p2(d)) \(p2(secondOfDay / 3600)):\(p2(secondOfDay / 60 % 60)):\(p2(secondOfDay % 60)) +0000 \(y)"
    }

    static func iso(_ millis: Int64) -> String { Timestamp(millis: millis, offsetSeconds: 0).iso8601 }

    /// Twitter's pretty-printing: 2-space indent, `"key" : value`, `[ {` / `}, {` / `} ]` between
    /// top-level elements.
    static func pretty(_ v: JSONValue, indent: Int, into out: inout [UInt8]) {
        PrettyJSON.twitter.write(v, indent: indent, into: &out)
    }

    /// `window.YTD.<name>.part<N> = [ {…}, {…} ]`, written element by element.
    static func jsFile(path: String, global: String) throws -> ArrayFileWriter {
        try ArrayFileWriter(
            path: path, head: Array("\(global) = [ ".utf8), separator: Array(", ".utf8), tail: Array(" ]".utf8),
            emptyTail: Array("]".utf8)
        ) { value, out in TwitterProfile.pretty(value, indent: 0, into: &out) }
    }

    let rng: SplitMix64
    let targetBytes: Int64

    struct Person {
        var first: String
        var last: String
        var username: String
        var accountId: String
        var email: PlantedPII
    }

    static func person(_ rng: inout SplitMix64) -> Person {
        let first = rng.pick(Vocabulary.firstNames)
        let last = rng.pick(Vocabulary.lastNames)
        let ascii = { (s: String) in String(s.lowercased().unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic }.map(Character.init)) }
        let username = ascii(first) + "_" + ascii(last) + String(rng.int(in: 10...9999))
        let accountId = String(rng.int(in: 1...9)) + rng.digits(18)
        return Person(first: first, last: last, username: username, accountId: accountId, email: rng.email(first: first, last: last))
    }

    /// Generates the archives into `output`; returns their manifest parts.
    func generate(output: String) throws -> (inputs: [CorpusManifest.Input], pii: [CorpusManifest.PII], duplicates: [CorpusManifest.Duplicate], nullRates: [String: (nulls: Int, records: Int)], users: [String]) {
        var rng = self.rng
        var inputs: [CorpusManifest.Input] = []
        var allPII: [CorpusManifest.PII] = []
        var allDuplicates: [CorpusManifest.Duplicate] = []
        var nullRates: [String: (nulls: Int, records: Int)] = [:]
        var users: [String] = []
        // Two users: the second's archive uses the pre-2020 layout. About 1.3 KB per tweet on disk.
        let tweetBudget = max(12, Int(targetBytes / 1300))
        for (userIndex, share) in [(0, 0.75), (1, 0.25)] {
            let legacy = userIndex == 1
            let person = Self.person(&rng)
            users.append(person.username)
            let count = max(6, Int(Double(tweetBudget) * share))
            let archive = try writeArchive(person: person, tweets: count, legacy: legacy, rng: &rng, output: output)
            inputs.append(archive.input)
            allPII += archive.pii
            allDuplicates += archive.duplicates
            for (k, v) in archive.nullRates { nullRates[archive.input.file + ":" + k] = v }
        }
        return (inputs, allPII, allDuplicates, nullRates, users)
    }

    struct ArchiveResult {
        var input: CorpusManifest.Input
        var pii: [CorpusManifest.PII]
        var duplicates: [CorpusManifest.Duplicate]
        var nullRates: [String: (nulls: Int, records: Int)]
    }

    func writeArchive(person: Person, tweets count: Int, legacy: Bool, rng: inout SplitMix64, output: String) throws -> ArchiveResult {
        let staging = output + "/.staging-\(person.username)"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var pii: [CorpusManifest.PII] = []
        var duplicates: [CorpusManifest.Duplicate] = []
        var entries: [(path: String, kind: String, records: Int, file: String, digest: FileDigest)] = []
        let archiveName: String = {
            let h = FileDigester.sha256(Array("\(person.accountId)|\(legacy)".utf8))
            return legacy ? "twitter-2019-11-30-\(h).zip" : "twitter-2024-06-01-\(h).zip"
        }()

        // Tweets: random times in 2012-2024 (legacy: up to 2019-11), a few planted instants,
        // written in random (unsorted) order, with planted PII and duplicates.
        let start: Int64 = 1_325_376_000_000  // 2012-01-01
        let end: Int64 = legacy ? 1_575_072_000_000 : 1_735_603_200_000
        let tweetsPath = legacy ? "data/tweet.js" : "data/tweets.js"
        let global = legacy ? "tweet" : "tweets"
        var partWriters: [(path: String, writer: ArrayFileWriter)] = []
        func writer(forPart part: Int) throws -> (String, ArrayFileWriter) {
            while partWriters.count <= part {
                let p = partWriters.isEmpty ? tweetsPath : (legacy ? "data/tweet-part\(partWriters.count).js" : "data/tweets-part\(partWriters.count).js")
                let w = try Self.jsFile(path: staging + "/" + p.replacingOccurrences(of: "/", with: "_"), global: "window.YTD.\(global).part\(partWriters.count)")
                partWriters.append((p, w))
            }
            return (partWriters[part].path, partWriters[part].writer)
        }
        var replyNulls = 0
        func countNull(_ element: JSONValue) {
            if (element["tweet"] ?? element)["in_reply_to_status_id"] == nil { replyNulls += 1 }
        }
        var mediaFiles: [(name: String, bytes: [UInt8])] = []
        var likeIds: [String] = []
        var previous: JSONValue?
        var previousIndex = 0
        var previousPlanted: PlantedPII?
        for i in 0..<count {
            let part = i / Self.tweetsPerPart
            let (path, w) = try writer(forPart: part)
            let indexInPart = w.count
            // Duplicates: every 97th tweet repeats the previous one exactly; every 89th is a near copy.
            if i > 0, i % 97 == 0, let prev = previous, previousIndex / Self.tweetsPerPart == part {
                w.append(prev)
                countNull(prev)
                if let p = previousPlanted { pii.append(.init(file: archiveName, entry: path, index: indexInPart, field: "full_text", planted: p)) }
                duplicates.append(.init(kind: "exact", file: archiveName, entry: path, first: previousIndex % Self.tweetsPerPart, second: indexInPart))
                previous = nil
                continue
            }
            let instant = i < Self.plantedInstants.count && !legacy ? Self.plantedInstants[i] : start + Int64(rng.int(in: 0...Int(end - start)))
            let lang = rng.pick(Vocabulary.languages)
            var text = rng.pick(Vocabulary.sentences[lang]!)
            var hashtags: [JSONValue] = []
            var mentions: [JSONValue] = []
            if rng.chance(0.25) {
                let tag = rng.pick(["datapunk", "travel", "coffee", "reading", "Köln", "東京"])
                hashtags.append(.object([.init("text", .string(tag)), .init("indices", .array([.string(String(text.count + 1)), .string(String(text.count + 2 + tag.count))]))]))
                text += " #" + tag
            }
            if rng.chance(0.15) {
                let friend = Self.person(&rng)
                mentions.append(.object([
                    .init("name", .string(friend.first + " " + friend.last)), .init("screen_name", .string(friend.username)),
                    .init("indices", .array([.string(String(text.count + 1)), .string(String(text.count + 2 + friend.username.count))])),
                    .init("id_str", .string(friend.accountId)), .init("id", .string(friend.accountId)),
                ]))
                text += " @" + friend.username
            }
            var planted: PlantedPII?
            if rng.chance(0.08) {
                switch rng.int(in: 0...4) {
                case 0: planted = rng.email(first: person.first, last: rng.pick(Vocabulary.lastNames))
                case 1: planted = rng.phone()
                case 2: planted = rng.creditCard(valid: rng.chance(0.5))
                case 3: planted = rng.ssn(valid: rng.chance(0.5))
                default: planted = rng.phone()
                }
                text += " " + planted!.value
            }
            if rng.chance(0.1) { text = text.replacingOccurrences(of: ".", with: " &amp; more.") }
            let id = String(((instant - Self.snowflakeEpoch) << 22) | Int64(rng.int(in: 0...4_194_303)))
            var members: [JSONMember] = [
                .init("edit_info", .object([.init("initial", .object([
                    .init("editTweetIds", .array([.string(id)])), .init("editableUntil", .string(Self.iso(instant + 3_600_000))),
                    .init("editsRemaining", .string("5")), .init("isEditEligible", .bool(rng.chance(0.5))),
                ]))])),
                .init("retweeted", .bool(false)),
                .init("source", .string("<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>")),
                .init("entities", .object([
                    .init("hashtags", .array(hashtags)), .init("symbols", .array([])), .init("user_mentions", .array(mentions)),
                    .init("urls", .array([])),
                ])),
                .init("display_text_range", .array([.string("0"), .string(String(text.count))])),
                .init("favorite_count", .string(String(rng.int(in: 0...250)))),
                .init("id_str", .string(id)),
                .init("truncated", .bool(false)),
                .init("retweet_count", .string(String(rng.int(in: 0...40)))),
                .init("id", .string(id)),
                .init("created_at", .string(Self.createdAt(instant))),
                .init("favorited", .bool(rng.chance(0.2))),
                .init("full_text", .string(text)),
                .init("lang", .string(lang)),
            ]
            if rng.chance(0.2) {
                let replyTo = String(((instant - 86_400_000 - Self.snowflakeEpoch) << 22) | 17)
                members += [.init("in_reply_to_status_id_str", .string(replyTo)), .init("in_reply_to_status_id", .string(replyTo)),
                            .init("in_reply_to_screen_name", .string(person.username))]
            }
            if rng.chance(0.05) {
                let media = "\(id)-\(String(rng.digits(6))).jpg"
                mediaFiles.append((media, Self.tinyJPEG))
                members.append(.init("extended_entities", .object([.init("media", .array([.object([
                    .init("media_url_https", .string("https://pbs.twimg.com/media/\(media)")), .init("type", .string("photo")),
                ])]))])))
            }
            var tweet: JSONValue = .object(members)
            if i > 0, i % 89 == 0, let prev = previous {
                // A near duplicate of the previous tweet: its own id, one character changed.
                if let t = prev["tweet"] ?? (legacy ? prev : nil), case .object(var tm) = t {
                    for k in tm.indices where tm[k].key == "full_text" { tm[k].value = .string((tm[k].value.stringValue ?? "") + "!") }
                    for k in tm.indices where tm[k].key == "id" || tm[k].key == "id_str" { tm[k].value = .string(id) }
                    tweet = .object(tm)
                    duplicates.append(.init(kind: "near", file: archiveName, entry: path, first: previousIndex % Self.tweetsPerPart, second: indexInPart))
                    // The copy carries the previous tweet's text, and so its planted PII, not the new draw's.
                    planted = previousPlanted
                }
            }
            let element: JSONValue = legacy ? tweet : .object([.init("tweet", tweet)])
            w.append(element)
            countNull(element)
            if let p = planted { pii.append(.init(file: archiveName, entry: path, index: indexInPart, field: "full_text", planted: p)) }
            if rng.chance(0.1) { likeIds.append(id) }
            previous = element
            previousIndex = i
            previousPlanted = planted
        }
        var tweetRecords = 0
        for (path, w) in partWriters {
            let records = w.count
            tweetRecords += records
            entries.append((path, "tweet", records, staging + "/" + path.replacingOccurrences(of: "/", with: "_"), w.finish()))
        }

        // account.js, with the account's email as planted PII.
        let accountFile = staging + "/account.js"
        let account = try Self.jsFile(path: accountFile, global: "window.YTD.account.part0")
        account.append(.object([.init("account", .object([
            .init("email", .string(person.email.value)), .init("createdVia", .string("web")), .init("username", .string(person.username)),
            .init("accountId", .string(person.accountId)), .init("createdAt", .string(Self.iso(start - 86_400_000 * Int64(rng.int(in: 1...900))))),
            .init("accountDisplayName", .string(person.first + " " + person.last)),
        ]))]))
        entries.append(("data/account.js", "account", 1, accountFile, account.finish()))
        pii.append(.init(file: archiveName, entry: "data/account.js", index: 0, field: "email", planted: person.email))

        // like.js: no timestamps (time only from the id).
        let likeFile = staging + "/like.js"
        let likes = try Self.jsFile(path: likeFile, global: "window.YTD.like.part0")
        for id in likeIds {
            likes.append(.object([.init("like", .object([
                .init("tweetId", .string(id)), .init("fullText", .string(rng.pick(Vocabulary.sentences["en"]!))),
                .init("expandedUrl", .string("https://twitter.com/i/web/status/\(id)")),
            ]))]))
        }
        entries.append(("data/like.js", "like", likes.count, likeFile, likes.finish()))

        // direct-messages.js: conversations with ISO times.
        let dmFile = staging + "/direct-messages.js"
        let dms = try Self.jsFile(path: dmFile, global: "window.YTD.direct_messages.part0")
        var dmCount = 0
        for _ in 0..<max(1, count / 50) {
            let other = Self.person(&rng)
            var messages: [JSONValue] = []
            for _ in 0..<rng.int(in: 1...4) {
                let t = start + Int64(rng.int(in: 0...Int(end - start)))
                let outgoing = rng.chance(0.5)
                messages.append(.object([.init("messageCreate", .object([
                    .init("recipientId", .string(outgoing ? other.accountId : person.accountId)), .init("reactions", .array([])),
                    .init("urls", .array([])), .init("text", .string(rng.pick(Vocabulary.sentences[rng.pick(Vocabulary.languages)]!))),
                    .init("mediaUrls", .array([])), .init("senderId", .string(outgoing ? person.accountId : other.accountId)),
                    .init("id", .string(String(((t - Self.snowflakeEpoch) << 22) | 5))), .init("createdAt", .string(Self.iso(t))),
                ]))]))
                dmCount += 1
            }
            dms.append(.object([.init("dmConversation", .object([
                .init("conversationId", .string("\(person.accountId)-\(other.accountId)")), .init("messages", .array(messages)),
            ]))]))
        }
        entries.append(("data/direct-messages.js", "dm_conversation", dms.count, dmFile, dms.finish()))

        // follower.js
        let followerFile = staging + "/follower.js"
        let followers = try Self.jsFile(path: followerFile, global: "window.YTD.follower.part0")
        for _ in 0..<max(1, count / 20) {
            let f = Self.person(&rng)
            followers.append(.object([.init("follower", .object([
                .init("accountId", .string(f.accountId)), .init("userLink", .string("https://twitter.com/intent/user?user_id=\(f.accountId)")),
            ]))]))
        }
        entries.append(("data/follower.js", "follower", followers.count, followerFile, followers.finish()))

        // manifest.js (window.__THAR_CONFIG) describing the data files.
        let manifestFile = staging + "/manifest.js"
        var manifestBytes = Array("window.__THAR_CONFIG = ".utf8)
        let dataTypes: [JSONMember] = [
            .init("tweets", .object([.init("mediaDirectory", .string("data/tweets_media")), .init("files", .array(entries.filter { $0.kind == "tweet" }.enumerated().map { i, e in
                .object([.init("fileName", .string(e.path)), .init("globalName", .string("YTD.\(global).part\(i)")), .init("count", .string(String(e.records)))])
            }))])),
            .init("like", .object([.init("files", .array([.object([.init("fileName", .string("data/like.js")), .init("globalName", .string("YTD.like.part0")), .init("count", .string(String(likes.count)))])]))])),
        ]
        Self.pretty(.object([
            .init("userInfo", .object([.init("accountId", .string(person.accountId)), .init("userName", .string(person.username)),
                                       .init("displayName", .string(person.first + " " + person.last))])),
            .init("archiveInfo", .object([.init("sizeBytes", .string(String(targetBytes))), .init("generationDate", .string(legacy ? "2019-11-30T12:00:00.000Z" : "2024-06-01T12:00:00.000Z")),
                                          .init("isPartialArchive", .bool(false)), .init("maxPartSizeBytes", .string("53687091200"))])),
            .init("dataTypes", .object(dataTypes)),
        ]), indent: 0, into: &manifestBytes)
        _ = FileManager.default.createFile(atPath: manifestFile, contents: Data(manifestBytes))
        entries.append(("data/manifest.js", "manifest", 1, manifestFile, { let d = FileDigester(); d.update(manifestBytes); return d.finish() }()))

        // The zip: the README first, then data files in a fixed order, then media.
        let archivePath = output + "/" + archiveName
        let zip = try ArchiveWriter(path: archivePath, format: .zip)
        try zip.addFile("Your archive.html", contents: Array("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Your archive</title></head><body><p>\(person.username)</p></body></html>\n".utf8))
        for e in entries { try zip.addFile(e.path, fromFile: e.file) }
        for m in mediaFiles { try zip.addFile("data/\(legacy ? "tweet_media" : "tweets_media")/\(m.name)", contents: m.bytes) }
        try zip.close()
        let digest = try FileHashing.digest(ofFile: archivePath)
        return ArchiveResult(
            input: .init(
                file: archiveName, exportKind: "twitter", user: person.username, sha256: digest.sha256,
                entries: entries.map { .init(path: $0.path, recordKind: $0.kind, records: $0.records, sha256: $0.digest.sha256) }),
            pii: pii, duplicates: duplicates,
            nullRates: ["\(tweetsPath):in_reply_to_status_id": (replyNulls, tweetRecords)])
    }

    /// A 1×1 baseline JPEG (SOI, JFIF, DQT, SOF0, DHT, SOS, EOI).
    static let tinyJPEG: [UInt8] = Array(Data(base64Encoded: "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=")!)
}
