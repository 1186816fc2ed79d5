import LakeCore
import LakeParsers

/// Routing by path (docs/SPEC.md 5.6): which reader and mapper an entry's name calls for.
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
