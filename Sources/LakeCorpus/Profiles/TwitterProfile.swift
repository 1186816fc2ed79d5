import Foundation
import LakeCore
import LakeIngest
import LakeParsers

/// The `twitter` profile: one archive per user, laid out and spelled as Twitter/X writes them
/// (docs/EXPORT-FORMATS.md A.3): `window.YTD.<name>.partN = ` wrappers, `"key" : value`
/// spacing with `[ {` and `}, {`, ids and counts as strings, tweets unsorted and split into
/// `tweets.js` / `tweets-part1.js`, likes without times, direct messages, followers, account,
/// manifest, and media named `<tweet id>-<name>`. The second user's archive is the pre-2020
/// layout: `data/tweet.js` (`YTD.tweet`), elements not wrapped in `{"tweet": …}`.
struct TwitterProfile: @unchecked Sendable {
    /// Media files per archive at most.
    static let maxMedia = 2000
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

    /// `window.YTD.<name>.part<N> = [ {…}, {…} ]`, written element by element.
    static func jsFile(_ file: StagedFile, global: String) -> ArrayFileWriter {
        ArrayFileWriter(
            file: file, head: Array("\(global) = [ ".utf8), separator: Array(", ".utf8), tail: Array(" ]".utf8),
            emptyTail: Array("]".utf8)
        ) { value, out in TwitterProfile.pretty(value, indent: 0, into: &out) }
    }

    let rng: SplitMix64
    let targetBytes: Int64
    let recorder: ManifestRecorder

    /// One tweet's content, drawn once and written (or copied, for duplicates) by `write`.
    struct TweetDraft {
        var id: String
        var instant: Int64
        var text: String
        var lang: String
        var hashtag: (tag: String, start: Int)?
        var mention: (person: Person, start: Int)?
        var planted: PlantedPII?
        var editEligible: Bool
        var favoriteCount: Int
        var retweetCount: Int
        var favorited: Bool
        var replyTo: String?
        var media: (url: String, kind: String)?
        /// The t.co link every generated tweet ends with: its code and start (code points).
        var link: (code: String, start: Int)?
    }

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
        let ascii = Vocabulary.asciiLetters
        let username = ascii(first) + "_" + ascii(last) + String(rng.int(in: 10...9999))
        let accountId = String(rng.int(in: 1...9)) + rng.digits(18)
        return Person(first: first, last: last, username: username, accountId: accountId, email: rng.email(first: first, last: last))
    }

    /// Generates the archives into `output`; planted PII and duplicates go to the recorder.
    /// The two users' archives are generated at once (`ProfileResult.generateUsers`).
    func generate(output: String) throws -> ProfileResult {
        var rng = self.rng
        // Two users: the second's archive uses the pre-2020 layout. About 1,060 bytes of export
        // per tweet (tweets, likes, messages, followers), so the files add up to the scale.
        let tweetBudget = max(12, Int(targetBytes / 1060))
        let profile = self
        return try ProfileResult.generateUsers(2, rng: &rng, recorder: recorder) { plan in
            let share = 0.5
            return try profile.writeArchive(
                person: plan.person, tweets: max(6, Int(Double(tweetBudget) * share)), legacy: plan.index == 1,
                rng: &plan.rng, output: output, recorder: plan.segment)
        }
    }

    func writeArchive(
        person: Person, tweets count: Int, legacy: Bool, rng: inout SplitMix64, output: String,
        recorder: ManifestRecorder.Segment
    ) throws -> UserExport {
        var entries: [(path: String, kind: String, records: Int, digest: FileDigest)] = []
        let archiveName: String = {
            let h = FileDigester.sha256(Array("\(person.accountId)|\(legacy)".utf8))
            return legacy ? "twitter-2019-11-30-\(h).zip" : "twitter-2024-06-01-\(h).zip"
        }()
        // The zip: the README first, then data files in a fixed order, then media. Each file goes
        // to the builder as soon as it is complete, so compression overlaps generation.
        let archivePath = output + "/" + archiveName
        let zip = try ArchiveBuilder(path: archivePath, format: .zip, staging: output + "/.staging-\(person.username)")
        try zip.add(
            "Your archive.html",
            contents: Array(
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Your archive</title></head><body><p>\(person.username)</p></body></html>\n"
                    .utf8))

        // Tweets: random times in 2012-2024 (legacy: up to 2019-11), a few planted instants,
        // written in random (unsorted) order, with planted PII and duplicates.
        let start: Int64 = 1_325_376_000_000  // 2012-01-01
        let end: Int64 = legacy ? 1_575_072_000_000 : 1_735_603_200_000
        let tweetsPath = legacy ? "data/tweet.js" : "data/tweets.js"
        let global = legacy ? "tweet" : "tweets"
        // Tweet files are written one after the other: a finished part goes to the zip at once.
        var current: (part: Int, path: String, writer: ArrayFileWriter)?
        // Per tweet file: how many tweets have no `in_reply_to_status_id`.
        var replyNulls = 0
        var nullRates: [String: CorpusManifest.NullRate] = [:]
        func finishPart() throws {
            guard let c = current else { return }
            nullRates["\(archiveName):\(c.path):in_reply_to_status_id"] = .init(nulls: replyNulls, records: c.writer.count)
            replyNulls = 0
            c.writer.finish()
            entries.append((c.path, "tweet", c.writer.count, try zip.add(c.writer.file)))
            current = nil
        }
        func writer(forPart part: Int) throws -> (String, ArrayFileWriter) {
            if let c = current, c.part == part { return (c.path, c.writer) }
            try finishPart()
            let p = part == 0 ? tweetsPath : (legacy ? "data/tweet-part\(part).js" : "data/tweets-part\(part).js")
            let w = Self.jsFile(try zip.open(p), global: "window.YTD.\(global).part\(part)")
            current = (part, p, w)
            return (p, w)
        }
        // like.js: no timestamps (time only from the id); written alongside the tweets.
        let likes = Self.jsFile(try zip.stage("data/like.js"), global: "window.YTD.like.part0")
        // Media file names, one per line, staged: added to the zip after the data files.
        let mediaList = try zip.stage("media-list")
        // Tweets are split over `tweets.js` and `tweets-part1.js`, … at `tweetsPerPart`; an archive
        // with fewer tweets still gets two parts (two thirds, one third), so every corpus has both.
        let perPart = max(1, min(Self.tweetsPerPart, (count * 2 + 2) / 3))
        // The accounts this user mentions.
        let friends = (0..<64).map { _ in Self.person(&rng) }
        // One tweet in 20 has a photo or video, up to `maxMedia` per archive: every media file is
        // a zip entry, and the zip's central directory lives in memory while it is written.
        var mediaLeft = Self.maxMedia
        var previous: TweetDraft?
        var previousIndex = 0
        for i in 0..<count {
            let part = i / perPart
            let (path, w) = try writer(forPart: part)
            let indexInPart = w.count
            // Duplicates: every 97th tweet repeats the previous one exactly; every 89th is a near copy.
            if i > 0, i % 97 == 0, let prev = previous, previousIndex / perPart == part {
                w.append { out in Self.write(prev, legacy: legacy, username: person.username, into: &out) }
                if prev.replyTo == nil { replyNulls += 1 }
                if let p = prev.planted {
                    recorder.plant(.init(file: archiveName, entry: path, index: indexInPart, field: "full_text", planted: p))
                }
                recorder.duplicate(
                    .init(kind: "exact", file: archiveName, entry: path, first: previousIndex % perPart, second: indexInPart))
                previous = nil
                continue
            }
            let instant =
                i < Self.plantedInstants.count && !legacy ? Self.plantedInstants[i] : start + Int64(rng.int(in: 0...Int(end - start)))
            var draft = Self.draft(instant: instant, person: person, friends: friends, rng: &rng, media: mediaList, mediaLeft: &mediaLeft)
            if i > 0, i % 89 == 0, let prev = previous, previousIndex / perPart == part {
                // A near duplicate of the previous tweet: its own id, one character added; it
                // carries the previous tweet's text, and so its planted PII, not the new draw's.
                let id = draft.id
                draft = prev
                draft.id = id
                draft.text += "!"
                draft.media = nil  // its media file is named after the other tweet's id
                recorder.duplicate(.init(kind: "near", file: archiveName, entry: path, first: previousIndex % perPart, second: indexInPart))
            }
            w.append { out in Self.write(draft, legacy: legacy, username: person.username, into: &out) }
            if draft.replyTo == nil { replyNulls += 1 }
            if let p = draft.planted {
                recorder.plant(.init(file: archiveName, entry: path, index: indexInPart, field: "full_text", planted: p))
            }
            if rng.chance(0.1) {
                likes.append(
                    .object([
                        .init(
                            "like",
                            .object([
                                .init("tweetId", .string(draft.id)), .init("fullText", .string(rng.pick(Vocabulary.sentences["en"]!))),
                                .init("expandedUrl", .string("https://twitter.com/i/web/status/\(draft.id)")),
                            ]))
                    ]))
            }
            previous = draft
            previousIndex = i
        }
        try finishPart()

        // account.js, with the account's email as planted PII.
        let account = Self.jsFile(try zip.open("data/account.js"), global: "window.YTD.account.part0")
        account.append(
            .object([
                .init(
                    "account",
                    .object([
                        .init("email", .string(person.email.value)), .init("createdVia", .string("web")),
                        .init("username", .string(person.username)),
                        .init("accountId", .string(person.accountId)),
                        .init("createdAt", .string(Self.iso(start - 86_400_000 * Int64(rng.int(in: 1...900))))),
                        .init("accountDisplayName", .string(person.first + " " + person.last)),
                    ]))
            ]))
        account.finish()
        entries.append(("data/account.js", "account", 1, try zip.add(account.file)))
        recorder.plant(.init(file: archiveName, entry: "data/account.js", index: 0, field: "email", planted: person.email))

        likes.finish()
        entries.append(("data/like.js", "like", likes.count, try zip.add(likes.file)))

        // direct-messages.js: conversations with ISO times.
        let dms = Self.jsFile(try zip.open("data/direct-messages.js"), global: "window.YTD.direct_messages.part0")
        var dmCount = 0
        for _ in 0..<max(1, count / 50) {
            let other = Self.person(&rng)
            var messages: [JSONValue] = []
            for _ in 0..<rng.int(in: 1...4) {
                let t = start + Int64(rng.int(in: 0...Int(end - start)))
                let outgoing = rng.chance(0.5)
                messages.append(
                    .object([
                        .init(
                            "messageCreate",
                            .object([
                                .init("recipientId", .string(outgoing ? other.accountId : person.accountId)),
                                .init("reactions", .array([])),
                                .init("urls", .array([])),
                                .init("text", .string(rng.pick(Vocabulary.sentences[rng.pick(Vocabulary.languages)]!))),
                                .init("mediaUrls", .array([])), .init("senderId", .string(outgoing ? person.accountId : other.accountId)),
                                .init("id", .string(String(((t - Self.snowflakeEpoch) << 22) | 5))),
                                .init("createdAt", .string(Self.iso(t))),
                            ]))
                    ]))
                dmCount += 1
            }
            dms.append(
                .object([
                    .init(
                        "dmConversation",
                        .object([
                            .init("conversationId", .string("\(person.accountId)-\(other.accountId)")), .init("messages", .array(messages)),
                        ]))
                ]))
        }
        dms.finish()
        entries.append(("data/direct-messages.js", "dm_conversation", dms.count, try zip.add(dms.file)))

        // follower.js
        let followers = Self.jsFile(try zip.open("data/follower.js"), global: "window.YTD.follower.part0")
        for _ in 0..<max(1, count / 20) {
            let f = Self.person(&rng)
            followers.append(
                .object([
                    .init(
                        "follower",
                        .object([
                            .init("accountId", .string(f.accountId)),
                            .init("userLink", .string("https://twitter.com/intent/user?user_id=\(f.accountId)")),
                        ]))
                ]))
        }
        followers.finish()
        entries.append(("data/follower.js", "follower", followers.count, try zip.add(followers.file)))

        // manifest.js (window.__THAR_CONFIG) describing the data files.
        var manifestBytes = Array("window.__THAR_CONFIG = ".utf8)
        let dataTypes: [JSONMember] = [
            .init(
                "tweets",
                .object([
                    .init("mediaDirectory", .string("data/tweets_media")),
                    .init(
                        "files",
                        .array(
                            entries.filter { $0.kind == "tweet" }.enumerated().map { i, e in
                                .object([
                                    .init("fileName", .string(e.path)), .init("globalName", .string("YTD.\(global).part\(i)")),
                                    .init("count", .string(String(e.records))),
                                ])
                            })),
                ])),
            .init(
                "like",
                .object([
                    .init(
                        "files",
                        .array([
                            .object([
                                .init("fileName", .string("data/like.js")), .init("globalName", .string("YTD.like.part0")),
                                .init("count", .string(String(likes.count))),
                            ])
                        ]))
                ])),
        ]
        Self.pretty(
            .object([
                .init(
                    "userInfo",
                    .object([
                        .init("accountId", .string(person.accountId)), .init("userName", .string(person.username)),
                        .init("displayName", .string(person.first + " " + person.last)),
                    ])),
                .init(
                    "archiveInfo",
                    .object([
                        .init("sizeBytes", .string(String(targetBytes))),
                        .init("generationDate", .string(legacy ? "2019-11-30T12:00:00.000Z" : "2024-06-01T12:00:00.000Z")),
                        .init("isPartialArchive", .bool(false)), .init("maxPartSizeBytes", .string("53687091200")),
                    ])),
                .init("dataTypes", .object(dataTypes)),
            ]), indent: 0, into: &manifestBytes)
        let manifestFile = try zip.open("data/manifest.js")
        manifestFile.write(manifestBytes)
        entries.append(("data/manifest.js", "manifest", 1, try zip.add(manifestFile)))

        // Media, read back from the staged list of names.
        mediaList.finish()
        try forEachLine(ofFile: mediaList.path) { name in
            let sample = MediaSamples.forExtension(name)
            try zip.add("data/\(legacy ? "tweet_media" : "tweets_media")/\(name)", contents: sample.bytes)
        }
        unlink(mediaList.path)
        zip.finish()
        let input = CorpusManifest.Input(
            file: archiveName, exportKind: "twitter", user: person.username, sha256: "",
            entries: entries.map { .init(path: $0.path, recordKind: $0.kind, records: $0.records, sha256: $0.digest.sha256) })
        return UserExport(archives: [(input, zip)], nullRates: nullRates)
    }
}
