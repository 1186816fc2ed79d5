import Foundation
import LakeCore
import LakeNormalize
import LakeParsers
import Testing

/// Routing by content where the path names no family (docs/SPEC.md 5.6): Takeout in other
/// languages, and message files without an extension.
@Suite struct ContentRoutingTests {
    static let sidecar = """
        {"title": "IMG_20190705_101112.jpg", "description": "", "imageViews": "3",
         "creationTime": {"timestamp": "1562400000", "formatted": "6 lip 2019, 08:00:00 UTC"},
         "photoTakenTime": {"timestamp": "1562321472", "formatted": "5 lip 2019, 10:11:12 UTC"},
         "geoData": {"latitude": 54.352, "longitude": 18.6466, "altitude": 12.0, "latitudeSpan": 0.0, "longitudeSpan": 0.0},
         "url": "https://photos.google.com/photo/AF1QipExample"}
        """

    @Test func localizedTakeoutFoldersAreRecognisedByContent() {
        let polish = "Takeout/Zdjęcia Google/Wakacje 2019/IMG_20190705_101112.jpg.json"
        #expect(ExportMapper.route(path: polish) == .json(.takeoutGeneric))
        #expect(ExportMapper.route(path: polish, head: Array(Self.sidecar.utf8)) == .json(.photoSidecar))
        let activity =
            "[{\"header\": \"Discover\", \"title\": \"7 cards\", \"time\": \"2021-12-13T03:04:05.007Z\", \"products\": [\"Discover\"]}]"
        #expect(
            ExportMapper.route(path: "Takeout/Moja aktywność/Discover/MojaAktywność.json", head: Array(activity.utf8))
                == .json(.takeoutActivity))
        #expect(
            ExportMapper.route(
                path: "Takeout/Historia lokalizacji/Rekordy.json",
                head: Array("{\"locations\": [{\"latitudeE7\": 1, \"longitudeE7\": 2}]}".utf8)) == .json(.takeoutLocationRecords))
        #expect(
            ExportMapper.route(path: "Takeout/Oś czasu/Oś czasu.json", head: Array("{\"semanticSegments\": []}".utf8))
                == .json(.takeoutTimeline))
        // Any other JSON stays generic, under Takeout/ as Takeout's.
        #expect(ExportMapper.route(path: "Takeout/Fit/x.json", head: Array("{\"a\": 1}".utf8)) == .json(.takeoutGeneric))
        // A path that names its family is not second-guessed.
        #expect(ExportMapper.route(path: "Takeout/Chrome/History.json", head: Array(Self.sidecar.utf8)) == .json(.chromeHistory))
    }

    @Test func messagesWithoutAnExtension() {
        let mail = "Return-Path: <a@example.org>\r\nReceived: from x\r\n\tby y\r\nFrom: A <a@example.org>\r\nSubject: hi\r\n\r\nbody"
        #expect(ExportMapper.route(path: "mails/mail_test_3", head: Array(mail.utf8)) == .message)
        #expect(ExportMapper.route(path: "notes/README", head: Array("Hello: this is a note\nnot mail\n".utf8)) == nil)
        #expect(ExportMapper.route(path: "mails/x.txt", head: Array(mail.utf8)) == nil)
    }

    /// The Polish sidecar becomes a photo record with its time, place and `describes` link.
    @Test func aLocalizedSidecarMapsFully() throws {
        let element = JSONRecordStream.Element(collection: nil, value: try JSONReader(bytes: Array(Self.sidecar.utf8)).readValue())
        let path = "Takeout/Zdjęcia Google/Wakacje 2019/IMG_20190705_101112.jpg.json"
        let context = RecordContext(
            input: "takeout.zip", inputSHA256: String(repeating: "0", count: 64), path: path, user: "u",
            ring: ShardRing(shardCount: 16, virtualNodes: 64, replicationFactor: 2))
        let r = try ExportMapper.map(.photoSidecar, element, index: 0, context: context)
        #expect(r.recordKind == "photo_metadata")
        #expect(r.occurredAt == "2019-07-05T10:11:12.000Z")
        #expect(r.data["geo"]?["lat"] == JSONValue.number("54.352000"))
        #expect(r.relationships.map { $0.target } == ["Takeout/Zdjęcia Google/Wakacje 2019/IMG_20190705_101112.jpg"])
    }
}
