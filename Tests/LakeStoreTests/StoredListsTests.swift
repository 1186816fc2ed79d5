import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// Entity lists that name no string and languages, stored once (schema 39, `StoredLists`): the
/// rows hold a ref, export and `lake_records` give each record's values back, and a rolled-back
/// value is forgotten with its transaction.
@Suite struct StoredListsTests {
    static let english = #"{"code":"en","confidence":0.99,"method":"detected"}"#

    /// A canonical line of `data`, `entities` (kind, method, value) and `language`, the `n`th of
    /// its file.
    static func line(_ n: Int, data: String, _ entities: [(String, String, String)], language: String? = nil) throws -> [UInt8] {
        var line = try JSONValueReader.parse(Array(CompactEntityPathsTests.lineTemplate.utf8))
        if let language { line = line.setting("language", try JSONValueReader.parse(Array(language.utf8))) }
        line = line.setting("data", try JSONValueReader.parse(Array(data.utf8)))
            .setting("entities", try JSONValueReader.parse(CompactEntityPathsTests.entities(entities)))
            .setting("id", .string(String(format: "%032x", n)))
            .setting("source", try #require(line["source"]).setting("index", .number(String(n))))
        return CanonicalJSON.encode(line)
    }

    static func column(_ lake: Lake, _ sql: String) throws -> [String] {
        var out: [String] = []
        try lake.database.prepare(sql).forEachRow { out.append($0.text(0) ?? "null") }
        return out
    }

    static func exported(_ lake: Lake) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        try lake.export { out.append($0) }
        return out
    }

    @Test func sharedListsAndLanguagesAreStoredOnce() throws {
        let dir = TestPaths.scratch("entity-lists")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let point = #"{"geo":{"lat":1.5,"lng":2.5},"name":"x"}"#
        let search = #"{"title":"Searched for tea","url":"https://example.org/q?tea"}"#
        let long = #"{"a":"p","b":"q","c":"r","d":"s","e":"t","f":"u","g":"v","h":"w","i":"z"}"#
        let lines = [
            try Self.line(0, data: point, [("place", "coordinates", "1.5,2.5")], language: Self.english),
            try Self.line(1, data: search, [("url", "source", "https://example.org/q?tea")], language: Self.english),
            try Self.line(2, data: point, [("place", "coordinates", "1.5,2.5")], language: Self.english),
            try Self.line(3, data: search, [("url", "source", "https://example.org/q?tea"), ("person", "header", "Ren")]),
            try Self.line(4, data: point, []),
            try Self.line(
                5, data: long, ["a", "b", "c", "d", "e", "f", "g", "h", "i"].map { _ in ("url", "source", "p") } + [("url", "source", "z")]),
        ]
        try lake.inTransaction {
            let inserter = try lake.recordInserter(jobID: "j")
            for line in lines { try inserter.insert(try RecordRow(line: line)) }
        }
        // A language and two lists of numbers, each stored once (in the order rows first held
        // them); a list with a string, none, and one longer than `maxBytes` stay in their rows.
        let language = String(
            decoding: CompactAnnotations.compactLanguage(Array(Self.english.utf8), data: Array(point.utf8)), as: UTF8.self)
        #expect(language.hasPrefix("[") && StoredLists.listableLanguage(Array(language.utf8)))
        #expect(try Self.column(lake, "SELECT value FROM stored_lists ORDER BY ref") == [language, "[[0,0,0]]", "[[1,1,1]]"])
        let tenth = "[[1,1,0],[1,1,0],[1,1,0],[1,1,0],[1,1,0],[1,1,0],[1,1,0],[1,1,0],[1,1,0],[1,1,8]]"
        #expect(tenth.utf8.count > StoredLists.maxBytes)
        #expect(
            try Self.column(lake, "SELECT entities FROM records ORDER BY idx")
                == ["2", "3", "2", #"[[1,1,1],[2,3,"Ren"]]"#, "null", tenth])
        #expect(try Self.column(lake, "SELECT language FROM records ORDER BY idx") == ["1", "1", "1", "null", "null", "null"])
        #expect(try Self.exported(lake) == lines)
        var view: [[UInt8]] = [], languages: [String] = []
        try lake.database.prepare("SELECT entities, language FROM lake_records ORDER BY idx").forEachRow {
            view.append($0.bytes(0))
            languages.append($0.text(1) ?? "null")
        }
        #expect(view == (try lines.map { CanonicalJSON.encode(try #require(try JSONValueReader.parse($0)["entities"])) }))
        #expect(languages == ["en", "en", "en", "null", "null", "null"])
    }

    /// A list inserted in a transaction that rolls back is forgotten: the next row with it
    /// inserts it again instead of naming a ref no row holds.
    @Test func aRolledBackListIsForgotten() throws {
        let dir = TestPaths.scratch("entity-lists-rollback")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let point = #"{"geo":{"lat":1.5,"lng":2.5},"name":"x"}"#
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try lake.inTransaction {
                try lake.recordInserter(jobID: "j").insert(
                    try RecordRow(line: try Self.line(0, data: point, [("place", "coordinates", "1.5,2.5")])))
                throw Stop()
            }
        }
        #expect(try Self.column(lake, "SELECT count(*) FROM stored_lists") == ["0"])
        let kept = try Self.line(1, data: point, [("url", "pattern", "x")])
        try lake.inTransaction { try lake.recordInserter(jobID: "j").insert(try RecordRow(line: kept)) }
        #expect(try Self.column(lake, "SELECT value FROM stored_lists") == ["[[1,2,1]]"])
        #expect(try Self.exported(lake) == [kept])
    }
}
