import LakeCore
import LakeParsers

/// Which mapper reads an export file, decided from its path inside the export (docs/SPEC.md
/// 5.6), and the mappers for the JSON families of Google Takeout and Facebook, plus generic
/// records for any other JSON file.
///
/// ```swift
/// ExportMapper.route(path: "Takeout/Chrome/History.json")   // .json(.chromeHistory)
/// ExportMapper.map(.chromeHistory, element, index: 3, context: context)
/// ```
public enum ExportMapper {
    public static let version = "1"

    /// The JSON file families.
    public enum Family: String, Sendable, CaseIterable {
        case takeoutActivity, takeoutLocationRecords, takeoutSemanticLocation, takeoutTimeline, chromeHistory, photoSidecar
        case facebookPost, facebookComment, facebookReaction, facebookFriend, facebookMessage
        case generic
        /// Any other JSON file under `Takeout/`, and any other `window.YTD.*` file of a Twitter
        /// archive: generic records with their export's kind.
        case takeoutGeneric, twitterGeneric

        /// The top-level members whose arrays hold the records (nil: a top-level array, or every array member).
        public var collections: Set<String>? {
            switch self {
            case .takeoutLocationRecords: return ["locations"]
            case .takeoutSemanticLocation: return ["timelineObjects"]
            case .takeoutTimeline: return ["semanticSegments", "rawSignals"]
            case .chromeHistory: return ["Browser History"]
            case .photoSidecar: return []
            case .facebookComment: return ["comments_v2", "comments"]
            case .facebookFriend: return ["friends_v2", "friends", "deleted_friends_v2", "removed_friends_v2"]
            case .facebookMessage: return ["messages"]
            default: return nil
            }
        }

        /// Elements that are not records: a Facebook thread's own fields (participants, title)
        /// gathered after its messages.
        public func keeps(_ element: JSONRecordStream.Element) -> Bool {
            self == .facebookMessage ? element.collection == "messages" : true
        }

        var exportKind: String {
            switch self {
            case .takeoutActivity, .takeoutLocationRecords, .takeoutSemanticLocation, .takeoutTimeline, .chromeHistory, .photoSidecar:
                return "google-takeout"
            case .facebookPost, .facebookComment, .facebookReaction, .facebookFriend, .facebookMessage: return "facebook"
            case .generic: return "generic"
            case .takeoutGeneric: return "google-takeout"
            case .twitterGeneric: return "twitter"
            }
        }

        var isFacebook: Bool { exportKind == "facebook" }
    }

    // MARK: Mapping

    /// Maps one element of a file of `family`.
    /// - Throws: `LakeError` (`record.invalid`, `timestamp.invalid`) for an element that cannot be mapped.
    public static func map(_ family: Family, _ element: JSONRecordStream.Element, index: Int, context: RecordContext) throws -> LakeRecord {
        var m = Mapped(family: family, raw: element.value)
        switch family {
        case .takeoutActivity: try m.activity(index)
        case .takeoutLocationRecords: try m.locationRecord(index)
        case .takeoutSemanticLocation: try m.semanticLocation(index)
        case .takeoutTimeline: try m.timeline(element.isRemainder ? "userLocationProfile" : element.collection, index)
        case .chromeHistory: try m.chromeVisit(index)
        case .photoSidecar: try m.photoSidecar(path: context.path, index)
        case .facebookPost: try m.facebookPost(index)
        case .facebookComment: try m.facebookComment(index)
        case .facebookReaction: try m.facebookReaction(index)
        case .facebookFriend: try m.facebookFriend(index)
        case .facebookMessage: try m.facebookMessage(path: context.path, index)
        case .generic, .twitterGeneric: m.generic(collection: element.collection)
        case .takeoutGeneric:
            m.generic(collection: element.collection)
            m.carriedTime()
        }
        var r = context.record(
            index: index, raw: element.value, exportKind: family.exportKind, recordKind: m.recordKind, category: m.category, time: m.time,
            language: nil, languageMethod: nil, data: m.data, entities: m.entities, lineage: m.lineage)
        r.relationships = m.relationships
        r.detectLanguage(m.languageText)
        return r
    }

    /// One CSV row of a file whose columns were inferred (`CSVColumns`).
    public static func mapRow(
        _ row: [String], columns: CSVColumns, index: Int, recordKind: String, exportKind: String,
        context: RecordContext
    ) -> LakeRecord {
        let raw = JSONValue.array(row.map { .string($0) })
        let data = Standardize.values(columns.value(row))
        var entities: [LakeRecord.Entity] = []
        for m in data.objectMembers ?? [] { if let s = m.value.stringValue { entities += TextEntities.find(s) } }
        return context.record(
            index: index, raw: raw, exportKind: exportKind, recordKind: recordKind,
            category: recordKind == "subscription" ? "social" : "other",
            time: nil, language: nil, languageMethod: nil, data: data, entities: unique(entities),
            lineage: [
                .init("parse.csv", version: version), .init("map.csv.\(recordKind)", version: version),
                .init("normalize.csv", version: CSVColumns.version), .init("normalize.text", version: TextCleansing.version),
            ])
    }

    static func unique(_ entities: [LakeRecord.Entity]) -> [LakeRecord.Entity] {
        var seen = Set<String>()
        return entities.filter { seen.insert($0.kind + "\u{0}" + $0.value).inserted }
    }
}

/// What a mapper fills in for one element.
struct Mapped {
    let family: ExportMapper.Family
    let raw: JSONValue
    var recordKind = "generic"
    var category = "other"
    var time: Timestamp?
    var data: JSONValue = .object([])
    var entities: [LakeRecord.Entity] = []
    var relationships: [LakeRecord.Relationship] = []
    var lineage: [LakeRecord.LineageStep] = []
    /// The text whose language the record gets (SPEC 5.9), if it has one.
    var languageText: String?

    init(family: ExportMapper.Family, raw: JSONValue) {
        self.family = family
        self.raw = raw
    }

    /// The standard treatment of a source object (SPEC 5.3): Facebook's mojibake repaired,
    /// keys to snake_case, every string cleansed, empty values omitted. Lineage records each.
    mutating func standardize(_ value: JSONValue, kind: String) {
        recordKind = kind
        lineage = [
            .init("parse.json", version: ExportMapper.version), .init("map.\(family.exportKind).\(kind)", version: ExportMapper.version),
        ]
        var v = value
        if family.isFacebook {
            v = Mojibake.repairAll(v)
            lineage.append(.init("normalize.mojibake", version: Mojibake.version))
        }
        v = SnakeCase.convertKeys(v)
        lineage.append(.init("normalize.snake_case", version: SnakeCase.version))
        data = Standardize.values(v)
        lineage.append(.init("normalize.text", version: TextCleansing.version))
    }

    func object(_ index: Int) throws -> JSONValue {
        guard case .object = raw else {
            throw LakeError(
                .recordInvalid, scope: .entry, location: "element \(index)", message: "a \(family.rawValue) element is not a JSON object")
        }
        return raw
    }

    /// Sets the time and notes the step; a present but impossible time is an error.
    mutating func setTime(_ text: String?, _ parse: (String) throws -> Timestamp, index: Int) throws {
        guard let text, !text.isEmpty else { return }
        do { time = try parse(text) } catch let e as TimestampError {
            throw e.lakeError(location: "element \(index)")
        }
        lineage.append(.init("normalize.timestamp", version: ExportMapper.version))
    }

    mutating func addGeo(_ point: GeoPoint?, key: String = "geo") {
        guard let point else { return }
        data = data.adding(key, point.json)
        entities.append(.init(kind: "place", value: point.placeValue, method: "coordinates"))
        if !lineage.contains(where: { $0.step == "normalize.geo" }) { lineage.append(.init("normalize.geo", version: GeoPoint.version)) }
    }

    mutating func textEntities(_ texts: [String?]) {
        for t in texts { if let t { entities += TextEntities.find(t) } }
    }

    mutating func finishEntities() {
        entities = ExportMapper.unique(entities)
        if !entities.isEmpty { lineage.append(.init("enrich.entities", version: TextEntities.version)) }
    }

    static func e7(_ v: JSONValue?) -> Int64? {
        guard let v else { return nil }
        if case .number(let n) = v { return Int64(n) }
        return v.stringValue.flatMap { Int64($0) }
    }

    /// Decimal degrees written as a JSON number or string, in micro-degrees (SPEC 5.4).
    static func micro(_ v: JSONValue?) -> Int64? { number(v).flatMap { GeoPoint.micro(Substring($0)) } }

    static func epoch(_ unit: Timestamp.EpochUnit) -> (String) throws -> Timestamp { { try Timestamp.parseEpoch($0, unit: unit) } }

    static func number(_ v: JSONValue?) -> String? {
        if case .number(let n)? = v { return n }
        return v?.stringValue
    }
}
