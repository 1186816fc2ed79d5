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
        var timestamp: Timestamp?
        if time >= 0, t.kind(time) == .string {
            guard setTime(t.string(time), Timestamp.parseISO8601, &timestamp) else { return nil }
        }
        var entities: [LakeRecord.Entity] = []
        if titleUrl >= 0, t.kind(titleUrl) == .string { entities.append(.init(kind: "url", value: t.string(titleUrl), method: "source")) }
        if title >= 0, t.kind(title) == .string { entities += TextEntities.find(TextCleansing.clean(t.string(title))) }
        entities = unique(entities)
        let direct = Self.direct(
            t, index: index, context: context, scratch: &scratch, kind: "activity", category: "activity", time: timestamp,
            entities: entities, lineage: activityLineages[(timestamp == nil ? 0 : 1) + (entities.isEmpty ? 0 : 2)])
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
        var time: Timestamp?
        if let ms = numberText(t, times[0]) {
            guard setTime(ms, { try Timestamp.parseEpoch($0, unit: .milliseconds) }, &time) else { return nil }
        } else if times[1] >= 0, t.kind(times[1]) == .string {
            guard setTime(t.string(times[1]), Timestamp.parseISO8601, &time) else { return nil }
        }
        let location = parts[1] >= 0 ? parts[1] : parts[2]
        let place = members(t, at: location, ["latitudeE7", "longitudeE7", "name"], scratch: &scratch.bytes).named
        var entities: [LakeRecord.Entity] = []
        var extra: [(key: [UInt8], value: [UInt8])] = []
        var geo = false
        if let lat = e7(t, place[0]), let lng = e7(t, place[1]) {
            addGeo(GeoPoint(latE7: lat, lngE7: lng), &entities, &extra)
            geo = true
        }
        if place[2] >= 0, t.kind(place[2]) == .string {
            entities.append(.init(kind: "place", value: TextCleansing.clean(t.string(place[2])), method: "source"))
        }
        entities = unique(entities)
        return direct(
            t, index: index, context: context, scratch: &scratch, kind: "semantic_location", category: "location", time: time,
            entities: entities, lineage: semanticLineages[(time == nil ? 0 : 1) + (geo ? 2 : 0) + (entities.isEmpty ? 0 : 4)],
            extra: extra)
    }

    /// The Timeline's kinds (`Mapped.timeline`), and each one's lineages, as `locationLineages`
    /// (a point is the only entity).
    static let timelineKinds = ["timeline_segment", "timeline_signal", "timeline_profile"]
    static let timelineLineages = timelineKinds.map { lineageTable(makeLineage($0), optional: [timestampStep, geoStep + entitiesStep]) }

    /// `Mapped.timeline` on the tape: the kind by the element's collection, the first of
    /// `startTime`, `position.timestamp` and `timestamp` that is a string as its time, and the
    /// first point a string spells, in document order.
    static func timeline(
        _ t: JSONTape, collection: String?, index: Int, context: RecordContext, scratch: inout TapeScratch
    ) -> DirectRecord? {
        let k = collection == "rawSignals" ? 1 : collection == "userLocationProfile" ? 2 : 0
        let m = members(t, ["startTime", "position", "timestamp"], scratch: &scratch.bytes).named
        let position = members(t, at: m[1], ["timestamp"], scratch: &scratch.bytes).named[0]
        var time: Timestamp?
        if let start = [m[0], position, m[2]].first(where: { $0 >= 0 && t.kind($0) == .string }) {
            guard setTime(t.string(start), Timestamp.parseISO8601, &time) else { return nil }
        }
        var entities: [LakeRecord.Entity] = []
        var extra: [(key: [UInt8], value: [UInt8])] = []
        let point = firstPoint(t)
        if let point { addGeo(point, &entities, &extra) }
        return direct(
            t, index: index, context: context, scratch: &scratch, kind: timelineKinds[k], category: "location", time: time,
            entities: entities, lineage: timelineLineages[k][(time == nil ? 0 : 1) + (point == nil ? 0 : 2)], extra: extra)
    }

    /// `Mapped.firstPoint` of the whole tape: its string tokens (keys are tokens of their own
    /// kind) come in document order.
    static func firstPoint(_ t: JSONTape) -> GeoPoint? {
        var i = 0
        while i < t.count {
            if t.kind(i) == .string {
                switch t.withBytes(i, Mapped.point(bytes:)) {
                case .some(let point?): return point
                case .some(nil): break
                case nil: if let point = Mapped.point(in: t.string(i)) { return point }
                }
            }
            i += 1
        }
        return nil
    }

    /// `Mapped.chromeVisit` on the tape: `time_usec`, the `url` entity, the title's language.
    static func chromeVisit(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        let m = members(t, ["time_usec", "url"], becoming: "title", scratch: &scratch.bytes)
        var time: Timestamp?
        if let usec = numberText(t, m.named[0]) {
            guard setTime(usec, { try Timestamp.parseEpoch($0, unit: .microseconds) }, &time) else { return nil }
        }
        var entities: [LakeRecord.Entity] = []
        if m.named[1] >= 0, t.kind(m.named[1]) == .string {
            entities.append(.init(kind: "url", value: t.string(m.named[1]), method: "source"))
        }
        let direct = Self.direct(
            t, index: index, context: context, scratch: &scratch, kind: "browser_visit", category: "activity", time: time,
            entities: entities, lineage: visitLineages[(time == nil ? 0 : 1) + (entities.isEmpty ? 0 : 2)])
        return direct.map { withLanguage($0, of: t, m.becoming) }
    }

    /// `Mapped.setTime`: a time that is there is parsed (the caller's lineage then has
    /// `normalize.timestamp`); false when it does not parse (the general path reports it).
    static func setTime(_ text: String, _ parse: (String) throws -> Timestamp, _ time: inout Timestamp?) -> Bool {
        guard !text.isEmpty else { return true }
        guard let parsed = try? parse(text) else { return false }
        time = parsed
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
