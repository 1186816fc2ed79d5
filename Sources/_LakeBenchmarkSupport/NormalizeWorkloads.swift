import LakeCore
import LakeNormalize
import LakeParsers
import LakeStore

/// Normalization as a benchmark workload (records per second): pools of 1,000 distinct
/// elements per file family, built from a seed and shaped like the real files (docs/SPEC.md
/// 5.6; Facebook's text with its per-byte mojibake), mapped one record per call. Mapping
/// covers everything a record goes through after parsing: snake_case, text cleansing, times,
/// geo, entities, relationships, language detection, the canonical line.
public enum NormalizeWorkloads {
    public static let families = ["activity", "location", "facebook_post", "facebook_message", "generic", "tweet", "csv_row", "email"]

    static let sentences = [
        "Does anyone know a good bakery near the station? Mail ana@example.org",
        "¿Alguien sabe dónde hay una buena panadería cerca? Llama al +34 91 653 89 80",
        "Quelqu'un connaît une bonne boulangerie près de la gare ? https://example.fr/pain",
        "Kennt jemand eine gute Bäckerei in der Nähe vom Bahnhof? #brot @bäcker",
        "我们沿着河边散步，直到路灯亮起。", "今日は市場で新鮮な果物を買いました。",
    ]

    static let context = RecordContext(
        input: "bench.zip", inputSHA256: String(repeating: "a", count: 64), path: "bench.json",
        user: "bench", ring: ShardRing(Thresholds()))

    /// The mapper of `family` over a pool of elements; call it with 0, 1, 2, …
    public static func mapper(_ family: String) -> (Int) throws -> [UInt8] {
        let elements = family == "email" ? [] : elements(family)
        if family == "csv_row" {
            let rows = elements.map { $0.arrayValue!.map { $0.stringValue! } }
            let columns = CSVColumns.infer(header: ["Id", "Text", "Betrag", "OK", "When"], rows: rows)
            return { i in
                ExportMapper.mapRow(
                    rows[i % rows.count], columns: columns, index: i, recordKind: "generic", exportKind: "generic", context: context
                )
                .canonicalLine()
            }
        }
        if family == "tweet" {
            return { i in try TwitterMapper.map(.tweets, elements[i % elements.count], index: i, context: context).canonicalLine() }
        }
        if family == "email" {
            // 1,000 messages of `ParserWorkloads.mbox`, read from one mbox.
            let reader = MboxReader(bytes: Array((0..<1000).map(ParserWorkloads.mboxMessage).joined()))
            var messages: [MboxReader.Message] = []
            while let m = try? reader.next() { messages.append(m) }
            return { i in MailMapper.map(messages[i % messages.count], context: context).canonicalLine() }
        }
        let mapped = Self.family(family)
        let path = family == "facebook_message" ? "messages/inbox/a_1/message_1.json" : context.path
        let c = RecordContext(
            input: context.input, inputSHA256: context.inputSHA256, path: path, user: "bench", ring: ShardRing(Thresholds()))
        return { i in
            try ExportMapper.map(mapped, .init(collection: nil, value: elements[i % elements.count]), index: i, context: c).canonicalLine()
        }
    }

    /// The tape mapper of `family` (`ExportMapper.mapsFromTape`) over the same pool, as the
    /// ingest's workers run it: each element's bytes parsed into a reused tape, mapped, stored
    /// as a row; call it with 0, 1, 2, … It returns the row's data bytes.
    /// `tweet` is Twitter's tweet mapper (`TwitterMapper.mapsFromTape`).
    public static func tapeMapper(_ family: String) -> (Int) throws -> Int {
        let elements = elements(family).map { CanonicalJSON.encode($0) }
        var tape = JSONTape()
        var scratch = ExportMapper.TapeScratch()
        let cache = RecordRow.LineCache()
        let map: (JSONTape, Int, inout ExportMapper.TapeScratch) -> DirectRecord?
        if family == "tweet" {
            map = { TwitterMapper.mapFromTape(.tweets, $0, index: $1, context: context, scratch: &$2) }
        } else {
            let mapped = Self.family(family)
            map = { ExportMapper.mapFromTape(mapped, $0, index: $1, context: context, scratch: &$2) }
        }
        return { i in
            try tape.parse(elements[i % elements.count])
            guard var direct = map(tape, i, &scratch) else { return 0 }
            // As the ingest's workers store it (`TapeRows`): the record's strings moved into the row.
            return RecordRow(taking: &direct.record, data: direct.data, cache: cache).columns.data.count
        }
    }

    static func family(_ name: String) -> ExportMapper.Family {
        [
            "activity": .takeoutActivity, "location": .takeoutLocationRecords, "facebook_post": .facebookPost,
            "facebook_message": .facebookMessage, "generic": .generic,
        ][name]!
    }

    /// The pool of 1,000 elements of `family`.
    static func elements(_ family: String) -> [JSONValue] {
        var rng = SplitMix64(seed: 7)
        func sentence() -> String { sentences[Int(rng.next() % UInt64(sentences.count))] }
        func mojibake(_ s: String) -> String { String(String.UnicodeScalarView(s.utf8.map { Unicode.Scalar($0) })) }
        func time() -> Int64 { 1_300_000_000_000 + Int64(rng.next() % 400_000_000_000) }
        var elements: [JSONValue] = []
        for i in 0..<1000 {
            let t = time()
            let v: JSONValue
            switch family {
            case "activity":
                v = .object([
                    .init("header", .string("YouTube")), .init("title", .string("Watched " + sentence())),
                    .init("titleUrl", .string("https://www.youtube.com/watch?v=\(i)")),
                    .init("time", .string(Timestamp(millis: t, offsetSeconds: nil).iso8601)),
                    .init("products", .array([.string("YouTube")])), .init("activityControls", .array([.string("YouTube watch history")])),
                ])
            case "location":
                v = .object([
                    .init("latitudeE7", .number(String(Int64(rng.next() % 1_800_000_000) - 900_000_000))),
                    .init("longitudeE7", .number(String(Int64(rng.next() % 3_600_000_000) - 1_800_000_000))),
                    .init("accuracy", .number(String(rng.next() % 2000))), .init("source", .string("WIFI")),
                    .init("deviceTag", .number(String(Int32(truncatingIfNeeded: rng.next())))), .init("timestampMs", .string(String(t))),
                ])
            case "facebook_post":
                v = .object([
                    .init("timestamp", .number(String(t / 1000))),
                    .init("data", .array([.object([.init("post", .string(mojibake(sentence())))])])),
                    .init("title", .string(mojibake("Amélie García updated her status."))),
                ])
            case "facebook_message":
                v = .object([
                    .init("sender_name", .string(mojibake("Łukasz Andersen"))), .init("timestamp_ms", .number(String(t))),
                    .init("content", .string(mojibake(sentence()))), .init("is_geoblocked_for_viewer", .bool(false)),
                ])
            case "generic":
                v = .object([
                    .init(
                        "userInfo",
                        .object([
                            .init("displayName", .string(sentence())), .init("emptyField", .string("")),
                            .init("Settings", .object([.init("darkMode", .bool(true)), .init("fontSize", .number("14"))])),
                        ])),
                    .init("tags", .array([.string("a"), .string("b")])), .init("createdAt", .string(String(t))),
                ])
            case "tweet":
                v = .object([
                    .init(
                        "tweet",
                        .object([
                            .init("id_str", .string(String(UInt64(t - 1_288_834_974_657) << 22))),
                            .init("full_text", .string(sentence() + " &amp; more")),
                            .init("created_at", .string("Wed Oct 10 20:19:24 +0000 2018")), .init("lang", .string("en")),
                            .init(
                                "entities",
                                .object([.init("hashtags", .array([])), .init("user_mentions", .array([])), .init("urls", .array([]))])),
                            .init("favorite_count", .string("3")), .init("in_reply_to_status_id_str", .string("1050118621198921728")),
                        ]))
                ])
            default:
                v = .array([.string(String(i)), .string(sentence()), .string("1.234,50"), .string("true"), .string("2024-01-02T03:04:05Z")])
            }
            elements.append(v)
        }
        return elements
    }
}
