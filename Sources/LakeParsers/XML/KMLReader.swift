import LakeCore

/// Placemarks out of a KML file (Google Earth / Maps exports, Location History KML).
///
/// ```swift
/// let kml = KMLReader(bytes: data)
/// while let p = try kml.next() { p.name; p.coordinates; p.when }
/// ```
public final class KMLReader {
    public struct Placemark: Equatable, Sendable {
        /// One `lon,lat[,alt]` tuple, numbers as written.
        public struct Coordinate: Equatable, Sendable {
            public var longitude: String
            public var latitude: String
            public var altitude: String?

            public init(longitude: String, latitude: String, altitude: String?) {
                self.longitude = longitude
                self.latitude = latitude
                self.altitude = altitude
            }
        }

        public var index: Int
        public var name: String?
        public var description: String?
        public var coordinates: [Coordinate]
        /// `TimeStamp/when`, `TimeSpan/begin`, `TimeSpan/end` as written.
        public var when: String?
        public var begin: String?
        public var end: String?
    }

    private let xml: XMLReader
    private var count = 0

    public init(xml: XMLReader) { self.xml = xml }
    public convenience init(bytes: [UInt8]) { self.init(xml: XMLReader(bytes: bytes)) }

    static func local(_ name: String) -> String { name.split(separator: ":").last.map(String.init) ?? name }

    /// The next placemark, or nil at the end.
    /// - Throws: `XMLReader.XMLError`.
    public func next() throws -> Placemark? {
        var placemark: Placemark?
        var path: [String] = []
        var text = ""
        while let event = try xml.next() {
            switch event {
            case .startElement(let name, _):
                let n = Self.local(name)
                if n == "Placemark" && placemark == nil {
                    placemark = Placemark(index: count, coordinates: [])
                    path = []
                } else if placemark != nil {
                    path.append(n)
                }
                text = ""
            case .text(let t):
                text += t
            case .endElement(let name):
                let n = Self.local(name)
                guard var p = placemark else { continue }
                if n == "Placemark" && path.isEmpty {
                    count += 1
                    return p
                }
                let value = text.trimmingCharacters(in: " ").trimmingCharacters(in: "\n").trimmingCharacters(in: " ")
                switch (path.dropLast().last, n) {
                case (_, "name") where path.count == 1: p.name = value
                case (_, "description") where path.count == 1: p.description = value
                case ("TimeStamp", "when"): p.when = value
                case ("TimeSpan", "begin"): p.begin = value
                case ("TimeSpan", "end"): p.end = value
                case (_, "coordinates"):
                    for tuple in value.split(whereSeparator: \.isLayoutSpace) {
                        let parts = tuple.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                        if parts.count >= 2 {
                            p.coordinates.append(.init(longitude: parts[0], latitude: parts[1], altitude: parts.count > 2 ? parts[2] : nil))
                        }
                    }
                default: break
                }
                if !path.isEmpty { path.removeLast() }
                text = ""
                placemark = p
            }
        }
        return nil
    }
}
