import Foundation
import LakeCore
import LakeIngest
import LakeParsers

/// What `datapunk inspect FILE` reports: size, hashes, libmagic's MIME type, our format
/// and encoding detection, and for archives the same for every entry (read in place).
public enum Inspector {
    /// The report as a JSON object (printed canonically by `--json`).
    /// - Throws: `LakeError` (`input.not_found`, `input.unreadable`).
    public static func inspect(path: String, thresholds: Thresholds = Thresholds()) throws -> JSONValue {
        let magic = try MagicDetector()
        let digest = try FileHashing.digest(ofFile: path)
        let sample = try FileHashing.head(ofFile: path, count: thresholds.detectionSampleBytes)
        let name = (path as NSString).lastPathComponent
        let detection = ContentSniffer.detect(head: sample, size: digest.size, name: name, magic: magic, sampleBytes: thresholds.detectionSampleBytes)
        var members: [JSONMember] = [
            .init("name", .string(name)),
            .init("size", .number(String(digest.size))),
            .init("sha256", .string(digest.sha256)),
            .init("xxh64", .string(digest.xxh64)),
        ]
        if case .object(let d) = detection.jsonValue { members += d }
        if ["zip", "gzip", "tar", "7z", "rar", "bzip2", "xz", "zstd"].contains(detection.format) {
            members.append(.init("entries", inspectEntries(path: path, magic: magic, thresholds: thresholds)))
        }
        return .object(members)
    }

    /// Entries are read on this thread; hashing runs on the digester's thread, and each entry's
    /// description (libmagic, content check, metadata) on a third, in entry order, while the
    /// next entry is being read.
    static func inspectEntries(path: String, magic: MagicDetector, thresholds: Thresholds) -> JSONValue {
        final class Collected: @unchecked Sendable { var entries: [JSONValue] = [] }
        let collected = Collected()
        guard let reader = try? ArchiveReader(path: path) else {
            return .array([.object([.init("error", .string("libarchive cannot open it"))])])
        }
        let describer = SerialStage(label: "datapunk.describe", depth: 4)
        func add(_ value: JSONValue) { try? describer.submit { collected.entries.append(value) } }
        while true {
            let entry: ArchiveEntry?
            do { entry = try reader.nextEntry() } catch {
                add(.object([.init("error", .string("\(error)"))]))
                break
            }
            guard let entry else { break }
            var members: [JSONMember] = [.init("path", .string(entry.path)), .init("kind", .string(entry.kind.rawValue))]
            if entry.kind == .file {
                let digester = BackgroundDigester()
                var kept = HeadAndTail()
                do {
                    while let chunk = try reader.readChunk() {
                        digester.update(chunk)
                        kept.add(chunk)
                    }
                } catch {
                    members.append(.init("error", .string("\(error)")))
                }
                let head = members
                try? describer.submit {
                    var members = head
                    let d = digester.finish()
                    let detection = ContentSniffer.detect(head: kept.head, size: d.size, name: entry.path, magic: magic,
                                                          sampleBytes: thresholds.detectionSampleBytes)
                    members += [.init("size", .number(String(d.size))), .init("sha256", .string(d.sha256)), .init("xxh64", .string(d.xxh64))]
                    if case .object(let m) = detection.jsonValue { members += m }
                    if let m = kept.metadata(format: detection.format) { members.append(.init("metadata", m)) }
                    collected.entries.append(.object(members))
                }
            } else {
                if let target = entry.linkTarget { members.append(.init("target", .string(target))) }
                add(.object(members))
            }
            if reader.failed { break }
        }
        describer.drain()
        return .array(collected.entries)
    }
}
