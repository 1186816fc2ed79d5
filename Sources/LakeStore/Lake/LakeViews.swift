/// Views any SQLite tool can use (docs/SPEC.md 7, "Views"): `lake_records`, every record with
/// its references joined and its id, time and content hash as text, and one view per record
/// kind with typed columns read from `data`. Opening a lake in the `sqlite3` shell or
/// Datasette, `SELECT full_text FROM tweets` works at once.
public enum LakeViews {
    /// One typed column: `name` from JSON path `path` of `data`, cast to `type` when given.
    public struct Column: Sendable {
        public let name: String
        public let path: String
        /// `INTEGER`, `REAL` or nil (the JSON value as SQLite's `json_extract` gives it).
        public let type: String?
        init(_ name: String, _ path: String, _ type: String? = nil) {
            self.name = name
            self.path = path
            self.type = type
        }
    }

    public struct View: Sendable {
        public let name: String
        /// The `record_kind`s it shows.
        public let recordKinds: [String]
        public let columns: [Column]
    }

    public static let views: [View] = [
        View(
            name: "tweets", recordKinds: ["tweet"],
            columns: [
                .init("tweet_id", "$.id"), .init("full_text", "$.full_text"), .init("lang", "$.lang"),
                .init("favorite_count", "$.favorite_count", "INTEGER"), .init("retweet_count", "$.retweet_count", "INTEGER"),
                .init("in_reply_to_status_id", "$.in_reply_to_status_id"), .init("source_app", "$.source"),
            ]),
        View(
            name: "likes", recordKinds: ["like"],
            columns: [.init("tweet_id", "$.tweet_id"), .init("full_text", "$.full_text"), .init("expanded_url", "$.expanded_url")]),
        View(
            name: "direct_messages", recordKinds: ["dm_conversation"],
            columns: [.init("conversation_id", "$.conversation_id"), .init("messages", "$.messages")]),
        View(
            name: "followers", recordKinds: ["follower", "following"],
            columns: [.init("account_id", "$.account_id"), .init("user_link", "$.user_link")]),
        View(
            name: "locations", recordKinds: ["location", "semantic_location"],
            columns: [
                .init("latitude", "$.geo.lat", "REAL"), .init("longitude", "$.geo.lng", "REAL"),
                .init("accuracy", "$.accuracy", "INTEGER"), .init("source_kind", "$.source"),
                .init("place_name", "$.place_visit.location.name"), .init("place_address", "$.place_visit.location.address"),
            ]),
        View(
            name: "emails", recordKinds: ["email"],
            columns: [
                .init("message_id", "$.message_id"), .init("subject", "$.subject"), .init("sender", "$.from"), .init("recipients", "$.to"),
                .init("sent_date", "$.date"), .init("thread_id", "$.thread_id"), .init("in_reply_to", "$.in_reply_to"),
                .init("labels", "$.labels"), .init("body", "$.text"),
            ]),
        View(
            name: "messages", recordKinds: ["message"],
            columns: [.init("sender_name", "$.sender_name"), .init("content", "$.content")]),
        View(
            name: "posts", recordKinds: ["post", "comment", "reaction"],
            columns: [
                .init("title", "$.title"), .init("post", "$.data[0].post"), .init("comment", "$.data[0].comment.comment"),
                .init("reaction", "$.data[0].reaction.reaction"),
            ]),
        View(name: "friends", recordKinds: ["friend"], columns: [.init("name", "$.name")]),
        View(
            name: "activities", recordKinds: ["activity"],
            columns: [
                .init("header", "$.header"), .init("title", "$.title"), .init("title_url", "$.title_url"),
                .init("products", "$.products"),
            ]),
        View(
            name: "browser_visits", recordKinds: ["browser_visit"],
            columns: [.init("url", "$.url"), .init("title", "$.title"), .init("page_transition", "$.page_transition")]),
        View(
            name: "calendar_events", recordKinds: ["calendar_event"],
            columns: [
                .init("summary", "$.summary"), .init("location", "$.location"), .init("starts_at", "$.start.at"),
                .init("ends_at", "$.end.at"), .init("uid", "$.uid"),
            ]),
        View(
            name: "contacts", recordKinds: ["contact"],
            columns: [
                .init("formatted_name", "$.formatted_name"), .init("organization", "$.organization"), .init("emails", "$.emails"),
                .init("phones", "$.phones"),
            ]),
        View(
            name: "photos", recordKinds: ["photo_metadata"],
            columns: [.init("title", "$.title"), .init("latitude", "$.geo.lat", "REAL"), .init("longitude", "$.geo.lng", "REAL")]),
        View(
            name: "subscriptions", recordKinds: ["subscription"],
            columns: [
                .init("channel_id", "$.channel_id"), .init("channel_title", "$.channel_title"), .init("channel_url", "$.channel_url"),
            ]),
    ]

    static let timeText =
        "CASE typeof(r.occurred_at) WHEN 'integer' THEN strftime('%Y-%m-%dT%H:%M:%fZ', r.occurred_at / 1000.0, 'unixepoch') ELSE r.occurred_at END"

    /// `records.source_offset` as text (`StoredOffset`): digits are minutes, a blob its text.
    static let offsetText = """
        CASE WHEN typeof(r.source_offset) = 'blob' THEN CAST(r.source_offset AS TEXT) \
        WHEN r.source_offset GLOB '[0-9]*' AND r.source_offset NOT GLOB '*[^0-9]*' \
        OR r.source_offset GLOB '-[0-9]*' AND substr(r.source_offset, 2) NOT GLOB '*[^0-9]*' THEN \
        printf('%s%02d:%02d', CASE WHEN CAST(r.source_offset AS INTEGER) < 0 THEN '-' ELSE '+' END, \
        abs(CAST(r.source_offset AS INTEGER)) / 60, abs(CAST(r.source_offset AS INTEGER)) % 60) ELSE r.source_offset END
        """

    /// The columns every view starts with, from the record and its references.
    static let common = """
        CASE typeof(r.id) WHEN 'blob' THEN lower(hex(r.id)) ELSE r.id END AS id, o.user AS user, \(timeText) AS occurred_at,
        k.export_kind AS export_kind, k.record_kind AS record_kind, s.input AS input, s.path AS path, r.idx AS idx
        """
    static let joins = """
        FROM records r JOIN record_kinds k ON k.ref = r.kind JOIN record_owners o ON o.ref = r.owner
        JOIN record_sources s ON s.ref = r.source
        """

    /// A row's stored annotation `column`: its own, or (a ref, schema 39: `StoredLists`) the
    /// value it names.
    static func listed(_ column: String) -> String {
        """
        (CASE WHEN \(column) GLOB '[1-9]*' THEN (SELECT l.value FROM stored_lists l WHERE l.ref = CAST(\(column) AS INTEGER)) \
        ELSE \(column) END)
        """
    }

    /// The entity list as JSON objects, as `objects` gives it, with the stored form of schemas 24
    /// and 27 (`CompactAnnotations.expandEntities`): a kind or method stored as a number is its
    /// entry in the tables, a value stored as a number is the record's `data` member of that
    /// index, a value stored as a path the string it leads to.
    static func entityObjects(_ column: String) -> String {
        let members = [
            "'kind', \(decoded("e.value", 0, .table(CompactAnnotations.entityKinds)))",
            "'method', \(decoded("e.value", 1, .table(CompactAnnotations.entityMethods)))",
            "'value', \(decoded("e.value", 2, .member, paths: true))",
        ].joined(separator: ", ")
        return """
            CASE WHEN \(column) IS NULL THEN '[]' WHEN substr(\(column), 1, 2) = '[[' THEN
              (SELECT json_group_array(json_object(\(members))) FROM json_each(\(column)) e) ELSE \(column) END
            """
    }

    /// Whether `m`, a row of `json_each(json)` over an object, is its member `index`: the member
    /// with that many keys before it (canonical order is code point order, which is how SQLite
    /// compares text; a subquery's `OFFSET` cannot name the outer row).
    static func isMember(_ m: String, of json: String, _ index: String) -> String {
        "(SELECT count(*) FROM json_each(\(json)) k WHERE k.key < \(m).key) = \(index)"
    }

    /// The text a value gives back (`CompactAnnotations.writeGiven`): a string's, or a point's
    /// `X,Y` with its numbers as spelled (`->`).
    static func given(_ value: String, type: String) -> String {
        "CASE \(type) WHEN 'object' THEN (\(value) -> '$.lat') || ',' || (\(value) -> '$.lng') ELSE \(value) END"
    }

    /// Value `i` of the stored array `element` decoded as `code` says (`CompactCodes`, and
    /// entities' schemas 24 and 27): a table's index as its entry, a member's index as what
    /// the record's `data` member of that index gives back, and (`paths`) a path walked down
    /// from the top-level member it starts with: in an array the element of that key, in an
    /// object the member of that index.
    static func decoded(_ element: String, _ i: Int, _ code: CompactAnnotations.Code, paths: Bool = false) -> String {
        let raw = "json_extract(\(element), '$[\(i)]')"
        switch code {
        // As spelled (`->`): `json_extract` makes `0.90` a REAL, which `json_object` writes `0.9`.
        case .plain: return "(\(element) -> '$[\(i)]')"
        case .table(let t):
            let whens = t.names.enumerated().map { "WHEN \($0) THEN '\($1)'" }.joined(separator: " ")
            return "CASE json_type(\(element), '$[\(i)]') WHEN 'integer' THEN CASE \(raw) \(whens) END ELSE \(raw) END"
        case .field:
            // The name of the member of that index: in the kind's names, or the whole data's.
            let entry = "'$[' || \(raw) || ']'"
            let name = """
                CASE WHEN k.keys IS NULL THEN (SELECT m.key FROM json_each(r.data) m WHERE \(isMember("m", of: "r.data", raw))) \
                WHEN json_type(k.keys, \(entry)) = 'array' THEN json_extract(k.keys, \(entry) || '[0]') ELSE json_extract(k.keys, \(entry)) END
                """
            return "CASE json_type(\(element), '$[\(i)]') WHEN 'integer' THEN '/' || (\(name)) ELSE \(raw) END"
        case .member:
            // A member derived from the record's other parts (`CompactData.Rule`) is made again.
            // No path starts at one: a derived member is a string or a point, whose numbers a
            // path never ends at (`CompactAnnotations.find`).
            let entry = "json_extract(k.keys, '$[' || \(raw) || ']')"
            let isDerived = "k.keys IS NOT NULL AND json_type(k.keys, '$[' || \(raw) || ']') = 'array'"
            let member = """
                CASE WHEN \(isDerived) THEN (SELECT \(given("json_extract(v, '$')", type: "json_type(v)")) FROM (SELECT \(derived(entry)) AS v)) \
                ELSE (SELECT \(given("m.value", type: "m.type")) FROM json_each(r.data) m WHERE \(isMember("m", of: "r.data", raw))) END
                """
            guard paths else { return "CASE json_type(\(element), '$[\(i)]') WHEN 'integer' THEN \(member) ELSE \(raw) END" }
            let step = { (n: String) in "json_extract(\(element), '$[\(i)][' || \(n) || ']')" }
            // A path may end with a span (`CompactEntities+Spans`): `-first` (from 1) and a
            // length, cut from the string its steps lead to, in characters as `substr` counts.
            let first = "json_extract(\(element), '$[\(i)][#-2]')"
            let isSpan = "\(first) < 0"
            let steps = "(json_array_length(\(element), '$[\(i)]') - CASE WHEN \(isSpan) THEN 2 ELSE 0 END)"
            let span = "substr(node, -\(first), json_extract(\(element), '$[\(i)][#-1]'))"
            return """
                CASE json_type(\(element), '$[\(i)]') WHEN 'integer' THEN \(member) \
                WHEN 'array' THEN (WITH RECURSIVE w(node, type, i) AS ( \
                SELECT m.value, m.type, 1 FROM json_each(r.data) m WHERE \(isMember("m", of: "r.data", step("0"))) \
                UNION ALL SELECT c.value, c.type, w.i + 1 FROM w, json_each(w.node) c \
                WHERE w.i < \(steps) AND w.type IN ('object', 'array') \
                AND CASE w.type WHEN 'array' THEN c.key = \(step("w.i")) ELSE \(isMember("c", of: "w.node", step("w.i"))) END) \
                SELECT CASE WHEN \(isSpan) THEN \(span) ELSE \(given("node", type: "type")) END FROM w WHERE i = \(steps)) \
                ELSE \(raw) END
                """
        }
    }

    /// An annotation list stored with coded values (relationships, schema 28; PII findings,
    /// schema 34) as JSON objects: `[]` for null, the stored compact form (`CompactAnnotations`)
    /// rebuilt into objects with its form's member names, and a list stored before schema 23 as it is.
    static func codedObjects(_ column: String, _ form: CompactAnnotations.Form, _ codes: [CompactAnnotations.Code]) -> String {
        let members = zip(form.names, codes).enumerated().map { "'\($1.0)', \(decoded("e.value", $0, $1.1))" }.joined(separator: ", ")
        return """
            CASE WHEN \(column) IS NULL THEN '[]' WHEN substr(\(column), 1, 2) = '[[' THEN
              (SELECT json_group_array(json_object(\(members))) FROM json_each(\(column)) e) ELSE \(column) END
            """
    }

    /// A record's `data` as canonical JSON: stored whole (its kind has no `keys`), or stored
    /// as values (`CompactData`), each joined to its name again (`->` gives both as spelled),
    /// a derived member's value made again (`derived`).
    static let data = """
        CASE WHEN k.keys IS NULL THEN r.data ELSE '{' || (SELECT group_concat(CASE n.type WHEN 'array' \
        THEN (k.keys -> ('$[' || n.key || '][0]')) || ':' || \(derived("n.value")) \
        ELSE (k.keys -> ('$[' || n.key || ']')) || ':' || (r.data -> ('$[' || n.key || ']')) END, ',') FROM json_each(k.keys) n) || '}' END
        """

    /// The JSON text of a derived member's value (`CompactData.Rule`; schema 31) from its entry
    /// `entry` in its kind's `keys` (`["time","t"]`): the record's time as text, its
    /// milliseconds as a string or a number, its seconds as a number, Twitter's text or a mail
    /// `Date` header's at its source offset (stored as minutes); or the point of the E7 members the entry names
    /// (`["geo","e7",3,4]`) in micro-degrees (divided by 10, half away from zero: the magnitude
    /// plus 5, over 10) with six decimals, `"out_of_bounds":true` after them when out of bounds
    /// (SPEC 5.4). Written without nested queries: SQLite's parser allows only so much depth.
    /// A fixed member's value (`["header","v","YouTube"]`, schema 33) is the entry's third
    /// element as spelled. `time`, `point` and `fixed`: which rules to write (a member named other
    /// than the time members, `geo` or `CompactData.fixedNames` is never derived by the others).
    static func derived(_ entry: String, time: Bool = true, point: Bool = true, fixed: Bool = true) -> String {
        let e7 = { (i: Int) in "(r.data ->> ('$[' || json_extract(\(entry), '$[\(i)]') || ']'))" }
        let micro = { (x: String) in "(abs(\(x)) + 5) / 10" }
        let degrees = { (x: String) in
            "printf('%s%d.%06d', CASE WHEN \(x) <= -5 THEN '-' ELSE '' END, \(micro(x)) / 1000000, \(micro(x)) % 1000000)"
        }
        let (lat, lng) = (e7(2), e7(3))
        let seconds = "r.occurred_at / 1000, 'unixepoch'"
        let offset = "CAST(r.source_offset AS INTEGER)"
        let local = "r.occurred_at / 1000 + 60 * \(offset), 'unixepoch'"
        // The weekday's and the month's English abbreviations at time `t` (strftime's arguments).
        let weekday = { (t: String) in "substr('SunMonTueWedThuFriSat', 3 * strftime('%w', \(t)) + 1, 3)" }
        let month = { (t: String) in "substr('JanFebMarAprMayJunJulAugSepOctNovDec', 3 * strftime('%m', \(t)) - 2, 3)" }
        let mailDate = """
            \(weekday(local)) || ', ' || CAST(strftime('%d', \(local)) AS INTEGER) || ' ' || \(month(local)) \
            || strftime(' %Y %H:%M:%S ', \(local)) \
            || printf('%s%02d%02d', CASE WHEN \(offset) < 0 THEN '-' ELSE '+' END, abs(\(offset)) / 60, abs(\(offset)) % 60)
            """
        let twitter = "\(weekday(seconds)) || ' ' || \(month(seconds)) || strftime(' %d %H:%M:%S +0000 %Y', \(seconds))"
        let e7Point = """
            '{"lat":' || \(degrees(lat)) || ',"lng":' || \(degrees(lng)) \
            || CASE WHEN \(micro(lat)) > 90000000 OR \(micro(lng)) > 180000000 THEN ',"out_of_bounds":true' ELSE '' END || '}'
            """
        let times = """
            WHEN 't' THEN '"' || \(timeText) || '"' WHEN 'ms' THEN '"' || r.occurred_at || '"' \
            WHEN 'n' THEN CAST(r.occurred_at AS TEXT) WHEN 's' THEN CAST(r.occurred_at / 1000 AS TEXT) \
            WHEN 'tw' THEN '"' || \(twitter) || '"' WHEN 'rfc' THEN '"' || \(mailDate) || '"'
            """
        let rules = [time ? times : "", point ? "WHEN 'e7' THEN \(e7Point)" : "", fixed ? "WHEN 'v' THEN \(entry) -> '$[2]'" : ""]
        return "CASE json_extract(\(entry), '$[1]') \(rules.joined(separator: " ")) END"
    }

    /// The value at JSON path `path` (`$.name…`) of a record's `data`, as `json_extract`
    /// gives it: from the whole `data`, or from its member found by name in the kind's `keys`
    /// (stored, or derived and made again; null when the kind has no such member). Only a
    /// member a rule may derive (`CompactData.timeNames`, `geo`, `CompactData.fixedNames`) has
    /// the rule's SQL.
    static func value(_ path: String) -> String {
        let rest = path.dropFirst(2)
        let name = String(rest.prefix { $0 != "." && $0 != "[" })
        let (time, point, fixed) = (timeNames.contains(name), name == "geo", fixedNames.contains(name))
        let rules = derived("n.value", time: time, point: point, fixed: fixed)
        let ruled = time || point || fixed
        let member =
            ruled ? "CASE n.type WHEN 'array' THEN \(rules) ELSE r.data -> ('$[' || n.key || ']') END" : "r.data -> ('$[' || n.key || ']')"
        let named = ruled ? "CASE n.type WHEN 'array' THEN json_extract(n.value, '$[0]') ELSE n.value END" : "n.value"
        return """
            CASE WHEN k.keys IS NULL THEN json_extract(r.data, '\(path)') ELSE (SELECT json_extract(\(member), \
            '$\(rest.dropFirst(name.count))') FROM json_each(k.keys) n WHERE \(named) = '\(name)') END
            """
    }

    /// `CompactData.timeNames` and `fixedNames` without their quotes.
    static let timeNames = CompactData.timeNames.map(unquoted)
    static let fixedNames = CompactData.fixedNames.map(unquoted)

    private static func unquoted(_ s: StaticString) -> String {
        String(decoding: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount).dropFirst().dropLast(), as: UTF8.self)
    }

    /// The statements that (re)create every view.
    /// Made once: every migration that recreates the views compares its statements with these
    /// (`LakeSchema.migrate`), which made them again each time (about 1,450 allocations a time).
    static let sql: String = {
        var out = "DROP VIEW IF EXISTS lake_records;\n"
        out += """
            CREATE VIEW lake_records AS SELECT \(common), k.category AS category, k.data_class AS data_class,
              CASE WHEN r.occurred_at IS NULL THEN 'undated' ELSE substr(\(timeText), 1, 7) END AS partition,
              \(offsetText) AS source_offset, CASE typeof(r.content_hash) WHEN 'integer' THEN printf('%016x', r.content_hash)
              ELSE r.content_hash END AS content_hash,
              CASE WHEN substr(\(listed("r.language")), 1, 1) = '[' THEN \(decoded(listed("r.language"), 0, .member))
                ELSE json_extract(r.language, '$.code') END AS language, \(data) AS data,
              \(entityObjects(listed("r.entities"))) AS entities, \(codedObjects("r.pii", CompactAnnotations.pii[0], CompactAnnotations.piiCodes[0])) AS pii,
              \(codedObjects("r.relationships", CompactAnnotations.relationships[0], CompactAnnotations.relationshipCodes[0]))
                AS relationships, s.job_id AS job_id \(joins);

            """
        for v in views {
            let columns = v.columns.map { c in
                let value = "(\(value(c.path)))"
                return (c.type.map { "CAST(\(value) AS \($0))" } ?? value) + " AS \(c.name)"
            }
            let kinds = v.recordKinds.map { "'\($0)'" }.joined(separator: ", ")
            out += "DROP VIEW IF EXISTS \(v.name);\n"
            out +=
                "CREATE VIEW \(v.name) AS SELECT \(common), \(columns.joined(separator: ", ")) \(joins) WHERE k.record_kind IN (\(kinds));\n"
        }
        return out
    }()

    /// `sightings`: each record merged into another (`record_sightings`, docs/SPEC.md 5.11),
    /// with both ids as text and where it was seen.
    static let sightingsView = """
        CREATE VIEW sightings AS SELECT
          CASE typeof(g.id) WHEN 'blob' THEN lower(hex(g.id)) ELSE g.id END AS id,
          CASE typeof(g.survivor) WHEN 'blob' THEN lower(hex(g.survivor)) ELSE g.survivor END AS record_id,
          o.user AS user, s.job_id AS job_id, s.input AS input, s.input_sha256 AS input_sha256, s.path AS path, g.idx AS idx
        FROM record_sightings g JOIN record_sources s ON s.ref = g.source JOIN record_owners o ON o.ref = g.owner;
        """
}
