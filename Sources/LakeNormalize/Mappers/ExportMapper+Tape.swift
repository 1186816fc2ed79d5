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
        rules.string = { bytes, out in
            switch TextCleansing.cleanASCII(bytes) {
            case .some(.none): out.append(contentsOf: bytes)
            case .some(.some(let cleaned)): out.append(contentsOf: cleaned.utf8)
            case .none:
                // Content validation scans the cleansed text, the canonical form writes its NFC:
                // where the two differ (trimming can leave a text that NFC changes) give up.
                let cleaned = TextCleansing.clean(String(decoding: bytes, as: UTF8.self))
                let nfc = CanonicalJSON.nfc(cleaned)
                guard nfc.utf8.elementsEqual(cleaned.utf8) else { return false }
                out.append(contentsOf: nfc.utf8)
            }
            return true
        }
        return rules
    }()
}

extension ExportMapper {
    /// The families with a mapper that reads the tape (the others build the element's value).
    public static func mapsFromTape(_ family: Family) -> Bool { family == .takeoutLocationRecords }

    /// What the tape mappers reuse from one element to the next (one per worker).
    public struct TapeScratch: Sendable {
        var writer = JSONTapeCanonical()
        var bytes: [UInt8] = []
        public init() {}
    }

    /// `map` of the element on `tape`, read from the tape: the same record, or nil when the
    /// element is outside what the tape mapper knows (not an object, a key that is not ASCII or
    /// that two members share after snake_case, a time that does not parse): the general path
    /// then maps it, and throws what it throws.
    public static func mapFromTape(
        _ family: Family, _ tape: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch
    ) -> DirectRecord? {
        guard family == .takeoutLocationRecords, tape.count > 0, tape.kind(0) == .objectStart else { return nil }
        return locationRecord(tape, index: index, context: context, scratch: &scratch)
    }

    /// `Mapped.locationRecord` on the tape.
    static func locationRecord(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        // The last member of each name, as `JSONValue`'s subscript finds it.
        var timestampMs = -1, timestamp = -1, lat = -1, lng = -1
        var j = 1
        while t.kind(j) == .key {
            t.withBytes(j) { key in
                if key.elementsEqual("timestampMs".utf8) {
                    timestampMs = j + 1
                } else if key.elementsEqual("timestamp".utf8) {
                    timestamp = j + 1
                } else if key.elementsEqual("latitudeE7".utf8) {
                    lat = j + 1
                } else if key.elementsEqual("longitudeE7".utf8) {
                    lng = j + 1
                }
            }
            j = t.after(j + 1)
        }
        var lineage: [LakeRecord.LineageStep] = [
            .init("parse.json", version: version), .init("map.google-takeout.location", version: version),
            .init("normalize.snake_case", version: SnakeCase.version), .init("normalize.text", version: TextCleansing.version),
        ]
        var time: Timestamp?
        do {
            if let ms = numberText(t, timestampMs) {
                if !ms.isEmpty { time = try Timestamp.parseEpoch(ms, unit: .milliseconds) }
            } else if timestamp >= 0, t.kind(timestamp) == .string {
                let text = t.string(timestamp)
                if !text.isEmpty { time = try Timestamp.parseISO8601(text) }
            }
        } catch {
            return nil
        }
        if time != nil { lineage.append(.init("normalize.timestamp", version: version)) }
        var entities: [LakeRecord.Entity] = []
        var extra: [(key: [UInt8], value: [UInt8])] = []
        if let latE7 = e7(t, lat), let lngE7 = e7(t, lng) {
            let point = GeoPoint(latE7: latE7, lngE7: lngE7)
            extra.append((Array("geo".utf8), CanonicalJSON.encode(point.json)))
            entities.append(.init(kind: "place", value: point.latitude + "," + point.longitude, method: "coordinates"))
            lineage.append(.init("normalize.geo", version: GeoPoint.version))
            lineage.append(.init("enrich.entities", version: TextEntities.version))
        }
        var data: [UInt8] = []
        data.reserveCapacity(t.input.count)
        guard scratch.writer.write(t, rules: Standardize.tapeRules, extra: extra, into: &data) else { return nil }
        let hash = t.contentHash(writer: &scratch.writer, scratch: &scratch.bytes)
        let record = context.record(
            index: index, contentHash: hash, exportKind: "google-takeout", recordKind: "location", category: "location", time: time,
            language: nil, languageMethod: nil, data: .object([]), entities: entities, lineage: lineage)
        return DirectRecord(record: record, data: data)
    }

    /// `Mapped.number`: a number as spelled, or a string's text; nil for anything else.
    static func numberText(_ t: JSONTape, _ i: Int) -> String? {
        guard i >= 0, t.kind(i) == .number || t.kind(i) == .string else { return nil }
        return t.string(i)
    }

    /// `Mapped.e7`: a number or a string that is a whole number.
    static func e7(_ t: JSONTape, _ i: Int) -> Int64? { numberText(t, i).flatMap { Int64($0) } }
}
