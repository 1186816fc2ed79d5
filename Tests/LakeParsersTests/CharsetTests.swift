import Foundation
import LakeParsers
import Testing
import _LakeTestSupport

/// Charset conversion through ICU (docs/SPEC.md 8, "Text encodings"), checked against iconv's encoder as the
/// outside reference and against real mail.
@Suite struct CharsetTests {
    /// `text` encoded by iconv (glibc's, not ICU) in `charset`.
    static func iconv(_ text: String, to charset: String) throws -> [UInt8] {
        let dir = TestPaths.scratch("iconv")
        defer { TestPaths.remove(dir) }
        let input = dir + "/in.txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: input))
        let r = try CommandRunner.run("/usr/bin/iconv", ["-f", "UTF-8", "-t", charset, input])
        try #require(r.status == 0, "iconv: \(r.stderrText)")
        return r.stdout
    }

    static let russian = "Съешь же ещё этих мягких французских булок, да выпей чаю"
    static let chinese = "我把镜头拉近些，你们看看这个是什么"

    @Test(arguments: [
        ("KOI8-R", russian, "koi8-r"), ("WINDOWS-1251", russian, "windows-1251"), ("GBK", chinese, "gb2312"),
        ("GB2312", chinese, "GB2312"), ("ISO-8859-2", "Zażółć gęślą jaźń", "iso-8859-2"),
        ("SHIFT_JIS", "日本語のテキスト", "shift_jis"), ("WINDOWS-1252", "“quoted” – 5 €", "windows-1252"),
    ])
    func declaredCharsetsConvert(iconvName: String, text: String, label: String) throws {
        let bytes = try Self.iconv(text, to: iconvName)
        #expect(!bytes.elementsEqual(text.utf8), "the fixture is not UTF-8")
        #expect(Charsets.decode(bytes, charset: label) == text)
    }

    @Test func unknownCharsetsAreNamedNotGuessed() {
        #expect(Charsets.decode([0xE9], charset: "x-no-such-charset") == nil)
        #expect(!Charsets.isConvertible("x-no-such-charset"))
        #expect(Charsets.isConvertible("koi8-r") && Charsets.isConvertible("utf-8"))
        let raw = Array("Content-Type: text/plain; charset=x-unknown-8bit\n\nhello".utf8)
        let mail = MailMessage.parse(raw)
        #expect(mail.text == "hello")
        #expect(mail.unconvertedCharsets == ["x-unknown-8bit"])
    }

    /// A label that says one legacy charset over a body that is well-formed UTF-8 (as in
    /// mail-parser's mail_test_12): the UTF-8 reading wins; real legacy text is not valid UTF-8.
    @Test func utf8UnderALegacyLabelStaysUTF8() throws {
        #expect(Charsets.decode(Array("你好！".utf8), charset: "gb2312") == "你好！")
        #expect(Charsets.decode([0xE9, 0x74, 0xE9], charset: "iso-8859-1") == "été")
    }

    @Test func aCharacterSplitAcrossChunksConvertsWhole() throws {
        let bytes = try Self.iconv(Self.chinese, to: "GBK")
        for cut in 1..<bytes.count {
            let t = try Transcoder(from: "GBK")
            let out = t.convert(Array(bytes[..<cut])) + t.convert(Array(bytes[cut...])) + t.finish()
            #expect(String(decoding: out, as: UTF8.self) == Self.chinese, "cut at \(cut)")
        }
    }

    static func utf16LE(_ s: String, bom: Bool) -> [UInt8] {
        (bom ? [0xFF, 0xFE] : []) + s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    @Test func unicodeFormsAreRecognised() throws {
        let json = "{\"name\": \"Zoë 😀\", \"n\": [1, 2, 3]}"
        #expect(UnicodeForm.detect(head: Self.utf16LE(json, bom: true))! == ("UTF-16LE", 2))
        #expect(UnicodeForm.detect(head: Self.utf16LE(json, bom: false))! == ("UTF-16LE", 0))
        let be = try Self.iconv(json, to: "UTF-16BE")
        #expect(UnicodeForm.detect(head: be)! == ("UTF-16BE", 0))
        #expect(UnicodeForm.detect(head: [0xFE, 0xFF] + be)! == ("UTF-16BE", 2))
        let utf32 = try Self.iconv(json, to: "UTF-32LE")
        #expect(UnicodeForm.detect(head: utf32)! == ("UTF-32LE", 0))
        #expect(UnicodeForm.detect(head: try Self.iconv(json, to: "UTF-32BE"))! == ("UTF-32BE", 0))
        // UTF-8, and binary data with a few zeros, are left alone.
        #expect(UnicodeForm.detect(head: Array(json.utf8)) == nil)
        #expect(UnicodeForm.detect(head: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x4C, 0x7A]) == nil)
        #expect(UnicodeForm.detect(head: [0x7B, 0x00]) == nil)
    }

    @Test(arguments: [1, 2, 3, 7, 4096])
    func utf16FilesStreamAsUTF8(chunkSize: Int) throws {
        let text = "{\"a\": \"é\", \"emoji\": \"😀\", \"long\": \"" + String(repeating: "ж", count: 3000) + "\"}"
        for bytes in [Self.utf16LE(text, bom: true), Self.utf16LE(text, bom: false), try Self.iconv(text, to: "UTF-32BE")] {
            var chunks = stride(from: 0, to: bytes.count, by: chunkSize).map { Array(bytes[$0..<min($0 + chunkSize, bytes.count)]) }[...]
            var seen: String?
            let source = UnicodeForm.utf8Source({ chunks.popFirst() }, detected: { seen = $0 })
            var out: [UInt8] = []
            while let c = try source() { out += c }
            #expect(String(decoding: out, as: UTF8.self) == text)
            #expect(seen?.hasPrefix("UTF-") == true)
        }
        // UTF-8 passes through byte for byte.
        let utf8 = Array(text.utf8)
        var chunks = stride(from: 0, to: utf8.count, by: chunkSize).map { Array(utf8[$0..<min($0 + chunkSize, utf8.count)]) }[...]
        let source = UnicodeForm.utf8Source { chunks.popFirst() }
        var out: [UInt8] = []
        while let c = try source() { out += c }
        #expect(out == utf8)
    }

    /// Real mail from mail-parser's tests (Corpus/real/mail-parser): GB2312 encoded words and
    /// a GB2312-labelled HTML body in base64.
    @Test func realGB2312MailConverts() throws {
        let m = MailMessage.parse(TestPaths.read(TestPaths.corpus + "/real/mail-parser/mail_test_9.eml"))
        // Python's gbk codec gives this prefix (and the rest, which gb2312 proper cannot decode).
        #expect(m.subject?.hasPrefix("我把镜头拉近些，你们看看这个是什么") == true)
        #expect(m.subject?.contains("\u{FFFD}") == false)
        #expect(m.text.contains("我把镜头拉近些"))
        #expect(!m.text.contains("\u{FFFD}"))
        let m12 = MailMessage.parse(TestPaths.read(TestPaths.corpus + "/real/mail-parser/mail_test_12.eml"))
        #expect(m12.subject == "代开各地增值税发票")
        #expect(m12.from == "张先生 <baoguan@hotmail.com>")
        #expect(m12.text.hasPrefix("你好！我公司可代开各类增值税发票"))
    }
}

@Suite struct DeclaredCharsetTests {
    @Test func htmlMetaCharsetIsReadAndConverted() throws {
        #expect(UnicodeForm.htmlMetaCharset(Array("<html><head><meta charset=\"windows-1251\"></head>".utf8)) == "windows-1251")
        #expect(UnicodeForm.htmlMetaCharset(Array("<META content=\"text/html; charset=gb2312\" http-equiv=Content-Type>".utf8)) == "gb2312")
        #expect(UnicodeForm.htmlMetaCharset(Array("<html><body>charset=koi8-r</body>".utf8)) == nil)
        let page = try CharsetTests.iconv("<html><head><meta charset=\"koi8-r\"></head><body>Привет</body></html>", to: "KOI8-R")
        var chunks = [page][...]
        let source = UnicodeForm.utf8Source({ chunks.popFirst() }, declared: UnicodeForm.htmlMetaCharset)
        var out: [UInt8] = []
        while let c = try source() { out += c }
        #expect(String(decoding: out, as: UTF8.self).contains("<body>Привет</body>"))
    }
}

/// A file that names no charset and whose head is not UTF-8 is read in the route's legacy
/// charset (CSV: Windows-1252); UTF-8, even with a sequence cut by the head's end, is not.
@Suite struct LegacyCharsetTests {
    static func bytes(_ chunks: [[UInt8]], legacy: String?) throws -> [UInt8] {
        var queue = chunks[...]
        let source = UnicodeForm.utf8Source({ queue.popFirst() }, legacy: legacy)
        var out: [UInt8] = []
        while let c = try source() { out += c }
        return out
    }

    static func read(_ chunks: [[UInt8]], legacy: String?) throws -> String {
        String(decoding: try bytes(chunks, legacy: legacy), as: UTF8.self)
    }

    @Test func aLatin1CSVIsTranscodedAndUTF8IsLeftAlone() throws {
        let latin1: [UInt8] = Array("name;amount\n".utf8) + [0x4A, 0xF6, 0x72, 0x67, 0x3B, 0x80] + Array("5\n".utf8)
        #expect(try Self.read([latin1], legacy: "windows-1252") == "name;amount\nJörg;€5\n")
        // Without a legacy charset the bytes pass through as they are (the reader then refuses them).
        #expect(try Self.bytes([latin1], legacy: nil) == latin1)
        let utf8 = Array("name\nJörg\n".utf8)
        #expect(try Self.read([utf8], legacy: "windows-1252") == "name\nJörg\n")
        // A head of 4096 bytes whose last character is cut: still UTF-8.
        let long = Array(String(repeating: "a", count: 4095).utf8) + Array("ö".utf8) + Array("tail\n".utf8)
        #expect(try Self.read([Array(long.prefix(4096)), Array(long.dropFirst(4096))], legacy: "windows-1252").hasSuffix("aötail\n"))
        #expect(UnicodeForm.isUTF8([0x61, 0xC3], complete: false) && !UnicodeForm.isUTF8([0x61, 0xC3], complete: true))
        #expect(!UnicodeForm.isUTF8([0xF6, 0x61], complete: false))
    }
}
