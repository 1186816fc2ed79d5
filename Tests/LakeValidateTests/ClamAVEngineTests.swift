import Foundation
import LakeCore
import Testing
import _LakeTestSupport

@testable import LakeValidate

/// ClamAV through CClamAV with the test signature database in Corpus/clamav.
@Suite struct ClamAVEngineTests {
    static let folder = TestPaths.corpus + "/clamav"
    static let marker = Array("some text DATAPUNK-CLAMAV-TEST-MARKER-7f3a91 more".utf8)
    static let eicar = Array(#"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"#.utf8)

    @Test func loadsTheFolderAndNamesWhatMatches() throws {
        let engine = try ClamAVEngine(folder: Self.folder)
        #expect(engine.signatures == 2)
        #expect(try engine.scan(Self.marker, path: "notes/a.json") == "Datapunk.Test.Marker.UNOFFICIAL")
        #expect(try engine.scan(Self.eicar, path: "a.txt") == "Datapunk.Test.EICAR.UNOFFICIAL")
        // The EICAR signature is anchored at offset 0.
        #expect(try engine.scan(Array("x".utf8) + Self.eicar, path: "a.txt") == nil)
        #expect(try engine.scan(Array(#"[{"note": "clean"}]"#.utf8), path: "a.json") == nil)
        #expect(engine.identity.hasPrefix(ClamAVEngine.version + ":2:"))
    }

    @Test func aFolderWithoutSignaturesIsUnavailable() throws {
        let dir = TestPaths.scratch("clamav-empty")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(throws: ClamAVEngine.Unavailable.self) { try ClamAVEngine(folder: dir) }
        #expect(throws: ClamAVEngine.Unavailable.self) { try ClamAVEngine(folder: dir + "/missing") }
    }

    @Test func theSecurityScanRunsBothEngines() throws {
        let scanner = try SecurityScanner(clamav: try ClamAVEngine(folder: Self.folder))
        let matches = try scanner.scan(Self.eicar, path: "Takeout/a.json")
        #expect(Set(matches.map(\.engine)) == ["yara", "clamav"], "\(matches)")
        #expect(try scanner.scan(Self.marker, path: "a.json").map(\.description) == ["clamav:Datapunk.Test.Marker.UNOFFICIAL"])
    }
}
