import LakeParsers
import Testing

@Suite struct XMLTests {
    func events(_ s: String, limits: XMLReader.Limits = XMLReader.Limits()) throws -> [XMLReader.Event] {
        let r = XMLReader(bytes: Array(s.utf8), limits: limits)
        var out: [XMLReader.Event] = []
        while let e = try r.next() { out.append(e) }
        return out
    }

    func error(_ s: String, limits: XMLReader.Limits = XMLReader.Limits()) -> XMLReader.XMLError.Kind? {
        do { _ = try events(s, limits: limits); return nil } catch let e as XMLReader.XMLError { return e.kind } catch { return nil }
    }

    @Test func basicEvents() throws {
        let e = try events("<?xml version=\"1.0\"?><!-- c --><a x='1 &amp; 2'>t&lt;<b/><![CDATA[<raw>]]>&#233;</a>")
        #expect(
            e == [
                .startElement(name: "a", attributes: ["x": "1 & 2"]), .text("t<"), .startElement(name: "b", attributes: [:]),
                .endElement(name: "b"), .text("<raw>"), .text("é"), .endElement(name: "a"),
            ])
    }

    @Test func externalEntitiesAreNeverResolved() {
        let xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><r>&xxe;</r>"
        #expect(error(xxe) == .externalEntity)
        let pub = "<!DOCTYPE r [<!ENTITY e PUBLIC \"-//x\" \"http://127.0.0.1/x\">]><r a=\"&e;\"/>"
        #expect(error(pub) == .externalEntity)
    }

    @Test func internalEntitiesExpandWithinBudget() throws {
        #expect(
            try events("<!DOCTYPE r [<!ENTITY n \"Ada\"><!ENTITY g \"Hi &n;\">]><r>&g;!</r>") == [
                .startElement(name: "r", attributes: [:]), .text("Hi Ada!"), .endElement(name: "r"),
            ])
        var laughs = "<!DOCTYPE r [<!ENTITY l0 \"lol\">"
        for i in 1...9 { laughs += "<!ENTITY l\(i) \"" + String(repeating: "&l\(i - 1);", count: 10) + "\">" }
        laughs += "]><r>&l9;</r>"
        #expect(error(laughs) == .expansionLimit)
        #expect(error("<!DOCTYPE r [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]><r>&a;</r>") == .recursiveEntity)
        #expect(error("<r>&nope;</r>") == .undefinedEntity)
        #expect(error("<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://127.0.0.1/evil.dtd\"> %p;]><r>&p;</r>") == .undefinedEntity)
    }

    @Test func wellFormedness() {
        #expect(error("<a><b></a></b>") == .mismatchedTag)
        #expect(error("<a>") == .unclosed)
        #expect(error("<a/><b/>") == .syntax)
        #expect(error("text<a/>") == .syntax)
        #expect(error("<a x=1/>") == .syntax)
        var limits = XMLReader.Limits()
        limits.maxDepth = 3
        #expect(error("<a><b><c><d/></c></b></a>", limits: limits) == .depthLimit)
    }

    @Test func kmlPlacemarks() throws {
        let kml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Location history</name>
            <Placemark><name>Köln &amp; Dom</name><description><![CDATA[<b>visit</b>]]></description>
              <TimeSpan><begin>2017-12-10T23:14:58.030Z</begin><end>2017-12-11T01:00:00Z</end></TimeSpan>
              <Point><coordinates>6.958281,50.941278,0</coordinates></Point></Placemark>
            <Placemark><TimeStamp><when>2018-01-01T00:00:00Z</when></TimeStamp>
              <LineString><coordinates>
                6.9,50.9 7.0,51.0,12.5
              </coordinates></LineString></Placemark>
            </Document></kml>
            """
        let r = KMLReader(bytes: Array(kml.utf8))
        var out: [KMLReader.Placemark] = []
        while let p = try r.next() { out.append(p) }
        #expect(out.count == 2)
        #expect(out[0].name == "Köln & Dom")
        #expect(out[0].description == "<b>visit</b>")
        #expect(out[0].begin == "2017-12-10T23:14:58.030Z")
        #expect(out[0].coordinates == [.init(longitude: "6.958281", latitude: "50.941278", altitude: "0")])
        #expect(out[1].when == "2018-01-01T00:00:00Z")
        #expect(out[1].coordinates.map(\.latitude) == ["50.9", "51.0"])
        #expect(out[1].coordinates[1].altitude == "12.5")
    }
}
