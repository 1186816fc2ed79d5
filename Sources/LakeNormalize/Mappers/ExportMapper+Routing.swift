import LakeCore
import LakeParsers

/// Every route decision (docs/SPEC.md 5, "The route table"): by path first, which reader and
/// mapper an entry's name calls for; then, where the name tells too little, by content.
extension ExportMapper {
    public enum Route: Equatable, Sendable {
        case json(Family)
        /// A CSV file: one record per row, `recordKind` as named.
        case csv(recordKind: String, exportKind: String)
        /// A vCard file: one `contact` per card.
        case vcard(exportKind: String)
        /// An iCalendar file: one `calendar_event` per VEVENT.
        case icalendar(exportKind: String)
        /// A My Activity page in the legacy HTML form: one `activity` per entry.
        case activityHTML
        /// One mail message (`.eml`): one `email` record.
        case message
        /// A mailbox (`.mbox`): one `email` record per message.
        case mbox
        /// A Twitter/X archive's `.js` file (`window.YTD.<name>.partN = [...]`): the name in its
        /// header picks the mapper (tweets, likes, DMs...; any other is a generic collection).
        case twitterJS
    }

    /// Localized names of My Activity files and folders (EN, DE), and the on-device Timeline file's.
    static let activityNames: Set<String> = ["MyActivity.json", "My Activity.json", "MeineAktivitäten.json", "Meine Aktivitäten.json"]
    static let activityFolders: Set<String> = ["My Activity", "Meine Aktivitäten"]
    static let youtubeHistory: Set<String> = ["watch-history.json", "search-history.json"]
    static let timelineNames: Set<String> = [
        "Timeline.json", "location-history.json", "Zeitleiste.json", "Cronología.json", "Chronologie.json", "Vos trajets.json",
        "Tijdlijn.json", "タイムライン.json", "타임라인.json", "Oś czasu.json", "Хронологія.json",
    ]

    /// The route for an entry, or nil when the file is not read for records (it is catalogued
    /// only).
    public static func route(path: String) -> Route? {
        let parts = path.split(separator: "/").map(String.init)
        guard let name = parts.last else { return nil }
        if name.hasSuffix(".js") { return .twitterJS }
        if name.hasSuffix(".mbox") { return .mbox }
        let folders = Set(parts.dropLast())
        let lower = name.lowercased()
        let takeout = folders.contains("Takeout")
        if lower.hasSuffix(".csv") {
            if takeout, name == "subscriptions.csv" { return .csv(recordKind: "subscription", exportKind: "google-takeout") }
            return .csv(recordKind: "generic", exportKind: takeout ? "google-takeout" : "generic")
        }
        if lower.hasSuffix(".vcf") { return .vcard(exportKind: takeout ? "google-takeout" : "generic") }
        if lower.hasSuffix(".ics") { return .icalendar(exportKind: takeout ? "google-takeout" : "generic") }
        if lower.hasSuffix(".eml") { return .message }
        if lower.hasSuffix(".html") {
            let stem = String(name.dropLast(5)) + ".json"
            let activity =
                activityNames.contains(stem) || (takeout && (youtubeHistory.contains(stem) || !folders.isDisjoint(with: activityFolders)))
            return activity ? .activityHTML : nil
        }
        guard lower.hasSuffix(".json") else { return nil }
        if activityNames.contains(name) || (youtubeHistory.contains(name) && takeout)
            || (!folders.isDisjoint(with: activityFolders) && takeout)
        {
            return .json(.takeoutActivity)
        }
        if name == "Records.json" || name == "Location History.json" { return .json(.takeoutLocationRecords) }
        if folders.contains("Semantic Location History") { return .json(.takeoutSemanticLocation) }
        if timelineNames.contains(name) { return .json(.takeoutTimeline) }
        if (name == "BrowserHistory.json" || name == "History.json" || name == "Verlauf.json") && folders.contains("Chrome") {
            return .json(.chromeHistory)
        }
        if takeout, folders.contains(where: { $0.hasPrefix("Google Photos") || $0.hasPrefix("Google Fotos") }), name != "metadata.json",
            parts.count >= 2
        {
            return .json(.photoSidecar)
        }
        if name.hasPrefix("your_posts") || name == "your_uncategorized_photos.json" || name == "your_videos.json" {
            return .json(.facebookPost)
        }
        if folders.contains("comments_and_reactions") || folders.contains("comments") {
            if name.hasPrefix("comments") { return .json(.facebookComment) }
            if name.hasPrefix("likes_and_reactions") || name.hasPrefix("posts_and_comments") { return .json(.facebookReaction) }
        }
        if name == "friends.json" || name == "your_friends.json" || name == "removed_friends.json" { return .json(.facebookFriend) }
        if folders.contains("messages"), name.hasPrefix("message_") { return .json(.facebookMessage) }
        return .json(takeout ? .takeoutGeneric : .generic)
    }
}

/// Routing by content shape (docs/SPEC.md 5.6): Takeout names its folders and files in the
/// account's language (`Zdjęcia Google`, `Moja aktywność`, `Standortverlauf`), so a JSON file
/// whose path names no known family is recognised by the first bytes of its content; a file
/// without an extension that begins like an RFC 5322 message is read as one.
extension ExportMapper {
    /// How many bytes of a file's head `route(path:head:)` looks at.
    public static let contentHeadBytes = 4096

    /// Whether `route(path:head:)` may change the route `route(path:)` gave: for JSON files
    /// of no known family, and files without an extension.
    public static func needsContent(path: String, route: Route?) -> Bool {
        switch route {
        case .json(.generic)?, .json(.takeoutGeneric)?: return true
        case nil: return !(path.split(separator: "/").last ?? "").contains(".")
        default: return false
        }
    }

    /// The route of a file at `path` whose first bytes are `head`: by name first, then, for
    /// JSON of no known family, by the keys its head holds; a file without an extension that
    /// starts with mail header fields is a message.
    public static func route(path: String, head: [UInt8]) -> Route? {
        let byName = route(path: path)
        guard needsContent(path: path, route: byName) else { return byName }
        if byName == nil { return looksLikeMessage(head) ? .message : nil }
        let text = String(decoding: head.prefix(contentHeadBytes), as: UTF8.self)
        func has(_ keys: String...) -> Bool { keys.allSatisfy { text.contains("\"\($0)\"") } }
        let trimmed = text.drop { $0.isLayoutSpace || $0 == "\u{FEFF}" }
        if has("photoTakenTime") || (has("creationTime") && has("geoData")) { return .json(.photoSidecar) }
        if trimmed.hasPrefix("["), has("header", "title", "time"), has("products") || has("titleUrl") { return .json(.takeoutActivity) }
        if has("locations"), has("latitudeE7") { return .json(.takeoutLocationRecords) }
        if has("timelineObjects") { return .json(.takeoutSemanticLocation) }
        if has("semanticSegments") || has("rawSignals") { return .json(.takeoutTimeline) }
        if has("Browser History") { return .json(.chromeHistory) }
        return byName
    }

    /// At least three header fields at the start, as a message's head has (`Received:`,
    /// `From:`, `Date:`, `Message-ID:`…), each line a field or its folded continuation.
    static func looksLikeMessage(_ head: [UInt8]) -> Bool {
        let known: Set<String> = [
            "received", "return-path", "from", "to", "date", "subject", "message-id", "mime-version",
            "delivered-to", "content-type", "cc", "reply-to", "x-mailer", "sender",
        ]
        var fields = Set<String>()
        // Lines split on bytes: a String would keep CR LF as one character.
        for bytes in head.prefix(contentHeadBytes).split(separator: 0x0A, omittingEmptySubsequences: false).prefix(40) {
            let l = Substring(String(decoding: bytes.last == 0x0D ? bytes.dropLast() : bytes, as: UTF8.self))
            if l.isEmpty { break }
            if l.first == " " || l.first == "\t" { continue }
            guard let colon = l.firstIndex(of: ":"), colon > l.startIndex,
                l[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            else { return false }
            let name = l[..<colon].lowercased()
            if known.contains(name) { fields.insert(name) }
        }
        return fields.count >= 3
    }
}

extension Mapped {
    /// Fields whose time is the record's, before any other (flattened, snake_case keys): a
    /// YouTube playlist item's `snippet.published_at` (when it was added, not when the video
    /// was published), a Play Store install's first installation.
    static let preferredTimeFields = [
        "time", "timestamp", "snippet.published_at", "install.first_installation_time", "creation_time",
        "date",
    ]

    /// Takeout JSON with no mapper yet (YouTube likes, Play Store installs…): `occurred_at`
    /// from the first ISO 8601 value among the preferred fields, else among fields named like
    /// a time (`time`, `timestamp`, `date`, `…_time`, `…_at`, `…_date`, `…_timestamp`), in
    /// document order; `data.time_source` names it (docs/SPEC.md 5.6).
    mutating func carriedTime() {
        let members = data.objectMembers ?? []
        func isTimeName(_ key: String) -> Bool {
            let last = key.split(separator: ".").last.map(String.init) ?? key
            return ["time", "timestamp", "date"].contains(last) || ["_time", "_at", "_date", "_timestamp"].contains { last.hasSuffix($0) }
        }
        let candidates = Self.preferredTimeFields.compactMap { p in members.first { $0.key == p } } + members.filter { isTimeName($0.key) }
        for m in candidates {
            guard let text = m.value.stringValue, let t = try? Timestamp.parseISO8601(text) else { continue }
            time = t
            data = data.adding("time_source", .string(m.key))
            lineage.append(.init("derive.time", version: ExportMapper.version))
            return
        }
    }
}
