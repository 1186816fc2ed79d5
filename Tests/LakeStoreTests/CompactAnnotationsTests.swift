import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// A record's annotations stored without their member names (`CompactAnnotations`): what is
/// compacted expands to the same bytes, what does not fit a form is stored as it is, and the
/// stored form is JSON that any reader parses.
@Suite struct CompactAnnotationsTests {
    static let alphabet: [Character] = ["a", "\"", "\\", "\n", "\u{1}", "e", "\u{301}", "😀", "/", "[", "]", "{", "}", ",", ":"]

    /// Random records' annotations, with text to escape and the punctuation the scanner stops
    /// at: each compacts to an array of arrays (or one array, a language), shorter, that parses
    /// as JSON and expands to the canonical bytes.
    @Test func compactedAnnotationsExpandToTheirCanonicalBytes() throws {
        var rng = SeededRandom(seed: 0xC0A7)
        for n in 0..<600 {
            func text() -> String { rng.string(from: Self.alphabet, maxLength: 6) }
            var r = LakeRecord(
                id: "i", source: .init(input: "in", inputSHA256: "s", path: "p", index: n), exportKind: "e", recordKind: "k",
                occurredAt: nil, sourceOffset: nil, user: "u", partition: "undated", shards: [1], category: "c", language: text(),
                languageMethod: Bool.random(using: &rng) ? text() : nil, data: .object([]), pii: [], entities: [], lineage: [],
                contentHash: "h")
            r.languageConfidence = Bool.random(using: &rng) ? ["0.87", "1.00", "0"].randomElement(using: &rng)! : nil
            r.entities = (0..<Int.random(in: 1...4, using: &rng)).map { _ in .init(kind: text(), value: text(), method: text()) }
            r.relationships = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                .init(type: text(), target: text(), confidence: ["1", "0.95", "-2e3"].randomElement(using: &rng)!, method: text())
            }
            r.pii = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                .object([
                    JSONMember("end", .number(String(Int.random(in: 0...99, using: &rng)))), JSONMember("field", .string(text())),
                    JSONMember("score", .number("0.90")), JSONMember("start", .number("0")), JSONMember("type", .string(text())),
                ])
            }
            let lists: [([UInt8], [CompactAnnotations.Form])] = [
                (r.entitiesJSON, CompactAnnotations.entities), (r.relationshipsJSON, CompactAnnotations.relationships),
                (CanonicalJSON.encode(.array(r.pii)), CompactAnnotations.pii),
            ]
            for (canonical, forms) in lists {
                let stored = CompactAnnotations.compactList(canonical, forms)
                #expect(stored.starts(with: Array("[[".utf8)) && stored.count < canonical.count, "record \(n): \(canonical)")
                #expect(CompactAnnotations.expandList(stored, forms) == canonical, "record \(n)")
                guard case .array(let items) = try JSONValueReader.parse(stored) else {
                    Issue.record("record \(n): the stored form is not an array")
                    continue
                }
                #expect(items.allSatisfy { if case .array(let v) = $0 { v.count == forms[0].names.count } else { false } })
            }
            let language = try #require(r.languageJSON)
            let stored = CompactAnnotations.compactObject(language, CompactAnnotations.language)
            #expect(stored.first == UInt8(ascii: "[") && stored.count < language.count, "record \(n)")
            #expect(CompactAnnotations.expandObject(stored, CompactAnnotations.language) == language, "record \(n)")
            #expect((try? JSONValueReader.parse(stored)) != nil, "record \(n)")
        }
    }

    /// Objects of another shape, nested values and canonical JSON written before schema 23 are
    /// kept as they are, and expanding them gives them back unchanged.
    @Test func whatFitsNoFormIsStoredAsItIs() {
        let kept: [(String, [CompactAnnotations.Form])] = [
            (#"[{"kind":"url","method":"source"}]"#, CompactAnnotations.entities),
            (#"[{"kind":"url","method":"source","value":"a","x":1}]"#, CompactAnnotations.entities),
            (#"[{"kind":"url","method":"source","value":{"a":1}}]"#, CompactAnnotations.entities),
            (#"[{"kind":"url","method":"source","value":"a"},{"kind":"url"}]"#, CompactAnnotations.entities),
            (#"[{"end":1,"field":"/a","score":0.9,"start":0,"type":"X","extra":[1]}]"#, CompactAnnotations.pii),
            (#"[{"end":1,"field":"/a","score":0.9,"start":0,"type":["X"]}]"#, CompactAnnotations.pii),
            (#"[]"#, CompactAnnotations.relationships), (#"["a"]"#, CompactAnnotations.relationships),
        ]
        for (json, forms) in kept {
            let bytes = Array(json.utf8)
            #expect(CompactAnnotations.compactList(bytes, forms) == bytes, "\(json)")
            #expect(CompactAnnotations.expandList(bytes, forms) == bytes, "\(json)")
        }
        for json in [#"{"code":"en"}"#, #"{"code":"en","confidence":0.9,"method":"x","y":1}"#, #"{"method":"x","code":"en"}"#] {
            let bytes = Array(json.utf8)
            #expect(CompactAnnotations.compactObject(bytes, CompactAnnotations.language) == bytes, "\(json)")
            #expect(CompactAnnotations.expandObject(bytes, CompactAnnotations.language) == bytes, "\(json)")
        }
    }

    /// The two language forms are told apart by their value count; `null` is a value.
    @Test func aLanguageKeepsItsFormAndItsNullMethod() {
        let cases = [
            (#"{"code":"en","confidence":0.99,"method":"detected"}"#, #"["en",0.99,"detected"]"#),
            (#"{"code":"en","method":"source"}"#, #"["en","source"]"#), (#"{"code":"und","method":null}"#, #"["und",null]"#),
        ]
        for (canonical, compact) in cases {
            #expect(CompactAnnotations.compactObject(Array(canonical.utf8), CompactAnnotations.language) == Array(compact.utf8))
            #expect(CompactAnnotations.expandObject(Array(compact.utf8), CompactAnnotations.language) == Array(canonical.utf8))
        }
    }

    /// Damaged stored bytes never crash the reader: they come back as they are, or expand to
    /// objects that compact back to exactly those bytes (so nothing is lost or invented; the
    /// record's checksum then fails on export).
    @Test func damagedStoredFormsComeBackAsTheyAre() {
        var rng = SeededRandom(seed: 0xDA3A)
        let stored = Array(#"[["url","source","https://a\"b"],["email","header","x@y.z"]]"#.utf8)
        for _ in 0..<2000 {
            var b = stored
            let cut = Int.random(in: 0..<b.count, using: &rng)
            if Bool.random(using: &rng) {
                b.removeSubrange(cut...)
            } else {
                b[cut] = [0x22, 0x5C, 0x5B, 0x5D, 0x2C].randomElement(using: &rng)!
            }
            let out = CompactAnnotations.expandList(b, CompactAnnotations.entities)
            if out != b {
                #expect(CompactAnnotations.compactList(out, CompactAnnotations.entities) == b, "\(String(decoding: b, as: UTF8.self))")
            }
        }
    }

    /// A row's stored forms are made with it; a later change to its columns (as the duplicate
    /// stage changes relationships) is what gets stored, not the forms made before.
    @Test func changedColumnsAreStoredAsChanged() throws {
        let dir = TestPaths.scratch("compact-annotations-changed")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var record = LakeRecord(
            id: "0123456789abcdef0123456789abcdef", source: .init(input: "in", inputSHA256: "s", path: "p", index: 0),
            exportKind: "e", recordKind: "k", occurredAt: nil, sourceOffset: nil, user: "u", partition: "undated", shards: [1],
            category: "c", language: "en", languageMethod: "source", data: .object([]), pii: [],
            entities: [.init(kind: "url", value: "https://x", method: "source")], lineage: [], contentHash: "00000000000000aa")
        record.relationships = [.init(type: "duplicate_of", target: "t", confidence: "1", method: "minhash")]
        var row = RecordRow(record)
        #expect(row.storedForms?.entities == Array(#"[[1,1,"https://x"]]"#.utf8))
        row.columns.entities = nil
        row.columns.relationships = Array(#"[{"confidence":1,"method":"text","target":"u","type":"reply_to"}]"#.utf8)
        #expect(row.storedForms == nil)
        try lake.inTransaction { try lake.recordInserter(jobID: "j").insert(row) }
        var raw: [String?] = []
        // The language is stored once (`StoredLists`): its row holds the ref.
        try lake.database.prepare(
            "SELECT entities, relationships, \(LakeViews.listed("language")), language FROM records"
        ).forEachRow { r in raw = (0..<4).map { r.text($0) } }
        #expect(raw == [nil, #"[[1,1,"u",0]]"#, #"["en",0]"#, "1"])
    }

    /// `records` holds the compact forms a worker made (the language's and relationship's
    /// methods and type coded, schema 28), and reading a row gives the canonical bytes back: the
    /// raw columns are checked, then the row read back.
    @Test func aStoredRowHoldsCompactFormsAndReadsBackCanonical() throws {
        let dir = TestPaths.scratch("compact-annotations")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        let line = Array(
            #"{"category":"c","content_hash":"00000000000000aa","data":{"a":1},"data_class":"personal","entities":[{"kind":"url","method":"source","value":"https://x"}],"export_kind":"e","id":"0123456789abcdef0123456789abcdef","language":{"code":"en","confidence":0.99,"method":"detected"},"lineage":[],"occurred_at":null,"partition":"undated","pii":[{"end":3,"field":"/a","score":0.90,"start":0,"type":"EMAIL_ADDRESS"}],"record_kind":"k","relationships":[{"confidence":1,"method":"minhash","target":"t","type":"duplicate_of"}],"shard":{"primary":1,"replicas":[]},"source":{"index":0,"input":"in","input_sha256":"s","path":"p"},"source_offset":null,"user":"u"}"#
                .utf8)
        let row = try RecordRow(line: line)
        #expect(row.line == nil, "the template rebuilds this line")
        try lake.inTransaction { try lake.recordInserter(jobID: "j").insert(row) }
        var raw: [String?] = []
        try lake.database.prepare(
            "SELECT \(LakeViews.listed("language")), \(LakeViews.listed("entities")), pii, relationships FROM records"
        ).forEachRow { r in raw = (0..<4).map { r.text($0) } }
        #expect(
            raw == [
                #"["en",0.99,1]"#, #"[[1,1,"https://x"]]"#, #"[[3,0,0.90,0,0]]"#,
                #"[[1,3,"t",5]]"#,
            ])
        var read: RecordStorage.Stored?
        let values = try lake.refs.values(lake.database)
        try lake.database.prepare("SELECT \(RecordStorage.selectColumns) FROM records r").forEachRow { read = try values.stored($0) }
        let columns = try #require(read).columns
        #expect(columns.language == row.columns.language && columns.entities == row.columns.entities)
        #expect(columns.pii == row.columns.pii && columns.relationships == row.columns.relationships)
    }

    /// `scalarEnd` finds a string's end with `memchr` and a count of the backslashes before each
    /// quote: on random runs of quotes, backslashes and letters (from each position, at any
    /// cut), it is the byte-by-byte rule, where a backslash skips the byte after it.
    @Test func aStringEndsWhereTheByteRuleSays() {
        func reference(_ b: [UInt8], _ start: Int) -> Int? {
            guard start < b.count, b[start] == 0x22 else { return nil }
            var i = start + 1
            while i < b.count {
                if b[i] == 0x5C {
                    i += 2
                } else if b[i] == 0x22 {
                    return i + 1
                } else {
                    i += 1
                }
            }
            return nil
        }
        var rng = SeededRandom(seed: 0x5CA1)
        // Dense runs, and sparse ones with long strings (a byte-by-byte look at a string's first
        // bytes, tried in the thirty-fifth session, made export slower than `memchr` alone).
        let alphabets: [[UInt8]] = [[0x22, 0x5C, 0x5C, 0x61, 0x2C], [0x22, 0x5C] + Array(repeating: 0x61, count: 30)]
        var ended = 0
        for n in 0..<6_000 {
            let alphabet = alphabets[n % 2]
            let b = (0..<Int.random(in: 1...90, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            for start in b.indices where b[start] == 0x22 {
                let got = b.withUnsafeBufferPointer { CompactAnnotations.scalarEnd($0, at: start) }
                #expect(got == reference(b, start), "\(b) from \(start)")
                if got != nil { ended += 1 }
            }
        }
        #expect(ended > 1_000)
    }
}
