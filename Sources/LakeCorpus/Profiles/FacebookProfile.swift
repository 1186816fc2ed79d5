import Foundation
import LakeCore
import LakeIngest

/// The `facebook` profile: a "Download Your Information" JSON export per user
/// (docs/EXPORT-FORMATS.md A.2). The first user gets the 2024+ Accounts Center
/// layout (`your_facebook_activity/…`, `connections/…`, `start_here.html`), the second the older
/// one (`posts/your_posts_1.json`, `friends_and_followers/friends.json`, `messages/inbox/…`).
/// Every non-ASCII character is written as one `\u00XX` escape per UTF-8 byte, Facebook's
/// mojibake; message threads are newest first, in `inbox/`, `archived_threads/` and (2024+)
/// `e2ee_cutover/`.
struct FacebookProfile: @unchecked Sendable {
    let rng: SplitMix64
    let targetBytes: Int64
    let recorder: ManifestRecorder
    static let maxThreads = 2000

    /// A top-level JSON array file (`[`, elements at indent 2, `]`).
    static func list(_ file: StagedFile) -> ArrayFileWriter {
        ArrayFileWriter(
            file: file, head: Array("[\n  ".utf8), separator: Array(",\n  ".utf8), tail: Array("\n]".utf8), emptyTail: Array("]".utf8)
        ) {
            value, out in FacebookProfile.write(value, indent: 2, into: &out)
        }
    }

    /// Python-style pretty JSON (`"key": value`, 2-space indent) with Facebook's per-byte escapes.
    static func write(_ v: JSONValue, indent: Int, into out: inout [UInt8]) {
        PrettyJSON.facebook.write(v, indent: indent, into: &out)
    }

    static func file(_ file: StagedFile, head: String, tail: String) -> ArrayFileWriter {
        ArrayFileWriter(
            file: file, head: Array(head.utf8), separator: Array(",\n    ".utf8), tail: Array("\n  \(tail)".utf8),
            emptyTail: Array("\(tail)".utf8)
        ) { value, out in FacebookProfile.write(value, indent: 4, into: &out) }
    }

    func generate(output: String) throws -> ProfileResult {
        var rng = self.rng
        // About 400 bytes of export per item, so the files add up to the scale (within ~15%).
        let budget = max(20, Int(targetBytes / 400))
        let profile = self
        return try ProfileResult.generateUsers(2, rng: &rng, recorder: recorder) { plan in
            let share = 0.5
            return try profile.writeExport(
                person: plan.person, items: max(10, Int(Double(budget) * share)), modern: plan.index == 0, rng: &plan.rng,
                output: output, recorder: plan.segment)
        }
    }

    func writeExport(
        person: TwitterProfile.Person, items: Int, modern: Bool, rng: inout SplitMix64, output: String, recorder: ManifestRecorder.Segment
    ) throws -> UserExport {
        var result = UserExport()
        let date = modern ? "2024-05-01" : "2021-03-01"
        let archiveName = "facebook-\(person.username)-\(date).zip"
        let zip = try ArchiveBuilder(path: output + "/" + archiveName, format: .zip, staging: output + "/.staging-\(person.username)")
        if modern {
            try zip.add(
                "start_here.html",
                contents: Array(
                    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Your information</title></head><body></body></html>\n".utf8))
            try zip.add("ads_information/no-data.txt", contents: Array("No data\n".utf8))
        }
        var entries: [(path: String, kind: String, records: Int, digest: FileDigest)] = []
        func add(_ w: ArrayFileWriter, kind: String) throws {
            w.finish()
            entries.append((w.file.entry, kind, w.count, try zip.add(w.file)))
        }
        let name = person.first + " " + person.last
        let start: Int64 = 1_420_070_400  // 2015-01-01, seconds
        let end: Int64 = modern ? 1_714_521_600 : 1_614_556_800
        func time() -> Int64 { start + Int64(rng.int(in: 0...Int(end - start))) }
        // The people whose posts and photos this user comments on and reacts to.
        let acquaintances = (0..<64).map { _ in TwitterProfile.person(&rng) }

        // Posts, with places (some out of range) and planted PII.
        let postsPath = modern ? "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json" : "posts/your_posts_1.json"
        let posts = Self.list(try zip.open(postsPath))
        var placeNulls = 0
        let postCount = max(4, items / 2)
        var previous: (post: [JSONMember], text: String, time: Int64, pii: PlantedPII?)?
        for i in 0..<postCount {
            // Duplicates: every 61st post repeats the previous one exactly (an export glitch seen
            // in real downloads), every 53rd is a near copy posted a minute later with one
            // character more.
            if i > 0, let prev = previous, i % 61 == 0 || i % 53 == 0 {
                var copy = prev.post
                let exact = i % 61 == 0
                if !exact {
                    for k in copy.indices where copy[k].key == "timestamp" { copy[k].value = .number(String(prev.time + 60)) }
                    for k in copy.indices where copy[k].key == "data" {
                        copy[k].value = .array([.object([.init("post", .string(prev.text + "!"))])])
                    }
                }
                posts.append(.object(copy))
                if copy.allSatisfy({ $0.key != "attachments" }) { placeNulls += 1 }
                if let p = prev.pii { recorder.plant(.init(file: archiveName, entry: postsPath, index: i, field: "data.post", planted: p)) }
                recorder.duplicate(.init(kind: exact ? "exact" : "near", file: archiveName, entry: postsPath, first: i - 1, second: i))
                previous = nil
                continue
            }
            var planted: PlantedPII?
            let lang = rng.pick(Vocabulary.languages)
            var text = rng.pick(Vocabulary.sentences[lang]!)
            if rng.chance(0.1) {
                let p = rng.chance(0.5) ? rng.phone() : rng.email(first: rng.pick(Vocabulary.firstNames), last: person.last)
                text += " " + p.value
                planted = p
                recorder.plant(.init(file: archiveName, entry: postsPath, index: i, field: "data.post", planted: p))
            }
            // Every generated text ends in a link of its own (Self.link), so only planted pairs are near.
            text += Self.link(&rng)
            let posted = time()
            var members: [JSONMember] = [
                .init("timestamp", .number(String(posted))), .init("data", .array([.object([.init("post", .string(text))])])),
            ]
            if rng.chance(0.3) {
                let place = rng.pick(Vocabulary.places)
                members.append(
                    .init(
                        "attachments",
                        .array([
                            .object([
                                .init(
                                    "data",
                                    .array([
                                        .object([
                                            .init(
                                                "place",
                                                .object([
                                                    .init("name", .string(place.name)),
                                                    .init(
                                                        "coordinate",
                                                        .object([
                                                            .init("latitude", .number(String(place.latitude))),
                                                            .init("longitude", .number(String(place.longitude))),
                                                        ])),
                                                ]))
                                        ])
                                    ]))
                            ])
                        ])))
            } else {
                placeNulls += 1
            }
            members.append(.init("title", .string("\(name) updated \(rng.chance(0.5) ? "her" : "his") status.")))
            posts.append(.object(members))
            previous = (members, text, posted, planted)
        }
        try add(posts, kind: "post")
        result.nullRates[archiveName + ":" + postsPath + ":attachments"] = .init(nulls: placeNulls, records: postCount)

        // Comments.
        let commentsPath = modern ? "your_facebook_activity/comments_and_reactions/comments.json" : "comments_and_reactions/comments.json"
        let comments = Self.file(try zip.open(commentsPath), head: "{\n  \"comments_v2\": [\n    ", tail: "]\n}")
        for _ in 0..<max(2, items / 6) {
            let t = time()
            let friend = rng.pick(acquaintances)
            comments.append(
                .object([
                    .init("timestamp", .number(String(t))),
                    .init(
                        "data",
                        .array([
                            .object([
                                .init(
                                    "comment",
                                    .object([
                                        .init("timestamp", .number(String(t))),
                                        .init(
                                            "comment",
                                            .string(rng.pick(Vocabulary.sentences[rng.pick(Vocabulary.languages)]!) + Self.link(&rng))),
                                        .init("author", .string(name)),
                                    ]))
                            ])
                        ])),
                    .init("title", .string("\(name) commented on \(friend.first) \(friend.last)'s post.")),
                ]))
        }
        try add(comments, kind: "comment")

        // Reactions.
        let reactionsPath =
            modern
            ? "your_facebook_activity/comments_and_reactions/likes_and_reactions_1.json"
            : "comments_and_reactions/likes_and_reactions_1.json"
        let reactions = Self.list(try zip.open(reactionsPath))
        for _ in 0..<max(2, items / 6) {
            let friend = rng.pick(acquaintances)
            reactions.append(
                .object([
                    .init("timestamp", .number(String(time()))),
                    .init(
                        "data",
                        .array([
                            .object([
                                .init(
                                    "reaction",
                                    .object([
                                        .init("reaction", .string(rng.pick(["LIKE", "LOVE", "HAHA", "WOW"]))),
                                        .init("actor", .string(name)),
                                    ]))
                            ])
                        ])),
                    .init("title", .string("\(name) likes \(friend.first) \(friend.last)'s photo.")),
                ]))
        }
        try add(reactions, kind: "reaction")

        // Friends.
        let friendsPath = modern ? "connections/friends/your_friends.json" : "friends_and_followers/friends.json"
        let friends = Self.file(try zip.open(friendsPath), head: "{\n  \"friends_v2\": [\n    ", tail: "]\n}")
        for _ in 0..<max(2, items / 8) {
            let f = TwitterProfile.person(&rng)
            friends.append(.object([.init("name", .string(f.first + " " + f.last)), .init("timestamp", .number(String(time())))]))
        }
        try add(friends, kind: "friend")

        // Message threads, newest first, across the thread folders.
        let root = modern ? "your_facebook_activity/messages/" : "messages/"
        let folders = modern ? ["inbox", "archived_threads", "e2ee_cutover"] : ["inbox", "archived_threads"]
        // About 7 messages per 40 items, in at most `maxThreads` threads (longer threads at large
        // scales, so the manifest's entry list stays small).
        let threads = min(Self.maxThreads, max(2, items / 40))
        let longest = max(12, items * 7 / 40 / threads * 2 - 2)
        for t in 0..<threads {
            let other = TwitterProfile.person(&rng)
            let folder = folders[t % folders.count]
            let threadName = "\(other.username.lowercased())_\(rng.digits(10))"
            let path = "\(root)\(folder)/\(threadName)/message_1.json"
            var times = (0..<rng.int(in: 2...longest)).map { _ in time() * 1000 + Int64(rng.int(in: 0...999)) }
            times.sort(by: >)
            var messages: [JSONValue] = []
            for (k, ms) in times.enumerated() {
                let sender = k % 2 == 0 ? name : other.first + " " + other.last
                var text = rng.pick(Vocabulary.sentences[rng.pick(Vocabulary.languages)]!) + (rng.chance(0.2) ? " 🙂" : "")
                if rng.chance(0.08) {
                    let p = rng.ssn(valid: rng.chance(0.5))
                    text += " " + p.value
                    recorder.plant(.init(file: archiveName, entry: path, index: k, field: "content", planted: p))
                }
                text += Self.link(&rng)
                messages.append(
                    .object([
                        .init("sender_name", .string(sender)), .init("timestamp_ms", .number(String(ms))), .init("content", .string(text)),
                        .init("is_geoblocked_for_viewer", .bool(false)),
                    ]))
            }
            var bytes: [UInt8] = []
            Self.write(
                .object([
                    .init(
                        "participants",
                        .array([.object([.init("name", .string(other.first + " " + other.last))]), .object([.init("name", .string(name))])])
                    ),
                    .init("messages", .array(messages)),
                    .init("title", .string(other.first + " " + other.last)),
                    .init("is_still_participant", .bool(true)),
                    .init("thread_path", .string("\(folder)/\(threadName)")),
                    .init("magic_words", .array([])),
                ]), indent: 0, into: &bytes)
            entries.append((path, "message", messages.count, try zip.add(path, contents: bytes)))
        }
        zip.finish()
        result.archives.append(
            (
                .init(
                    file: archiveName, exportKind: "facebook", user: person.username, sha256: "",
                    entries: entries.map { .init(path: $0.path, recordKind: $0.kind, records: $0.records, sha256: $0.digest.sha256) }), zip
            ))
        return result
    }

    /// A shared short link (` https://bit.ly/` and a 10-letter code) ending a generated text.
    static func link(_ rng: inout SplitMix64) -> String { " https://bit.ly/" + rng.code(10) }
}
