import LakeCore
import LakeParsers

/// A record a mapper wrote straight from a `JSONTape` (docs/SPEC.md 5.6, "Records from the
/// tape"): everything the general path gives, with `data` already in its canonical bytes.
/// `record.data` is left empty: `data` is the record's data.
public struct DirectRecord: Sendable {
    public var record: LakeRecord
    public var data: [UInt8]
}

extension Standardize {
    /// `values(SnakeCase.convertKeys(v))` as `JSONTapeCanonical` rules, for objects whose keys
    /// are ASCII and distinct after conversion (else the writer gives up): keys to snake_case,
    /// strings cleansed (ASCII on bytes), empty values dropped.
    public static let tapeRules: JSONTapeCanonical.Rules = {
        var rules = JSONTapeCanonical.Rules()
        rules.prune = true
        rules.giveUpOnDuplicateKeys = true
        rules.key = { bytes, out in SnakeCase.convertASCII(bytes, into: &out) }
        rules.string = tapeString
        return rules
    }()

    /// The tape rules' string: cleansed (ASCII on bytes), appended to `out`; false when the
    /// writer should give up.
    static func tapeString(_ bytes: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) -> Bool {
        switch TextCleansing.cleanASCII(bytes) {
        case .some(.none): out.append(contentsOf: bytes)
        case .some(.some(let cleaned)): out.append(contentsOf: cleaned.utf8)
        case .none: return cleanedInNFC(String(decoding: bytes, as: UTF8.self), &out)
        }
        return true
    }

    /// `text` cleansed, appended to `out`, when that is already in NFC. Content validation scans
    /// the cleansed text, the canonical form writes its NFC: where the two differ (trimming can
    /// leave a text that NFC changes) the writer gives up.
    static func cleanedInNFC(_ text: String, _ out: inout [UInt8]) -> Bool {
        var cleaned = TextCleansing.clean(text)
        var nfc = CanonicalJSON.nfc(cleaned)
        let same = nfc.withUTF8 { n in cleaned.withUTF8 { c in SameBytes.same(n, c) } }
        guard same else { return false }
        out.append(contentsOf: nfc.utf8)
        return true
    }
}

extension ExportMapper {
    /// The families with a mapper that reads the tape (the others build the element's value).
    public static func mapsFromTape(_ family: Family) -> Bool {
        [
            .takeoutLocationRecords, .takeoutActivity, .takeoutSemanticLocation, .takeoutTimeline, .chromeHistory,
            .facebookPost, .facebookComment, .facebookReaction, .facebookFriend, .facebookMessage,
        ].contains(family)
    }

    /// What the tape mappers reuse from one element to the next (one per worker).
    public struct TapeScratch: Sendable {
        var writer = JSONTapeCanonical()
        var bytes: [UInt8] = []
        /// A Facebook message file's thread (`Mapped.thread(path:)`), worked out once per file.
        var thread: (path: String, relationship: LakeRecord.Relationship?)?
        public init() {}
    }

    /// `map` of the element on `tape`, read from the tape: the same record, or nil when the
    /// element is outside what the tape mapper knows (not an object, a key that is not ASCII or
    /// that two members share after snake_case, a time that does not parse): the general path
    /// then maps it, and throws what it throws.
    public static func mapFromTape(
        _ family: Family, _ tape: JSONTape, collection: String? = nil, index: Int, context: RecordContext, scratch: inout TapeScratch
    ) -> DirectRecord? {
        guard tape.count > 0, tape.kind(0) == .objectStart else { return nil }
        switch family {
        case .takeoutLocationRecords: return locationRecord(tape, index: index, context: context, scratch: &scratch)
        case .takeoutActivity: return activity(tape, index: index, context: context, scratch: &scratch)
        case .takeoutSemanticLocation: return semanticLocation(tape, index: index, context: context, scratch: &scratch)
        case .takeoutTimeline: return timeline(tape, collection: collection, index: index, context: context, scratch: &scratch)
        case .chromeHistory: return chromeVisit(tape, index: index, context: context, scratch: &scratch)
        case .facebookPost: return facebookPost(tape, index: index, context: context, scratch: &scratch)
        case .facebookComment: return facebookComment(tape, index: index, context: context, scratch: &scratch)
        case .facebookReaction: return facebookReaction(tape, index: index, context: context, scratch: &scratch)
        case .facebookFriend: return facebookFriend(tape, index: index, context: context, scratch: &scratch)
        case .facebookMessage: return facebookMessage(tape, index: index, context: context, scratch: &scratch)
        default: return nil
        }
    }

    /// The lineage every standardized Takeout record starts with (`Mapped.standardize`), made
    /// once per kind.
    static func makeLineage(_ kind: String) -> [LakeRecord.LineageStep] {
        [
            .init("parse.json", version: version), .init("map.google-takeout.\(kind)", version: version),
            .init("normalize.snake_case", version: SnakeCase.version), .init("normalize.text", version: TextCleansing.version),
        ]
    }
    static let timestampStep: [LakeRecord.LineageStep] = [.init("normalize.timestamp", version: version)]
    static let geoStep: [LakeRecord.LineageStep] = [.init("normalize.geo", version: GeoPoint.version)]
    static let entitiesStep: [LakeRecord.LineageStep] = [.init("enrich.entities", version: TextEntities.version)]

    /// Each Takeout family's lineages (`lineageTable`), the steps in the order `Mapped`
    /// adds them: the standard ones, then `normalize.timestamp` when the record had a time
    /// (bit 1), then `normalize.geo` when it had a point, then `enrich.entities` when it has
    /// entities (a location point's are its point's).
    static let locationLineages = lineageTable(makeLineage("location"), optional: [timestampStep, geoStep + entitiesStep])
    static let activityLineages = lineageTable(makeLineage("activity"), optional: [timestampStep, entitiesStep])
    static let semanticLineages = lineageTable(makeLineage("semantic_location"), optional: [timestampStep, geoStep, entitiesStep])
    static let visitLineages = lineageTable(makeLineage("browser_visit"), optional: [timestampStep, entitiesStep])
    static let geoKey = Array("geo".utf8)

    /// The record of an element whose parts the family's mapper found: its data written from
    /// the tape by `rules` with `extra` members, its content hash from the tape. Nil when the
    /// writer gives up.
    static func direct(
        _ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch, kind: String, category: String,
        time: Timestamp?, entities: [LakeRecord.Entity], lineage: [LakeRecord.LineageStep],
        extra: [(key: [UInt8], value: [UInt8])] = [], exportKind: String = "google-takeout",
        rules: JSONTapeCanonical.Rules = Standardize.tapeRules
    ) -> DirectRecord? {
        var data: [UInt8] = []
        data.reserveCapacity(t.input.count)
        guard scratch.writer.write(t, rules: rules, extra: extra, into: &data) else { return nil }
        let hash = t.contentHash(writer: &scratch.writer, scratch: &scratch.bytes)
        let record = context.record(
            index: index, contentHash: hash, exportKind: exportKind, recordKind: kind, category: category, time: time,
            language: nil, languageMethod: nil, data: .object([]), entities: entities, lineage: lineage)
        return DirectRecord(record: record, data: data)
    }

    /// `Mapped.locationRecord` on the tape.
    static func locationRecord(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        let m = members(t, locationNames, scratch: &scratch.bytes)
        let (timestampMs, timestamp, lat, lng) = (m.named[0], m.named[1], m.named[2], m.named[3])
        var time: Timestamp?
        do {
            if let ms = numberText(t, timestampMs) {
                if !ms.isEmpty { time = try Timestamp.parseEpoch(ms, unit: .milliseconds) }
            } else if timestamp >= 0, t.kind(timestamp) == .string {
                time = try t.withBytes(timestamp) { $0.isEmpty ? nil : try Timestamp.parseISO8601(bytes: $0) }
            }
        } catch {
            return nil
        }
        var entities: [LakeRecord.Entity] = []
        var extra: [(key: [UInt8], value: [UInt8])] = []
        var geo = false
        if let latE7 = e7(t, lat), let lngE7 = e7(t, lng) {
            addGeo(GeoPoint(latE7: latE7, lngE7: lngE7), &entities, &extra)
            geo = true
        }
        return direct(
            t, index: index, context: context, scratch: &scratch, kind: "location", category: "location", time: time, entities: entities,
            lineage: locationLineages[(time == nil ? 0 : 1) + (geo ? 2 : 0)], extra: extra)
    }

    static let locationNames: [StaticString] = ["timestampMs", "timestamp", "latitudeE7", "longitudeE7"]

    /// Every lineage `base` can end as: entry `n` is `base`, then `optional[i]` for each bit `i`
    /// set in `n`, in order, then `last`. A mapper picks its record's entry by index instead of
    /// copying `base` and appending to it per record.
    static func lineageTable(
        _ base: [LakeRecord.LineageStep], optional: [[LakeRecord.LineageStep]], last: [LakeRecord.LineageStep] = []
    ) -> [[LakeRecord.LineageStep]] {
        (0..<(1 << optional.count)).map { n in
            optional.indices.reduce(base) { steps, i in n & 1 << i != 0 ? steps + optional[i] : steps } + last
        }
    }

    /// `Mapped.addGeo`: the point as `data`'s `geo` (an extra member) and its place entity (the
    /// caller's lineage then has `normalize.geo`).
    static func addGeo(_ point: GeoPoint, _ entities: inout [LakeRecord.Entity], _ extra: inout [(key: [UInt8], value: [UInt8])]) {
        extra.append((geoKey, point.canonicalJSON))
        entities.append(.init(kind: "place", value: point.placeValue, method: "coordinates"))
    }

    /// The value token of the last member with each of `names` (-1 for none) of the object at
    /// token `object` (the top value by default; none when it is no object), as `JSONValue`'s
    /// subscript finds it, and of the last member whose key snake_case turns into `becoming`
    /// (the member the standardized data holds under that key).
    static func members(
        _ t: JSONTape, at object: Int = 0, _ names: [StaticString], becoming: StaticString? = nil, scratch: inout [UInt8]
    ) -> (named: [Int], becoming: Int) {
        var named = noTokens(names.count)
        var converted = -1
        guard object >= 0, t.kind(object) == .objectStart else { return (named, converted) }
        var j = object + 1
        while t.kind(j) == .key {
            t.withBytes(j) { key in
                for (n, name) in names.enumerated() where same(key, name) { named[n] = j + 1 }
                if let becoming, becomes(key, becoming, scratch: &scratch) { converted = j + 1 }
            }
            j = t.after(j + 1)
        }
        return (named, converted)
    }

    /// `count` token indexes of -1 (none found), appended to a reserved array:
    /// `Array(repeating:count:)` allocates through the standard library's unspecialized
    /// `_allocateBufferUninitialized`, which looks the storage type up at run time (about 280
    /// instructions more, once per record).
    static func noTokens(_ count: Int) -> [Int] {
        var tokens: [Int] = []
        tokens.reserveCapacity(count)
        for _ in 0..<count { tokens.append(-1) }
        return tokens
    }

    /// The value token of the last member of the object at token `object` whose key snake_case
    /// turns into each of `names` (-1 for none): the members the standardized data holds under
    /// those keys.
    static func dataMembers(_ t: JSONTape, at object: Int = 0, _ names: [StaticString], scratch: inout [UInt8]) -> [Int] {
        var found = noTokens(names.count)
        guard object >= 0, t.kind(object) == .objectStart else { return found }
        var j = object + 1
        while t.kind(j) == .key {
            t.withBytes(j) { key in
                for (n, name) in names.enumerated() where becomes(key, name, scratch: &scratch) { found[n] = j + 1 }
            }
            j = t.after(j + 1)
        }
        return found
    }

    /// Whether snake_case turns `key` into `name` (a key in snake_case already is compared as
    /// it is).
    @inline(__always)
    static func becomes(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString, scratch: inout [UInt8]) -> Bool {
        if SnakeCase.isSnakeCase(key) { return same(key, name) }
        scratch.removeAll(keepingCapacity: true)
        return SnakeCase.convertASCII(key, into: &scratch) && scratch.withUnsafeBufferPointer { same($0, name) }
    }

    /// Whether `key`'s bytes are `name`'s: the lengths first, most keys stop there.
    @inline(__always)
    static func same(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        guard key.count == name.utf8CodeUnitCount else { return false }
        let bytes = name.utf8Start
        for i in 0..<key.count where key[i] != bytes[i] { return false }
        return true
    }

    /// `Mapped.number`: a number as spelled, or a string's text; nil for anything else.
    static func numberText(_ t: JSONTape, _ i: Int) -> String? {
        guard i >= 0, t.kind(i) == .number || t.kind(i) == .string else { return nil }
        return t.string(i)
    }

    /// `Mapped.e7`: a number or a string that is a whole number.
    static func e7(_ t: JSONTape, _ i: Int) -> Int64? { numberText(t, i).flatMap { Int64($0) } }
}
