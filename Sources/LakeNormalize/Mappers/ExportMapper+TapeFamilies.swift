import LakeCore
import LakeParsers

// The tape mappers of the Takeout families with text or nested places (docs/SPEC.md 7.1,
// "Records from the tape"); each is its `Mapped` counterpart read from the tape.
extension ExportMapper {
    /// `Mapped.activity` on the tape: the time, the `titleUrl` and the entities of the cleansed
    /// title, and the language of the data's `title` (the member whose key becomes `title`).
    static func activity(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        let m = members(t, ["time", "titleUrl", "title"], becoming: "title", scratch: &scratch.bytes)
        let (time, titleUrl, title, dataTitle) = (m.named[0], m.named[1], m.named[2], m.becoming)
        var lineage = standardLineage("activity")
        var timestamp: Timestamp?
        if time >= 0, t.kind(time) == .string {
            guard setTime(t.string(time), Timestamp.parseISO8601, &timestamp, &lineage) else { return nil }
        }
        var entities: [LakeRecord.Entity] = []
        if titleUrl >= 0, t.kind(titleUrl) == .string { entities.append(.init(kind: "url", value: t.string(titleUrl), method: "source")) }
        if title >= 0, t.kind(title) == .string { entities += TextEntities.find(TextCleansing.clean(t.string(title))) }
        entities = unique(entities)
        if !entities.isEmpty { lineage.append(.init("enrich.entities", version: TextEntities.version)) }
        let direct = Self.direct(
            t, index: index, context: context, scratch: &scratch, kind: "activity", category: "activity", time: timestamp,
            entities: entities, lineage: lineage)
        return direct.map { withLanguage($0, of: t, dataTitle) }
    }

    /// `Mapped.semanticLocation` on the tape: `placeVisit` or `activitySegment` (else the
    /// element), its start time, the point and the name of its `location` (else
    /// `startLocation`).
    static func semanticLocation(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        let top = members(t, ["placeVisit", "activitySegment"], scratch: &scratch.bytes).named
        let inner = top[0] >= 0 ? top[0] : top[1] >= 0 ? top[1] : 0
        let parts = members(t, at: inner, ["duration", "location", "startLocation"], scratch: &scratch.bytes).named
        let times = members(t, at: parts[0], ["startTimestampMs", "startTimestamp"], scratch: &scratch.bytes).named
        var lineage = standardLineage("semantic_location")
        var time: Timestamp?
        if let ms = numberText(t, times[0]) {
            guard setTime(ms, { try Timestamp.parseEpoch($0, unit: .milliseconds) }, &time, &lineage) else { return nil }
        } else if times[1] >= 0, t.kind(times[1]) == .string {
            guard setTime(t.string(times[1]), Timestamp.parseISO8601, &time, &lineage) else { return nil }
        }
        let location = parts[1] >= 0 ? parts[1] : parts[2]
        let place = members(t, at: location, ["latitudeE7", "longitudeE7", "name"], scratch: &scratch.bytes).named
        var entities: [LakeRecord.Entity] = []
        var extra: [(key: [UInt8], value: [UInt8])] = []
        if let lat = e7(t, place[0]), let lng = e7(t, place[1]) { addGeo(GeoPoint(latE7: lat, lngE7: lng), &entities, &lineage, &extra) }
        if place[2] >= 0, t.kind(place[2]) == .string {
            entities.append(.init(kind: "place", value: TextCleansing.clean(t.string(place[2])), method: "source"))
        }
        entities = unique(entities)
        if !entities.isEmpty { lineage.append(.init("enrich.entities", version: TextEntities.version)) }
        return direct(
            t, index: index, context: context, scratch: &scratch, kind: "semantic_location", category: "location", time: time,
            entities: entities, lineage: lineage, extra: extra)
    }

    /// `Mapped.chromeVisit` on the tape: `time_usec`, the `url` entity, the title's language.
    static func chromeVisit(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        let m = members(t, ["time_usec", "url"], becoming: "title", scratch: &scratch.bytes)
        var lineage = standardLineage("browser_visit")
        var time: Timestamp?
        if let usec = numberText(t, m.named[0]) {
            guard setTime(usec, { try Timestamp.parseEpoch($0, unit: .microseconds) }, &time, &lineage) else { return nil }
        }
        var entities: [LakeRecord.Entity] = []
        if m.named[1] >= 0, t.kind(m.named[1]) == .string {
            entities.append(.init(kind: "url", value: t.string(m.named[1]), method: "source"))
        }
        if !entities.isEmpty { lineage.append(.init("enrich.entities", version: TextEntities.version)) }
        let direct = Self.direct(
            t, index: index, context: context, scratch: &scratch, kind: "browser_visit", category: "activity", time: time,
            entities: entities, lineage: lineage)
        return direct.map { withLanguage($0, of: t, m.becoming) }
    }

    /// `Mapped.setTime`: a time that is there is parsed and noted in the lineage; false when it
    /// does not parse (the general path reports it).
    static func setTime(
        _ text: String, _ parse: (String) throws -> Timestamp, _ time: inout Timestamp?, _ lineage: inout [LakeRecord.LineageStep]
    ) -> Bool {
        guard !text.isEmpty else { return true }
        guard let parsed = try? parse(text) else { return false }
        time = parsed
        lineage.append(.init("normalize.timestamp", version: version))
        return true
    }

    /// The record with the language of its data's `title` (the member at token `title`, as
    /// standardized: cleansed, and gone when that leaves it empty).
    static func withLanguage(_ direct: DirectRecord, of t: JSONTape, _ title: Int) -> DirectRecord {
        var direct = direct
        if title >= 0, t.kind(title) == .string {
            let text = TextCleansing.clean(t.string(title))
            if !text.isEmpty { direct.record.detectLanguage(text) }
        }
        return direct
    }
}
