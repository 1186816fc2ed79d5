import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// The stored forms of ids and content hashes, parsed without arrays: 32 (16) lowercase hex
/// digits become bytes (an integer); anything else stays text. Checked against a plain
/// definition on random strings, with a wrong digit at every position.
@Suite struct RecordStorageFormsTests {
    /// The definition: every character a lowercase hex digit, the value read big-endian.
    static func reference(_ s: String) -> [UInt8]? {
        let digits = Array(s.utf8)
        guard digits.count % 2 == 0, digits.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        func v(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x61 + 10 }
        return stride(from: 0, to: digits.count, by: 2).map { v(digits[$0]) << 4 | v(digits[$0 + 1]) }
    }

    @Test func idsAndHashesParseAsTheirDefinition() {
        var random = SplitMix64(seed: 12)
        let hex = Array("0123456789abcdef")
        let wrong: [Character] = ["A", "F", "g", "/", ":", "`", "G", " ", "é"]
        for n in 0..<400 {
            let length = n % 2 == 0 ? 32 : 16
            var chars = (0..<length).map { _ in hex[Int(random.next() % 16)] }
            if n % 4 > 1 { chars[n % length] = wrong[n % wrong.count] }
            let text = String(chars)
            let bytes = Self.reference(text)
            if length == 32 {
                let words = RecordStorage.idWords(text)
                #expect(words.map { RecordStorage.idBytes($0.high, $0.low) } == bytes, "id \(text)")
                #expect(RecordStorage.idValue(text) == (bytes.map { .blob($0) } ?? .text(text)), "id \(text)")
            } else {
                let word = bytes.map { $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
                #expect(RecordStorage.hashWord(text) == word, "hash \(text)")
                #expect(RecordStorage.hashValue(text) == (word.map { .integer(Int64(bitPattern: $0)) } ?? .text(text)), "hash \(text)")
            }
        }
        // Every ASCII byte at every position of a valid hash and id: the bytes either side of
        // each digit range (`/` `:` `` ` `` `g`), controls and DEL decide as the definition does.
        for length in [16, 32] {
            let valid = (0..<length).map { _ in hex[Int(random.next() % 16)] }
            for position in 0..<length {
                for byte in UInt8(0)...0x7F {
                    var bytes = Array(String(valid).utf8)
                    bytes[position] = byte
                    let text = String(decoding: bytes, as: UTF8.self)
                    let expected = Self.reference(text)
                    if length == 32 {
                        #expect(RecordStorage.idWords(text).map { RecordStorage.idBytes($0.high, $0.low) } == expected, "id \(bytes)")
                    } else {
                        let word = expected.map { $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
                        #expect(RecordStorage.hashWord(text) == word, "hash \(bytes)")
                    }
                }
            }
        }
        // Lengths other than 32 and 16 are text, whatever their digits.
        #expect(RecordStorage.idWords(String(repeating: "a", count: 31)) == nil)
        #expect(RecordStorage.hashWord(String(repeating: "a", count: 17)) == nil)
        // Sixteen bytes of UTF-8 but fewer characters: not a hash.
        #expect(RecordStorage.hashWord("éééééééé") == nil)
    }

    /// `bind(_:idWords:)` stores the id's 16 bytes, as `idBytes` spells them.
    @Test func idWordsBindAsTheirBytes() throws {
        let dir = TestPaths.scratch("record-storage-forms")
        defer { TestPaths.remove(dir) }
        let db = try SQLiteDatabase(path: dir + "/a.sqlite")
        try db.execute("CREATE TABLE t(id BLOB)")
        let insert = try db.prepare("INSERT INTO t VALUES (?)")
        var random = SplitMix64(seed: 3)
        var expected: [SQLiteValue] = []
        for _ in 0..<50 {
            let (high, low) = (random.next(), random.next())
            try insert.bind(1, idWords: (high, low))
            try insert.execute()
            expected.append(.blob(RecordStorage.idBytes(high, low)))
        }
        var got: [SQLiteValue] = []
        try db.prepare("SELECT id FROM t ORDER BY rowid").forEachRow { got.append($0.value(0)) }
        #expect(got == expected)
    }
}
