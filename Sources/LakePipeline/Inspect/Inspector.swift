import Foundation
import LakeCore
import LakeIngest
import LakeParsers

/// What `datapunk inspect FILE` reports: size, hashes, libmagic's MIME type, our format
/// and encoding detection, and for archives the same for every entry (read in place).
public enum Inspector {
    /// The report as a JSON object (printed canonically by `--json`).
    /// - Throws: `LakeError` (`input.not_found`, `input.unreadable`).
    ///
    /// With `onEntry`, each entry's object is handed over as soon as it is described (in entry
    /// order, on one thread) instead of being kept, and the report's `entries` is an empty array
    /// standing for them: a huge archive's report is never held whole.
    public static func inspect(
        path: String, thresholds: Thresholds = Thresholds(),
        onEntry: ((JSONValue) -> Void)? = nil
    ) throws -> JSONValue {
        try FileHashing.requireFileOrFolder(path, input: path)
        let magic = try MagicDetector()
        let sample = try FileHashing.head(ofFile: path, count: thresholds.detectionSampleBytes)
        // The whole file is hashed on a stage of its own while its entries are read.
        final class Outcome: @unchecked Sendable { var digest: Result<FileDigest, Error>? }
        let outcome = Outcome()
        let hasher = SerialStage(label: "datapunk.inspect-digest", depth: 1)
        try? hasher.submit { outcome.digest = Result { try FileHashing.digest(ofFile: path) } }
        let name = (path as NSString).lastPathComponent
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? Int64(sample.count)
        let detection = ContentSniffer.detect(
            head: sample, size: size, name: name, magic: magic, sampleBytes: thresholds.detectionSampleBytes)
        var entries: JSONValue?
        if FileFormat.archives.contains(detection.format) {
            entries = inspectEntries(path: path, magic: magic, thresholds: thresholds, onEntry: onEntry)
        }
        hasher.drain()
        let digest = try outcome.digest!.get()
        var members: [JSONMember] = [
            .init("name", .string(name)),
            .init("size", .number(String(digest.size))),
            .init("sha256", .string(digest.sha256)),
            .init("xxh64", .string(digest.xxh64)),
        ]
        if case .object(let d) = detection.jsonValue { members += d }
        if let entries { members.append(.init("entries", entries)) }
        return .object(members)
    }

    /// Entries are read on this thread; hashing and each entry's description (libmagic, content
    /// check, metadata) run on one second thread, in entry order, while the next blocks are read.
    static func inspectEntries(path: String, magic: MagicDetector, thresholds: Thresholds, onEntry: ((JSONValue) -> Void)?) -> JSONValue {
        final class Collected: @unchecked Sendable {
            var entries: [JSONValue] = []
            let onEntry: ((JSONValue) -> Void)?
            init(_ onEntry: ((JSONValue) -> Void)?) { self.onEntry = onEntry }
            func append(_ v: JSONValue) { if let onEntry { onEntry(v) } else { entries.append(v) } }
        }
        let collected = Collected(onEntry)
        guard let reader = try? ArchiveReader(path: path, chunkSize: 256 * 1024) else {
            collected.append(.object([.init("error", .string("libarchive cannot open it"))]))
            return .array(collected.entries)
        }
        let stage = SerialStage(label: "datapunk.describe", depth: 16)
        func add(_ value: JSONValue) { try? stage.submit { collected.append(value) } }
        while true {
            let entry: ArchiveEntry?
            do { entry = try reader.nextEntry() } catch {
                add(.object([.init("error", .string("\(error)"))]))
                break
            }
            guard let entry else { break }
            var members: [JSONMember] = [.init("path", .string(entry.path)), .init("kind", .string(entry.kind.rawValue))]
            if let problem = entry.nameProblem {
                members += [.init("name_problem", .string(problem.kind.rawValue)), .init("central_name", .string(problem.central))]
            }
            if entry.kind == .file {
                let digester = BackgroundDigester(on: stage)
                var kept = HeadAndTail()
                do {
                    while let chunk = try reader.readChunk() {
                        digester.update(chunk)
                        kept.add(chunk)
                    }
                } catch {
                    members.append(.init("error", .string("\(error)")))
                }
                digester.finish { [members, kept] d in
                    var members = members
                    let detection = ContentSniffer.detect(
                        head: kept.head, size: d.size, name: entry.path, magic: magic,
                        sampleBytes: thresholds.detectionSampleBytes)
                    members += [
                        .init("size", .number(String(d.size))), .init("sha256", .string(d.sha256)), .init("xxh64", .string(d.xxh64)),
                    ]
                    if case .object(let m) = detection.jsonValue { members += m }
                    if let m = kept.metadata(format: detection.format.rawValue) { members.append(.init("metadata", m)) }
                    collected.append(.object(members))
                }
            } else {
                if let target = entry.linkTarget { members.append(.init("target", .string(target))) }
                add(.object(members))
            }
            if reader.failed { break }
        }
        stage.drain()
        return .array(collected.entries)
    }
}
