import LakeCore
import LakeParsers

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
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
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
