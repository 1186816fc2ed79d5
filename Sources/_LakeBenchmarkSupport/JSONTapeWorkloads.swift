import LakeCore
import LakeParsers

/// Google's Location History `Records.json` (two-space layout, as Takeout writes it) held in
/// memory, and the two ways to read its elements: spans and a tape per element (the record
/// path's reader), or `JSONReader` building a `JSONValue` per element (the old one).
public enum JSONTapeWorkloads {
    /// About `bytes` of Records.json: `{"locations": [ … ]}` with seeded points.
    public static func recordsJSON(bytes: Int) -> [UInt8] {
        var out = Array("{\n  \"locations\": [".utf8)
        out.reserveCapacity(bytes + 512)
        var rng = SplitMix64(seed: 1)
        var ms: Int64 = 1_500_000_000_000
        var first = true
        while out.count < bytes {
            ms += Int64(rng.next() % 590_000 + 10_000)
            let time = Timestamp(millis: ms, offsetSeconds: 0).iso8601
            let lat = Int64(rng.next() % 1_800_000_000) - 900_000_000
            let lng = Int64(rng.next() % 3_600_000_000) - 1_800_000_000
            let source = ["WIFI", "GPS", "CELL"][Int(rng.next() % 3)]
            let element =
                "{\n    \"latitudeE7\": \(lat),\n    \"longitudeE7\": \(lng),\n    \"accuracy\": \(rng.next() % 2000 + 3),\n"
                + "    \"source\": \"\(source)\",\n    \"deviceTag\": \(Int32(truncatingIfNeeded: rng.next())),\n"
                + "    \"timestamp\": \"\(time)\"\n  }"
            out += Array(((first ? "" : ", ") + element).utf8)
            first = false
        }
        out += Array("]\n}\n".utf8)
        return out
    }

    /// Where the `locations` array's first element starts.
    static func firstElement(_ doc: [UInt8]) -> Int { doc.firstIndex(of: UInt8(ascii: "[")).map { $0 + 1 } ?? doc.count }

    /// Every element's span, then a tape of it (one tape's storage reused throughout).
    public static func tapeElements(_ doc: [UInt8]) throws -> ParserWorkloads.Outcome {
        var tape = JSONTape()
        var items = 0
        var checksum: UInt64 = 0
        let limits = JSONLimits(maxDepth: 10, maxDocumentBytes: .max)
        var p = firstElement(doc)
        while true {
            let span: Range<Int>? = doc.withUnsafeBufferPointer { s in
                p = skipSpace(s, p)
                guard p < s.count, s[p] != UInt8(ascii: "]"), let end = JSONElementSpans.end(of: s, from: p) else { return nil }
                return p..<end
            }
            guard let span else { break }
            try tape.parse(doc, range: span, limits: limits)
            checksum = checksum &+ UInt64(tape.childCount(0)) &+ UInt64(tape.count)
            items += 1
            p = doc.withUnsafeBufferPointer { skipSpace($0, span.upperBound) }
            guard p < doc.count, doc[p] == UInt8(ascii: ",") else { break }
            p += 1
        }
        return .init(items: items, bytes: Int64(doc.count), checksum: checksum)
    }

    /// Every element read by `JSONReader` into a `JSONValue`.
    public static func readerElements(_ doc: [UInt8]) throws -> ParserWorkloads.Outcome {
        let reader = JSONReader(bytes: doc, limits: JSONLimits(maxDepth: 10, maxDocumentBytes: .max))
        let stream = JSONRecordStream(reader: reader)
        var items = 0
        var checksum: UInt64 = 0
        try stream.forEach { _, e in
            checksum = checksum &+ UInt64(e.value.objectMembers?.count ?? 0)
            items += 1
        }
        return .init(items: items, bytes: Int64(doc.count), checksum: checksum)
    }

    static func skipSpace(_ s: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
        var p = from
        while p < s.count, s[p] == 0x20 || s[p] == 0x0A || s[p] == 0x0D || s[p] == 0x09 { p += 1 }
        return p
    }
}
