import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// The views (`LakeViews`), read as any SQLite tool reads them, against the records they show:
/// every golden record of the generated and real corpora goes into a lake, and each view must
/// list exactly the records of its kinds, each typed column holding the value at its path.
@Suite struct LakeViewsTests {
    static func goldenRecords() throws -> [(line: [UInt8], value: JSONValue)] {
        var out: [(line: [UInt8], value: JSONValue)] = []
        for folder in ["generated", "conformance", "twitter-small"] {
            for file in TestPaths.listFiles(TestPaths.golden + "/" + folder) where file.hasSuffix(".ndjson") {
                for line in TestPaths.read(TestPaths.golden + "/" + folder + "/" + file).split(separator: 0x0A) {
                    let bytes = Array(line)
                    guard let value = try? JSONValueReader.parse(bytes), value["record_kind"] != nil else { continue }
                    out.append((bytes, value))
                }
            }
        }
        return out
    }

    /// A lake holding every golden record.
    static func lakeOfGoldenRecords(_ dir: String) throws -> (Lake, [(line: [UInt8], value: JSONValue)]) {
        let lake = try Lake(directory: dir, create: true)
        let records = try goldenRecords()
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in records { try ins.insert(RecordRow(line: r.line)) }
        }
        return (lake, records)
    }

    /// What SQLite gives for the JSON value `v` read by `json_extract` and cast to `type`.
    static func expected(_ v: JSONValue?, type: String?) -> SQLiteValue? {
        switch v {
        case nil, .null?: return .null
        case .bool(let b)?: return .integer(b ? 1 : 0)
        case .string(let s)?:
            switch type {
            case "INTEGER": return Int64(s).map { .integer($0) }
            case "REAL": return Double(s).map { .real($0) }
            default: return .text(s)
            }
        case .number(let n)?:
            if type == "REAL" { return .real(Double(n)!) }
            if let i = Int64(n) { return .integer(i) }
            return type == "INTEGER" ? .integer(Int64(Double(n)!)) : .real(Double(n)!)
        default: return nil  // arrays and objects: compared as JSON below
        }
    }

    /// `$.a.b[0].c` as the JSON pointer `/a/b/0/c`.
    static func pointer(_ path: String) -> String {
        path.dropFirst().replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
            .replacingOccurrences(of: ".", with: "/")
    }

    @Test func everyViewShowsItsKindsWithTheirValues() throws {
        let dir = TestPaths.scratch("views")
        defer { TestPaths.remove(dir) }
        let (lake, records) = try Self.lakeOfGoldenRecords(dir)
        let byID = Dictionary(records.map { ($0.value["id"]?.stringValue ?? "", $0.value) }, uniquingKeysWith: { a, _ in a })
        var shown = Set<String>()
        for view in LakeViews.views {
            let wanted = Set(byID.filter { view.recordKinds.contains($0.value["record_kind"]?.stringValue ?? "") }.keys)
            #expect(!wanted.isEmpty, "no golden record shows in \(view.name)")
            var seen = Set<String>()
            let columns = view.columns.map(\.name).joined(separator: ", ")
            try lake.database.prepare("SELECT id, \(columns) FROM \(view.name)").forEachRow { row in
                let id = row.text(0) ?? ""
                seen.insert(id)
                guard let data = byID[id]?["data"] else { return }
                for (i, c) in view.columns.enumerated() {
                    let value = JSONPointer.resolve(Self.pointer(c.path), in: data)
                    if let want = Self.expected(value, type: c.type) {
                        #expect(row.value(i + 1) == want, "\(view.name).\(c.name) of \(id)")
                    } else if let value {
                        let got = try JSONValueReader.parse(row.bytes(i + 1))
                        #expect(got == value, "\(view.name).\(c.name) of \(id)")
                    }
                }
            }
            #expect(seen == wanted, "\(view.name)")
            shown.formUnion(seen)
        }
        #expect(shown.count > records.count / 2)
    }

    /// The columns a user reaches for first mean what their names say (the test above checks
    /// the SQL against the definitions; this pins the definitions).
    @Test func theFirstColumnsAUserReachesForReadTheRightFields() {
        let pinned = [
            "tweets.full_text": "$.full_text", "tweets.tweet_id": "$.id", "locations.latitude": "$.geo.lat",
            "locations.longitude": "$.geo.lng", "emails.subject": "$.subject", "emails.sender": "$.from",
            "calendar_events.starts_at": "$.start.at", "messages.content": "$.content", "contacts.formatted_name": "$.formatted_name",
            "photos.latitude": "$.geo.lat", "photos.longitude": "$.geo.lng", "browser_visits.url": "$.url",
        ]
        var defined: [String: String] = [:]
        for v in LakeViews.views { for c in v.columns { defined[v.name + "." + c.name] = c.path } }
        for (column, path) in pinned { #expect(defined[column] == path, "\(column)") }
    }

    /// `lake_records` spells every record's id, time, partition, content hash, user and data as
    /// the canonical line does.
    @Test func lakeRecordsSpellsTheCanonicalFields() throws {
        let dir = TestPaths.scratch("views-all")
        defer { TestPaths.remove(dir) }
        let (lake, records) = try Self.lakeOfGoldenRecords(dir)
        var rows = 0
        let fields = ["id", "occurred_at", "partition", "content_hash", "user", "record_kind", "export_kind", "category", "source_offset"]
        let byID = Dictionary(records.map { ($0.value["id"]?.stringValue ?? "", $0.value) }, uniquingKeysWith: { a, _ in a })
        try lake.database.prepare("SELECT \(fields.joined(separator: ", ")), data, input, path, idx FROM lake_records").forEachRow { row in
            rows += 1
            guard let r = byID[row.text(0) ?? ""] else {
                Issue.record("unknown id \(row.text(0) ?? "")")
                return
            }
            for (i, f) in fields.enumerated() {
                #expect(row.text(i) == r[f]?.stringValue, "\(f) of \(row.text(0) ?? "")")
            }
            #expect(row.bytes(fields.count) == CanonicalJSON.encode(r["data"] ?? .null))
            #expect(row.text(fields.count + 1) == r["source"]?["input"]?.stringValue)
            #expect(row.text(fields.count + 2) == r["source"]?["path"]?.stringValue)
        }
        #expect(rows == byID.count)
    }

    /// `lake_records` rebuilds the annotations `records` stores without member names
    /// (`CompactAnnotations`): entities, PII findings and relationships as the canonical line's
    /// objects byte for byte (numbers as spelled), the language's code. Rows stored canonical, as before schema 23, read the same.
    @Test func lakeRecordsRebuildsTheCompactAnnotations() throws {
        let dir = TestPaths.scratch("views-annotations")
        defer { TestPaths.remove(dir) }
        let (lake, records) = try Self.lakeOfGoldenRecords(dir)
        // Half the rows as a schema-22 build stored them: their canonical JSON.
        try lake.database.execute(
            """
            UPDATE records SET entities = (SELECT entities FROM lake_records v WHERE v.idx = records.idx AND v.id = lower(hex(records.id)))
            WHERE rowid % 2 = 0 AND entities IS NOT NULL
            """)
        var canonicalRows = 0
        try lake.database.prepare("SELECT count(*) FROM records WHERE substr(entities, 1, 2) = '[{'").forEachRow {
            canonicalRows = Int($0.int(0))
        }
        #expect(canonicalRows > 0)
        let byID = Dictionary(records.map { ($0.value["id"]?.stringValue ?? "", $0.value) }, uniquingKeysWith: { a, _ in a })
        var annotated = [0, 0, 0, 0]
        let names = ["entities", "pii", "relationships"]
        try lake.database.prepare("SELECT id, language, \(names.joined(separator: ", ")) FROM lake_records").forEachRow { row in
            let id = row.text(0) ?? ""
            guard let r = byID[id] else {
                Issue.record("unknown id \(id)")
                return
            }
            #expect(row.text(1) == r["language"]?["code"]?.stringValue, "language of \(id)")
            if row.text(1) != nil { annotated[0] += 1 }
            for (i, name) in names.enumerated() {
                // Byte for byte: a score of `0.90` stays `0.90`.
                let got = row.bytes(i + 2)
                #expect(got == CanonicalJSON.encode(r[name] ?? .array([])), "\(name) of \(id): \(row.text(i + 2) ?? "")")
                if got != Array("[]".utf8) { annotated[i + 1] += 1 }
            }
        }
        #expect(annotated.allSatisfy { $0 > 0 }, "\(annotated)")
    }
}
