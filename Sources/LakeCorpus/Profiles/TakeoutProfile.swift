import Foundation
import LakeCore
import LakeIngest
import LakeParsers

/// The `google-takeout` profile (docs/EXPORT-FORMATS.md A.0, A.1): per user, an export
/// split into independent parts `takeout-20240601T120000Z-001.zip`, `-002.zip` and `-003.tgz`, each
/// with its own `Takeout/` root. The first user's folders are English, the second's German.
/// Files: My Activity JSON (Gson byte habits) and legacy HTML, Location History `Records.json`
/// (half `timestampMs`, half ISO `timestamp`, E7 coordinates), Semantic Location History, Chrome
/// `History.json` (µs), YouTube watch history, a Gmail mbox, a calendar, contacts, Google Photos
/// with sidecars (`.json`, `.supplemental-metadata.json` and the truncated
/// `.supplemental-metad.json`; some sidecars in another part than their photo; photos and
/// videos as JPEG, PNG, WebP and MP4), and a CSV. Every file is streamed into its part as it is
/// generated, so entries within a part are in generation order, and memory stays flat.
struct TakeoutProfile: @unchecked Sendable {
    let rng: SplitMix64
    let targetBytes: Int64
    let recorder: ManifestRecorder
    /// Photos per export at most, so the manifest's entry list stays small at any scale.
    static let maxPhotos = 2000

    struct Names {
        var activity, search, youtubeActivity, activityFile, youtube, history, location, chrome, mail, mbox, calendar, contacts,
            allContacts, photos: String
    }

    static let english = Names(
        activity: "My Activity", search: "Search", youtubeActivity: "YouTube", activityFile: "MyActivity",
        youtube: "YouTube and YouTube Music",
        history: "history", location: "Location History (Timeline)", chrome: "Chrome", mail: "Mail",
        mbox: "All mail Including Spam and Trash.mbox", calendar: "Calendar", contacts: "Contacts", allContacts: "All Contacts",
        photos: "Google Photos")
    static let german = Names(
        activity: "Meine Aktivitäten", search: "Suche", youtubeActivity: "YouTube", activityFile: "MeineAktivitäten",
        youtube: "YouTube und YouTube Music", history: "Verlauf", location: "Location History (Timeline)", chrome: "Chrome", mail: "Gmail",
        mbox: "Alle E-Mails einschließlich Spam-Nachrichten und Nachrichten im Papierkorb.mbox", calendar: "Kalender",
        contacts: "Google Kontakte", allContacts: "Alle Kontakte", photos: "Google Fotos")

    func generate(output: String) throws -> ProfileResult {
        var rng = self.rng
        let profile = self
        return try ProfileResult.generateUsers(2, rng: &rng, recorder: recorder) { plan in
            try profile.writeExport(
                person: plan.person, ordinal: plan.index, names: plan.index == 0 ? Self.english : Self.german,
                stamp: plan.index == 0 ? "20240601T120000Z" : "20240602T080000Z",
                budget: max(64 * 1024, profile.targetBytes / 2), rng: &plan.rng, output: output, recorder: plan.segment)
        }
    }

    static func iso(_ ms: Int64) -> String { Timestamp(millis: ms, offsetSeconds: 0).iso8601 }

    static func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : String(v) }

    /// A JSON file `{"<key>": [ … ]}` in Google's pretty style, elements at indent 4.
    static func wrappedList(_ file: StagedFile, key: String) -> ArrayFileWriter {
        ArrayFileWriter(
            file: file, head: Array("{\n  \"\(key)\": [\n    ".utf8), separator: Array(",\n    ".utf8), tail: Array("\n  ]\n}".utf8),
            emptyTail: Array("]\n}".utf8)
        ) { v, out in PrettyJSON.google.write(v, indent: 4, into: &out) }
    }

    func writeExport(
        person: TwitterProfile.Person, ordinal: Int, names: Names, stamp: String, budget: Int64, rng: inout SplitMix64, output: String,
        recorder: ManifestRecorder.Segment
    ) throws -> UserExport {
        var result = UserExport()
        let start: Int64 = 1_483_228_800_000  // 2017-01-01
        let end: Int64 = 1_717_200_000_000  // 2024-06-01
        func time() -> Int64 { start + Int64(rng.int(in: 0...Int(end - start))) }
        // The files below add up to about 10 units, so an export comes to its budget.
        let unit = budget / 10
        let partNames = ["takeout-\(stamp)-001.zip", "takeout-\(stamp)-002.zip", "takeout-\(stamp)-003.tgz"]
        let parts = try partNames.enumerated().map { p, name in
            try ArchiveBuilder(
                path: output + "/" + name, format: p == 2 ? .tarGzip : .zip, staging: output + "/.staging-\(person.username)-\(p)")
        }
        var entries: [[CorpusManifest.Entry]] = [[], [], []]
        func add(_ file: StagedFile, part: Int, kind: String, records: Int) throws {
            let digest = try parts[part].add(file)
            if kind != "photo" && kind != "index" {
                entries[part].append(.init(path: file.entry, recordKind: kind, records: records, sha256: digest.sha256))
            }
        }
        func add(_ w: ArrayFileWriter, part: Int, kind: String) throws {
            w.finish()
            try add(w.file, part: part, kind: kind, records: w.count)
        }

        // My Activity: Search (JSON, Gson habits: `[{`, `},{`), with near duplicates: every 71st
        // search repeats the previous query a second later, as the activity log does.
        let searchPath = "Takeout/\(names.activity)/\(names.search)/\(names.activityFile).json"
        let search = ArrayFileWriter(
            file: try parts[0].open(searchPath), head: Array("[".utf8), separator: Array(",".utf8), tail: Array("]".utf8),
            emptyTail: Array("[]".utf8)
        ) { v, out in PrettyJSON.gson.write(v, indent: 0, into: &out) }
        var lastSearch: (query: String, time: Int64)?
        while search.file.written < unit {
            var q = Vocabulary.searchQuery(user: ordinal, index: search.count, base: rng.pick(Vocabulary.searchQueries))
            var t = time()
            if search.count > 0, search.count % 71 == 0, let last = lastSearch {
                (q, t) = (last.query, last.time + 1000)
                recorder.duplicate(
                    .init(kind: "near", file: partNames[0], entry: searchPath, first: search.count - 1, second: search.count))
            }
            search.append { out in
                var s = JSONStream(style: .gson, indent: 0)
                s.beginObject(&out)
                s.member("header", "Search", &out)
                s.member("title", "Searched for \(q)", &out)
                s.member("titleUrl", "https://www.google.com/search?q=\(Vocabulary.spelled(q).query)&hl=en", &out)
                s.key("time", &out)
                s.plainString(&out) { TwitterProfile.appendISO(t, into: &$0) }
                s.key("products", &out)
                s.inlineArray(["Search"], &out)
                s.key("activityControls", &out)
                s.inlineArray(["Web & App Activity"], &out)
                s.endObject(&out)
            }
            lastSearch = (q, t)
        }
        try add(search, part: 0, kind: "activity")

        // My Activity: YouTube, the legacy HTML page.
        let html = try parts[1].open("Takeout/\(names.activity)/\(names.youtubeActivity)/\(names.activityFile).html")
        html.write("<html><head><meta charset=\"UTF-8\"><title>My Activity</title></head><body><div class=\"mdl-grid\">")
        var htmlEntries = 0
        while html.written < unit {
            let t = time()
            let (y, m, d) = Civil.civilFromDays(t / 86_400_000)
            let s = (t / 1000) % 86_400
            let hour12 = (s / 3600) % 12 == 0 ? 12 : (s / 3600) % 12
            let zone = rng.pick(["", " UTC", " BST", " PST"])
            let date =
                "\(TwitterProfile.months[Int(m - 1)]) \(d), \(y), \(hour12):\(Self.two(s / 60 % 60)):\(Self.two(s % 60)) \(s / 3600 < 12 ? "AM" : "PM")\(zone)"
            html.write(
                """
                <div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid"><div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">YouTube<br></p></div><div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">Watched&nbsp;<a href="https://www.youtube.com/watch?v=\(rng.digits(11))">\(Vocabulary.spelled(rng.pick(Vocabulary.sentences["en"]!)).html)</a><br><a href="https://www.youtube.com/channel/UC\(rng.digits(8))">Channel \(rng.int(in: 1...99))</a><br>\(date)</div><div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1 mdl-typography--text-right"></div><div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption"><b>Products:</b><br>&emsp;YouTube<br></div></div></div>

                """)
            htmlEntries += 1
        }
        html.write("</div></body></html>\n")
        try add(html, part: 1, kind: "activity", records: htmlEntries)

        // YouTube watch history (JSON, Gson pretty-printed).
        let watch = ArrayFileWriter(
            file: try parts[0].open("Takeout/\(names.youtube)/\(names.history)/watch-history.json"), head: Array("[\n  ".utf8),
            separator: Array(",\n  ".utf8), tail: Array("\n]".utf8), emptyTail: Array("[]".utf8)
        ) { v, out in
            PrettyJSON.gson.write(v, indent: 2, into: &out)
        }
        while watch.file.written < unit / 2 {
            let v = rng.digits(11)
            let header = rng.chance(0.8) ? "YouTube" : "YouTube Music"
            let title = "Watched \(rng.pick(Vocabulary.sentences[rng.pick(Vocabulary.languages)]!))"
            let channel = "Channel \(rng.int(in: 1...50))"
            let channelURL = "https://www.youtube.com/channel/UC\(rng.digits(8))"
            let t = time()
            watch.append { out in
                var s = JSONStream(style: .gson, indent: 2)
                s.beginObject(&out)
                s.member("header", header, &out)
                s.member("title", title, &out)
                s.member("titleUrl", "https://www.youtube.com/watch?v=\(v)", &out)
                s.key("subtitles", &out)
                s.beginArray(&out)
                s.beginObject(&out)
                s.member("name", channel, &out)
                s.member("url", channelURL, &out)
                s.endObject(&out)
                s.endArray(&out)
                s.key("time", &out)
                s.plainString(&out) { TwitterProfile.appendISO(t, into: &$0) }
                s.key("products", &out)
                s.inlineArray(["YouTube"], &out)
                s.key("activityControls", &out)
                s.inlineArray(["YouTube watch history"], &out)
                s.endObject(&out)
            }
        }
        try add(watch, part: 0, kind: "activity")

        // Location History Records.json: older records with timestampMs strings, newer with ISO timestamps.
        let recordsPath = "Takeout/\(names.location)/Records.json"
        let locations = Self.wrappedList(try parts[1].open(recordsPath), key: "locations")
        var accuracyNulls = 0
        while locations.file.written < unit * 2 {
            let t = time()
            let place = rng.pick(Vocabulary.places)
            let lat = Int((place.latitude + Double(rng.int(in: -5000...5000)) / 1e5) * 1e7)
            let lng = Int((place.longitude + Double(rng.int(in: -5000...5000)) / 1e5) * 1e7)
            let accuracy: Int? = rng.chance(0.9) ? rng.int(in: 3...2000) : nil
            if accuracy == nil { accuracyNulls += 1 }
            let source = rng.pick(["WIFI", "CELL", "GPS", "wifi"])
            let device = rng.int(in: -2_000_000_000...2_000_000_000)
            locations.append { out in
                var s = JSONStream(style: .google, indent: 4)
                s.beginObject(&out)
                s.key("latitudeE7", &out)
                s.number(String(lat), &out)
                s.key("longitudeE7", &out)
                s.number(String(lng), &out)
                if let accuracy {
                    s.key("accuracy", &out)
                    s.number(String(accuracy), &out)
                }
                s.member("source", source, &out)
                s.key("deviceTag", &out)
                s.number(String(device), &out)
                if t < 1_640_995_200_000 {
                    s.member("timestampMs", String(t), &out)
                } else {
                    s.key("timestamp", &out)
                    s.plainString(&out) { TwitterProfile.appendISO(t, into: &$0) }
                }
                s.endObject(&out)
            }
        }
        result.nullRates[recordsPath + ":accuracy"] = .init(nulls: accuracyNulls, records: locations.count)
        try add(locations, part: 1, kind: "location")

        // Semantic Location History, one month.
        let timeline = Self.wrappedList(
            try parts[2].open("Takeout/\(names.location)/Semantic Location History/2017/2017_DECEMBER.json"), key: "timelineObjects")
        for _ in 0..<max(2, unit / 2000) {
            let t = 1_512_086_400_000 + Int64(rng.int(in: 0...2_500_000_000))
            let place = rng.pick(Vocabulary.places)
            if rng.chance(0.5) {
                timeline.append(
                    .object([
                        .init(
                            "placeVisit",
                            .object([
                                .init(
                                    "location",
                                    .object([
                                        .init("latitudeE7", .number(String(Int(place.latitude * 1e7)))),
                                        .init("longitudeE7", .number(String(Int(place.longitude * 1e7)))),
                                        .init("placeId", .string("ChIJ" + rng.digits(20))), .init("address", .string(place.name)),
                                        .init("name", .string(place.name)),
                                    ])),
                                .init(
                                    "duration",
                                    .object([
                                        .init("startTimestampMs", .string(String(t))),
                                        .init("endTimestampMs", .string(String(t + 3_600_000))),
                                    ])),
                                .init("placeConfidence", .string("MEDIUM_CONFIDENCE")),
                            ]))
                    ]))
            } else {
                timeline.append(
                    .object([
                        .init(
                            "activitySegment",
                            .object([
                                .init(
                                    "duration",
                                    .object([
                                        .init("startTimestampMs", .string(String(t))),
                                        .init("endTimestampMs", .string(String(t + 1_200_000))),
                                    ])),
                                .init("distance", .number(String(rng.int(in: 100...20000)))),
                                .init("activityType", .string(rng.pick(["WALKING", "IN_PASSENGER_VEHICLE", "CYCLING"]))),
                                .init("confidence", .string("HIGH")),
                            ]))
                    ]))
            }
        }
        try add(timeline, part: 2, kind: "semantic_location")

        // Chrome history (µs).
        let visits = Self.wrappedList(try parts[2].open("Takeout/\(names.chrome)/History.json"), key: "Browser History")
        while visits.file.written < unit {
            let transition = rng.pick(["LINK", "TYPED", "AUTO_BOOKMARK"])
            let title = rng.pick(Vocabulary.sentenceLists[0])
            let url = "https://example.org/\(rng.digits(6))?q=\(rng.int(in: 1...99))"
            let client = rng.digits(16) + "=="
            let micros = time() * 1000 + Int64(rng.int(in: 0...999))
            visits.append { out in
                var s = JSONStream(style: .google, indent: 4)
                s.beginObject(&out)
                s.member("favicon_url", "https://www.google.com/favicon.ico", &out)
                s.member("page_transition", transition, &out)
                s.member("title", title, &out)
                s.member("url", url, &out)
                s.member("client_id", client, &out)
                s.key("time_usec", &out)
                s.number(micros, &out)
                s.endObject(&out)
            }
        }
        try add(visits, part: 2, kind: "browser_visit")

        try writeMailCalendarContacts(
            person: person, names: names, unit: unit, parts: parts, partNames: partNames, span: start...end, rng: &rng, recorder: recorder,
            add: { try add($0, part: $1, kind: $2, records: $3) })

        // Photos and videos with sidecars in the three naming styles; every third sidecar lands
        // in the next part.
        for k in 0..<min(Self.maxPhotos, max(4, Int(unit / 4000))) {
            let album = "\(names.photos)/Photos from \(2019 + k % 5)"
            let sample = MediaSamples.all[k % MediaSamples.all.count]
            let photo = "\(sample.kind == "video" ? "VID" : "IMG")_\(String(1000 + k + 1).dropFirst()).\(sample.ext)"
            let sidecarName: String
            switch k % 3 {
            case 0: sidecarName = photo + ".json"
            case 1: sidecarName = photo + ".supplemental-metadata.json"
            default: sidecarName = photo + ".supplemental-metad.json"
            }
            let taken = time() / 1000
            let place = rng.pick(Vocabulary.places)
            var side: [UInt8] = []
            PrettyJSON.google.write(
                .object([
                    .init("title", .string(photo)), .init("description", .string("")),
                    .init("imageViews", .string(String(rng.int(in: 0...40)))),
                    .init("creationTime", .object([.init("timestamp", .string(String(taken + 60))), .init("formatted", .string(""))])),
                    .init("photoTakenTime", .object([.init("timestamp", .string(String(taken))), .init("formatted", .string(""))])),
                    .init(
                        "geoData",
                        .object([
                            .init("latitude", .number(String(place.latitude))), .init("longitude", .number(String(place.longitude))),
                            .init("altitude", .number("0.0")), .init("latitudeSpan", .number("0.0")),
                            .init("longitudeSpan", .number("0.0")),
                        ])),
                ]), indent: 0, into: &side)
            let photoPart = k % 3
            let sidePart = k % 3 == 2 ? (photoPart + 1) % 3 : photoPart
            try parts[photoPart].add("Takeout/\(album)/\(photo)", contents: sample.bytes)
            let digest = try parts[sidePart].add("Takeout/\(album)/\(sidecarName)", contents: side)
            entries[sidePart].append(
                .init(path: "Takeout/\(album)/\(sidecarName)", recordKind: "photo_metadata", records: 1, sha256: digest.sha256))
        }

        // A CSV (YouTube subscriptions).
        let csv = try parts[1].open("Takeout/\(names.youtube)/subscriptions/subscriptions.csv")
        csv.write("Channel Id,Channel Url,Channel Title\n")
        var subs = 0
        for _ in 0..<max(3, unit / 3000) {
            let id = "UC" + rng.digits(22)
            let title =
                rng.chance(0.3)
                ? "\"\(rng.pick(Vocabulary.firstNames)), \(rng.pick(Vocabulary.lastNames))\"" : "Channel \(rng.int(in: 1...999))"
            csv.write("\(id),http://www.youtube.com/channel/\(id),\(title)\n")
            subs += 1
        }
        try add(csv, part: 1, kind: "subscription", records: subs)
        try parts[0].add("Takeout/archive_browser.html", contents: Array("<html><body>Takeout</body></html>\n".utf8))

        for (p, name) in partNames.enumerated() {
            parts[p].finish()
            result.archives.append(
                (.init(file: name, exportKind: "google-takeout", user: person.username, sha256: "", entries: entries[p]), parts[p]))
        }
        return result
    }
}
