import LakeCore
import LakeParsers

/// The Google Takeout families' mappers (docs/SPEC.md 5.6): My Activity, location history,
/// semantic locations, Timeline, Chrome visits, photo sidecars.
extension Mapped {
    /// My Activity and YouTube history: `header`, `title`, `titleUrl`, `time` (ISO-8601).
    mutating func activity(_ index: Int) throws {
        let o = try object(index)
        standardize(o, kind: "activity")
        category = "activity"
        try setTime(o["time"]?.stringValue, Timestamp.parseISO8601, index: index)
        if let url = o["titleUrl"]?.stringValue { entities.append(.init(kind: "url", value: url, method: "source")) }
        textEntities([o["title"]?.stringValue.map(TextCleansing.clean)])
        languageText = data["title"]?.stringValue
        finishEntities()
    }

    /// Records.json: E7 coordinates, `timestampMs` (epoch ms string) or `timestamp` (ISO).
    mutating func locationRecord(_ index: Int) throws {
        let o = try object(index)
        standardize(o, kind: "location")
        category = "location"
        if let ms = Self.number(o["timestampMs"]) {
            try setTime(ms, Self.epoch(.milliseconds), index: index)
        } else {
            try setTime(o["timestamp"]?.stringValue, Timestamp.parseISO8601, index: index)
        }
        if let lat = Self.e7(o["latitudeE7"]), let lng = Self.e7(o["longitudeE7"]) { addGeo(GeoPoint(latE7: lat, lngE7: lng)) }
        finishEntities()
    }

    /// Semantic Location History: `{"placeVisit": …}` or `{"activitySegment": …}`.
    mutating func semanticLocation(_ index: Int) throws {
        let o = try object(index)
        standardize(o, kind: "semantic_location")
        category = "location"
        let inner = o["placeVisit"] ?? o["activitySegment"] ?? o
        let duration = inner["duration"]
        if let ms = Self.number(duration?["startTimestampMs"]) {
            try setTime(ms, Self.epoch(.milliseconds), index: index)
        } else {
            try setTime(duration?["startTimestamp"]?.stringValue, Timestamp.parseISO8601, index: index)
        }
        let location = inner["location"] ?? inner["startLocation"]
        if let lat = Self.e7(location?["latitudeE7"]), let lng = Self.e7(location?["longitudeE7"]) {
            addGeo(GeoPoint(latE7: lat, lngE7: lng))
        }
        if let name = location?["name"]?.stringValue {
            entities.append(.init(kind: "place", value: TextCleansing.clean(name), method: "source"))
        }
        finishEntities()
    }

    /// On-device Timeline (Android `semanticSegments`/`rawSignals`, iOS top-level array; the
    /// Android file's other members, `userLocationProfile`, are one `timeline_profile`):
    /// ISO times with the local offset kept; the first `"lat°, lng°"` or `geo:` point found
    /// (depth first, in member order) becomes `geo`.
    mutating func timeline(_ collection: String?, _ index: Int) throws {
        let o = try object(index)
        standardize(
            o,
            kind: collection == "rawSignals"
                ? "timeline_signal" : collection == "userLocationProfile" ? "timeline_profile" : "timeline_segment")
        category = "location"
        let start = o["startTime"]?.stringValue ?? o["position"]?["timestamp"]?.stringValue ?? o["timestamp"]?.stringValue
        try setTime(start, Timestamp.parseISO8601, index: index)
        addGeo(Self.firstPoint(o))
        finishEntities()
    }

    /// The point a Timeline string spells (degrees, or a `geo:` URI), or nil.
    static func point(in s: String) -> GeoPoint? { (s.contains("°") || s.lowercased().hasPrefix("geo:")) ? GeoPoint.parse(s) : nil }

    /// Whether `point(in:)` can find a point in the text of UTF-8 `b`: only when it holds a
    /// degree sign (C2 B0), or starts with `geo:` in any case (no other scalar lowercases to
    /// one of those ASCII letters). Most strings of a Timeline element are neither.
    static func mayHoldPoint(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if GeoPoint.isGeoScheme(b, at: 0) { return true }
        return withUnsafeBytes(of: degreeSign) { ByteSearch.first($0.bindMemory(to: UInt8.self), in: b) != nil }
    }
    private static let degreeSign: (UInt8, UInt8) = (0xC2, 0xB0)

    /// `point(in:)` of the text of UTF-8 `b`, read on the bytes (`GeoPoint.parse(bytes:)`);
    /// nil when only the String rules can answer.
    static func point(bytes b: UnsafeBufferPointer<UInt8>) -> GeoPoint?? {
        guard mayHoldPoint(b) else { return .some(nil) }
        return GeoPoint.parse(bytes: b)
    }

    /// The first point any string of `v` spells, in document order.
    static func firstPoint(_ v: JSONValue) -> GeoPoint? {
        switch v {
        case .string(var s):
            if let answer = s.withUTF8({ point(bytes: $0) }) { return answer }
            return point(in: s)
        case .array(let items):
            for i in items { if let p = firstPoint(i) { return p } }
            return nil
        case .object(let members):
            for m in members { if let p = firstPoint(m.value) { return p } }
            return nil
        default: return nil
        }
    }

    /// Chrome history: `time_usec` (epoch microseconds, a number), `url`, `title`.
    mutating func chromeVisit(_ index: Int) throws {
        let o = try object(index)
        standardize(o, kind: "browser_visit")
        category = "activity"
        try setTime(Self.number(o["time_usec"]), Self.epoch(.microseconds), index: index)
        if let url = o["url"]?.stringValue { entities.append(.init(kind: "url", value: url, method: "source")) }
        languageText = data["title"]?.stringValue
        finishEntities()
    }

    /// A Google Photos sidecar: `photoTakenTime.timestamp` (epoch seconds string; else
    /// `creationTime`), `geoData` (else `geoDataExif`; 0.0/0.0 means unknown and is not a place).
    /// Relationship `describes` to the media file it sits beside.
    mutating func photoSidecar(path: String, _ index: Int) throws {
        let o = try object(index)
        standardize(o, kind: "photo_metadata")
        category = "media"
        let taken = Self.number(o["photoTakenTime"]?["timestamp"]) ?? Self.number(o["creationTime"]?["timestamp"])
        try setTime(taken, Self.epoch(.seconds), index: index)
        for key in ["geoData", "geoDataExif"] {
            guard let g = o[key], let lat = Self.micro(g["latitude"]),
                let lng = Self.micro(g["longitude"]), lat != 0 || lng != 0
            else { continue }
            addGeo(GeoPoint(latMicro: lat, lngMicro: lng))
            break
        }
        if let media = Self.mediaPath(sidecar: path, title: o["title"]?.stringValue) {
            relationships.append(
                .init(
                    type: "describes", target: media, confidence: media.hasSuffix("/" + (o["title"]?.stringValue ?? "")) ? "1" : "0.9",
                    method: "path"))
            lineage.append(.init("enrich.relationships", version: ExportMapper.version))
        }
        finishEntities()
    }

    /// The media file a sidecar describes: the sidecar's name without `.json` and without
    /// the `.supplemental-metadata` suffix or any truncation of it (`.supplemental-metad`,
    /// `.suppl`, `.s`), a `(n)` counter moved back before the extension; the sidecar's `title`
    /// when the name was cut inside the media name itself.
    static func mediaPath(sidecar path: String, title: String?) -> String? {
        guard path.hasSuffix(".json") else { return nil }
        let folder = path.split(separator: "/").dropLast().joined(separator: "/")
        var name = String(path.split(separator: "/").last!.dropLast(5))
        var counter = ""
        if name.hasSuffix(")"), let open = name.lastIndex(of: "(") {
            counter = String(name[open...])
            name = String(name[..<open])
        }
        let suffix = ".supplemental-metadata"
        if let dot = name.lastIndex(of: "."), suffix.hasPrefix(String(name[dot...])), name[dot...].count >= 2 {
            name = String(name[..<dot])
        }
        if let title, !title.isEmpty, !name.contains(".") || title.hasPrefix(name) && title.count > name.count {
            name = title
        }
        if !counter.isEmpty, let dot = name.lastIndex(of: ".") { name = String(name[..<dot]) + counter + String(name[dot...]) }
        return folder.isEmpty ? name : folder + "/" + name
    }
}
