import Foundation
import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

@Suite struct CSVSpectrumTests {
    static let folder = TestPaths.conformance + "/csv-spectrum"
    static var names: [String] { TestPaths.listFiles(folder + "/csvs").map { String($0.dropLast(4)) } }

    static func readAll(_ bytes: [UInt8], chunk: Int) throws -> [[String]] {
        let reader = CSVReader(source: ChunkCursor.chunks(of: bytes, size: chunk))
        var rows: [[String]] = []
        while let r = try reader.nextRecord() { rows.append(r) }
        return rows
    }

    @Test func suiteIsPresent() {
        // The staged copy holds 11 of upstream's cases (its README counts 12).
        #expect(Self.names.count == 11)
    }

    /// Every case: header row as keys, every value a string, equal to the expected JSON field by field.
    @Test func everyCaseMatchesItsExpectedJSON() throws {
        for name in Self.names {
            let csv = TestPaths.read(Self.folder + "/csvs/\(name).csv")
            let expected = try JSONValueReader.parse(TestPaths.read(Self.folder + "/json/\(name).json"))
            let whole = try Self.readAll(csv, chunk: csv.count + 1)
            for chunk in [1, 2, 7] {
                #expect(try Self.readAll(csv, chunk: chunk) == whole, "\(name): chunking changed the result")
            }
            let header = whole[0]
            let objects: [JSONValue] = whole.dropFirst().map { row in
                .object(zip(header, row).map { JSONMember($0, .string($1)) })
            }
            #expect(JSONValue.array(objects) == expected, "\(name)")
        }
    }

    @Test func snifferReportsCommaQuoteAndTerminator() {
        for name in Self.names {
            let csv = TestPaths.read(Self.folder + "/csvs/\(name).csv")
            let result = CSVSniffer.sniff(csv, isComplete: true)
            #expect(result.dialect.delimiter == UInt8(ascii: ","), "\(name)")
            #expect(result.dialect.quote == UInt8(ascii: "\""), "\(name)")
            #expect(result.dialect.lineTerminator == (name.hasSuffix("_crlf") ? .crlf : .lf), "\(name)")
            #expect(result.dialect.hasHeader, "\(name)")
            #expect(result.isConfident, "\(name): confidence \(result.confidence)")
        }
    }
}

@Suite struct CSVReaderTests {
    func rows(_ s: String) throws -> [[String]] {
        let r = CSVReader(bytes: Array(s.utf8))
        var out: [[String]] = []
        while let row = try r.nextRecord() { out.append(row) }
        return out
    }

    func error(_ s: String, limits: CSVLimits = CSVLimits()) -> CSVError? {
        let r = CSVReader(bytes: Array(s.utf8), limits: limits)
        do { while try r.nextRecord() != nil {} } catch let e as CSVError { return e } catch {}
        return nil
    }

    @Test func terminatorsBOMAndEmptyFields() throws {
        #expect(try rows("\u{FEFF}a,b\r1,2\r\n3,\n,\n") == [["a", "b"], ["1", "2"], ["3", ""], ["", ""]])
        #expect(try rows("") == [])
        #expect(try rows("x") == [["x"]])
        #expect(try rows("\"\"") == [[""]])
    }

    @Test func errorsSayWhere() {
        let e = error("a,b\n1,\"2\"x\n")
        #expect(e?.kind == .textAfterQuote)
        #expect(e?.line == 2)
        #expect(e?.record == 2)
        #expect(e?.offset == 9)
        #expect(error("a,\"b")?.kind == .unterminatedQuote)
        #expect(error("a,b\"c\n")?.kind == .strayQuote)
        #expect(error("abcdef", limits: CSVLimits(maxFieldBytes: 3))?.kind == .fieldLimit)
        #expect(error("a,b,c,d", limits: CSVLimits(maxFieldsPerRow: 3))?.kind == .fieldCountLimit)
        let bad = CSVReader(bytes: [0x61, 0x2C, 0xFF, 0x0A])
        #expect(throws: CSVError.self) { _ = try bad.nextRecord() }
    }

    @Test func otherDelimitersAreSniffed() {
        let semi = CSVSniffer.sniff(Array("name;amount\nAnna;1.234,50\nBo;7,00\n".utf8), isComplete: true)
        #expect(semi.dialect.delimiter == UInt8(ascii: ";"))
        #expect(semi.isConfident)
        let tab = CSVSniffer.sniff(Array("a\tb\tc\n1\t2\t3\n4\t5\t6\n".utf8), isComplete: true)
        #expect(tab.dialect.delimiter == 0x09)
        let pipe = CSVSniffer.sniff(Array("a|b\n1|2\n".utf8), isComplete: true)
        #expect(pipe.dialect.delimiter == UInt8(ascii: "|"))
        // A cut sample: the partial last line does not count.
        let cut = CSVSniffer.sniff(Array("a,b,c\n1,2,3\n4,5,6\n7,8".utf8), isComplete: false)
        #expect(cut.confidence == 1.0)
        // One column: nothing to go on; RFC 4180 is assumed and the result says so.
        let single = CSVSniffer.sniff(Array("word\nother\n".utf8), isComplete: true)
        #expect(!single.isConfident)
        #expect(single.dialect.delimiter == UInt8(ascii: ","))
        // Ragged rows lower the confidence under the threshold.
        let ragged = CSVSniffer.sniff(Array("a,b\n1,2,3\n4\n5,6\n".utf8), isComplete: true)
        #expect(ragged.confidence == 0.5)
        #expect(!ragged.isConfident)
        let noHeader = CSVSniffer.sniff(Array("1,2\n3,4\n".utf8), isComplete: true)
        #expect(!noHeader.dialect.hasHeader)
        #expect(CSVSniffer.sniff(Array("\u{FEFF}a,b\r\n1,2\r\n".utf8), isComplete: true).dialect.hasBOM)
    }

    /// Fuzz finding Tests/Fuzz/FailCases/csv/crash-4546684…: a file starting with two BOMs reads
    /// as a first field beginning with U+FEFF; written unquoted, the reader took it for a BOM.
    @Test func writerQuotesALeadingByteOrderMark() throws {
        let records = [["\u{FEFF}na", "x"], ["a", "b"]]
        let bytes = CSVWriter(dialect: .rfc4180).encode(records)
        #expect(bytes.starts(with: Array("\"\u{FEFF}na\"".utf8)))
        let reader = CSVReader(bytes: bytes)
        var back: [[String]] = []
        while let r = try reader.nextRecord() { back.append(r) }
        #expect(back == records)
        #expect(try rows("\u{FEFF}\u{FEFF}na\n") == [["\u{FEFF}na"]])
    }

    /// Property: what the writer writes, the reader reads back, for every dialect and any field text.
    @Test func writerReaderRoundTrip() throws {
        let alphabet: [Character] = ["a", "Z", "0", " ", ",", ";", "\t", "|", "\"", "\n", "\r", "\r\n", "é", "😀", "'"]
        for seed in SeededRandom.seeds(count: 300) {
            var rng = SeededRandom(seed: seed)
            let dialect = CSVDialect(
                delimiter: [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")].randomElement(using: &rng)!,
                quote: UInt8(ascii: "\""), lineTerminator: [.lf, .crlf, .cr].randomElement(using: &rng)!)
            let width = Int.random(in: 1...5, using: &rng)
            let records = (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                (0..<width).map { _ in rng.string(from: alphabet, maxLength: 8) }
            }
            let bytes = CSVWriter(dialect: dialect).encode(records)
            let reader = CSVReader(bytes: bytes, dialect: dialect)
            var back: [[String]] = []
            while let r = try reader.nextRecord() { back.append(r) }
            #expect(back == records, "seed \(seed): \(records) -> \(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }
}
