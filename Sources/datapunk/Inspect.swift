import ArgumentParser
import Foundation
import LakeCore
import LakeIngest
import LakePipeline

extension Datapunk {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a file's MIME type (libmagic), detected format and encoding, size, SHA-256 and XXH64; for an archive, of every entry too.")

        @Argument(help: "The file to inspect.")
        var file: String

        @Flag(help: "Print canonical JSON instead of text.")
        var json = false

        @Flag(help: "Only hash the file: print `<sha256>  <xxh64>  <size>  <file>` (no detection, no entries).")
        var digestOnly = false

        func run() throws {
            if digestOnly {
                let d: FileDigest
                do { d = try FileHashing.digest(ofFile: file) } catch { throw ExitStatus.fail(error) }
                print("\(d.sha256)  \(d.xxh64)  \(d.size)  \(file)")
                return
            }
            let report: JSONValue
            do { report = try Inspector.inspect(path: file) } catch { throw ExitStatus.fail(error) }
            let out = StandardOutput()
            if json {
                out.write(CanonicalJSON.encode(report))
                out.write("\n")
            } else {
                for m in report.objectMembers ?? [] where m.key != "entries" {
                    out.write("\(m.key): \(Self.text(m.value))\n")
                }
                if let entries = report["entries"]?.arrayValue {
                    out.write("entries: \(entries.count)\n")
                    for e in entries {
                        let fields = ["size", "format", "mime_type", "encoding"].compactMap { k in e[k].map { "\(k)=\(Self.text($0))" } }
                        out.write("  \(e["path"].map(Self.text) ?? "?") [\(e["kind"].map(Self.text) ?? "?")] \(fields.joined(separator: " "))\n")
                    }
                }
            }
            do { try out.flush() } catch { throw ExitStatus.fail(error) }
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
