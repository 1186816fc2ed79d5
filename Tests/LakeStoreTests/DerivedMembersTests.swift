import Foundation
import LakeCore
import LakeParsers
@testable import LakeStore
import Testing
import _LakeTestSupport

/// Members a row stores as `0` because its time or its E7 members give them back (schema 31,
/// `CompactData.Rule`): derived only when the rule gives their exact bytes, read back byte for
/// byte by the reader and, in SQL, by `lake_records`, the kinds' views and the entities.
@Suite struct DerivedMembersTests {
    static let millis: Int64 = 1_597_907_974_138
    static let time = "2020-08-20T07:19:34.138Z"

    static func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    /// A string of the time's canonical text, a string of its milliseconds and the number are
    /// derived; other spellings and other times are not. Read back with the time only.
    @Test func membersEqualToTheTimeAreStoredAsZero() throws {
        let data = Array(
            #"{"created_at":"\#(Self.time)","f":"01597907974138","g":1597907974138.0,"t":"\#(Self.time)","time":"2020-08-20T07:19:34.13Z","timestamp":"1597907974138","timestamp_ms":1597907974138}"#
                .utf8)
        let shaped = try #require(CompactData.shape(data, millis: Self.millis))
        #expect(
            Self.text(shaped.data) == #"[0,"01597907974138",1597907974138.0,"\#(Self.time)","2020-08-20T07:19:34.13Z",0,0]"#)
        #expect(Self.text(shaped.keys) == #"[["created_at","t"],"f","g","t","time",["timestamp","ms"],["timestamp_ms","n"]]"#)
        #expect(CompactData.expand(shaped.data, keys: shaped.keys, millis: Self.millis) == data)
        // Without the time nothing can be made again: the row's checksum then fails.
        #expect(CompactData.expand(shaped.data, keys: shaped.keys, millis: nil) == nil)
        #expect(CompactData.expand(shaped.data, keys: shaped.keys, millis: Self.millis + 1) != data)
        // Without a time nothing is derived.
        let plain = try #require(CompactData.shape(data))
        #expect(Self.text(plain.keys) == #"["created_at","f","g","t","time","timestamp","timestamp_ms"]"#)
        // Names held with the derived entries are given back as them.
        let again = try #require(CompactData.shape(data, held: shaped.keys, millis: Self.millis))
        #expect(again.keys.withUnsafeBufferPointer { $0.baseAddress } == shaped.keys.withUnsafeBufferPointer { $0.baseAddress })
        let other = try #require(CompactData.shape(data, held: plain.keys, millis: Self.millis))
        #expect(other.keys == shaped.keys)
        // A time in whole seconds: its seconds as a number and Twitter's text too.
        let seconds = Array(
            #"{"created_at":"Thu Aug 20 07:19:34 +0000 2020","e":"1597907974","time":"Thu Aug 20 07:19:34 +0000 2021","timestamp":1597907974,"timestamp_ms":1597907974000}"#
                .utf8)
        let whole = try #require(CompactData.shape(seconds, millis: Self.millis - 138))
        #expect(Self.text(whole.data) == #"[0,"1597907974","Thu Aug 20 07:19:34 +0000 2021",0,0]"#)
        #expect(Self.text(whole.keys) == #"[["created_at","tw"],"e","time",["timestamp","s"],["timestamp_ms","n"]]"#)
        #expect(CompactData.expand(whole.data, keys: whole.keys, millis: Self.millis - 138) == seconds)
        #expect(CompactData.expand(whole.data, keys: whole.keys, millis: Self.millis) == nil)
        // A mail's `Date` header at the record's offset, day without a leading zero.
        let mail = Array(#"{"date":"Thu, 20 Aug 2020 09:49:34 +0230","e":"Thu, 20 Aug 2020 09:49:34 +0230"}"#.utf8)
        let dated = try #require(CompactData.shape(mail, millis: Self.millis - 138, offset: 150))
        #expect(Self.text(dated.keys) == #"[["date","rfc"],"e"]"#)
        #expect(CompactData.expand(dated.data, keys: dated.keys, millis: Self.millis - 138, offset: 150) == mail)
        #expect(CompactData.expand(dated.data, keys: dated.keys, millis: Self.millis - 138) == nil)
        #expect(Self.text(try #require(CompactData.shape(mail, millis: Self.millis - 138, offset: 149)).keys) == #"["date","e"]"#)
        let early = Array(#"{"date":"Sun, 9 Apr 2017 09:10:13 -0800"}"#.utf8)
        let april = try #require(CompactData.shape(early, millis: 1_491_757_813_000, offset: -480))
        #expect(Self.text(april.keys) == #"[["date","rfc"]]"#)
        // With milliseconds in the time, neither the seconds nor Twitter's text are derived.
        #expect(
            Self.text(try #require(CompactData.shape(seconds, millis: Self.millis)).keys)
                == #"["created_at","e","time","timestamp","timestamp_ms"]"#)
    }

    /// `geo` is derived when the E7 members give back its exact bytes (SPEC 5.4: divided by
    /// 10, half away from zero, six decimals, `out_of_bounds` past the bounds), and kept when
    /// they do not, or are not plain integers.
    @Test func aPointIsDerivedOnlyWhenItsE7MembersGiveItBack() throws {
        func point(_ geo: String, _ lat: String, _ lng: String) -> [UInt8] {
            Array(#"{"geo":\#(geo),"latitude_e7":\#(lat),"longitude_e7":\#(lng)}"#.utf8)
        }
        let derived = [
            point(#"{"lat":50.943748,"lng":6.979271}"#, "509437480", "69792710"),
            point(#"{"lat":50.943749,"lng":-6.979271}"#, "509437485", "-69792714"),
            point(#"{"lat":0.000000,"lng":-0.000001}"#, "-4", "-5"),
            point(#"{"lat":91.000000,"lng":181.000000,"out_of_bounds":true}"#, "910000000", "1810000000"),
            point(#"{"lat":-90.000000,"lng":0.000000}"#, "-900000000", "0"),
        ]
        for data in derived {
            let shaped = try #require(CompactData.shape(data))
            #expect(Self.text(shaped.keys) == #"[["geo","e7",1,2],"latitude_e7","longitude_e7"]"#, "\(Self.text(data))")
            #expect(CompactData.expand(shaped.data, keys: shaped.keys, millis: nil) == data)
        }
        let kept = [
            point(#"{"lat":50.943749,"lng":6.979271}"#, "509437480", "69792710"),
            point(#"{"lat":50.943748,"lng":6.979271}"#, #""509437480""#, "69792710"),
            point(#"{"lat":0.000000,"lng":0.000000}"#, "-0", "0"),
            point(#"{"lat":0.000000,"lng":0.000000}"#, "00", "0"),
            point(#"{"lat":91.000000,"lng":0.000000}"#, "910000000", "0"),
            point(#"{"lat":1.000000,"lng":0.000000}"#, "1e7", "0"),
            point(#"{"lat":100000000.000000,"lng":0.000000}"#, "1000000000000000", "0"),
            Array(#"{"geo":{"lat":1.000000,"lng":0.000000},"latitude_e7":10000000}"#.utf8),
        ]
        for data in kept {
            let shaped = try #require(CompactData.shape(data))
            #expect(!Self.text(shaped.keys).hasPrefix(#"[["geo""#), "\(Self.text(data))")
            #expect(CompactData.expand(shaped.data, keys: shaped.keys, millis: nil) == data)
        }
        // Entries that name no rule, or indexes that hold no integer, expand to nothing.
        for (values, keys) in [
            ("[0,1,2]", #"[["geo","e8",1,2],"latitude_e7","longitude_e7"]"#), ("[0,1,2]", #"[["geo","e7",1,3],"a","b"]"#),
            ("[0,\"x\",2]", #"[["geo","e7",1,2],"a","b"]"#), ("[1,1,2]", #"[["geo","e7",1,2],"a","b"]"#),
            ("[0,1,2]", #"[["geo","e7",01,2],"a","b"]"#), ("[1]", #"[["t","t"]]"#), ("[0]", #"[["t","t",1]]"#),
        ] {
            #expect(CompactData.expand(Array(values.utf8), keys: Array(keys.utf8), millis: Self.millis) == nil, "\(values) \(keys)")
        }
    }

    static func row(_ data: [UInt8], id: Int, time: String?, offset: String? = nil, entities: String = "[]") throws -> RecordRow {
        let line = try JSONValueReader.parse(Array(CompactDataTests.lineTemplate.utf8)).setting("data", try JSONValueReader.parse(data))
            .setting("id", .string(String(format: "%032x", id))).setting("entities", try JSONValueReader.parse(Array(entities.utf8)))
            .setting("occurred_at", time.map { .string($0) } ?? .null)
            .setting("partition", .string(time.map { String($0.prefix(7)) } ?? "undated"))
            .setting("source_offset", offset.map { .string($0) } ?? .null)
        return try RecordRow(line: CanonicalJSON.encode(line))
    }

    /// 400 random location points, dated from year 1 to 9999 (before 1970 too) or not at all,
    /// whose `geo` and time members are the rules' spellings or near misses: stored as rows,
    /// the export gives their lines; `lake_records` rebuilds each `data` and entity list to its
    /// canonical bytes, and `locations` gives each point's degrees.
    @Test func randomPointsReadBackThroughTheExportAndTheViews() throws {
        let dir = TestPaths.scratch("derived-members")
        defer { TestPaths.remove(dir) }
        let lake = try Lake(directory: dir, create: true)
        var rng = SeededRandom(seed: 0xE7E7)
        var rows: [RecordRow] = [], points: [(Double, Double)] = []
        for n in 0..<400 {
            let random = Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &rng)
            let ms = n % 5 == 0 ? random - random % 1000 : random
            let time: String? = n % 10 == 9 ? nil : n % 10 == 8 ? "2020-08-20" : StoredTime.text(ms)
            func e7() -> Int64 {
                [Int64.random(in: -1_800_000_000...1_800_000_000, using: &rng), Int64.random(in: -9...9, using: &rng)][n % 3 == 0 ? 1 : 0]
            }
            let (lat, lng) = (e7(), e7())
            let (a, b) = (MicroDegrees.fromE7(lat) + (n % 7 == 6 ? 1 : 0), MicroDegrees.fromE7(lng))
            var geo: [UInt8] = []
            MicroDegrees.appendPoint(latMicro: a, lngMicro: b, to: &geo)
            let stamp = [#""\#(ms)""#, "\(ms)", #""\#(StoredTime.text(ms))""#, #""\#(ms + 1)""#][n % 4]
            var twitter: [UInt8] = []
            Timestamp.appendTwitter(ms, into: &twitter)
            let second = [#""\#(Self.text(twitter))""#, "\(ms / 1000)"][n % 2]
            // A mail's `Date` at an offset of up to ±99:59, stored as minutes or (`-00:00`) not.
            let minutes = n % 6 == 4 ? 0 : Int.random(in: -5999...5999, using: &rng)
            let offset: String? = n % 6 == 5 ? nil : n % 6 == 4 ? "-00:00" : Timestamp.offsetText(seconds: minutes * 60)
            var mail: [UInt8] = []
            Timestamp.appendMailDate(ms, offsetMinutes: minutes, into: &mail)
            let data =
                #"{"accuracy":\#(n),"created_at":\#(second),"date":"\#(Self.text(mail))","geo":\#(Self.text(geo)),"latitude_e7":\#(lat),"longitude_e7":\#(lng),"time":\#(stamp)}"#
            let place = MicroDegrees.text(a) + "," + MicroDegrees.text(b)
            rows.append(
                try Self.row(
                    Array(data.utf8), id: n, time: time, offset: offset,
                    entities: #"[{"kind":"place","method":"coordinates","value":"\#(place)"}]"#))
            points.append((Double(MicroDegrees.text(a))!, Double(MicroDegrees.text(b))!))
        }
        try lake.inTransaction {
            let ins = try lake.recordInserter(jobID: "j")
            for r in rows { try ins.insert(r) }
        }
        // Both rules were taken, and both forms of each member stored.
        let keys = try CompactDataTests.count(lake, "SELECT count(*) FROM record_kinds WHERE keys LIKE '%[\"geo\",\"e7\",4,5]%'")
        let times = try CompactDataTests.count(lake, "SELECT count(*) FROM record_kinds WHERE keys LIKE '%[\"time\",\"%'")
        let seconds = try CompactDataTests.count(
            lake, "SELECT count(*) FROM record_kinds WHERE keys LIKE '%[\"created_at\",\"s\"]%' OR keys LIKE '%[\"created_at\",\"tw\"]%'")
        let whole = try CompactDataTests.count(
            lake, "SELECT count(*) FROM record_kinds WHERE keys LIKE '%\"geo\",%' AND keys NOT LIKE '%[\"geo\"%'")
        let dates = try CompactDataTests.count(lake, "SELECT count(*) FROM record_kinds WHERE keys LIKE '%[\"date\",\"rfc\"]%'")
        let kept = try CompactDataTests.count(lake, "SELECT count(*) FROM record_kinds WHERE keys LIKE '%,\"date\",%'")
        #expect(keys > 0 && times >= 3 && whole > 0 && seconds >= 2 && dates > 0 && kept > 0)
        var lines: [[UInt8]] = []
        try lake.export { lines.append($0) }
        #expect(lines == rows.map(\.canonicalLine))
        var viewed: [[UInt8]] = [], entities: [[UInt8]] = []
        try lake.database.prepare("SELECT data, entities FROM lake_records ORDER BY id").forEachRow {
            viewed.append($0.bytes(0))
            entities.append($0.bytes(1))
        }
        #expect(viewed == rows.map(\.columns.data))
        #expect(entities == rows.map { $0.columns.entities ?? [] })
        var degrees: [(Double, Double)] = []
        try lake.database.prepare("SELECT latitude, longitude FROM locations ORDER BY id").forEachRow {
            degrees.append((Double($0.text(0) ?? "") ?? .nan, Double($0.text(1) ?? "") ?? .nan))
        }
        #expect(degrees.count == points.count && zip(degrees, points).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
    }
}
