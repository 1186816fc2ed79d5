import ArgumentParser
import Foundation
import LakeCore
import LakeStore

extension Datapunk {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the lake's records as canonical NDJSON (docs/SPEC.md), one per line.")

        @Option(help: "The lake folder.")
        var lake: String = "./lake"

        @Option(help: "Output format. Only ndjson exists.")
        var format: String = "ndjson"

        @Option(help: "Write to this file instead of stdout (replaced atomically).")
        var output: String?

        @Option(help: "Only this user's records.")
        var user: String?

        func validate() throws {
            if format != "ndjson" { throw ValidationError("--format: only ndjson is supported") }
        }

        func run() throws {
            do {
                let store = try Lake(directory: lake, create: false)
                if let output {
                    let tmp = output + ".tmp-datapunk"
                    guard FileManager.default.createFile(atPath: tmp, contents: nil), let h = FileHandle(forWritingAtPath: tmp) else {
                        throw LakeError(.lakeStorage, scope: .usage, input: output, message: "cannot write the output file")
                    }
                    var buffer: [UInt8] = []
                    try store.export(user: user) { line in
                        buffer += line
                        buffer.append(0x0A)
                        if buffer.count > 1 << 16 {
                            h.write(Data(buffer))
                            buffer.removeAll(keepingCapacity: true)
                        }
                    }
                    h.write(Data(buffer))
                    try h.close()
                    _ = rename(tmp, output)
                } else {
                    let out = StandardOutput()
                    try store.export(user: user) { line in
                        out.write(line)
                        out.write([0x0A])
                    }
                    out.flush()
                }
            } catch let e as ExitCode {
                throw e
            } catch {
                throw ExitStatus.fail(error)
            }
        }
    }
}
