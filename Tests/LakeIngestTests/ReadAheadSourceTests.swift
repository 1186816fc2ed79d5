import Foundation
import LakeCore
import LakeIngest
import Testing
import _LakeTestSupport

/// `ReadAheadSource` gives its reader what the archive gives, block for block, with the same
/// `rawBytesRead` and `failed` at every step and an error where it was met, however far ahead
/// it read, whether the reader reads an entry read ahead to its end, part of it, or skips it.
@Suite struct ReadAheadSourceTests {
    /// What a reader does with entry `n`.
    enum Plan: CaseIterable { case readAll, skip, readOneThenNext, readOneThenSkip }

    /// Bytes that deflate poorly, so an entry takes several blocks and the raw count moves.
    static func noise(_ seed: Int, _ count: Int) -> [UInt8] {
        var x = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            return UInt8(truncatingIfNeeded: x)
        }
    }

    static func archive(_ dir: String, format: ArchiveWriter.Format, name: String) throws -> String {
        let path = dir + "/" + name
        let w = try ArchiveWriter(path: path, format: format)
        for (n, size) in [300_000, 10, 0, 450_000, 70_000, 1_200_000, 5].enumerated() {
            try w.addFile("e\(n).json", contents: noise(n, size))
        }
        try w.close()
        return path
    }

    /// Everything a reader sees walking `source` by `plan`; after each entry read to its end,
    /// `ahead` (a limit, and whether the entry is wanted) is read ahead when the source can.
    static func trace(_ source: EntrySource, plan: (Int) -> Plan, ahead: (Int) -> (Int, Bool)?) -> [String] {
        var out: [String] = []
        func state(_ what: String) { out.append("\(what) raw=\(source.rawBytesRead.map(String.init) ?? "-") failed=\(source.failed)") }
        var n = 0
        while true {
            let entry: ArchiveEntry?
            do { entry = try source.nextEntry() } catch {
                state("header error \(error)")
                if source.failed { return out }
                continue
            }
            guard let entry else {
                state("end of archive")
                return out
            }
            state("entry \(entry.path) \(entry.declaredSize ?? -1)")
            func block() -> Bool {
                do {
                    guard let b = try source.readChunk() else {
                        state("end of data")
                        return false
                    }
                    state("block \(b.count) \(b.reduce(0) { $0 &* 31 &+ Int($1) })")
                    return true
                } catch {
                    state("data error \(error)")
                    return false
                }
            }
            switch plan(n) {
            case .readAll:
                while block() {}
                if let (limit, wanted) = ahead(n), let r = source as? ReadAheadSource {
                    _ = r.readAhead(upTo: limit) { _ in wanted }
                }
                state("after the data")
                // The entry's end again, as `drain` asks for it.
                _ = block()
            case .skip:
                do { try source.skipData() } catch { state("skip error \(error)") }
            case .readOneThenNext: _ = block()
            case .readOneThenSkip:
                _ = block()
                do { try source.skipData() } catch { state("skip error \(error)") }
            }
            n += 1
        }
    }

    static func compare(_ path: String, plan: @escaping (Int) -> Plan, ahead: @escaping (Int) -> (Int, Bool)?) throws {
        let plain = trace(try ArchiveReader(path: path), plan: plan, ahead: ahead)
        let readAhead = ReadAheadSource(try ArchiveReader(path: path))
        let seen = trace(readAhead, plan: plan, ahead: ahead)
        #expect(seen == plain, "\(path)")
        #expect(plain.contains { $0.hasPrefix("block ") } && plain.count > 10)
    }

    @Test(arguments: [ArchiveWriter.Format.zip, .tarGzip])
    func aReaderSeesWhatTheArchiveGives(format: ArchiveWriter.Format) throws {
        let dir = TestPaths.scratch("read-ahead")
        defer { TestPaths.remove(dir) }
        let path = try Self.archive(dir, format: format, name: format == .zip ? "a.zip" : "a.tar.gz")
        // Ahead by nothing, a byte, part of an entry, whole entries; wanted or not.
        for limit in [0, 1, 100_000, 16 << 20] {
            try Self.compare(path, plan: { _ in .readAll }, ahead: { _ in (limit, true) })
            try Self.compare(path, plan: { _ in .readAll }, ahead: { n in (limit, n % 2 == 0) })
        }
        // Entries read ahead and then skipped, read in part, or left for the next.
        for (k, plan) in Plan.allCases.enumerated() {
            try Self.compare(path, plan: { n in n % 2 == 0 ? .readAll : plan }, ahead: { _ in (100_000 * k, true) })
            try Self.compare(path, plan: { n in n % 3 == 0 ? .readAll : plan }, ahead: { _ in (16 << 20, true) })
        }
    }

    /// A gzip stream cut short: the error comes where the archive gives it, with the counts
    /// and `failed` it gives, whether it was met ahead or not.
    @Test func anErrorMetAheadComesWhereItWasMet() throws {
        let dir = TestPaths.scratch("read-ahead-cut")
        defer { TestPaths.remove(dir) }
        let whole = TestPaths.read(try Self.archive(dir, format: .tarGzip, name: "a.tar.gz"))
        for fraction in [0.3, 0.55, 0.8] {
            let path = dir + "/cut-\(fraction).tar.gz"
            _ = FileManager.default.createFile(atPath: path, contents: Data(whole.prefix(Int(Double(whole.count) * fraction))))
            let plain = Self.trace(try ArchiveReader(path: path), plan: { _ in .readAll }, ahead: { _ in nil })
            #expect(plain.contains { $0.contains("error") }, "\(fraction)")
            for limit in [1, 100_000, 16 << 20] {
                try Self.compare(path, plan: { _ in .readAll }, ahead: { _ in (limit, true) })
            }
        }
    }

    /// Nothing is read ahead before the current entry's data has ended, nor twice; an entry
    /// not wanted has only its header read.
    @Test func readsAheadOnlyAtAnEntrysEnd() throws {
        let dir = TestPaths.scratch("read-ahead-when")
        defer { TestPaths.remove(dir) }
        let source = ReadAheadSource(try ArchiveReader(path: try Self.archive(dir, format: .zip, name: "a.zip")))
        #expect(try source.nextEntry()?.path == "e0.json")
        #expect(try source.readChunk() != nil)
        #expect(source.readAhead(upTo: 1 << 20) { _ in true } == nil)
        while try source.readChunk() != nil {}
        let ahead = try #require(source.readAhead(upTo: 1 << 20) { _ in true })
        #expect(ahead.entry.path == "e1.json" && ahead.whole && ahead.bytes == Self.noise(1, 10))
        #expect(source.readAhead(upTo: 1 << 20) { _ in true } == nil)
        #expect(try source.readChunk() == nil)
        #expect(try source.nextEntry()?.path == "e1.json")
        #expect(try source.readChunk() == Self.noise(1, 10))
        #expect(try source.readChunk() == nil)
        #expect(source.readAhead(upTo: 1 << 20) { _ in false } == nil)
        #expect(try source.nextEntry()?.path == "e2.json")
    }
}
