import LakeParsers
import Testing

@Suite struct TakeoutActivityReaderTests {
    static let page = """
        <html><head><meta charset="UTF-8"><title>My Activity</title><style>body { color: red } .outer-cell { }</style></head><body>
        <div class="mdl-grid"><div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid">\
        <div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">YouTube<br></p></div>\
        <div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">Watched&nbsp;<a href="https://www.youtube.com/watch?v=abc&amp;t=1">Caf&eacute; &amp; Code</a><br>\
        <a href="https://www.youtube.com/channel/UC1">Some Channel</a><br>Jan 15, 2021, 6:54:12 PM BST</div>\
        <div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1 mdl-typography--text-right"></div>\
        <div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption"><b>Products:</b><br>&emsp;YouTube<br>\
        <b>Details:</b><br>&emsp;From Google Ads<br></div></div></div>
        <div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid">\
        <div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">Search<br></p></div>\
        <div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">Searched for&nbsp;<a href="https://www.google.com/search?q=lake">lake</a><br>Mar 8, 2018, 5:14:40 PM</div>\
        <div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption"><b>Products:</b><br>&emsp;Search<br>\
        <b>Locations:</b><br>&emsp;At this general area: <a href="https://www.google.com/maps/@?api=1&amp;map_action=map&amp;center=50.9,6.9">Köln</a> - Based on your past activity<br></div></div></div>
        </div></body></html>
        """

    func readAll(_ chunk: Int) throws -> [TakeoutActivityReader.Entry] {
        let bytes = Array(Self.page.utf8)
        let r = TakeoutActivityReader(source: ChunkCursor.chunks(of: bytes, size: chunk))
        var out: [TakeoutActivityReader.Entry] = []
        while let e = try r.next() { out.append(e) }
        return out
    }

    @Test func extractsEntries() throws {
        let entries = try readAll(1 << 20)
        #expect(entries.count == 2)
        for size in [1, 5, 333] { #expect(try readAll(size) == entries) }
        let watched = entries[0]
        #expect(watched.header == "YouTube")
        #expect(watched.title == "Watched Café & Code")
        #expect(watched.links.map(\.url) == ["https://www.youtube.com/watch?v=abc&t=1", "https://www.youtube.com/channel/UC1"])
        #expect(watched.links.map(\.text) == ["Café & Code", "Some Channel"])
        #expect(watched.timeText == "Jan 15, 2021, 6:54:12 PM BST")
        #expect(watched.time?.iso8601 == "2021-01-15T17:54:12.000Z")
        #expect(watched.products == ["YouTube"])
        #expect(watched.details == ["From Google Ads"])
        let search = entries[1]
        #expect(search.header == "Search")
        #expect(search.title == "Searched for lake")
        #expect(search.time?.iso8601 == "2018-03-08T17:14:40.000Z")
        #expect(search.products == ["Search"])
        #expect(search.locations.first?.text == "Köln")
        #expect(search.locations.first?.url.hasPrefix("https://www.google.com/maps/@?api=1&map_action=map") == true)
        #expect(search.index == 1)
    }

    @Test func entryLimit() {
        let bytes = Array(Self.page.utf8)
        let r = TakeoutActivityReader(source: { nil }, maxEntryBytes: 10)
        _ = bytes
        #expect(throws: Never.self) { _ = try r.next() }
        var done = false
        let small = TakeoutActivityReader(
            source: {
                if done { return nil }; done = true; return bytes
            }, maxEntryBytes: 100)
        #expect(throws: (any Error).self) { _ = try small.next() }
    }

    @Test func entityDecoding() {
        #expect(HTMLEntities.decode(Array("&lt;b&gt; &#233;&#x1F600; &unknown; & &amp".utf8)) == "<b> é😀 &unknown; & &amp")
        #expect(HTMLText.toText("<p>a&nbsp; b</p><script>x</script><div>c<br>d</div>") == "a b\nc\nd")
    }

    /// The whole HTML5 table of named references (with `;`), checked against every entry of
    /// the generator's source: names differing only in case are different references.
    @Test func everyHTML5NamedReferenceDecodes() {
        #expect(HTMLEntities.named.count == 2125)
        #expect(
            HTMLEntities.decode(Array("&Eacute;&eacute; &NotNestedGreaterGreater; &CounterClockwiseContourIntegral;".utf8))
                == "Éé \u{2AA2}\u{338} ∳")
        #expect(HTMLEntities.decode(Array("&Tab;&NewLine;&ThickSpace;|&Eacute &eacutex;".utf8)) == "\t\n\u{205F}\u{200A}|&Eacute &eacutex;")
    }

    /// A CR LF pair is one `Character` in Swift: HTML with CRLF lines collapses like LF lines
    /// (a real Gmail export's HTML-only message kept its line breaks inside sentences).
    @Test func crlfLinesCollapseLikeLFLines() {
        let lf = "<h1>Acute accent</h1>\nThe following:<p>\nE becomes &Eacute;.<br>\nTry clicking <a href=\"x\">\nhere.</a><p>\n"
        let expected = "Acute accent\nThe following:\nE becomes É.\nTry clicking here."
        #expect(HTMLText.toText(lf) == expected)
        #expect(HTMLText.toText(lf.replacingOccurrences(of: "\n", with: "\r\n")) == expected)
        #expect("a\r\nb \tc".split(whereSeparator: \.isLayoutSpace) == ["a", "b", "c"])
    }
}
