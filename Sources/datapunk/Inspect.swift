import ArgumentParser
import Foundation
import LakeCore
import LakeIngest
import LakePipeline

extension Datapunk {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show a file's MIME type (libmagic), detected format and encoding, size, SHA-256 and XXH64; for an archive, of every entry too."
        )

        @Argument(help: "The file to inspect.")
        var file: String

        @Flag(help: "Print canonical JSON instead of text.")
        var json = false

        @Flag(help: "Only hash the file: print `<sha256>  <xxh64>  <size>  <file>` (no detection, no entries).")
        var digestOnly = false

        func run() throws {
            if digestOnly {
                let d: FileDigest
                d = try reporting { try FileHashing.digest(ofFile: file) }
                print("\(d.sha256)  \(d.xxh64)  \(d.size)  \(file)")
                return
            }
            // Entries are spooled to a private temporary file as they are described and copied
            // out after the summary: the report of a million entries is never held whole.
            let spoolPath = NSTemporaryDirectory() + "/datapunk-inspect-\(getpid())"
            let fd = open(spoolPath, O_RDWR | O_CREAT | O_TRUNC | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw ExitStatus.fail(
                    LakeError(.outputWrite, scope: .input, input: spoolPath, message: "cannot create: \(String(cString: strerror(errno)))"))
            }
            unlink(spoolPath)
            defer { close(fd) }
            let spool = StandardOutput(fd: fd, name: spoolPath)
            var count = 0
            let json = self.json
            let report: JSONValue
            report = try reporting {
                let report = try Inspector.inspect(path: file) { e in
                    if json {
                        if count > 0 { spool.write([0x2C]) }
                        spool.write(CanonicalJSON.encode(e))
                    } else {
                        let fields = ["size", "format", "mime_type", "encoding", "name_problem", "central_name"].compactMap { k in
                            e[k].map { "\(k)=\(Self.text($0))" }
                        }
                        spool.write(
                            "  \(e["path"].map(Self.text) ?? "?") [\(e["kind"].map(Self.text) ?? "?")] \(fields.joined(separator: " "))\n")
                    }
                    count += 1
                }
                try spool.flush()
                return report
            }
            let out = StandardOutput()
            func copySpool() {
                lseek(fd, 0, SEEK_SET)
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = read(fd, &buffer, buffer.count)
                    if n <= 0 { break }
                    out.write(Array(buffer[0..<n]))
                }
            }
            if json {
                // The canonical report with its `entries` array filled in from the spool.
                let text = CanonicalJSON.encode(report)
                let marker = Array("\"entries\":[]".utf8)
                if report["entries"] != nil,
                    let at = (0...(text.count - marker.count)).first(where: { text[$0..<($0 + marker.count)].elementsEqual(marker) })
                {
                    out.write(Array(text[..<(at + marker.count - 1)]))
                    copySpool()
                    out.write(Array(text[(at + marker.count - 1)...]))
                } else {
                    out.write(text)
                }
                out.write("\n")
            } else {
                for m in report.objectMembers ?? [] where m.key != "entries" {
                    out.write("\(m.key): \(Self.text(m.value))\n")
                }
                if report["entries"] != nil {
                    out.write("entries: \(count)\n")
                    copySpool()
                }
            }
            try reporting { try out.flush() }
        }

        static func text(_ v: JSONValue) -> String {
            switch v {
            case .string(let s): return s
            case .number(let n): return n
            case .null: return "-"
            default: return CanonicalJSON.string(v)
            }
        }
    }
}
