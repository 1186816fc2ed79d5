import Foundation
import LakeCore
import LakeIngest
import LakeParsers

/// The `google-takeout` profile (../shared/corpus/EXPORT-FORMATS.md A.0, A.1): per user, an export
/// split into independent parts `takeout-20240601T120000Z-001.zip`, `-002.zip` and `-003.tgz`, each
/// with its own `Takeout/` root. The first user's folders are English, the second's German.
/// Files: My Activity JSON (Gson byte habits) and legacy HTML, Location History `Records.json`
/// (half `timestampMs`, half ISO `timestamp`, E7 coordinates), Semantic Location History, Chrome
/// `History.json` (µs), YouTube watch history, a Gmail mbox, a calendar, contacts, Google Photos
/// with sidecars (`.json`, `.supplemental-metadata.json` and the truncated
/// `.supplemental-metad.json`; some sidecars in another part than their photo), and a CSV.
struct TakeoutProfile {
    let rng: SplitMix64
    let targetBytes: Int64

    struct Names {
        var activity, search, youtubeActivity, activityFile, youtube, history, location, chrome, mail, mbox, calendar, contacts, allContacts, photos
            : String
    }

    static let english = Names(
        activity: "My Activity", search: "Search", youtubeActivity: "YouTube", activityFile: "MyActivity", youtube: "YouTube and YouTube Music",
        history: "history", location: "Location History (Timeline)", chrome: "Chrome", mail: "Mail",
        mbox: "All mail Including Spam and Trash.mbox", calendar: "Calendar", contacts: "Contacts", allContacts: "All Contacts",
        photos: "Google Photos")
    static let german = Names(
        activity: "Meine Aktivitäten", search: "Suche", youtubeActivity: "YouTube", activityFile: "MeineAktivitäten",
        youtube: "YouTube und YouTube Music", history: "Verlauf", location: "Location History (Timeline)", chrome: "Chrome", mail: "Gmail",
        mbox: "Alle E-Mails einschließlich Spam-Nachrichten und Nachrichten im Papierkorb.mbox", calendar: "Kalender",
        contacts: "Google Kontakte", allContacts: "Alle Kontakte", photos: "Google Fotos")

    struct Result {
        var inputs: [CorpusManifest.Input] = []
        var pii: [CorpusManifest.PII] = []
        var users: [String] = []
        var nullRates: [String: (nulls: Int, records: Int)] = [:]
    }

    struct PendingFile {
        var path: String
        var kind: String
        var records: Int
        var bytes: [UInt8]
        var part: Int
    }

    func generate(output: String) throws -> Result {
        var rng = self.rng
        var result = Result()
        for (i, names) in [Self.english, Self.german].enumerated() {
            let person = TwitterProfile.person(&rng)
            result.users.append(person.username)
            try writeExport(person: person, names: names, stamp: i == 0 ? "20240601T120000Z" : "20240602T080000Z",
                            budget: max(64 * 1024, targetBytes / 2), rng: &rng, output: output, into: &result)
        }
        return result
    }

    static func iso(_ ms: Int64) -> String { Timestamp(millis: ms, offsetSeconds: 0).iso8601 }

    func writeExport(person: TwitterProfile.Person, names: Names, stamp: String, budget: Int64, rng: inout SplitMix64, output: String,
                     into result: inout Result) throws {
        var files: [PendingFile] = []
        let start: Int64 = 1_483_228_800_000  // 2017-01-01
        let end: Int64 = 1_717_200_000_000  // 2024-06-01
        func time() -> Int64 { start + Int64(rng.int(in: 0...Int(end - start))) }
        let unit = Int(budget / 10)

        // My Activity: Search (JSON, Gson habits) and YouTube (legacy HTML).
        var search: [JSONValue] = []
        while search.count * 330 < unit {
            let q = rng.pick(["lake district weather", "bäckerei köln", "swift streaming json", "how to cook rice", "datapunk", "東京 天気"])
            search.append(.object([
                .init("header", .string("Search")), .init("title", .string("Searched for \(q)")),
                .init("titleUrl", .string("https://www.google.com/search?q=\(q.replacingOccurrences(of: " ", with: "+"))&hl=en")),
                .init("time", .string(Self.iso(time()))), .init("products", .array([.string("Search")])),
                .init("activityControls", .array([.string("Web & App Activity")])),
            ]))
        }
        var searchBytes: [UInt8] = Array("[".utf8)
        for (i, e) in search.enumerated() {
            if i > 0 { searchBytes += Array(",".utf8) }
            PrettyJSON.gson.write(e, indent: 0, into: &searchBytes)
        }
        searchBytes += Array("]".utf8)
        files.append(.init(path: "Takeout/\(names.activity)/\(names.search)/\(names.activityFile).json", kind: "activity", records: search.count, bytes: searchBytes, part: 0))

        var html = Array("<html><head><meta charset=\"UTF-8\"><title>My Activity</title></head><body><div class=\"mdl-grid\">".utf8)
        var htmlEntries = 0
        while html.count < unit {
            let t = time()
            let days = t / 86_400_000
            let (y, m, d) = Civil.civilFromDays(days)
            let s = (t / 1000) % 86_400
            let hour12 = (s / 3600) % 12 == 0 ? 12 : (s / 3600) % 12
            let zone = rng.pick(["", " UTC", " BST", " PST"])
            let date = "\(TwitterProfile.months[Int(m - 1)]) \(d), \(y), \(hour12):\(String(format: "%02d", Int(s / 60 % 60))):\(String(format: "%02d", Int(s % 60))) \(s / 3600 < 12 ? "AM" : "PM")\(zone)"
            html += Array("""
                <div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid"><div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">YouTube<br></p></div><div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">Watched&nbsp;<a href="https://www.youtube.com/watch?v=\(rng.digits(11))">\(rng.pick(Vocabulary.sentences["en"]!).replacingOccurrences(of: "'", with: "&#39;"))</a><br><a href="https://www.youtube.com/channel/UC\(rng.digits(8))">Channel \(rng.int(in: 1...99))</a><br>\(date)</div><div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1 mdl-typography--text-right"></div><div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption"><b>Products:</b><br>&emsp;YouTube<br></div></div></div>

                """.utf8)
            htmlEntries += 1
        }
        html += Array("</div></body></html>\n".utf8)
        files.append(.init(path: "Takeout/\(names.activity)/\(names.youtubeActivity)/\(names.activityFile).html", kind: "activity", records: htmlEntries, bytes: html, part: 1))

        // YouTube watch history (JSON).
        var watch: [JSONValue] = []
        while watch.count * 420 < unit / 2 {
            let v = rng.digits(11)
            watch.append(.object([
                .init("header", .string(rng.chance(0.8) ? "YouTube" : "YouTube Music")), .init("title", .string("Watched \(rng.pick(Vocabulary.sentences[rng.pick(Vocabulary.languages)]!))")),
                .init("titleUrl", .string("https://www.youtube.com/watch?v=\(v)")),
                .init("subtitles", .array([.object([.init("name", .string("Channel \(rng.int(in: 1...50))")), .init("url", .string("https://www.youtube.com/channel/UC\(rng.digits(8))"))])])),
                .init("time", .string(Self.iso(time()))), .init("products", .array([.string("YouTube")])),
                .init("activityControls", .array([.string("YouTube watch history")])),
            ]))
        }
        var watchBytes: [UInt8] = []
        PrettyJSON.gson.write(.array(watch), indent: 0, into: &watchBytes)
        files.append(.init(path: "Takeout/\(names.youtube)/\(names.history)/watch-history.json", kind: "activity", records: watch.count, bytes: watchBytes, part: 0))

        // Location History Records.json: older records with timestampMs strings, newer with ISO timestamps.
        var locations: [JSONValue] = []
        var accuracyNulls = 0
        while locations.count * 230 < unit * 2 {
            let t = time()
            let place = rng.pick(Vocabulary.places)
            let lat = Int((place.latitude + Double(rng.int(in: -5000...5000)) / 1e5) * 1e7)
            let lng = Int((place.longitude + Double(rng.int(in: -5000...5000)) / 1e5) * 1e7)
            var m: [JSONMember] = [.init("latitudeE7", .number(String(lat))), .init("longitudeE7", .number(String(lng)))]
            if rng.chance(0.9) { m.append(.init("accuracy", .number(String(rng.int(in: 3...2000))))) } else { accuracyNulls += 1 }
            m.append(.init("source", .string(rng.pick(["WIFI", "CELL", "GPS", "wifi"]))))
            m.append(.init("deviceTag", .number(String(rng.int(in: -2_000_000_000...2_000_000_000)))))
            if t < 1_640_995_200_000 {
                m.append(.init("timestampMs", .string(String(t))))
            } else {
                m.append(.init("timestamp", .string(Self.iso(t))))
            }
            locations.append(.object(m))
        }
        var records: [UInt8] = []
        PrettyJSON.google.write(.object([.init("locations", .array(locations))]), indent: 0, into: &records)
        let recordsPath = "Takeout/\(names.location)/Records.json"
        files.append(.init(path: recordsPath, kind: "location", records: locations.count, bytes: records, part: 1))
        result.nullRates[recordsPath + ":accuracy"] = (accuracyNulls, locations.count)

        // Semantic Location History, one month.
        var timeline: [JSONValue] = []
        for _ in 0..<max(2, unit / 2000) {
            let t = 1_512_086_400_000 + Int64(rng.int(in: 0...2_500_000_000))
            let place = rng.pick(Vocabulary.places)
            if rng.chance(0.5) {
                timeline.append(.object([.init("placeVisit", .object([
                    .init("location", .object([.init("latitudeE7", .number(String(Int(place.latitude * 1e7)))), .init("longitudeE7", .number(String(Int(place.longitude * 1e7)))),
                                               .init("placeId", .string("ChIJ" + rng.digits(20))), .init("address", .string(place.name)), .init("name", .string(place.name))])),
                    .init("duration", .object([.init("startTimestampMs", .string(String(t))), .init("endTimestampMs", .string(String(t + 3_600_000)))])),
                    .init("placeConfidence", .string("MEDIUM_CONFIDENCE")),
                ]))]))
            } else {
                timeline.append(.object([.init("activitySegment", .object([
                    .init("duration", .object([.init("startTimestampMs", .string(String(t))), .init("endTimestampMs", .string(String(t + 1_200_000)))])),
                    .init("distance", .number(String(rng.int(in: 100...20000)))), .init("activityType", .string(rng.pick(["WALKING", "IN_PASSENGER_VEHICLE", "CYCLING"]))),
                    .init("confidence", .string("HIGH")),
                ]))]))
            }
        }
        var semantic: [UInt8] = []
        PrettyJSON.google.write(.object([.init("timelineObjects", .array(timeline))]), indent: 0, into: &semantic)
        files.append(.init(path: "Takeout/\(names.location)/Semantic Location History/2017/2017_DECEMBER.json", kind: "semantic_location", records: timeline.count, bytes: semantic, part: 2))

        // Chrome history (µs).
        var visits: [JSONValue] = []
        while visits.count * 260 < unit {
            visits.append(.object([
                .init("favicon_url", .string("https://www.google.com/favicon.ico")), .init("page_transition", .string(rng.pick(["LINK", "TYPED", "AUTO_BOOKMARK"]))),
                .init("title", .string(rng.pick(Vocabulary.sentences["en"]!))), .init("url", .string("https://example.org/\(rng.digits(6))?q=\(rng.int(in: 1...99))")),
                .init("client_id", .string(rng.digits(16) + "==")), .init("time_usec", .number(String(time() * 1000 + Int64(rng.int(in: 0...999))))),
            ]))
        }
        var chrome: [UInt8] = []
        PrettyJSON.google.write(.object([.init("Browser History", .array(visits))]), indent: 0, into: &chrome)
        files.append(.init(path: "Takeout/\(names.chrome)/History.json", kind: "browser_visit", records: visits.count, bytes: chrome, part: 0))

        // Gmail mbox, with the sender's and recipients' addresses as planted PII.
        var mbox: [UInt8] = []
        var mails = 0
        let mboxPath = "Takeout/\(names.mail)/\(names.mbox)"
        while mbox.count < unit * 3 {
            let t = time()
            let from = rng.email(first: rng.pick(Vocabulary.firstNames), last: rng.pick(Vocabulary.lastNames))
            let subject = rng.pick(Vocabulary.sentences[rng.pick(Vocabulary.languages)]!)
            let subjectB64 = Data(subject.utf8).base64EncodedString()
            let date = Timestamp(millis: t, offsetSeconds: 0)
            let (y, mo, d) = Civil.civilFromDays(t / 86_400_000)
            let secs = (t / 1000) % 86_400
            let clock = String(format: "%02d:%02d:%02d", Int(secs / 3600), Int(secs / 60 % 60), Int(secs % 60))
            let weekday = TwitterProfile.days[Int(((t / 86_400_000 + 3) % 7 + 7) % 7)]
            let month = TwitterProfile.months[Int(mo - 1)]
            _ = date
            mbox += Array("""
                From \(rng.digits(19))@xxx \(weekday) \(month) \(String(format: "%02d", Int(d))) \(clock) +0000 \(y)\r
                X-GM-THRID: \(rng.digits(19))\r
                X-Gmail-Labels: \(rng.pick(["Inbox,Opened", "Archived,Category Updates", "Sent", "Spam"]))\r
                From: =?UTF-8?B?\(Data((rng.pick(Vocabulary.firstNames)).utf8).base64EncodedString())?= <\(from.value)>\r
                To: \(person.email.value)\r
                Subject: =?UTF-8?B?\(subjectB64)?=\r
                Date: \(weekday), \(d) \(month) \(y) \(clock) +0000\r
                Message-ID: <\(rng.digits(12))@mail.example.org>\r
                MIME-Version: 1.0\r
                Content-Type: multipart/alternative; boundary="b\(mails)"\r
                \r
                --b\(mails)\r
                Content-Type: text/plain; charset=UTF-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                \(subject.utf8.map { $0 >= 0x80 || $0 == 0x3D ? String(format: "=%02X", $0) : String(UnicodeScalar($0)) }.joined())\r
                --b\(mails)\r
                Content-Type: text/html; charset=UTF-8\r
                \r
                <div>\(subject)</div>\r
                --b\(mails)--\r
                \r

                """.utf8)
            result.pii.append(.init(file: "", entry: mboxPath, index: mails, field: "from", planted: from))
            mails += 1
        }
        files.append(.init(path: mboxPath, kind: "email", records: mails, bytes: mbox, part: 2))

        // Calendar and contacts.
        var ics = Array("BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n".utf8)
        var events = 0
        while ics.count < unit / 2 {
            let t = time()
            let s = Timestamp(millis: t, offsetSeconds: 0).iso8601
            let compact = s.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "").prefix(15) + "Z"
            ics += Array("BEGIN:VEVENT\r\nDTSTART:\(compact)\r\nDTEND:\(compact)\r\nUID:\(rng.digits(26))@google.com\r\nSUMMARY:\(rng.pick(Vocabulary.sentences[rng.pick(Vocabulary.languages)]!).replacingOccurrences(of: ",", with: "\\,"))\r\nLOCATION:\(rng.pick(Vocabulary.places).name)\r\nEND:VEVENT\r\n".utf8)
            events += 1
        }
        ics += Array("END:VCALENDAR\r\n".utf8)
        files.append(.init(path: "Takeout/\(names.calendar)/\(person.email.value).ics", kind: "calendar_event", records: events, bytes: ics, part: 1))
        var vcf: [UInt8] = []
        var contacts = 0
        let vcfPath = "Takeout/\(names.contacts)/\(names.allContacts)/\(names.allContacts).vcf"
        while vcf.count < unit / 3 {
            let first = rng.pick(Vocabulary.firstNames), last = rng.pick(Vocabulary.lastNames)
            let email = rng.email(first: first, last: last)
            let phone = rng.phone()
            vcf += Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\(first) \(last)\r\nN:\(last);\(first);;;\r\nEMAIL;TYPE=INTERNET:\(email.value)\r\nTEL;TYPE=CELL:\(phone.value)\r\nEND:VCARD\r\n".utf8)
            result.pii.append(.init(file: "", entry: vcfPath, index: contacts, field: "email", planted: email))
            result.pii.append(.init(file: "", entry: vcfPath, index: contacts, field: "tel", planted: phone))
            contacts += 1
        }
        files.append(.init(path: vcfPath, kind: "contact", records: contacts, bytes: vcf, part: 0))

        // Photos with sidecars in the three naming styles; every third sidecar lands in another part.
        for k in 0..<max(3, unit / 4000) {
            let album = "\(names.photos)/Photos from \(2019 + k % 5)"
            let photo = "IMG_\(String(format: "%04d", k + 1)).jpg"
            let sidecarName: String
            switch k % 3 {
            case 0: sidecarName = photo + ".json"
            case 1: sidecarName = photo + ".supplemental-metadata.json"
            default: sidecarName = photo + ".supplemental-metad.json"
            }
            let taken = time() / 1000
            let place = rng.pick(Vocabulary.places)
            var side: [UInt8] = []
            PrettyJSON.google.write(.object([
                .init("title", .string(photo)), .init("description", .string("")), .init("imageViews", .string(String(rng.int(in: 0...40)))),
                .init("creationTime", .object([.init("timestamp", .string(String(taken + 60))), .init("formatted", .string(""))])),
                .init("photoTakenTime", .object([.init("timestamp", .string(String(taken))), .init("formatted", .string(""))])),
                .init("geoData", .object([.init("latitude", .number(String(place.latitude))), .init("longitude", .number(String(place.longitude))),
                                          .init("altitude", .number("0.0")), .init("latitudeSpan", .number("0.0")), .init("longitudeSpan", .number("0.0"))])),
            ]), indent: 0, into: &side)
            let photoPart = k % 3
            files.append(.init(path: "Takeout/\(album)/\(photo)", kind: "photo", records: 0, bytes: TwitterProfile.tinyJPEG, part: photoPart))
            files.append(.init(path: "Takeout/\(album)/\(sidecarName)", kind: "photo_metadata", records: 1, bytes: side, part: k % 3 == 2 ? (photoPart + 1) % 3 : photoPart))
        }

        // A CSV (YouTube subscriptions).
        var csv = Array("Channel Id,Channel Url,Channel Title\n".utf8)
        var subs = 0
        for _ in 0..<max(3, unit / 3000) {
            let id = "UC" + rng.digits(22)
            let title = rng.chance(0.3) ? "\"\(rng.pick(Vocabulary.firstNames)), \(rng.pick(Vocabulary.lastNames))\"" : "Channel \(rng.int(in: 1...999))"
            csv += Array("\(id),http://www.youtube.com/channel/\(id),\(title)\n".utf8)
            subs += 1
        }
        files.append(.init(path: "Takeout/\(names.youtube)/subscriptions/subscriptions.csv", kind: "subscription", records: subs, bytes: csv, part: 1))
        files.append(.init(path: "Takeout/archive_browser.html", kind: "index", records: 0, bytes: Array("<html><body>Takeout</body></html>\n".utf8), part: 0))

        // Write the parts: two zips and one tgz, entries sorted by path within a part.
        let partNames = ["takeout-\(stamp)-001.zip", "takeout-\(stamp)-002.zip", "takeout-\(stamp)-003.tgz"]
        for (p, name) in partNames.enumerated() {
            let mine = files.filter { $0.part == p }.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
            let w = try ArchiveWriter(path: output + "/" + name, format: p == 2 ? .tarGzip : .zip)
            for f in mine { try w.addFile(f.path, contents: f.bytes) }
            try w.close()
            let digest = try FileHashing.digest(ofFile: output + "/" + name)
            result.inputs.append(.init(
                file: name, exportKind: "google-takeout", user: person.username, sha256: digest.sha256,
                entries: mine.filter { $0.kind != "photo" && $0.kind != "index" }.map {
                    .init(path: $0.path, recordKind: $0.kind, records: $0.records, sha256: FileDigester.sha256($0.bytes))
                }))
            for k in result.pii.indices where result.pii[k].file.isEmpty && mine.contains(where: { $0.path == result.pii[k].entry }) {
                result.pii[k].file = name
            }
        }
    }
}
