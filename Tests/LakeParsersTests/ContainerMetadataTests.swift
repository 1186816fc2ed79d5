import LakeCore
import LakeCorpus
import Testing

@testable import LakeParsers

/// WebP extended headers, MP4 sample descriptions and office app properties (docs/SPEC.md 8).
@Suite struct ContainerMetadataTests {
    func extract(_ format: String, _ bytes: [UInt8]) -> JSONValue? {
        ContentMetadata.extract(
            format: format, head: Array(bytes.prefix(ContentMetadata.headBytes)), tail: Array(bytes.suffix(ContentMetadata.tailBytes)))
    }

    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
    static func be32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * (3 - $0))) & 0xFF) } }
    static func chunk(_ fourcc: String, _ payload: [UInt8]) -> [UInt8] {
        Array(fourcc.utf8) + le32(payload.count) + payload + (payload.count % 2 == 1 ? [0] : [])
    }
    static func box(_ name: String, _ payload: [UInt8]) -> [UInt8] { be32(payload.count + 8) + Array(name.utf8) + payload }

    /// An animated WebP as the container spec lays it out: VP8X with the animation and alpha
    /// flags, ANIM (loop count 3), three ANMF frames (one of odd length, padded).
    @Test func animatedWebPFlagsLoopsAndFrames() throws {
        let vp8x: [UInt8] = [0x12, 0, 0, 0] + [0x3F, 0x01, 0x00] + [0xC7, 0x00, 0x00]  // 320×200
        let anim: [UInt8] = [0, 0, 0, 0, 3, 0]
        let frames =
            Self.chunk("ANMF", [UInt8](repeating: 1, count: 16)) + Self.chunk("ANMF", [UInt8](repeating: 2, count: 17))
            + Self.chunk("ANMF", [UInt8](repeating: 3, count: 20))
        let body = Array("WEBP".utf8) + Self.chunk("VP8X", vp8x) + Self.chunk("ANIM", anim) + frames
        let webp = Array("RIFF".utf8) + Self.le32(body.count) + body
        let m = try #require(extract("webp", webp))
        #expect(
            CanonicalJSON.string(m)
                == #"{"alpha":true,"animated":true,"exif":false,"frames_seen":3,"height":200,"icc":false,"loop_count":3,"width":320,"xmp":false}"#
        )
        // The real still sample has no VP8X: only its size.
        #expect(extract("webp", MediaSamples.webp.bytes)?["animated"] == nil)
    }

    /// A movie with an H.264 video track (1920×1080) and an AAC audio track, boxes nested as
    /// ISO/IEC 14496-12 has them.
    @Test func mp4CodecsAndVideoSize() throws {
        let mvhd = Self.box(
            "mvhd", [0, 0, 0, 0] + Self.be32(0) + Self.be32(0) + Self.be32(1000) + Self.be32(5500) + [UInt8](repeating: 0, count: 80))
        let visual =
            [UInt8](repeating: 0, count: 6) + [0, 1] + [UInt8](repeating: 0, count: 16) + [0x07, 0x80, 0x04, 0x38]
            + [UInt8](repeating: 0, count: 50)
        func stsd(_ format: String, _ entry: [UInt8]) -> [UInt8] {
            Self.box("stsd", [0, 0, 0, 0] + Self.be32(1) + Self.box(format, entry))
        }
        func track(_ stsd: [UInt8]) -> [UInt8] { Self.box("trak", Self.box("mdia", Self.box("minf", Self.box("stbl", stsd)))) }
        let movie =
            Self.box("ftyp", Array("isom".utf8) + Self.be32(512))
            + Self.box("moov", mvhd + track(stsd("avc1", visual)) + track(stsd("mp4a", [UInt8](repeating: 0, count: 28))))
        let m = try #require(extract("mp4", movie))
        #expect(m["codecs"] == .array([.string("avc1"), .string("mp4a")]))
        #expect(m["video_width"] == .number("1920") && m["video_height"] == .number("1080"))
        #expect(m["duration_seconds"] == .number("5.500") && m["brand"] == .string("isom"))
        // The generator's real MPEG-4 Part 2 sample.
        #expect(extract("mp4", MediaSamples.mp4.bytes)?["codecs"] == .array([.string("mp4v")]))
    }

    @Test func officeAppProperties() throws {
        let xml = Array(
            #"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
            <Template>Normal.dotm</Template><TotalTime>42</TotalTime><Pages>3</Pages><Words>812</Words><Characters>4630</Characters>
            <Application>Microsoft Office Word</Application><Lines>38</Lines><Paragraphs>10</Paragraphs><AppVersion>16.0000</AppVersion>
            </Properties>
            """#.utf8)
        let m = try #require(ContentMetadata.officeAppProperties(xml))
        #expect(
            CanonicalJSON.string(m)
                == #"{"app_version":"16.0000","application":"Microsoft Office Word","characters":4630,"lines":38,"pages":3,"paragraphs":10,"total_edit_minutes":42,"words":812}"#
        )
    }
}
