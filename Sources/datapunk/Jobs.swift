import ArgumentParser
import Foundation
import LakeCore
import LakeStore

extension Datapunk {
    struct Jobs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the lake's jobs and their states.")

        @OptionGroup var lake: LakeOptions

        @Flag(help: "Print one canonical JSON object per job.")
        var json = false

        func run() throws {
            let rows: [Lake.JobRow]
            rows = try reporting { try lake.open().jobs() }
            let out = StandardOutput()
            for r in rows {
                if json {
                    let v: JSONValue = .object([
                        .init("job_id", .string(r.jobID)), .init("state", .string(r.state.rawValue)),
                        .init("priority", .string(r.priority.rawValue)),
                        .init("created_at", .string(r.createdAt)), .init("updated_at", .string(r.updatedAt)),
                        .init("files", .number(String(r.files))), .init("records", .number(String(r.records))),
                        .init("rejected", .number(String(r.rejected))), .init("message", r.message.map { .string($0) } ?? .null),
                    ])
                    out.write(CanonicalJSON.encode(v))
                    out.write("\n")
                } else {
                    out.write(
                        "\(r.jobID)  \(r.state.rawValue)  \(r.priority.rawValue)  files=\(r.files) records=\(r.records) rejected=\(r.rejected)  \(r.createdAt)\n"
                    )
                }
            }
            try reporting { try out.flush() }
        }
    }
}
