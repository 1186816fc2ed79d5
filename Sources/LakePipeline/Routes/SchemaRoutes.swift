import LakeCore
import LakeNormalize
import LakeStore
import LakeValidate

/// Which shipped schema (docs/SPEC.md 5.12) each known file is checked against; generic files
/// have none.
enum SchemaRoutes {
    static func schema(for family: ExportMapper.Family) -> JSONSchema? {
        let name: String? =
            switch family {
            case .takeoutActivity: "takeout.activity"
            case .takeoutLocationRecords: "takeout.location_records"
            case .takeoutSemanticLocation: "takeout.semantic_location"
            case .takeoutTimeline: "takeout.timeline"
            case .chromeHistory: "chrome.history"
            case .photoSidecar: "google_photos.sidecar"
            case .facebookPost: "facebook.post"
            case .facebookComment: "facebook.comment"
            case .facebookReaction: "facebook.reaction"
            case .facebookFriend: "facebook.friend"
            case .facebookMessage: "facebook.message"
            case .generic, .takeoutGeneric, .twitterGeneric: nil
            }
        return name.flatMap { ExportSchemas.all[$0] }
    }

    static func schema(for kind: TwitterMapper.FileKind) -> JSONSchema? {
        let name =
            switch kind {
            case .tweets: "twitter.tweets"
            case .account: "twitter.account"
            case .like: "twitter.like"
            case .directMessages: "twitter.direct_messages"
            case .follower: "twitter.follower"
            case .following: "twitter.following"
            case .manifest: "twitter.manifest"
            }
        return ExportSchemas.all[name]
    }

    /// The file's `schema.violation` finding, if any of its elements broke the schema.
    static func findings(_ checked: SchemaFindings?, _ context: RecordContext) -> [Finding] {
        guard let f = checked?.finding(input: context.input, entry: context.path) else { return [] }
        return [
            Finding(
                input: context.input, entry: context.path, rule: LakeError.Rule.schemaViolation.rawValue, count: f.count,
                measured: Int64(f.worst), threshold: 0, location: f.location)
        ]
    }
}
