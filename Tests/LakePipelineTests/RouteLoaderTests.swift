import Foundation
import LakeCore
import LakeNormalize
import LakeParsers
@testable import LakePipeline
import LakeStore
import Testing
import _LakeTestSupport

/// The route table, route by route: each loader reads a small file of its format into a lake
/// on its own (no archive, no job around it) and gives the records its mapper makes.
@Suite struct RouteLoaderTests {
    struct Case: Sendable, CustomStringConvertible {
        var route: ExportMapper.Route
        var path: String
        var bytes: String
        var records: Int
        var kinds: Set<String>
        var description: String { path }
    }

    static let cases: [Case] = [
        Case(
            route: .twitterJS, path: "data/like.js",
            bytes:
                "window.YTD.like.part0 = [ {\"like\": {\"tweetId\": \"1\", \"fullText\": \"a\"}}, {\"like\": {\"tweetId\": \"2\", \"fullText\": \"b\"}} ]",
            records: 2, kinds: ["like"]),
        Case(
            route: .twitterJS, path: "data/saved-search.js",
            bytes: "window.YTD.saved_search.part0 = [ {\"savedSearch\": {\"savedSearchId\": \"7\", \"query\": \"x\"}} ]", records: 1,
            kinds: ["generic"]),
        Case(
            route: .mbox, path: "Takeout/Mail/all.mbox",
            bytes:
                "From a@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nSubject: one\n\nbody\n\nFrom b@example.org Mon Jan  1 00:00:00 2024\nFrom: b@example.org\nSubject: two\n\nbody\n",
            records: 2, kinds: ["email"]),
        Case(
            route: .message, path: "mail/one.eml",
            bytes: "From: a@example.org\nSubject: hi\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\nbody\n",
            records: 1, kinds: ["email"]),
        Case(
            route: .vcard(exportKind: "generic"), path: "contacts.vcf",
            bytes: "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nEND:VCARD\r\n", records: 2,
            kinds: ["contact"]),
        Case(
            route: .icalendar(exportKind: "generic"), path: "cal.ics",
            bytes: "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20240101T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            records: 1, kinds: ["calendar_event"]),
        Case(
            route: .csv(recordKind: "generic", exportKind: "generic"), path: "data/export.csv", bytes: "name,count\na,1\nb,2\nc,3\n",
            records: 3, kinds: ["generic"]),
        Case(route: .json(.generic), path: "something/else.json", bytes: "[{\"a\": 1}, {\"a\": 2}]", records: 2, kinds: ["generic"]),
    ]

    @Test(arguments: cases) func eachRouteLoadsItsFormat(_ c: Case) throws {
        #expect(ExportMapper.route(path: c.path) == c.route)
        let dir = TestPaths.scratch("route")
        defer { TestPaths.remove(dir) }
        var options = IngestOptions()
        options.lakeDirectory = dir
        options.progress = .none
        let job = IngestJob(options: options)
        let lake = try Lake(directory: dir, create: true)
        var given = false
        let raw: JSONReader.ChunkSource = {
            defer { given = true }
            return given ? nil : Array(c.bytes.utf8)
        }
        let context = RecordContext(
            input: "in", inputSHA256: String(repeating: "0", count: 64), path: c.path, user: "u", ring: ShardRing(Thresholds()))
        let loader = c.route.loader
        let loaded = try loader.load(
            EntryToLoad(raw: raw, text: loader.text(raw), context: context, thresholds: Thresholds()),
            into: ChunkedLoader(job: job, context: context, entryIndex: 0, jobID: "job", lake: lake))
        #expect(loaded.records == c.records)
        var kinds = Set<String>()
        var lines = 0
        try lake.export { line in
            lines += 1
            if case .object(let m)? = try? JSONValueReader.parse(line),
                case .string(let kind)? = m.first(where: { $0.key == "record_kind" })?.value
            {
                kinds.insert(kind)
            }
        }
        #expect(lines == c.records && kinds == c.kinds, "\(kinds)")
    }

    /// The manifest (`window.__THAR_CONFIG`) is one record; a `.js` of no Twitter form is
    /// refused with `twitter.wrapper`.
    @Test func jsFilesOfOtherForms() throws {
        let dir = TestPaths.scratch("route-js")
        defer { TestPaths.remove(dir) }
        var options = IngestOptions()
        options.lakeDirectory = dir
        let lake = try Lake(directory: dir, create: true)
        let context = RecordContext(
            input: "in", inputSHA256: String(repeating: "0", count: 64), path: "data/manifest.js", user: "u", ring: ShardRing(Thresholds()))
        let into = ChunkedLoader(job: IngestJob(options: options), context: context, entryIndex: 0, jobID: "job", lake: lake)
        func source(_ text: String) -> JSONReader.ChunkSource {
            var given = false
            return {
                defer { given = true }
                return given ? nil : Array(text.utf8)
            }
        }
        let manifest = source("window.__THAR_CONFIG = {\"userInfo\": {\"accountId\": \"1\", \"userName\": \"a\"}}")
        #expect(
            try TwitterJSLoader().load(EntryToLoad(raw: manifest, text: manifest, context: context, thresholds: Thresholds()), into: into)
                .records == 1)
        let other = source("window.config = [1, 2]")
        let refused = #expect(throws: LakeError.self) {
            try TwitterJSLoader().load(EntryToLoad(raw: other, text: other, context: context, thresholds: Thresholds()), into: into)
        }
        #expect(refused?.rule == .twitterWrapper)
    }
}
