import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// Records stored compact (`RecordRow`): what repeats by reference, what varies in columns, and
/// the canonical line rebuilt byte for byte.
@Suite struct CompactRecordTests {
    static func record(
        _ rng: inout SeededRandom, id: String, input: String = "takeout.zip", path: String = "Takeout/a.json", index: Int = 0
    ) -> LakeRecord {
        let alphabet: [Character] = ["a", "Z", "é", "e\u{301}", "\"", "\\", "\n", "\u{1}", "😀", " ", "/", "가"]
        func text() -> String { rng.string(from: alphabet, maxLength: 12) }
        let ms = Int64.random(in: -62_000_000_000_000...253_402_300_799_999, using: &rng)
        let time: String? = Bool.random(using: &rng) ? StoredTime.text(ms) : nil
        var r = LakeRecord(
            id: id, source: .init(input: input, inputSHA256: String(repeating: "ab", count: 32), path: path, index: index),
            exportKind: text(), recordKind: text(), occurredAt: time, sourceOffset: Bool.random(using: &rng) ? "+02:00" : nil,
            user: text(), partition: time.map { String($0.prefix(7)) } ?? "undated",
            shards: Bool.random(using: &rng) ? [3, 9] : [1], category: text(),
            language: Bool.random(using: &rng) ? "en" : nil, languageMethod: "detected",
            data: .object([.init(text(), .string(text())), .init("n", .number("1.50"))]),
            pii: Bool.random(using: &rng) ? [.object([.init("type", .string("email"))])] : [],
            entities: Bool.random(using: &rng) ? [.init(kind: "place", value: text(), method: "coordinates")] : [],
            lineage: [.init("parse.json", version: "1"), .init(text(), version: "2")], contentHash: "0123456789abcdef")
        r.dataClass = Bool.random(using: &rng) ? "personal" : nil
        if r.language != nil { r.languageConfidence = "0.93" }
        if Bool.random(using: &rng) { r.relationships = [.init(type: "reply_to", target: text(), confidence: "1", method: "source")] }
        return r
    }

    /// Random records (odd strings, NFD text, times from year 0 to 9999, empty and full
    /// optional parts) rebuild their canonical line exactly, from a row and from the lake.
    @Test func theTemplateRebuildsEveryLineByteForByte() throws {
        for seed in SeededRandom.seeds(count: 200) {
            var rng = SeededRandom(seed: seed)
            let r = Self.record(&rng, id: String(format: "%032x", seed))
            let row = RecordRow(r)
            #expect(row.line == nil, "seed \(seed)")
            #expect(row.canonicalLine == r.canonicalLine(), "seed \(seed)")
            #expect(row.checksum == XXH64.hash(r.canonicalLine()))
            let back = try RecordRow(line: r.canonicalLine())
            #expect(back.line == nil && back.canonicalLine == r.canonicalLine(), "seed \(seed)")
        }
    }

    /// One worker's line cache across runs of records that share their input, path, user,
    /// kind, lineage or shards and then change one of them (a path, user, kind and lineage step
    /// also in NFC and NFD; more distinct lineages than the cache keeps): every row's line is the line of the row built without the cache, and each
    /// checksum is its line's.
    @Test func theLineCacheGivesTheLineOfEachRecord() throws {
        let cache = RecordRow.LineCache()
        var rng = SeededRandom(seed: 41)
        let paths = ["Takeout/caf\u{E9}.json", "Takeout/cafe\u{301}.json"]
        var base = Self.record(&rng, id: "")
        for i in 0..<300 {
            if i % 12 == 0 { base = Self.record(&rng, id: "") }
            var r = base
            r.id = String(format: "%032x", i)
            r.source.index = i
            r.source.path = paths[i / 2 % 2]
            r.user = [base.user, "\u{E9}", "e\u{301}"][i / 3 % 3]
            r.exportKind = i % 4 < 2 ? "\u{C5}" : "A\u{30A}"
            r.source.input = ["a.zip", "b.zip"][i / 5 % 2]
            r.source.inputSHA256 = String(repeating: i / 7 % 2 == 0 ? "ab" : "cd", count: 32)
            if i % 11 == 0 { r.lineage.append(.init("merge.seen_again", version: "1")) }
            // Ten lineages in turn (two of them NFC and NFD of one name): more than the cache holds.
            if i % 3 == 0 {
                r.lineage[0].step = ["parse.\u{E9}", "parse.e\u{301}", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"][i / 3 % 10]
            }
            r.shards = i / 4 % 2 == 0 ? [3, 9] : [3, 8]
            let data = CanonicalJSON.encode(r.data)
            let cached = RecordRow(r, data: data, cache: cache)
            let plain = RecordRow(r)
            #expect(cached.canonicalLine == plain.canonicalLine, "record \(i)")
            #expect(cached.canonicalLine == r.canonicalLine(), "record \(i)")
            #expect(cached.checksum == XXH64.hash(r.canonicalLine()), "record \(i)")
        }
    }

    /// A row made by moving a record's parts out (`init(taking:)`, the tape mappers' path) is
    /// the row made by copying them: its line, checksum and stored annotations, also for a
    /// record the template does not rebuild (a partition that is not its time's). The record
    /// keeps what the validation counts read: its PII findings and data class.
    @Test func aRowMadeByMovingTheRecordIsTheRowMadeByCopyingIt() throws {
        let (copying, moving) = (RecordRow.LineCache(), RecordRow.LineCache())
        func forms(_ row: RecordRow) -> [[UInt8]?] {
            let f = row.storedForms
            return [f?.language, f?.entities, f?.pii, f?.relationships, f?.data?.data, f?.data?.keys]
        }
        for seed in SeededRandom.seeds(count: 200) {
            var rng = SeededRandom(seed: seed)
            var r = Self.record(&rng, id: String(format: "%032x", seed))
            if seed % 5 == 0 { r.partition = "1999-01" }
            let data = CanonicalJSON.encode(r.data)
            let copied = RecordRow(r, data: data, cache: copying)
            var taken = r
            let moved = RecordRow(taking: &taken, data: data, cache: moving)
            #expect(moved.canonicalLine == r.canonicalLine(), "seed \(seed)")
            #expect(moved.line == copied.line && moved.checksum == copied.checksum, "seed \(seed)")
            #expect(forms(moved) == forms(copied) && forms(moved).contains { $0 != nil }, "seed \(seed)")
            #expect(taken.pii == r.pii && taken.dataClass == r.dataClass, "seed \(seed)")
        }
    }

    /// A line the template does not give back (an older record without `data_class`, a
    /// partition that is not its time's) is kept whole, and reads back as it was.
    @Test func linesOutsideTheTemplateAreKeptWhole() throws {
        let old = Array(#"{"category":"x","content_hash":"h","data":{},"id":"r","user":"u"}"#.utf8)
        let row = try RecordRow(line: old)
        #expect(row.line == old && row.canonicalLine == old)
        var rng = SeededRandom(seed: 7)
        var r = Self.record(&rng, id: String(repeating: "0", count: 32))
        r.partition = "1999-01"
        #expect(RecordRow(r).line == r.canonicalLine())
    }

    /// A time's partition is its first seven characters, however odd the time: combining marks
    /// and CR LF that join the seventh character to the eighth, quotes, controls, short times.
    /// The template writes the same member as the canonical line, and `isPartition` agrees
    /// with comparing the strings.
    @Test func aPartitionIsTheFirstSevenCharactersOfAnyTime() {
        let alphabet: [Character] = [
            "2", "0", "-", "T", "\u{301}", "e\u{301}", "\u{E9}", "\r", "\n", "\r\n", "\"", "\\", "\u{1}", "\u{7F}", "😀", "가",
        ]
        var rng = SeededRandom(seed: 77)
        for i in 0..<3000 {
            var time = rng.string(from: alphabet, maxLength: 12)
            // Half of them a canonical time's start with one odd character put in.
            if i % 2 == 0 {
                var chars = Array("2017-07-31T11:57:40.145Z")
                chars[Int.random(in: 4..<9, using: &rng)] = alphabet.randomElement(using: &rng)!
                time = String(chars)
            }
            var r = Self.record(&rng, id: String(format: "%032x", i))
            r.occurredAt = time
            r.partition = String(time.prefix(7))
            let row = RecordRow(r)
            #expect(row.canonicalLine == r.canonicalLine(), "\(time.debugDescription)")
            #expect(RecordLine.isPartition(r.partition, of: time), "\(time.debugDescription)")
            let other = String(time.prefix(6))
            #expect(RecordLine.isPartition(other, of: time) == (other == r.partition), "\(time.debugDescription)")
        }
        #expect(RecordLine.isPartition("undated", of: nil) && !RecordLine.isPartition("2017-07", of: nil))
    }

    @Test func timesAreStoredAsMillisecondsOnlyWhenTheyReadBack() {
        for seed in SeededRandom.seeds(count: 500) {
            var rng = SeededRandom(seed: seed)
            let ms = Int64.random(in: -62_167_219_200_000...253_402_300_799_999, using: &rng)
            #expect(StoredTime.millis(StoredTime.text(ms)) == ms, "ms \(ms)")
        }
        #expect(StoredTime.millis("1970-01-01T00:00:00.000Z") == 0)
        #expect(StoredTime.millis("2024-02-29T23:59:59.999Z") == 1_709_251_199_999)
        for bad in [
            "2023-02-29T00:00:00.000Z", "2024-13-01T00:00:00.000Z", "2024-01-01T24:00:00.000Z", "2024-01-01T00:00:00Z",
            "2024-01-01 00:00:00.000Z", "2024-01-01T00:00:00.000+01:00", "+2024-01-01T00:00:00.00Z", "２０24-01-01T00:00:00.000Z",
        ] {
            #expect(StoredTime.millis(bad) == nil, "\(bad)")
        }
    }

    /// Stored in a lake: one source, kind and owner row however many records share them;
    /// names that differ only in normalization (NFC and NFD paths) stay two sources; export
    /// gives the same bytes as the records' own lines; the rows are compact.
    @Test func aLakeStoresEachRepeatedPartOnceAndExportsTheSameBytes() throws {
        let dir = TestPaths.scratch("compact")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var rng = SeededRandom(seed: 3)
        var records: [LakeRecord] = []
        for i in 0..<300 {
            var r = Self.record(&rng, id: String(format: "%032x", i), path: i % 2 == 0 ? "Caf\u{E9}.json" : "Cafe\u{301}.json", index: i)
            r.exportKind = "google-takeout"
            r.recordKind = "location"
            r.category = "location"
            r.user = "alice"
            r.shards = [1, 4]
            r.dataClass = "personal"
            r.lineage = [.init("parse.json", version: "1")]
            records.append(r)
        }
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in records { try ins.insert(r) }
            // The same records again add nothing.
            for r in records { try ins.insert(r) }
        }
        func count(_ table: String) throws -> Int64 {
            var n: Int64 = 0
            try lake.database.prepare("SELECT count(*) FROM \(table)").forEachRow { n = $0.int(0) }
            return n
        }
        #expect(try count("records") == 300)
        #expect(try count("record_sources") == 2)
        // One kind row per set of data member names (`CompactData`), up to the limit, and one
        // for the records past it, which keep their names in the row.
        var sets: Set<Set<[UInt8]>> = []
        for r in records {
            if case .object(let members) = r.data { sets.insert(Set(members.map { Array($0.key.utf8) })) }
        }
        #expect(sets.count > CompactData.maxShapesPerKind)
        #expect(try count("record_kinds") == Int64(CompactData.maxShapesPerKind + 1))
        #expect(try count("record_owners") == 1)
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        // NFC "Café" (C3 A9) sorts after NFD "Cafe" + U+0301 (65 CC 81) by bytes.
        let expected = records.filter { $0.source.index % 2 == 1 } + records.filter { $0.source.index % 2 == 0 }
        #expect(lines == expected.map { $0.canonicalLine() })
        var typeOfId = "", typeOfTime = ""
        try lake.database.prepare("SELECT typeof(id), typeof(content_hash) FROM records LIMIT 1").forEachRow {
            typeOfId = $0.text(0) ?? ""
            typeOfTime = $0.text(1) ?? ""
        }
        #expect(typeOfId == "blob" && typeOfTime == "integer")
    }

    /// A rolled-back chunk's new sources, kinds and owners are forgotten with it: the next
    /// chunk inserts them again rather than pointing at rows that were never committed.
    @Test func referencesOfARolledBackChunkAreForgotten() throws {
        let dir = TestPaths.scratch("compact-rollback")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var rng = SeededRandom(seed: 5)
        let r = Self.record(&rng, id: String(repeating: "a", count: 32))
        try lake.begin()
        try lake.recordInserter(jobID: "j").insert(r)
        lake.rollback()
        // Another value takes the rolled-back rows' refs first.
        var other = Self.record(&rng, id: String(repeating: "b", count: 32))
        other.exportKind = "other"
        other.user = "bob"
        try lake.inTransaction { try lake.recordInserter(jobID: "k").insert(other) }
        try lake.inTransaction { try lake.recordInserter(jobID: "j").insert(r) }
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        #expect(Set(lines) == Set([r.canonicalLine(), other.canonicalLine()]))
    }
}
