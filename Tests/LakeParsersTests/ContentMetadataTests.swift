import Foundation
import LakeCore
import LakeCorpus
import LakeIngest
import LakeParsers
import Testing
import _LakeTestSupport

/// Content metadata read from the generator's real media samples (made by Python's zlib,
/// cwebp and ffmpeg) and from hand-built EXIF, PDF, HTML and OOXML bytes.
@Suite struct ContentMetadataTests {
    func extract(_ format: String, _ bytes: [UInt8]) -> JSONValue? {
        ContentMetadata.extract(
            format: format, head: Array(bytes.prefix(ContentMetadata.headBytes)), tail: Array(bytes.suffix(ContentMetadata.tailBytes)))
    }

    @Test func imageSizesOfTheRealSamples() {
        #expect(extract("png", MediaSamples.png.bytes) == .object([.init("height", .number("4")), .init("width", .number("4"))]))
        #expect(extract("jpeg", MediaSamples.jpeg.bytes) == .object([.init("height", .number("8")), .init("width", .number("8"))]))
        let webp = extract("webp", MediaSamples.webp.bytes)
        #expect(webp?["width"] != nil && webp?["height"] != nil, "\(String(describing: webp))")
    }

    /// What is kept while a stream goes by in blocks of any size: its first 64 KiB and its last 64 KiB.
    @Test(arguments: [1, 1000, 4096, 65_536, 65_537, 256 * 1024])
    func headAndTailAcrossBlocks(blockSize: Int) {
        var random = SeededRandom(seed: UInt64(blockSize))
        for length in [0, 10, 65_535, 65_536, 65_537, 200_000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            var kept = HeadAndTail()
            var i = 0
            while i < bytes.count {
                kept.add(Array(bytes[i..<min(bytes.count, i + blockSize)]))
                i += blockSize
            }
            #expect(kept.head == Array(bytes.prefix(ContentMetadata.headBytes)), "length \(length)")
            #expect(kept.tail == Array(bytes.suffix(ContentMetadata.tailBytes)), "length \(length)")
        }
    }

    @Test func mp4BrandAndDuration() throws {
        let m = try #require(extract("mp4", MediaSamples.mp4.bytes))
        #expect(m["brand"]?.stringValue?.isEmpty == false)
        let duration = try #require(m["duration_seconds"].map { CanonicalJSON.string($0) })
        #expect(Double(duration).map { $0 > 0 && $0 < 60 } == true, "\(duration)")
    }

    /// A JPEG with an EXIF APP1 (big-endian TIFF: Make, Model, then DateTimeOriginal in the EXIF IFD) and an 8×6 SOF0.
    @Test func jpegExif() {
        func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func be32(_ v: Int) -> [UInt8] { be16(v >> 16) + be16(v & 0xFFFF) }
        func entry(_ tag: Int, _ type: Int, _ count: Int, _ value: Int) -> [UInt8] { be16(tag) + be16(type) + be32(count) + be32(value) }
        // TIFF: header (8), IFD0 at 8 with 3 entries (2 + 36 + 4 = 42) → strings at 50, EXIF IFD after them.
        let make = Array("Canon\0".utf8), model = Array("EOS R\0".utf8), original = Array("2024:02:29 23:59:59\0".utf8)
        let makeAt = 50, modelAt = makeAt + make.count, exifAt = modelAt + model.count, originalAt = exifAt + 18
        var tiff: [UInt8] = Array("MM".utf8) + be16(42) + be32(8)
        tiff +=
            be16(3) + entry(0x010F, 2, make.count, makeAt) + entry(0x0110, 2, model.count, modelAt) + entry(0x8769, 4, 1, exifAt) + be32(0)
        tiff += make + model
        tiff += be16(1) + entry(0x9003, 2, original.count, originalAt) + be32(0) + original
        let app1 = [0xFF, 0xE1] + be16(2 + 6 + tiff.count) + Array("Exif\0\0".utf8) + tiff
        let sof0: [UInt8] = [0xFF, 0xC0] + be16(17) + [8] + be16(6) + be16(8) + [3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]
        let jpeg: [UInt8] = [0xFF, 0xD8] + app1 + sof0 + [0xFF, 0xD9]
        #expect(
            extract("jpeg", jpeg)
                == .object([
                    .init("height", .number("6")), .init("width", .number("8")), .init("camera_make", .string("Canon")),
                    .init("camera_model", .string("EOS R")), .init("date_time_original", .string("2024:02:29 23:59:59")),
                ]))
        // Cut anywhere, it gives up quietly.
        for n in stride(from: 0, to: jpeg.count, by: 3) { _ = extract("jpeg", Array(jpeg.prefix(n))) }
    }

    @Test func pdfInfoStrings() {
        let pdf = Array(
            "%PDF-1.4\n1 0 obj\n<< /Title (Lake \\(draft\\) \\101) /Author <FEFF00C9006C0069> /CreationDate (D:20240101120000Z) >>\nendobj\n%%EOF\n"
                .utf8)
        #expect(
            extract("pdf", pdf)
                == .object([
                    .init("title", .string("Lake (draft) A")), .init("author", .string("Éli")),
                    .init("creation_date", .string("D:20240101120000Z")),
                ]))
    }

    @Test func htmlTitleAndMeta() {
        let html = Array(
            "<!doctype html><html><head><title> My  Activity\n</title><meta charset=utf-8><meta name=\"Description\" content=\"Search &amp; more\"><meta property=\"og:title\" content=\"x\"></head><body><meta name=late content=no>"
                .utf8)
        #expect(
            extract("html", html)
                == .object([
                    .init("title", .string("My Activity")),
                    .init("meta", .object([.init("description", .string("Search & more")), .init("og:title", .string("x"))])),
                ]))
    }

    @Test func officeCoreProperties() {
        let xml = Array(
            """
            <?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y" xmlns:dcterms="z">\
            <dc:title>Quarterly notes</dc:title><dc:creator>Ada</dc:creator><cp:lastModifiedBy>Bob</cp:lastModifiedBy>\
            <dcterms:created>2024-03-01T10:00:00Z</dcterms:created></cp:coreProperties>
            """.utf8)
        #expect(
            ContentMetadata.officeCoreProperties(xml)
                == .object([
                    .init("title", .string("Quarterly notes")), .init("creator", .string("Ada")), .init("last_modified_by", .string("Bob")),
                    .init("created", .string("2024-03-01T10:00:00Z")),
                ]))
    }

    @Test func facebookMojibakeIsDetected() {
        let fb = Array(#"{"title": "Caf\u00c3\u00a9 au lait", "x": 1}"#.utf8)
        let clean = Array(#"{"title": "Caf\u00e9 au lait \u00c3 \u0041"}"#.utf8)
        #expect(ContentSniffer.detect(sample: fb, name: "posts.json", mime: "application/json", isComplete: true).mojibake)
        #expect(!ContentSniffer.detect(sample: clean, name: "posts.json", mime: "application/json", isComplete: true).mojibake)
    }
}
