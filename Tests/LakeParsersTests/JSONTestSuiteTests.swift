import Foundation
import LakeCore
import LakeParsers
import Testing
import _LakeTestSupport

/// nst/JSONTestSuite (Corpus/conformance/JSONTestSuite): every y_ accepted, every n_
/// rejected, every i_ ends either way without a crash, and which way each i_ went is a golden.
@Suite struct JSONTestSuiteTests {
    static let folder = TestPaths.conformance + "/JSONTestSuite/test_parsing"
    static var files: [String] { TestPaths.listFiles(folder).filter { $0.hasSuffix(".json") } }

    /// Parses through the whole-buffer path and through the streaming path with odd chunk
    /// sizes; the two must agree (same value, or the same error kind and offset).
    static func parseBothWays(_ bytes: [UInt8]) -> Result<JSONValue, JSONError> {
        func run(_ make: () -> JSONReader) -> Result<JSONValue, JSONError> {
            let r = make()
            do {
                let v = try r.readValue()
                guard try r.next() == .end else { return .failure(JSONError(.trailingContent, offset: r.offset, line: r.line)) }
                return .success(v)
            } catch let e as JSONError { return .failure(e) } catch {
                Issue.record("unexpected error \(error)"); return .failure(JSONError(.unexpectedEnd, offset: -1, line: 0))
            }
        }
        let whole = run { JSONReader(bytes: bytes) }
        for chunkSize in [1, 3, 64] {
            let streamed = run { JSONReader(source: ChunkCursor.chunks(of: bytes, size: chunkSize)) }
            #expect(streamed == whole, "streaming (chunks of \(chunkSize)) and whole-buffer parses disagree")
        }
        return whole
    }

    @Test func suiteIsPresent() {
        #expect(Self.files.filter { $0.hasPrefix("y_") }.count == 95)
        #expect(Self.files.filter { $0.hasPrefix("n_") }.count == 188)
        #expect(Self.files.filter { $0.hasPrefix("i_") }.count == 35)
    }

    @Test func acceptsEveryY() {
        for name in Self.files where name.hasPrefix("y_") {
            let result = Self.parseBothWays(TestPaths.read(Self.folder + "/" + name))
            if case .failure(let e) = result { Issue.record("\(name) rejected: \(e)") }
        }
    }

    @Test func rejectsEveryN() {
        for name in Self.files where name.hasPrefix("n_") {
            let result = Self.parseBothWays(TestPaths.read(Self.folder + "/" + name))
            if case .success = result { Issue.record("\(name) accepted") }
        }
    }

    @Test func recordsWhichWayEachIWent() {
        var lines: [String] = []
        for name in Self.files where name.hasPrefix("i_") {
            switch Self.parseBothWays(TestPaths.read(Self.folder + "/" + name)) {
            case .success(let v): lines.append("\(name)\taccepted\t\(CanonicalJSON.string(v).prefix(80))")
            case .failure(let e): lines.append("\(name)\trejected\t\(e.rule)")
            }
        }
        let outcome = Golden.check(Array((lines.joined(separator: "\n") + "\n").utf8), suite: "json-test-suite", name: "i_outcomes.tsv")
        #expect(outcome == .matches, "\(outcome)")
    }

    /// test_transform has no expected outputs: our canonical reading of each file is a golden.
    /// Policy: duplicate keys, last wins; numbers as spelled (no rounding, no Int64 limit);
    /// lone surrogates and invalid UTF-8 are errors; keys are NFC-normalized, so keys that
    /// differ only by NFC/NFD collapse into one (last wins); an escaped NUL is kept and written `\u0000`.
    @Test func transformSnapshots() {
        let folder = TestPaths.conformance + "/JSONTestSuite/test_transform"
        var lines: [String] = []
        for name in TestPaths.listFiles(folder) {
            switch Self.parseBothWays(TestPaths.read(folder + "/" + name)) {
            case .success(let v): lines.append("\(name)\t\(CanonicalJSON.string(v))")
            case .failure(let e): lines.append("\(name)\terror \(e.rule)")
            }
        }
        #expect(lines.count == 22)
        let outcome = Golden.check(Array((lines.joined(separator: "\n") + "\n").utf8), suite: "json-test-suite", name: "transform.tsv")
        #expect(outcome == .matches, "\(outcome)")
    }
}
